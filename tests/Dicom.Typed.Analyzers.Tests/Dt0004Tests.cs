using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Dicom.Typed.Analyzers.Tests;

/// <summary>DT0004: a Type 1 attribute set to a null or empty constant (SyngoCtImage metadata).</summary>
public class Dt0004Tests
{
    internal const string Violation = """
        using Dicom.Typed.Devices.SiemensSyngoCtVa50a;
        class C
        {
            SyngoCtImage M() => new SyngoCtImage { PatientID = {|#0:""|}, StudyInstanceUID = {|#1:null!|} };
        }
        """;

    private static DiagnosticResult[] Expected() =>
    [
        new DiagnosticResult(Descriptors.Type1Empty).WithLocation(0).WithArguments("PatientID", "(0010,0020)", "empty"),
        new DiagnosticResult(Descriptors.Type1Empty).WithLocation(1).WithArguments("StudyInstanceUID", "(0020,000D)", "null"),
    ];

    [Fact]
    public Task Fires_on_empty_and_null_type1_constants() => AnalyzerTest.Run(Violation, Expected());

    [Fact]
    public Task Fires_on_blank_values_through_the_raw_data_set_and_on_empty_lists() => AnalyzerTest.Run("""
        using Dicom.Typed.Devices.SiemensSyngoCtVa50a;
        class C
        {
            void M(SyngoCtImage image) => image.ToDataset().AddOrUpdate(DicomTag.PatientID, {|#0:"  "|});
        }
        """, new DiagnosticResult(Descriptors.Type1Empty).WithLocation(0).WithArguments("PatientID", "(0010,0020)", "empty"));

    [Fact]
    public Task Does_not_fire_on_values_or_on_type2_and_type3() => AnalyzerTest.Run("""
        using Dicom.Typed.Devices.SiemensSyngoCtVa50a;
        class C
        {
            SyngoCtImage M(string id) => new SyngoCtImage
            {
                PatientID = "P1",
                StudyInstanceUID = id,
                IssuerOfPatientID = "",
                ReferringPhysicianName = null,
            };
        }
        """);

    [Fact]
    public Task Generated_code_is_not_analyzed() => Common.NotInGeneratedCode(Violation);

    [Fact]
    public Task EditorConfig_severity_applies() => Common.EditorConfig(Violation, "DT0004", DiagnosticSeverity.Warning, Expected());
}
