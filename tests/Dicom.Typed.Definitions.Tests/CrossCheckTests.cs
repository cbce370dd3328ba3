using System.Text;

namespace Dicom.Typed.Definitions.Tests;

/// <summary>Every attribute row against the standard dictionary; every mismatch must be corrected in errata.json or listed in
/// findings.md (a line mentioning both `L&lt;line&gt;` and the tag).</summary>
public class CrossCheckTests
{
    public sealed record Mismatch(string Table, int Line, string Tag, string Field, string Detail);

    public static List<Mismatch> Check(string device)
    {
        var list = new List<Mismatch>();
        foreach (var iod in Repo.Iods(device))
        {
            foreach (var m in iod.Modules)
            {
                foreach (var a in Repo.Walk(m.Attributes))
                {
                    if (StandardDictionary.IsPrivate(a.Tag) || a.Tag.EndsWith(",0000", StringComparison.Ordinal))
                    {
                        continue;
                    }
                    var p = a.Provenance;
                    var std = Repo.Dictionary.Find(a.Tag);
                    if (std is null)
                    {
                        list.Add(new(p.Table!, p.Lines[0], a.Tag, "tag", $"tag {a.Tag} ({a.Name}) not in the standard dictionary"));
                        continue;
                    }
                    var vrs = a.Vr.Split('/', StringSplitOptions.RemoveEmptyEntries);
                    if (vrs.Length == 0 || vrs.Any(v => !std.Vrs.Contains(v)))
                    {
                        list.Add(new(p.Table!, p.Lines[0], a.Tag, "vr", $"VR '{a.Vr}' not among {string.Join("/", std.Vrs)} for {a.Tag} {std.Name}"));
                    }
                    if (Norm(a.Name) != Norm(std.Name) && Norm(a.Name) != Norm(std.Keyword))
                    {
                        list.Add(new(p.Table!, p.Lines[0], a.Tag, "name", $"name '{a.Name}' vs standard '{std.Name}'"));
                    }
                }
            }
        }
        // grids (MWL/QR keys, MPPS tables) with a Tag column and an Attribute Name column
        var dev = DefinitionsJson.Load<DeviceDefinition>(Path.Combine(Repo.Definitions, device, "device.json"));
        foreach (var t in dev.Tables)
        {
            int tagCol = t.Header.FindIndex(h => h.Equals("Tag", StringComparison.OrdinalIgnoreCase));
            int nameCol = t.Header.FindIndex(h => h.StartsWith("Attribute Name", StringComparison.OrdinalIgnoreCase));
            int vrCol = t.Header.FindIndex(h => h == "VR");
            if (tagCol < 0 || nameCol < 0)
            {
                continue;
            }
            foreach (var r in t.Rows)
            {
                var tag = tagCol < r.Cells.Count ? Dicom.Typed.Definitions.Extractor.Parsing.Vocabulary.Tag(r.Cells[tagCol]) : null;
                if (tag is null || StandardDictionary.IsPrivate(tag))
                {
                    continue;
                }
                var std = Repo.Dictionary.Find(tag);
                int line = r.Provenance.Lines[0];
                var name = nameCol < r.Cells.Count ? r.Cells[nameCol].TrimStart('>', ' ').TrimEnd('*') : "";
                if (std is null)
                {
                    list.Add(new(t.Id, line, tag, "tag", $"tag {tag} ({name}) not in the standard dictionary"));
                    continue;
                }
                if (vrCol >= 0 && vrCol < r.Cells.Count && !std.Vrs.Contains(r.Cells[vrCol].Replace(" ", "")))
                {
                    list.Add(new(t.Id, line, tag, "vr", $"VR '{r.Cells[vrCol]}' not among {string.Join("/", std.Vrs)} for {tag} {std.Name}"));
                }
                if (Norm(name) != Norm(std.Name) && Norm(name) != Norm(std.Keyword))
                {
                    list.Add(new(t.Id, line, tag, "name", $"name '{name}' vs standard '{std.Name}'"));
                }
            }
        }
        return list;
    }

    private static string Norm(string s) => new(s.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());

    [Theory]
    [MemberData(nameof(Repo.DeviceData), MemberType = typeof(Repo))]
    public void Every_mismatch_is_accounted_for(string device)
    {
        var errata = Repo.Errata(device).Errata;
        var findings = Repo.Findings(device).Split('\n');
        var open = new StringBuilder();
        foreach (var m in Check(device))
        {
            bool inErrata = errata.Any(e => e.Table == m.Table && e.Line == m.Line && e.Tag == m.Tag && (e.Field == m.Field || e.Field == "drop"));
            bool inFindings = m.Tag.Length > 0 && findings.Any(l => l.Contains($"L{m.Line}", StringComparison.Ordinal) && l.Contains(m.Tag, StringComparison.Ordinal));
            if (!inErrata && !inFindings)
            {
                open.AppendLine($"| L{m.Line} | {m.Tag} | {m.Table} | {m.Field} | {m.Detail} |");
            }
        }
        Assert.True(open.Length == 0, $"{device}: dictionary mismatches neither in errata.json nor in findings.md:\n{open}");
    }

    [Theory]
    [MemberData(nameof(Repo.DeviceData), MemberType = typeof(Repo))]
    public void Every_erratum_points_at_a_raw_row(string device)
    {
        var rows = new HashSet<(string, int, string)>();
        foreach (var iod in Repo.Iods(device))
        {
            foreach (var m in iod.Modules)
            {
                foreach (var a in Repo.Walk(m.Attributes))
                {
                    rows.Add((a.Provenance.Table!, a.Provenance.Lines[0], a.Tag));
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
                    rows.Add((e.Provenance.Table!, e.Provenance.Lines[0], e.Group + "," + (e.PrintedBlock ?? "xx") + e.Element));
                }
                foreach (var r in c.Reservations)
                {
                    rows.Add((r.Provenance.Table!, r.Provenance.Lines[0], r.Group + ",00" + r.Block));
                }
            }
        }
        var dev = DefinitionsJson.Load<DeviceDefinition>(Path.Combine(Repo.Definitions, device, "device.json"));
        foreach (var pc in dev.Network?.PresentationContexts ?? [])
        {
            rows.Add((pc.Provenance.Table!, pc.Provenance.Lines[0], pc.SopClassUid)); // network errata: keyed by the printed abstract syntax UID
        }
        foreach (var t in dev.Tables)
        {
            foreach (var r in t.Rows)
            {
                var tag = r.Cells.Select(Dicom.Typed.Definitions.Extractor.Parsing.Vocabulary.Tag).FirstOrDefault(x => x is not null);
                if (tag is not null)
                {
                    rows.Add((t.Id, r.Provenance.Lines[0], tag));
                }
            }
        }
        var dangling = Repo.Errata(device).Errata.Where(e => !rows.Contains((e.Table, e.Line, e.Tag))).Select(e => $"{e.Table} L{e.Line} {e.Tag} ({e.Field})").ToList();
        Assert.True(dangling.Count == 0, "errata pointing at no raw row:\n" + string.Join("\n", dangling));
    }

    [Theory]
    [MemberData(nameof(Repo.DeviceData), MemberType = typeof(Repo))]
    public void Every_unmapped_condition_is_listed_in_findings(string device)
    {
        var findings = Repo.Findings(device);
        var open = new List<string>();
        foreach (var iod in Repo.Iods(device))
        {
            foreach (var m in iod.Modules)
            {
                if (m.Condition?.Op == "unmapped" && !findings.Contains($"L{m.Provenance.Lines[0]}", StringComparison.Ordinal))
                {
                    open.Add($"| L{m.Provenance.Lines[0]} | module {m.Name} | {m.ConditionText} |");
                }
                foreach (var a in Repo.Walk(m.Attributes).Where(a => a.Condition?.Op == "unmapped"))
                {
                    if (!findings.Contains($"L{a.Provenance.Lines[0]}", StringComparison.Ordinal))
                    {
                        open.Add($"| L{a.Provenance.Lines[0]} | {a.Tag} {a.Name} | {a.ConditionText} |");
                    }
                }
            }
        }
        Assert.True(open.Count == 0, $"{device}: unmapped conditions not in findings.md:\n" + string.Join("\n", open));
    }
}
