using System.Text;
using System.Text.RegularExpressions;

namespace Dicom.Typed.Definitions.Tests;

/// <summary>Counts attribute rows in the statement text with a deliberately simple, separate counter and compares them with
/// coverage.json and with the rows actually present in the JSON outputs.</summary>
public partial class CoverageTests
{
    // a TAB-separated cell that is nothing but a tag: 0010,0010 / (0010,0010) / >(0028,6101) / 01E1,xx55 / (0029,0018): / 0054.0014
    [GeneratedRegex(@"^\s*>*\s*\(?[0-9A-Fa-f]{2}[0-9A-Fa-fxX]{2}(?:\s?,\s?|\.)[0-9A-Fa-fxX]{4}\)?:?\s*$")]
    private static partial Regex TagCell();

    [GeneratedRegex(@"^(?:.*\d)?\**Table\s?\d+\b")]
    private static partial Regex CaptionLine();

    private static string[] Lines(string device)
    {
        var text = File.ReadAllText(Path.Combine(Repo.Definitions, device, "statement.txt")).Replace("\r\n", "\n");
        if (text.EndsWith('\n'))
        {
            text = text[..^1];
        }
        return text.Split('\n');
    }

    // rows whose tag is damaged but whose second cell is a VR ("(A02)⇥AT⇥…") are attribute rows too
    [GeneratedRegex(@"^>*\(?[0-9A-Fa-f]{1,8}\)?\t[A-Z]{2}\t")]
    private static partial Regex DamagedTagRow();

    private static bool IsTagLine(string line) =>
        line.Contains('\t') && (line.Split('\t').Any(c => TagCell().IsMatch(c)) || DamagedTagRow().IsMatch(line));

    // space-separated statements (no TAB anywhere, 004): a tag token followed by a VR-like token or the end of the line
    // ("Name (0010,0010) PN …", "(0018,9346)" with the VR on the next lines), or a line opening with a creator-token private tag
    // ("(0029,SIEMENS CSA HEADER,08) …", "002B,SIEMENS SYNGO ADVANCED"); key tables: a tag followed by a DICOM type or key type
    // ("(0040,0002) 1 Yes", "(0008,0005) 1C No"), also as a dotted item path ("(0040,0275).(0040,1001) O");
    // prose such as "(0018,9361) is YES" does not count
    [GeneratedRegex(@"\(\(?\s*[0-9A-Fa-f]{2}[0-9A-Fa-fxX]{2}\s*,\s*[0-9A-Fa-fxX]{4}\s*\)(?=\s+[A-Z]{1,2}(?:/[A-Z]{2})*(?:\s|$)|\s+[“""])|(?<![a-z]\s*)\(\(?\s*[0-9A-Fa-f]{2}[0-9A-Fa-fxX]{2}\s*,\s*[0-9A-Fa-fxX]{4}\s*\)\s*$|^\s*\(?\s*[0-9A-Fa-f]{4}\s*,\s*[A-Z][A-Z0-9 ._-]*[A-Z0-9]\s*(?:,|$)|^\s*\(\s*[0-9A-Fa-f]{2}[0-9A-Fa-fxX]{2}\s*,\s*[0-9A-Fa-fxX]{4}\s*\)\s+[A-Z]|\(\s*[0-9A-Fa-f]{4}\s*,\s*[0-9A-Fa-f]{4}\s*\)(?:\.\(\s*[0-9A-Fa-f]{4}\s*,\s*[0-9A-Fa-f]{4}\s*\))?\s+(?:[123]C?|[A-Z])(?:\s|$)")]
    private static partial Regex SpaceTagRow();

    // a grid cell holding a creator-form private tag: (0019, SIEMENS CT VA0 COAD, 90)
    [GeneratedRegex(@"^\(\s*[0-9A-Fa-f]{4}\s*,\s*[A-Z][^,()]*,\s*[0-9A-Fa-f]{2}\s*\)$")]
    private static partial Regex CreatorTagCell();

    private static readonly Dictionary<string, bool> SpaceDialect = [];


    private static Func<string, bool> TagLineTest(string device)
    {
        lock (SpaceDialect)
        {
            if (!SpaceDialect.TryGetValue(device, out var space))
            {
                SpaceDialect[device] = space = !Lines(device).Any(l => l.Contains('\t'));
            }
            return space ? l => SpaceTagRow().IsMatch(l) : IsTagLine;
        }
    }

    private static CoverageFile Coverage(string device) => DefinitionsJson.Load<CoverageFile>(Path.Combine(Repo.Definitions, device, "coverage.json"));

    [Theory]
    [MemberData(nameof(Repo.DeviceData), MemberType = typeof(Repo))]
    public void Every_caption_is_accounted_for(string device)
    {
        var lines = Lines(device);
        var starts = Coverage(device).Tables.Select(t => t.Lines[0]).ToHashSet();
        var missing = new StringBuilder();
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].Contains('\t') && CaptionLine().IsMatch(lines[i].TrimStart('*', ' ')) && !starts.Contains(i + 1) && LooksLikeCaption(lines[i]))
            {
                missing.AppendLine($"{device}/statement.txt({i + 1}): caption not in coverage.json: {lines[i]}");
            }
        }
        Assert.True(missing.Length == 0, missing.ToString());
    }

    private static bool LooksLikeCaption(string line) => Regex.IsMatch(line, @"Table\s?\d+\s*:?\s+[A-Z""'(]|Table\s?\d+\s*:");

    [Theory]
    [MemberData(nameof(Repo.DeviceData), MemberType = typeof(Repo))]
    public void Every_tag_row_lies_in_a_covered_table(string device)
    {
        var lines = Lines(device);
        var cov = Coverage(device);
        var missing = new StringBuilder();
        var isTagLine = TagLineTest(device);
        for (int i = 0; i < lines.Length; i++)
        {
            if (isTagLine(lines[i]) && !cov.Tables.Any(t => t.Lines[0] <= i + 1 && i + 1 <= t.Lines[1]))
            {
                missing.AppendLine($"{device}/statement.txt({i + 1}): attribute row outside every covered table: {lines[i]}");
            }
        }
        Assert.True(missing.Length == 0, missing.ToString());
    }

    [Theory]
    [MemberData(nameof(Repo.DeviceData), MemberType = typeof(Repo))]
    public void Row_counts_match_per_table(string device)
    {
        var lines = Lines(device);
        var cov = Coverage(device);
        var inJson = JsonRows(device);
        var problems = new StringBuilder();
        var isTagLine = TagLineTest(device);
        foreach (var t in cov.Tables)
        {
            int counted = 0;
            for (int n = t.Lines[0]; n <= t.Lines[1] && n <= lines.Length; n++)
            {
                if (isTagLine(lines[n - 1]))
                {
                    counted++;
                }
            }
            if (t.Status == "skipped")
            {
                if (string.IsNullOrWhiteSpace(t.Reason))
                {
                    problems.AppendLine($"{t.Table}: skipped without reason");
                }
                continue;
            }
            if (t.Output == "sr-templates.json")
            {
                // TID rows have no tags (a value cell may cite one, e.g. "Study Instance UID (0020,000D)" L11953);
                // their rows are counted independently by SrTemplateTests.Row_counts_match_an_independent_count_of_VM_cells
                continue;
            }
            int json = inJson.TryGetValue(t.Table, out var set) ? set.Count : 0;
            if (counted != t.AttributeRows || counted != json)
            {
                problems.AppendLine($"{device} {t.Table} '{t.Title}' (lines {t.Lines[0]}-{t.Lines[1]}): text has {counted} tag rows, coverage.json says {t.AttributeRows}, JSON files hold {json}");
            }
        }
        Assert.True(problems.Length == 0, problems.ToString());
    }

    /// <summary>Distinct (table, first line) of every row with a tag in the device's JSON files.</summary>
    private static Dictionary<string, HashSet<int>> JsonRows(string device)
    {
        var map = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        void Add(Provenance p)
        {
            if (p.Table is null)
            {
                return;
            }
            if (!map.TryGetValue(p.Table, out var s))
            {
                map[p.Table] = s = [];
            }
            s.Add(p.Lines[0]);
        }
        foreach (var iod in Repo.Iods(device))
        {
            foreach (var m in iod.Modules)
            {
                foreach (var a in Repo.Walk(m.Attributes))
                {
                    Add(a.Provenance);
                }
            }
        }
        var pd = Path.Combine(Repo.Definitions, device, "private-dictionary.json");
        if (File.Exists(pd))
        {
            foreach (var c in DefinitionsJson.Load<PrivateDictionary>(pd).Creators)
            {
                foreach (var e in c.Elements)
                {
                    Add(e.Provenance);
                }
                foreach (var r in c.Reservations)
                {
                    Add(r.Provenance);
                }
            }
        }
        var dev = DefinitionsJson.Load<DeviceDefinition>(Path.Combine(Repo.Definitions, device, "device.json"));
        foreach (var t in dev.Tables)
        {
            foreach (var r in t.Rows.Where(r => r.Cells.Any(c => TagCell().IsMatch(c) || CreatorTagCell().IsMatch(c))))
            {
                Add(r.Provenance);
            }
        }
        return map;
    }
}
