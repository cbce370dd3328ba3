using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Dicom.Typed.Analyzers.Tests;

/// <summary>DT0004: a Type 1 attribute set to a null or empty constant (real SyngoCtImage metadata).</summary>
public class Dt0004Tests
{
    [Fact]
    public Task Fires_on_empty_and_null_type1_constants() => AnalyzerTest.Run("""
        using Dicom.Typed.Devices.SiemensSyngoCtVa50a;
        class C
        {
            SyngoCtImage M() => new SyngoCtImage { PatientID = {|#0:""|}, StudyInstanceUID = {|#1:null!|} };
        }
        """,
        new DiagnosticResult(Descriptors.Type1Empty).WithLocation(0).WithArguments("PatientID", "(0010,0020)", "empty"),
        new DiagnosticResult(Descriptors.Type1Empty).WithLocation(1).WithArguments("StudyInstanceUID", "(0020,000D)", "null"));
}
