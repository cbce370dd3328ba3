using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Dicom.Typed.Analyzers.Tests;

/// <summary>
/// Raising a warning rule to an error through .editorconfig, in a real workspace project (the testing library reports
/// the severity before the options are applied, so this is checked on the compiler's own result).
/// </summary>
public class EscalationTests
{
    private static async Task<IReadOnlyList<Diagnostic>> Analyze(string source, string editorConfig)
    {
        using var workspace = new AdhocWorkspace();
        var id = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution
            .AddProject(id, "P", "P", LanguageNames.CSharp)
            .WithProjectCompilationOptions(id, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable))
            .WithProjectParseOptions(id, new CSharpParseOptions(LanguageVersion.Latest))
            .AddMetadataReferences(id, AnalyzerTestSetup.AllReferences)
            .AddDocument(DocumentId.CreateNewId(id), "Test0.cs", SourceText.From(AnalyzerTestSetup.Usings + Common.Plain(source)), filePath: "/src/Test0.cs")
            .AddAnalyzerConfigDocument(DocumentId.CreateNewId(id), ".editorconfig", SourceText.From("root = true\n\n[*.cs]\n" + editorConfig + "\n"), filePath: "/src/.editorconfig");
        var project = solution.GetProject(id)!;
        var compilation = (await project.GetCompilationAsync())!;
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS9035"));
        var diagnostics = await compilation.WithAnalyzers([new DicomTypedAnalyzer()], project.AnalyzerOptions).GetAllDiagnosticsAsync();
        return [.. diagnostics.Where(d => d.Id.StartsWith("DT", StringComparison.Ordinal))];
    }

    [Theory]
    [InlineData("DT0003")]
    [InlineData("DT0005")]
    [InlineData("DT0007")]
    [InlineData("DT0008")]
    public async Task Warning_rules_become_errors(string id)
    {
        string source = id switch
        {
            "DT0003" => Dt0003Tests.Violation,
            "DT0005" => Dt0005Tests.Violation,
            "DT0007" => Dt0007Tests.ViolationSource(),
            _ => Dt0008Tests.Violation,
        };
        var asDefault = await Analyze(source, "");
        Assert.NotEmpty(asDefault);
        Assert.All(asDefault, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        var raised = await Analyze(source, $"dotnet_diagnostic.{id}.severity = error");
        Assert.Equal(asDefault.Count, raised.Count);
        Assert.All(raised, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
    }

    [Fact]
    public async Task Error_rule_can_be_silenced_per_folder()
    {
        Assert.NotEmpty(await Analyze(Dt0004Tests.Violation, ""));
        Assert.Empty(await Analyze(Dt0004Tests.Violation, "dotnet_diagnostic.DT0004.severity = none"));
    }
}
