using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Dicom.Typed.Analyzers.Tests;

/// <summary>
/// Runs the release-tracking analyzers of Microsoft.CodeAnalysis.Analyzers (RS2000-RS2008, the package the analyzer
/// project builds with) over the analyzer sources and the AnalyzerReleases files: clean as committed, and a missing
/// row is caught, so the check really runs.
/// </summary>
public class ReleaseTrackingTests
{
    private static readonly string AnalyzerDir = Path.Combine(AnalyzerTestSetup.RepoRoot, "generators", "Dicom.Typed.Analyzers");

    private sealed class Text(string path, string content) : AdditionalText
    {
        public override string Path => path;
        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(content);
    }

    private static async Task<ImmutableArray<Diagnostic>> RunReleaseTracking(Func<string, string> unshipped)
    {
        var packageRoot = AnalyzerTestSetup.Metadata("NuGetPackageRoot");
        // The version the analyzer project builds with (central package management).
        var props = File.ReadAllText(Path.Combine(AnalyzerTestSetup.RepoRoot, "Directory.Packages.props"));
        var version = System.Text.RegularExpressions.Regex.Match(props, "Include=\"Microsoft.CodeAnalysis.Analyzers\" Version=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(version);
        var dir = Path.Combine(packageRoot, "microsoft.codeanalysis.analyzers", version, "analyzers", "dotnet", "cs");
        Assert.True(Directory.Exists(dir), "Microsoft.CodeAnalysis.Analyzers not restored: " + dir);
        var analyzers = Directory.GetFiles(dir, "*.dll")
            .SelectMany(f => new AnalyzerFileReference(f, new Loader()).GetAnalyzers(LanguageNames.CSharp))
            .ToImmutableArray();
        Assert.Contains(analyzers, a => a.SupportedDiagnostics.Any(d => d.Id == "RS2008"));

        var sources = Directory.GetFiles(AnalyzerDir, "*.cs").Concat(Directory.GetFiles(Path.Combine(AnalyzerTestSetup.RepoRoot, "generators", "Shared"), "*.cs"))
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), new CSharpParseOptions(LanguageVersion.Latest), f));
        var references = AnalyzerTestSetup.AllReferences
            .Add(MetadataReference.CreateFromFile(typeof(Compilation).Assembly.Location))
            .Add(MetadataReference.CreateFromFile(typeof(CSharpCompilation).Assembly.Location));
        var compilation = CSharpCompilation.Create("Dicom.Typed.Analyzers", sources, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var files = ImmutableArray.Create<AdditionalText>(
            new Text(Path.Combine(AnalyzerDir, "AnalyzerReleases.Shipped.md"), File.ReadAllText(Path.Combine(AnalyzerDir, "AnalyzerReleases.Shipped.md"))),
            new Text(Path.Combine(AnalyzerDir, "AnalyzerReleases.Unshipped.md"), unshipped(File.ReadAllText(Path.Combine(AnalyzerDir, "AnalyzerReleases.Unshipped.md")))));
        var all = await compilation.WithAnalyzers(analyzers, new AnalyzerOptions(files)).GetAnalyzerDiagnosticsAsync();
        return [.. all.Where(d => d.Id.StartsWith("RS2", StringComparison.Ordinal))];
    }

    private sealed class Loader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath) { }
        public System.Reflection.Assembly LoadFromPath(string fullPath) => System.Reflection.Assembly.LoadFrom(fullPath);
    }

    [Fact]
    public async Task Release_tracking_analyzers_are_clean()
    {
        var diagnostics = await RunReleaseTracking(text => text);
        Assert.True(diagnostics.IsEmpty, string.Join("\n", diagnostics));
    }

    [Fact]
    public async Task A_missing_release_row_is_reported()
    {
        var diagnostics = await RunReleaseTracking(text => string.Join("\n", text.Split('\n').Where(l => !l.StartsWith("DT0008", StringComparison.Ordinal))));
        Assert.Contains(diagnostics, d => d.GetMessage().Contains("DT0008", StringComparison.Ordinal));
    }
}
