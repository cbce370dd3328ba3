using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Dicom.Typed.Analyzers.Tests;

/// <summary>DT0003: an attribute outside the IOD written through the raw data set (Echo Time on a syngo CT image).</summary>
public class Dt0003Tests
{
    internal const string Violation = """
        using Dicom.Typed.Devices.SiemensSyngoCtVa50a;
        class C
        {
            void M(SyngoCtImage image)
            {
                var ds = image.ToDataset();
                ds.AddOrUpdate({|#0:DicomTag.EchoTime|}, "10");
                image.ToDataset().AddOrUpdate({|#1:new DicomTag(0x0018, 0x0081)|}, "10");
            }
        }
        """;

    private static DiagnosticResult[] Expected() =>
    [
        new DiagnosticResult(Descriptors.NotInIod).WithLocation(0).WithArguments("EchoTime", "SyngoCtImage", "definitions/siemens-syngo-ct-va50a/iods/SyngoCtImage.json"),
        new DiagnosticResult(Descriptors.NotInIod).WithLocation(1).WithArguments("(0018,0081)", "SyngoCtImage", "definitions/siemens-syngo-ct-va50a/iods/SyngoCtImage.json"),
    ];

    [Fact]
    public Task Fires_on_an_attribute_the_definition_does_not_list() => AnalyzerTest.Run(Violation, Expected());

    [Fact]
    public Task Does_not_fire_on_attributes_of_the_IOD_or_on_plain_data_sets() => AnalyzerTest.Run("""
        using Dicom.Typed.Devices.SiemensSyngoCtVa50a;
        using Dicom.Typed.Devices.PhilipsAvwCt1513;
        class C
        {
            void M(SyngoCtImage image, AvwMonoECtImage mono)
            {
                var ds = image.ToDataset();
                ds.AddOrUpdate(DicomTag.PatientID, "P1");
                ds.AddOrUpdate(new DicomTag(0x0010, 0x0020), "P1");
                new DicomDataset().AddOrUpdate(DicomTag.EchoTime, "10");
                var m = mono.ToDataset();
                m.AddOrUpdate(Dicom.Typed.Devices.PhilipsAvwCt1513.PrivateDictionary.ELSCINT1.DSELSCINTCTMONOCHROMATICENERGYKEV.Reserve(m), "70");
            }
        }
        """);

    [Fact]
    public Task Generated_code_is_not_analyzed() => Common.NotInGeneratedCode(Violation);

    [Fact]
    public Task EditorConfig_severity_applies() => Common.EditorConfig(Violation, "DT0003", DiagnosticSeverity.Info, Expected());
}
