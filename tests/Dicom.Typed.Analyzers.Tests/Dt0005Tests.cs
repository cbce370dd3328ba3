using Dicom.Typed.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Dicom.Typed.Analyzers.Tests;

/// <summary>DT0005: private tags hard-coded or without their creator (ELSCINT1 of the AVW CT statement).</summary>
public class Dt0005Tests
{
    internal const string Violation = """
        using Dicom.Typed.Devices.PhilipsAvwCt1513;
        class C
        {
            void M(AvwMonoECtImage image)
            {
                var ds = image.ToDataset();
                ds.AddOrUpdate({|#0:new DicomTag(0x01F7, 0x10CB)|}, "70");
                ds.AddOrUpdate({|#1:new DicomTag(0x01F7, 0x0010)|}, "ELSCINT1");
                var t = {|#2:new DicomPrivateTag(0x01F7, "", 0xCB)|};
            }
        }
        """;

    private static DiagnosticResult[] Expected() =>
    [
        new DiagnosticResult(Descriptors.PrivateTag).WithLocation(0).WithArguments("Private tag (01F7,10CB) hard-coded: its block (10) depends on the private creator reservation; use the generated private accessor"),
        new DiagnosticResult(Descriptors.PrivateTag).WithLocation(1).WithArguments("Private creator element (01F7,0010) hard-coded: let the private accessor reserve the block"),
        new DiagnosticResult(Descriptors.PrivateTag).WithLocation(2).WithArguments("Private tag without its private creator: the element cannot be found or reserved by creator"),
    ];

    [Fact]
    public Task Fires_on_hard_coded_element_numbers_and_missing_creators() => AnalyzerTest.Run(Violation, Expected());

    [Fact]
    public Task Does_not_fire_on_the_generated_accessor_or_standard_tags() => AnalyzerTest.Run("""
        using Dicom.Typed.Devices.PhilipsAvwCt1513;
        class C
        {
            void M(AvwMonoECtImage image)
            {
                var ds = image.ToDataset();
                ds.AddOrUpdate(PrivateDictionary.ELSCINT1.DSELSCINTCTMONOCHROMATICENERGYKEV.Reserve(ds), "70");
                ds.AddOrUpdate(new DicomTag(0x0010, 0x0020), "P1");
                var t = new DicomPrivateTag(0x01F7, "ELSCINT1", 0xCB);
                var group = new DicomTag(0x0009, 0x0000);
            }
        }
        """);

    [Fact]
    public Task Generated_code_is_not_analyzed() => Common.NotInGeneratedCode(Violation);

    [Fact]
    public Task EditorConfig_severity_applies() => Common.EditorConfig(Violation, "DT0005", DiagnosticSeverity.Info, Expected());

    [Fact]
    public Task Fix_all_uses_the_generated_private_accessor() => new FixTest<PrivateAccessorCodeFix>("""
        using Dicom.Typed.Devices.PhilipsAvwCt1513;
        class C
        {
            void M(AvwMonoECtImage image)
            {
                var ds = image.ToDataset();
                ds.AddOrUpdate({|DT0005:new DicomTag(0x01F7, 0x10CB)|}, "70");
                ds.AddOrUpdate({|DT0005:new DicomTag(0x01F7, 0x10CC)|}, "2.1");
            }
        }
        """, """
        using Dicom.Typed.Devices.PhilipsAvwCt1513;
        class C
        {
            void M(AvwMonoECtImage image)
            {
                var ds = image.ToDataset();
                ds.AddOrUpdate(PrivateDictionary.ELSCINT1.DSELSCINTCTMONOCHROMATICENERGYKEV.Reserve(ds), "70");
                ds.AddOrUpdate(PrivateDictionary.ELSCINT1.ElsclntSBIVersion.Reserve(ds), "2.1");
            }
        }
        """).VerifyAsync();
}
