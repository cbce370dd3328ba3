using System.Text.RegularExpressions;

namespace Dicom.Typed.Definitions.Tests;

/// <summary>SR templates (TID trees) of syngo CT VA50A, Tables 132–140, checked against the statement text by line number.</summary>
public class SrTemplateTests
{
    private const string Syngo = "siemens-syngo-ct-va50a";

    private static SrTemplateFile Templates(string device) =>
        DefinitionsJson.Load<SrTemplateFile>(Path.Combine(Repo.Definitions, device, "sr-templates.json"));

    private static string[] Statement(string device) => File.ReadAllLines(Path.Combine(Repo.Definitions, device, "statement.txt"));

    private static string Joined(string[] lines, Provenance p) =>
        Regex.Replace(string.Join(" ", lines[(p.Lines[0] - 1)..p.Lines[1]]), @"\s+", " ").Trim();

    private static SrTemplateRow RowAt(SrTemplateFile f, string table, int line) =>
        f.Templates.SelectMany(t => t.Rows).Single(r => r.Provenance.Table == table && r.Provenance.Lines[0] == line);

    [Fact]
    public void Dose_report_root_is_the_X_ray_radiation_dose_report_container()
    {
        var f = Templates(Syngo);
        var lines = Statement(Syngo);
        Assert.Equal("10011", f.Root);
        var tid = f.Templates.Single(t => t.Tid == "10011");
        var root = tid.Rows[0];
        Assert.Equal(0, root.NestingLevel);
        Assert.Null(root.RelationshipType);
        Assert.Equal("CONTAINER", root.ValueType);
        Assert.Equal("X-Ray Radiation Dose Report", root.ConceptText);
        Assert.Equal(("113701", "DCM", "X-Ray Radiation Dose Report"), (root.Concept!.Value, root.Concept.Scheme, root.Concept.Meaning));
        Assert.Equal(("1", "ALWAYS", "Root node"), (root.Vm, root.Presence, root.Constraint));
        Assert.Equal([11887, 11891], root.Provenance.Lines);
        // the concept cell is wrapped over two lines of the statement
        Assert.Equal("X-Ray Radiation", lines[11888 - 1].Trim());
        Assert.Equal("Dose Report", lines[11889 - 1].Trim());
        Assert.Equal(["1002", "10012", "10013"], tid.Includes);
        Assert.Equal(11, tid.Rows.Count);
    }

    [Fact]
    public void Wrapped_cells_are_joined_in_column_order()
    {
        var f = Templates(Syngo);
        var lines = Statement(Syngo);
        // Table 132 L11918–11928: "> / HAS OBS / CONTEXT / DATETIME / Start of X-Ray / Irradiation / 1 ALWAYS / First Acquisition / Date/Time in study"
        var start = RowAt(f, "Table 132", 11918);
        Assert.Equal((1, "HAS OBS CONTEXT", "DATETIME", "Start of X-Ray Irradiation"), (start.NestingLevel!.Value, start.RelationshipType, start.ValueType, start.ConceptText));
        Assert.Equal("First Acquisition Date/Time in study", start.Constraint);
        Assert.Equal("Date/Time in study", lines[11928 - 1].Trim());
        // Table 139 L12476–12483: a private code triple wrapped over three lines after a blank line
        var physician = RowAt(f, "Table 139", 12476);
        Assert.Equal("EV(102, 99CT_SOMX, “Performing Physician Name”)", physician.ConceptText);
        Assert.Equal((2, "CONTAINS", "TEXT", "1", "ALWAYS"), (physician.NestingLevel!.Value, physician.RelationshipType, physician.ValueType, physician.Vm, physician.Presence));
        // units wrapped over two lines (L12682–12683)
        var exposure = RowAt(f, "Table 139", 12677);
        Assert.Equal(("s", "UCUM", "s"), (exposure.Units!.Value, exposure.Units.Scheme, exposure.Units.Meaning));
        Assert.Equal(("113824", "DCM", "Exposure Time"), (exposure.Concept!.Value, exposure.Concept.Scheme, exposure.Concept.Meaning));
        // every row: concept, VM and value appear in this order in the row's own lines, and the NL cell matches its first line
        foreach (var r in f.Templates.SelectMany(t => t.Rows))
        {
            var text = Joined(lines, r.Provenance);
            int c = text.IndexOf(r.ConceptText, StringComparison.Ordinal);
            Assert.True(c >= 0, $"L{r.Provenance.Lines[0]}: concept '{r.ConceptText}' not in '{text}'");
            var vmCell = string.Join(" ", new[] { r.Vm, r.Presence }.Where(x => !string.IsNullOrEmpty(x)));
            int v = text.IndexOf(" " + vmCell, c + r.ConceptText.Length, StringComparison.Ordinal);
            Assert.True(v >= 0, $"L{r.Provenance.Lines[0]}: VM/presence '{r.Vm} {r.Presence}' not after the concept in '{text}'");
            if (r.Constraint is { } k)
            {
                Assert.True(text.EndsWith(k, StringComparison.Ordinal), $"L{r.Provenance.Lines[0]}: value '{k}' does not end '{text}'");
            }
            var nl = Regex.Match(lines[r.Provenance.Lines[0] - 1].Trim(), "^>*").Length;
            Assert.Equal(nl, r.NestingLevel);
        }
    }

    [Fact]
    public void No_row_is_dropped_or_swallowed_by_its_neighbour()
    {
        var f = Templates(Syngo);
        var cov = DefinitionsJson.Load<CoverageFile>(Path.Combine(Repo.Definitions, Syngo, "coverage.json"));
        Assert.DoesNotContain(cov.Issues, i => i.Contains("SR row not understood", StringComparison.Ordinal));
        // a row whose start was missed would end up in the concept or value cell of the row above
        var cellOfAnotherRow = new Regex(@"\b(CONTAINS|HAS (OBS|CONCEPT|PROPERTIES)|INFERRED FROM|ALWAYS|ANAP|VNAP)\b|>");
        Assert.All(f.Templates.SelectMany(t => t.Rows), r =>
        {
            Assert.DoesNotMatch(cellOfAnotherRow, r.ConceptText);
            Assert.DoesNotMatch(cellOfAnotherRow, r.Constraint ?? "");
        });
    }

    [Fact]
    public void Row_counts_match_an_independent_count_of_VM_cells()
    {
        var f = Templates(Syngo);
        var lines = Statement(Syngo);
        var cov = DefinitionsJson.Load<CoverageFile>(Path.Combine(Repo.Definitions, Syngo, "coverage.json"));
        // every TID row has exactly one VM/presence cell: "1 ALWAYS", "1-n ANAP", a bare "1" when presence is left empty,
        // or a bare presence when the VM is left empty (L12267)
        var vmCell = new Regex(@"(?:^|\s)(?:1|1-[nN])(?:\s+(?:ALWAYS|ANAP|VNAP)\b|\s*$)|^\s*(?:ALWAYS|ANAP|VNAP)\s*$");
        var byTable = f.Templates.SelectMany(t => t.Rows).GroupBy(r => r.Provenance.Table!).ToDictionary(g => g.Key, g => g.Count());
        var srTables = cov.Tables.Where(t => t.Output == "sr-templates.json").ToList();
        Assert.Equal(Enumerable.Range(132, 9).Select(n => "Table " + n), srTables.Select(t => t.Table));
        int total = 0;
        foreach (var t in srTables)
        {
            Assert.Equal("extracted", t.Status);
            int counted = Enumerable.Range(t.Lines[0], t.Lines[1] - t.Lines[0] + 1)
                .Count(n => vmCell.IsMatch(lines[n - 1]) && !Regex.IsMatch(lines[n - 1], @"EV\s*\(|Table"));
            Assert.True(counted == byTable.GetValueOrDefault(t.Table), $"{t.Table}: {counted} VM cells in the text, {byTable.GetValueOrDefault(t.Table)} rows in sr-templates.json");
            total += counted;
        }
        Assert.Equal(140, total);
        Assert.DoesNotContain(cov.Tables, t => t.Status == "skipped" && t.Reason!.Contains("SR template", StringComparison.Ordinal));
    }

    [Fact]
    public void Private_codes_are_resolved_against_the_99CT_SOMX_table()
    {
        var f = Templates(Syngo);
        var device = DefinitionsJson.Load<DeviceDefinition>(Path.Combine(Repo.Definitions, Syngo, "device.json"));
        var scheme = device.Tables.Single(t => t.Id == "Table 141").Rows.ToDictionary(r => r.Cells[0], r => r.Cells[1]);
        var rows = f.Templates.SelectMany(t => t.Rows).Where(r => r.Concept?.Scheme == "99CT_SOMX").ToList();
        Assert.Equal(41, rows.Count); // lines 12440–13001 of the statement hold 41 occurrences of "99CT_SOMX", one per row
        foreach (var r in rows)
        {
            Assert.NotNull(r.Resolution);
            if (scheme.TryGetValue(r.Concept!.Value, out var meaning))
            {
                Assert.StartsWith("Table 141 L", r.Resolution, StringComparison.Ordinal);
                Assert.StartsWith(r.Concept.Meaning, meaning, StringComparison.Ordinal);
            }
            else
            {
                Assert.Contains("not defined", r.Resolution, StringComparison.Ordinal);
            }
        }
        // printed "Quality Reference mAs Low" (L12713–12715), Table 141 defines 205 as "Quality Reference Low" (L13116)
        var low = RowAt(f, "Table 139", 12713);
        Assert.Equal("Quality Reference Low", low.Concept!.Meaning);
        Assert.Contains("differs", low.Resolution, StringComparison.Ordinal);
        // codes the tables use but Table 141 does not define
        Assert.Equal(["111", "200", "201", "202", "203"],
            rows.Where(r => !scheme.ContainsKey(r.Concept!.Value)).Select(r => r.Concept!.Value).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Errata_apply_and_make_the_trees_well_formed()
    {
        var raw = Templates(Syngo);
        var errata = DefinitionsJson.Load<SrErrataFile>(Path.Combine(Repo.Definitions, Syngo, "sr-errata.json"));
        // the raw layer is ill-formed where the errata point (L12636 jumps from the empty NL of L12629 to >>>>>>)
        Assert.Equal(["Table 139 L12629", "Table 139 L12636", "Table 139 L12808"], Malformed(raw));
        var corrected = Templates(Syngo);
        Assert.Empty(SrErrataApplier.Apply(corrected, errata));
        Assert.Empty(Malformed(corrected));
        Assert.Equal("DCID 10021", RowAt(corrected, "Table 132", 11968).Constraint);
        Assert.Equal(6, RowAt(corrected, "Table 139", 12629).NestingLevel);
        // an erratum whose 'from' does not match is reported, not applied
        var stale = new SrErrataFile { Errata = [new SrErratum { Table = "Table 139", Line = 12808, Field = "relationshipType", From = "CONTAINER", To = "CONTAINS", Reason = "again" }] };
        Assert.Single(SrErrataApplier.Apply(corrected, stale));
    }

    /// <summary>Rows that break the tree: a relationship type that is not one, a level jump of more than one, or a level-0 row
    /// with a relationship in a template whose root has none.</summary>
    private static List<string> Malformed(SrTemplateFile f)
    {
        string[] relationships = ["CONTAINS", "HAS OBS CONTEXT", "HAS CONCEPT MOD", "HAS PROPERTIES", "HAS ACQ CONTEXT", "INFERRED FROM", "SELECTED FROM"];
        var bad = new List<string>();
        foreach (var t in f.Templates)
        {
            bool document = t.Rows[0].RelationshipType is null;
            // an included template's rows may all start below the including item (TID 1002: every row at level 1)
            int previous = t.Rows[0].NestingLevel!.Value - 1;
            foreach (var r in t.Rows)
            {
                int level = r.NestingLevel!.Value;
                if ((r.RelationshipType is { } rel && !relationships.Contains(rel)) || level > previous + 1 || (document && level == 0 && r.RelationshipType is not null))
                {
                    bad.Add($"{r.Provenance.Table} L{r.Provenance.Lines[0]}");
                }
                previous = level;
            }
        }
        return bad;
    }

    [Fact]
    public void Comprehensive_SR_is_an_explicit_assumption_not_invented_rows()
    {
        var f = Templates(Syngo);
        var lines = Statement(Syngo);
        var assumptions = f.Assumptions!;
        Assert.Contains(assumptions, a => a.Provenance.Lines[0] == 56 && lines[55].StartsWith("Comprehensive SR Storage 1.2.840.10008.5.1.4.1.1.88.33", StringComparison.Ordinal) && a.Statement == lines[55].Trim());
        Assert.Contains(assumptions, a => a.Provenance.Table == "Table 140");
        var comprehensive = f.Templates.Single(t => t.Tid == "COMPREHENSIVE");
        var exam = f.Templates.Single(t => t.Tid == "EXAMREPORT");
        Assert.Equal(3, comprehensive.Rows.Count);
        Assert.Equal(exam.Rows.Take(3).Select(r => (r.NestingLevel, r.Concept!.Value)), comprehensive.Rows.Select(r => (r.NestingLevel, r.Concept!.Value)));
        Assert.All(comprehensive.Rows, r => Assert.InRange(r.Provenance.Lines[0], 12970, 13001));
    }

    private const string Vereos = "philips-vereos-2.0";

    private static readonly string[] ValueTypes = ["CONTAINER", "CODE", "NUM", "TEXT", "UIDREF", "DATETIME", "DATE", "TIME", "PNAME", "INCLUDE", "IMAGE", "COMPOSITE"];

    [Fact]
    public void Vereos_rows_are_the_tab_rows_of_tables_325_to_332()
    {
        var f = Templates(Vereos);
        var lines = Statement(Vereos);
        var cov = DefinitionsJson.Load<CoverageFile>(Path.Combine(Repo.Definitions, Vereos, "coverage.json"));
        var srTables = cov.Tables.Where(t => t.Output == "sr-templates.json").ToList();
        Assert.Equal(Enumerable.Range(325, 8).Select(n => "Table " + n), srTables.Select(t => t.Table));
        Assert.Equal("device.json", cov.Tables.Single(t => t.Table == "Table 324").Output);
        // independent count: TAB lines whose first cell is empty or a run of '>' (the header starts with "NL")
        int counted = srTables.Sum(t => Enumerable.Range(t.Lines[0], t.Lines[1] - t.Lines[0] + 1).Count(n => Regex.IsMatch(lines[n - 1], "^>*\t")));
        Assert.Equal(67, counted);
        Assert.Equal(counted, f.Templates.Sum(t => t.Rows.Count));
        foreach (var r in f.Templates.SelectMany(t => t.Rows))
        {
            var cells = lines[r.Provenance.Lines[0] - 1].Split('\t');
            Assert.Equal(cells[0].Trim().Length, r.NestingLevel);
            Assert.Equal(cells[2].Trim(), r.ConceptText);
            Assert.Equal(cells[3].Trim(), r.ValueType);
        }
        var root = f.Templates.Single(t => t.Tid == "10011").Rows[0];
        Assert.Equal((0, "X-Ray Radiation Dose Report", "1", "ALWAYS"), (root.NestingLevel!.Value, root.ConceptText, root.Vm, root.Presence));
        Assert.Equal([6377, 6377], root.Provenance.Lines);
        // the template tree is closed: every INCLUDE names a template printed in the same statement
        var tids = f.Templates.Select(t => t.Tid).ToHashSet();
        Assert.Equal(["10011", "10012", "10013", "1002", "1004", "1020", "10014", "10015"], f.Templates.Select(t => t.Tid));
        Assert.All(f.Templates.SelectMany(t => t.Includes), i => Assert.Contains(i, tids));
        Assert.Equal(["10014", "10015"], f.Templates.Single(t => t.Tid == "10013").Includes);
    }

    [Fact]
    public void Vereos_errata_fix_the_printed_value_types()
    {
        var raw = Templates(Vereos);
        List<int> Invalid(SrTemplateFile f) => f.Templates.SelectMany(t => t.Rows).Where(r => !ValueTypes.Contains(r.ValueType)).Select(r => r.Provenance.Lines[0]).ToList();
        Assert.Equal([6377, 6381, 6382, 6396, 6397], Invalid(raw));
        var errata = DefinitionsJson.Load<SrErrataFile>(Path.Combine(Repo.Definitions, Vereos, "sr-errata.json"));
        Assert.Empty(SrErrataApplier.Apply(raw, errata));
        Assert.Empty(Invalid(raw));
        Assert.Equal("CONTAINER", raw.Templates[0].Rows[0].ValueType);
        // syngo prints every value type correctly
        Assert.Empty(Invalid(Templates(Syngo)));
    }
}
