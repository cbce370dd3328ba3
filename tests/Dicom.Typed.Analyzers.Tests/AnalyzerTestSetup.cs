using System.Collections.Immutable;
using System.Reflection;
using Dicom.Typed.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Dicom.Typed.Analyzers.Tests;

/// <summary>
/// The compilation every analyzer test runs in: the ref pack of the running SDK (no package download) plus the real
/// Dicom.Typed and Dicom.Typed.Devices assemblies, so the analyzers read the metadata attributes across assemblies.
/// </summary>
internal static class AnalyzerTestSetup
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using Dicom.Typed;
        using Dicom.Typed.Iod;

        """;

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var dir = Metadata("NetCoreRefPackDir");
        var list = Directory.GetFiles(dir, "*.dll").Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToList();
        Assert.True(list.Count > 100, "reference pack not found in " + dir);
        list.Add(MetadataReference.CreateFromFile(typeof(DicomDataset).Assembly.Location));
        list.Add(MetadataReference.CreateFromFile(typeof(Dicom.Typed.Devices.SiemensSyngoCtVa50a.SyngoCtImage).Assembly.Location));
        // The typed clients bound to generated peers (DicomDeviceStorageScu<SyngoCtStorageScp>) and what their signatures use.
        list.Add(MetadataReference.CreateFromFile(typeof(Dicom.Typed.Network.Definitions.DicomDeviceStorageScu<>).Assembly.Location));
        list.Add(MetadataReference.CreateFromFile(typeof(Dicom.Typed.Network.DicomClientOptions).Assembly.Location));
        list.Add(MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location));
        return [.. list];
    });

    /// <summary>The ref pack and the Dicom.Typed assemblies.</summary>
    public static ImmutableArray<MetadataReference> AllReferences => References.Value;

    public static string Metadata(string key) =>
        typeof(AnalyzerTestSetup).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string RepoRoot => Metadata("RepoRoot");

    public static void Configure(SolutionState state, List<Func<Solution, ProjectId, Solution>> transforms, List<Project> seen)
    {
        state.AdditionalReferences.AddRange(References.Value);
        transforms.Add((solution, id) =>
        {
            var project = solution.GetProject(id)!;
            var options = ((CSharpCompilationOptions)project.CompilationOptions!).WithNullableContextOptions(NullableContextOptions.Enable);
            var parse = ((CSharpParseOptions)project.ParseOptions!).WithLanguageVersion(LanguageVersion.Latest);
            solution = solution.WithProjectCompilationOptions(id, options).WithProjectParseOptions(id, parse);
            lock (seen) seen.Add(solution.GetProject(id)!);
            return solution;
        });
    }

    /// <summary>
    /// The test sources build typed IODs with only the members under test, so the compiler's CS9035 (required member
    /// not set) is expected; every other compiler error fails the test (the framework's own compiler check is off
    /// because errors cannot be suppressed).
    /// </summary>
    public static async Task AssertCompiles(IEnumerable<Project> projects)
    {
        int checkedProjects = 0;
        foreach (var project in projects.ToList())
        {
            var compilation = await project.GetCompilationAsync();
            var errors = compilation!.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS9035").ToList();
            Assert.True(errors.Count == 0, "test source does not compile:\n" + string.Join("\n", errors));
            checkedProjects++;
        }
        Assert.True(checkedProjects > 0);
    }

    /// <summary>No reference package: the references come from <see cref="References"/>.</summary>
    public static readonly ReferenceAssemblies NoPackages = new("net10.0");
}

/// <summary>Analyzer-only test of <see cref="DicomTypedAnalyzer"/> against the real typed IODs.</summary>
public sealed class AnalyzerTest : CSharpAnalyzerTest<DicomTypedAnalyzer, DefaultVerifier>
{
    public AnalyzerTest(string source, params DiagnosticResult[] expected)
    {
        ReferenceAssemblies = AnalyzerTestSetup.NoPackages;
        AnalyzerTestSetup.Configure(TestState, SolutionTransforms, _projects);
        TestCode = AnalyzerTestSetup.Usings + source;
        ExpectedDiagnostics.AddRange(expected);
        CompilerDiagnostics = CompilerDiagnostics.None;
    }

    private readonly List<Project> _projects = [];

    /// <summary>Runs the analyzer test, then checks that the sources compile (but for CS9035).</summary>
    public async Task VerifyAsync(CancellationToken cancellationToken = default)
    {
        await base.RunAsync(cancellationToken);
        await AnalyzerTestSetup.AssertCompiles(_projects);
    }

    /// <summary>Adds an .editorconfig for all C# files.</summary>
    public AnalyzerTest WithEditorConfig(string body)
    {
        TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + body + "\n"));
        return this;
    }

    /// <summary>Adds a further source file.</summary>
    public AnalyzerTest WithSource(string name, string text)
    {
        TestState.Sources.Add((name, text));
        return this;
    }

    public static Task Run(string source, params DiagnosticResult[] expected) => new AnalyzerTest(source, expected).VerifyAsync();
}

/// <summary>Code-fix test (single fix, then fix-all in document, project and solution scope).</summary>
public sealed class FixTest<TFix> : CSharpCodeFixTest<DicomTypedAnalyzer, TFix, DefaultVerifier>
    where TFix : CodeFixProvider, new()
{
    public FixTest(string source, string fixedSource)
    {
        ReferenceAssemblies = AnalyzerTestSetup.NoPackages;
        AnalyzerTestSetup.Configure(TestState, SolutionTransforms, _projects);
        TestCode = AnalyzerTestSetup.Usings + source;
        FixedCode = AnalyzerTestSetup.Usings + fixedSource;
        CompilerDiagnostics = CompilerDiagnostics.None;
    }

    private readonly List<Project> _projects = [];

    /// <summary>Runs the fix test (single fixes and fix-all), then checks that before and after compile (but for CS9035).</summary>
    public async Task VerifyAsync(CancellationToken cancellationToken = default)
    {
        await base.RunAsync(cancellationToken);
        await AnalyzerTestSetup.AssertCompiles(_projects);
    }
}

internal static class Dt
{
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor d) => new(d);
}

/// <summary>Shared checks every rule class runs: generated code is not analyzed, and .editorconfig severities apply.</summary>
internal static class Common
{
    /// <summary>The source without test markup (<c>{|#0:</c> … <c>|}</c>).</summary>
    public static string Plain(string markup) => System.Text.RegularExpressions.Regex.Replace(markup, @"\{\|(#\d+|DT\d{4}):|\|\}", "");

    /// <summary>The violating code in a file named *.g.cs and in a file with an &lt;auto-generated&gt; header: no diagnostic.</summary>
    public static async Task NotInGeneratedCode(string markup)
    {
        string plain = AnalyzerTestSetup.Usings + Plain(markup).Replace("class C", "class G1");
        await new AnalyzerTest("class Empty { }").WithSource("/0/Generated.g.cs", plain).VerifyAsync();
        string header = "// <auto-generated/>\n" + AnalyzerTestSetup.Usings + Plain(markup).Replace("class C", "class G2");
        await new AnalyzerTest("class Empty { }").WithSource("/0/Tool.cs", header).VerifyAsync();
    }

    /// <summary><c>severity = none</c> silences the rule; another severity changes the reported one.</summary>
    public static async Task EditorConfig(string markup, string id, Microsoft.CodeAnalysis.DiagnosticSeverity other, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected)
    {
        await new AnalyzerTest(Plain(markup)).WithEditorConfig($"dotnet_diagnostic.{id}.severity = none").VerifyAsync();
        string word = other switch
        {
            Microsoft.CodeAnalysis.DiagnosticSeverity.Error => "error",
            Microsoft.CodeAnalysis.DiagnosticSeverity.Warning => "warning",
            _ => "suggestion",
        };
        await new AnalyzerTest(markup, [.. expected.Select(e => e.WithSeverity(other))]).WithEditorConfig($"dotnet_diagnostic.{id}.severity = {word}").VerifyAsync();
    }
}
