using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Dicom.Typed.Analyzers.Tests;

/// <summary>DT0002: a fixed value overwritten with a different constant (SyngoCtImage: Modality "CT", Bits Allocated 16).</summary>
public class Dt0002Tests
{
    internal const string Violation = """
        using Dicom.Typed.Devices.SiemensSyngoCtVa50a;
        class C
        {
            void M(SyngoCtImage image)
            {
                var ds = image.ToDataset();
                ds.AddOrUpdate(DicomTag.Modality, {|#0:"MR"|});
            }
        }
        """;

    private static DiagnosticResult Modality(string written) => new DiagnosticResult(Descriptors.FixedValue).WithLocation(0)
        .WithArguments("Modality", "(0008,0060)", "CT", "SyngoCtImage", written);

    [Fact]
    public Task Fires_when_the_raw_data_set_overwrites_Modality() => AnalyzerTest.Run(Violation, Modality("MR"));

    [Fact]
    public Task Fires_on_a_numeric_fixed_value_with_an_explicit_VR() => AnalyzerTest.Run("""
        using Dicom.Typed.Devices.SiemensSyngoCtVa50a;
        class C
        {
            void M(SyngoCtImage image) => image.ToDataset().AddOrUpdate(DicomTag.BitsAllocated, DicomVR.US, {|#0:"12"|});
        }
        """, new DiagnosticResult(Descriptors.FixedValue).WithLocation(0).WithArguments("BitsAllocated", "(0028,0100)", "16", "SyngoCtImage", "12"));

    [Fact]
    public Task Does_not_fire_on_the_fixed_value_or_elsewhere() => AnalyzerTest.Run("""
        using Dicom.Typed.Devices.SiemensSyngoCtVa50a;
        class C
        {
            void M(SyngoCtImage image, string runtime)
            {
                var ds = image.ToDataset();
                ds.AddOrUpdate(DicomTag.Modality, "CT");
                ds.AddOrUpdate(DicomTag.BitsAllocated, DicomVR.US, "16");
                ds.AddOrUpdate(DicomTag.Modality, runtime);
                new DicomDataset().AddOrUpdate(DicomTag.Modality, "MR");
            }
        }
        """);

    [Fact]
    public Task Generated_code_is_not_analyzed() => Common.NotInGeneratedCode(Violation);

    [Fact]
    public Task EditorConfig_severity_applies() => Common.EditorConfig(Violation, "DT0002", DiagnosticSeverity.Warning, Modality("MR"));
}
