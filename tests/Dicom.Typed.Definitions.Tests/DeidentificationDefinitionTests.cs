using System.Text.RegularExpressions;

namespace Dicom.Typed.Definitions.Tests;

/// <summary>The typed de-identification sections of syngo CT and Vereos against the statement text, line by line.</summary>
public class DeidentificationDefinitionTests
{
    private const string Syngo = "siemens-syngo-ct-va50a";
    private const string Vereos = "philips-vereos-2.0";

    private static DeviceDefinition Device(string id) => DefinitionsJson.Load<DeviceDefinition>(Path.Combine(Repo.Definitions, id, "device.json"));

    private static string[] Statement(string id) => File.ReadAllLines(Path.Combine(Repo.Definitions, id, "statement.txt"));

    private static string Squash(string s) => Regex.Replace(s.Replace('’', '\''), @"\s+", " ").Trim();

    /// <summary>The row's text as printed over its line range (page breaks and wrapped cells joined).</summary>
    private static string Printed(string[] lines, Provenance p) => Squash(string.Join(" ", lines[(p.Lines[0] - 1)..p.Lines[1]]));

    [Fact]
    public void Syngo_levels_and_private_policies_follow_the_prose()
    {
        var d = Device(Syngo).Deidentification!;
        var lines = Statement(Syngo);
        Assert.Equal(["Full", "Reduced", "Service"], d.Levels.Select(l => l.Name));
        Assert.Equal(["removeAll", "keepListed", "removeListed"], d.Levels.Select(l => l.PrivatePolicy));
        foreach (var l in d.Levels)
        {
            Assert.StartsWith($"• {l.Name} de-identification: ", Squash(lines[l.Provenance.Lines[0] - 1]));
            Assert.Contains("private attributes", Squash(lines[l.Provenance.Lines[0] - 1]));
        }
        Assert.Equal("keep", d.UnlistedAttributes);
        Assert.Contains("Attributes not listed in the table are not PII / PHI relevant", Printed(lines, d.UnlistedAttributesProvenance!));
        Assert.Empty(d.Options);
    }

    [Fact]
    public void Syngo_row_counts_and_every_row_is_printed_on_its_lines()
    {
        var d = Device(Syngo).Deidentification!;
        var lines = Statement(Syngo);
        Assert.Equal(272, d.StandardRows.Count);
        // every printed row start between the caption and the end of the table is one row (repeating groups included)
        int starts = Enumerable.Range(4582, 5149 - 4582 + 1).Count(n => Regex.IsMatch(lines[n - 1], @"^\s*\([0-9A-Fa-fx]{4},"));
        Assert.Equal(starts, d.StandardRows.Count);
        Assert.Equal(68, d.PrivateRows.Count);
        Assert.Equal(12, d.RawDataRows.Count);
        foreach (var r in d.StandardRows.Concat(d.RawDataRows))
        {
            string printed = Printed(lines, r.Provenance);
            Assert.Contains(r.TagRaw ?? $"({r.Tag})", printed, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(3, r.Actions.Count);
            // the Yes/No words of the three level columns, in order, follow the name
            var words = Regex.Matches(printed, @"\b(Yes|No)\b").Select(m => m.Value).ToList();
            Assert.Equal(r.Actions.Select(a => a.Text), words.TakeLast(3));
            Assert.All(r.Actions, a => Assert.Equal(a.Text == "No", a.Action == "K"));
        }
        foreach (var r in d.PrivateRows)
        {
            Assert.Contains(Squash(r.TagRaw), Printed(lines, r.Provenance));
            Assert.Equal("Table 74", r.Provenance.Table);
        }
    }

    [Theory]
    [InlineData("Table 73", 4590, "0002,0003", "Yes No No", "U", "K", "K")] // Media Storage SOP Instance UID
    [InlineData("Table 73", 5133, "FFFC,FFFC", "Yes Yes Yes", "X", "X", "X")] // Data Set Trailing Padding
    [InlineData("Table 73", 5127, "60xx,3000", "Yes Yes No", "X", "X", "K")] // Overlay Data (repeating group)
    [InlineData("§7 Raw Data", 5343, "0010,0010", "Yes Yes Yes", "D", "D", "D")] // Patient Name → Dummy name
    [InlineData("§7 Raw Data", 5356, "0020,000D", "Yes No No", "U", "K", "K")] // Study Instance UID → new ID
    public void Concrete_syngo_rows(string table, int line, string tag, string words, string full, string reduced, string service)
    {
        var d = Device(Syngo).Deidentification!;
        var lines = Statement(Syngo);
        var row = d.StandardRows.Concat(d.RawDataRows).Single(r => r.Provenance.Table == table && r.Provenance.Lines[0] == line);
        Assert.Equal(tag, row.Tag);
        Assert.Contains($"({tag.ToUpperInvariant()})", lines[line - 1].ToUpperInvariant());
        Assert.Contains(words, Printed(lines, row.Provenance));
        Assert.Equal([full, reduced, service], row.Actions.Select(a => a.Action));
    }

    [Fact]
    public void Concrete_syngo_private_rows()
    {
        var d = Device(Syngo).Deidentification!;
        var lines = Statement(Syngo);
        var csa = d.PrivateRows.Single(r => r.Creator == "SIEMENS CSA HEADER" && r.Element == "10");
        Assert.Equal("0029", csa.Group);
        Assert.Equal("Modality Image Header Info", csa.Name);
        Assert.Equal("(0029, SIEMENS CSA HEADER, 10) Modality Image Header Info Yes No No", Squash(lines[csa.Provenance.Lines[0] - 1]));
        Assert.Equal(["X", "K", "K"], csa.Actions.Select(a => a.Action));
        // no space before the element byte in the print: (0029, SIEMENS CT EXAM IMAGE,49)
        var mar = d.PrivateRows.Single(r => r.Creator == "SIEMENS CT EXAM IMAGE");
        Assert.Equal(("0029", "49"), (mar.Group, mar.Element));
        // a plain tag without a creator is kept as printed
        var multiphase = d.PrivateRows.Single(r => r.Creator is null);
        Assert.Equal(("0019", "0005", 5157), (multiphase.Group, multiphase.Element, multiphase.Provenance.Lines[0]));
        Assert.All(multiphase.Actions, a => Assert.Equal("X", a.Action));
    }

    [Fact]
    public void Syngo_raw_data_birth_date_tag_is_corrected_by_errata_not_in_the_raw_layer()
    {
        var raw = Device(Syngo).Deidentification!;
        var printed = raw.RawDataRows.Single(r => r.Provenance.Lines[0] == 5345);
        Assert.Equal("0010,0020", printed.Tag); // as printed
        Assert.Contains("(0010,0020) Patient’s Birth Date", Statement(Syngo)[5344]);
        var fixedDef = DeidentificationErrata.Apply(raw, Repo.Errata(Syngo), out var problems);
        Assert.Empty(problems);
        var row = fixedDef.RawDataRows.Single(r => r.Provenance.Lines[0] == 5345);
        Assert.Equal(("0010,0030", "0010,0020", "DA"), (row.Tag, row.TagRaw, row.Vr));
        Assert.Equal("Patient's Birth Date", Repo.Dictionary.Find(row.Tag)!.Name);
        Assert.Equal("0010,0020", raw.RawDataRows.Single(r => r.Provenance.Lines[0] == 5345).Tag); // input untouched
    }

    [Fact]
    public void Vereos_table_89_rows_with_replacement_words_and_dialog_option()
    {
        var d = Device(Vereos).Deidentification!;
        var lines = Statement(Vereos);
        Assert.Equal(66, d.StandardRows.Count);
        Assert.Empty(d.PrivateRows);
        Assert.Empty(d.RawDataRows);
        var level = Assert.Single(d.Levels);
        Assert.Equal("unspecified", level.PrivatePolicy);
        var option = Assert.Single(d.Options);
        Assert.Equal(("retainInstitutionIdentity", "113112"), (option.Name, option.StandardOptionCode));
        foreach (var r in d.StandardRows)
        {
            var cells = lines[r.Provenance.Lines[0] - 1].Split('\t');
            Assert.Equal(r.Name, cells[0]);
            Assert.Equal(r.Tag, cells[1].Replace(" ", ""));
            Assert.Equal(r.Vr, cells[2]);
            Assert.Equal(r.Replacement, cells[3]);
            string expected = cells[3] switch
            {
                "Copied from original" => "K",
                "[empty]" => "Z",
                "New created UID" => "U",
                "Replaced by new value" => "D",
                var s when s.StartsWith("[empty]", StringComparison.Ordinal) => "Z",
                var s when s.StartsWith("Initials", StringComparison.Ordinal) => "D",
                var s when s.Contains("selection in dialog", StringComparison.Ordinal) => "Z",
                var s => throw new Xunit.Sdk.XunitException($"L{r.Provenance.Lines[0]}: unexpected '{s}'"),
            };
            Assert.Equal(expected, r.Actions.Single(a => a.Option is null).Action);
        }
        var institution = d.StandardRows.Single(r => r.Tag == "0008,0080");
        Assert.Equal(2867, institution.Provenance.Lines[0]);
        Assert.Equal("K", institution.Actions.Single(a => a.Option == "retainInstitutionIdentity").Action);
        var studyId = d.StandardRows.Single(r => r.Tag == "0020,0010");
        Assert.Equal("0020, 0010", studyId.TagRaw);
    }

    [Fact]
    public void Only_devices_with_confidentiality_tables_have_a_section()
    {
        foreach (var id in Repo.DeviceIds())
        {
            bool expected = id is Syngo or Vereos;
            Assert.Equal(expected, Device(id).Deidentification is not null);
        }
    }
}
