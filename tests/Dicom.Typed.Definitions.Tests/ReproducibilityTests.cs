using System.Text;
using Dicom.Typed.Definitions.Extractor.Parsing;

namespace Dicom.Typed.Definitions.Tests;

public class ReproducibilityTests
{
    [Fact]
    public void Committed_raw_layer_equals_extractor_output()
    {
        var problems = new StringBuilder();
        foreach (var (rel, expected) in Repo.Rendered)
        {
            var path = Path.Combine(Repo.Root, rel);
            if (!File.Exists(path))
            {
                problems.AppendLine($"{rel}: missing (run: dotnet run --project src/Dicom.Typed.Definitions.Extractor -- .)");
                continue;
            }
            var actual = File.ReadAllText(path);
            if (actual != expected)
            {
                problems.AppendLine($"{rel}: differs from extractor output; {FirstDifference(actual, expected)}");
            }
        }
        // stale generated files
        foreach (var parser in Extraction.Parsers())
        {
            var files = new[] { "iods", "messages" }
                .Select(s => Path.Combine(Repo.Definitions, parser.Id, s))
                .Where(Directory.Exists)
                .SelectMany(d => Directory.GetFiles(d, "*.json"));
            foreach (var f in files)
            {
                var rel = Path.GetRelativePath(Repo.Root, f).Replace('\\', '/');
                if (!Repo.Rendered.ContainsKey(rel))
                {
                    problems.AppendLine($"{rel}: not produced by the extractor (stale)");
                }
            }
        }
        Assert.True(problems.Length == 0, "Raw layer is not reproducible:\n" + problems);
    }

    [Fact]
    public void Extraction_is_deterministic()
    {
        var again = Extraction.Render(Repo.Root);
        Assert.Equal(Repo.Rendered.Keys, again.Keys);
        foreach (var (k, v) in again)
        {
            Assert.True(v == Repo.Rendered[k], $"{k} differs between two runs");
        }
    }

    private static string FirstDifference(string actual, string expected)
    {
        var a = actual.Split('\n');
        var e = expected.Split('\n');
        for (int i = 0; i < Math.Max(a.Length, e.Length); i++)
        {
            var x = i < a.Length ? a[i] : "<eof>";
            var y = i < e.Length ? e[i] : "<eof>";
            if (x != y)
            {
                return $"first difference at line {i + 1}:\n  committed: {x}\n  extracted: {y}";
            }
        }
        return "line endings or trailing content differ";
    }
}
