using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Dicom.Typed.Analyzers.Tests;

/// <summary>
/// The descriptors against their help pages and release-tracking rows, and samples/AnalyzerSamples against the
/// "// DTnnnn" comments that say which line fires.
/// </summary>
public class SampleAndReleaseTests
{
    private static readonly ImmutableArray<DiagnosticDescriptor> All = new DicomTypedAnalyzer().SupportedDiagnostics;

    [Fact]
    public void Every_rule_DT0001_to_DT0008_is_supported()
    {
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"DT{i:0000}"), All.Select(d => d.Id).OrderBy(x => x, StringComparer.Ordinal));
    }

    [Fact]
    public void Every_descriptor_has_a_help_page_it_links_to()
    {
        foreach (var d in All)
        {
            string page = Path.Combine(AnalyzerTestSetup.RepoRoot, "docs", d.Id + ".md");
            Assert.True(File.Exists(page), "missing help page " + page);
            string text = File.ReadAllText(page);
            Assert.StartsWith("# " + d.Id + ": " + d.Title, text);
            foreach (var section in new[] { "## What it reports", "## Why", "## Example", "## How to fix", "## How to suppress" })
                Assert.Contains(section, text);
            Assert.Contains($"dotnet_diagnostic.{d.Id}.severity", text);
            Assert.Contains("| Severity | " + d.DefaultSeverity + " |", text);
            Assert.Equal(Descriptors.HelpBase + d.Id + ".md", d.HelpLinkUri);
            Assert.EndsWith("/docs/" + d.Id + ".md", d.HelpLinkUri);
        }
    }

    [Fact]
    public void Every_descriptor_has_one_release_row_with_its_category_and_severity()
    {
        var dir = Path.Combine(AnalyzerTestSetup.RepoRoot, "generators", "Dicom.Typed.Analyzers");
        var rows = File.ReadAllLines(Path.Combine(dir, "AnalyzerReleases.Unshipped.md"))
            .Concat(File.ReadAllLines(Path.Combine(dir, "AnalyzerReleases.Shipped.md")))
            .Select(l => l.Split('|').Select(c => c.Trim()).ToArray())
            .Where(c => c.Length >= 4 && Regex.IsMatch(c[0], @"^DT\d{4}$"))
            .ToList();
        foreach (var d in All)
        {
            var row = Assert.Single(rows, r => r[0] == d.Id);
            Assert.Equal(d.Category, row[1]);
            Assert.Equal(d.DefaultSeverity.ToString(), row[2]);
            Assert.Equal(d.Title.ToString(), row[3]);
        }
        Assert.Equal(All.Length, rows.Count);
    }

    [Fact]
    public async Task Analyzer_sample_fires_exactly_on_the_commented_lines()
    {
        string path = Path.Combine(AnalyzerTestSetup.RepoRoot, "samples", "AnalyzerSamples", "Samples.cs");
        string text = File.ReadAllText(path);
        var lines = text.Split('\n');
        var expected = new List<(int Line, string Id)>();
        for (int i = 0; i < lines.Length; i++)
        {
            var m = Regex.Match(lines[i], @"// (DT\d{4})(?: \(twice\))?");
            if (!m.Success || lines[i].TrimStart().StartsWith("//", StringComparison.Ordinal)) continue;
            expected.Add((i + 1, m.Groups[1].Value));
            if (lines[i].Contains("(twice)")) expected.Add((i + 1, m.Groups[1].Value));
        }
        Assert.Equal(8, expected.Select(e => e.Id).Distinct().Count());

        var tree = CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest), path);
        var globalUsings = CSharpSyntaxTree.ParseText("global using System; global using System.Collections.Generic; global using System.Threading; global using System.Threading.Tasks;", new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("AnalyzerSamples", [tree, globalUsings], AnalyzerTestSetup.AllReferences,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var diagnostics = await compilation.WithAnalyzers([new DicomTypedAnalyzer()]).GetAnalyzerDiagnosticsAsync();
        var actual = diagnostics.Select(d => (d.Location.GetLineSpan().StartLinePosition.Line + 1, d.Id)).ToList();
        Assert.Equal(expected.OrderBy(e => e.Line).ThenBy(e => e.Id), actual.OrderBy(e => e.Item1).ThenBy(e => e.Item2));
    }
}
