namespace Dicom.Typed.Definitions.Tests;

/// <summary>
/// Every code the SR errata add (concept names, coded values, NUM units) is checked against Data/ps316-sr-errata-codes.csv,
/// a list derived from looking each one up (PS3.16 text, and dictionaries generated from PS3.16: pydicom's concepts
/// dictionary and DCMTK's dcm.h; the file's header names each source and commit). A code whose value or meaning drifts
/// from the looked-up one fails here, and so does a units erratum whose unit does not belong to the row's concept.
/// </summary>
public sealed class SrErrataPs316ReferenceTests
{
    private static readonly string[] Devices = ["siemens-syngo-ct-va50a", "philips-vereos-2.0", "shimadzu-trinias"];

    private sealed record Reference(string Kind, string Scheme, string Value, string Meaning, string Concept, string Where, string Sources, string Status);

    private static List<Reference> LoadReferences()
    {
        var path = Path.Combine(Repo.Root, "tests", "Dicom.Typed.Definitions.Tests", "Data", "ps316-sr-errata-codes.csv");
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Equal("kind,scheme,value,meaning,concept,where,sources,status", lines[0]);
        return lines.Skip(1).Select(l =>
        {
            var f = SplitCsv(l);
            Assert.True(f.Count == 8, $"not 8 fields: {l}");
            return new Reference(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]);
        }).ToList();
    }

    /// <summary>RFC 4180 fields: quoted fields may hold commas and doubled quotes.</summary>
    private static List<string> SplitCsv(string line)
    {
        var fields = new List<string>();
        var sb = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { sb.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else sb.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(sb.ToString()); sb.Clear(); }
            else sb.Append(c);
        }
        fields.Add(sb.ToString());
        return fields;
    }

    /// <summary>The code errata (concept/value) and units errata of all devices, with the concept of the row a units erratum applies to.</summary>
    private static List<(string Device, SrErratum Erratum, CodeTriple Code, string? RowConcept)> CodeErrata()
    {
        var list = new List<(string, SrErratum, CodeTriple, string?)>();
        foreach (var device in Devices)
        {
            var f = DefinitionsJson.Load<SrTemplateFile>(Path.Combine(Repo.Definitions, device, "sr-templates.json"));
            var errata = DefinitionsJson.Load<SrErrataFile>(Path.Combine(Repo.Definitions, device, "sr-errata.json"));
            Assert.Empty(SrErrataApplier.Apply(f, errata));
            var rows = f.Templates.SelectMany(t => t.Rows).ToDictionary(r => (r.Provenance.Table, r.Provenance.Lines[0]));
            foreach (var e in errata.Errata.Where(e => e.Field is "concept" or "value" or "units" && e.To is not null))
            {
                var code = SrErrataApplier.ParseCode(e.To!);
                Assert.True(code is not null, $"{device} {e.Table} L{e.Line}: '{e.To}' is not a code");
                string? concept = null;
                if (e.Field == "units")
                {
                    Assert.True(rows.TryGetValue((e.Table, e.Line), out var row), $"{device} {e.Table} L{e.Line}: no row");
                    concept = row!.Concept?.Value;
                }
                list.Add((device, e, code!, concept));
            }
        }
        return list;
    }

    [Fact]
    public void Every_code_an_erratum_adds_has_the_looked_up_meaning()
    {
        var refs = LoadReferences().Where(r => r.Kind == "code").ToDictionary(r => (r.Scheme, r.Value));
        var checkedCodes = 0;
        foreach (var (device, e, code, _) in CodeErrata().Where(x => x.Erratum.Field != "units"))
        {
            Assert.True(refs.TryGetValue((code.Scheme, code.Value), out var r), $"{device} {e.Table} L{e.Line}: ({code.Value}, {code.Scheme}) is not in the looked-up list");
            Assert.True(r!.Meaning == code.Meaning, $"{device} {e.Table} L{e.Line}: meaning \"{code.Meaning}\" but PS3.16 has \"{r.Meaning}\" ({r.Sources})");
            // a DCM code is checked against dictionaries generated from PS3.16 itself, never a secondary source
            if (code.Scheme == "DCM") Assert.Equal("ps3.16", r.Status);
            checkedCodes++;
        }
        Assert.Equal(129, checkedCodes);
    }

    [Fact]
    public void Every_unit_an_erratum_adds_is_the_looked_up_unit_of_its_rows_concept()
    {
        var refs = LoadReferences().Where(r => r.Kind == "units").ToDictionary(r => (r.Concept, r.Value));
        var checkedUnits = 0;
        foreach (var (device, e, code, concept) in CodeErrata().Where(x => x.Erratum.Field == "units"))
        {
            Assert.Equal("UCUM", code.Scheme);
            Assert.True(concept is not null, $"{device} {e.Table} L{e.Line}: units on a row without a concept");
            Assert.True(refs.TryGetValue((concept!, code.Value), out var r), $"{device} {e.Table} L{e.Line}: unit {code.Value} is not the looked-up unit of concept {concept}");
            Assert.True(r!.Meaning == code.Meaning, $"{device} {e.Table} L{e.Line}: unit meaning \"{code.Meaning}\" but the looked-up one is \"{r.Meaning}\"");
            checkedUnits++;
        }
        Assert.Equal(50, checkedUnits);
    }

    [Fact]
    public void The_list_has_no_stale_rows_and_names_what_PS3_16_text_did_not_confirm()
    {
        var refs = LoadReferences();
        var used = CodeErrata().Select(x => x.Erratum.Field == "units" ? ("units", x.Code.Value, x.RowConcept!) : ("code", x.Code.Value, "")).ToHashSet();
        foreach (var r in refs)
        {
            Assert.Contains((r.Kind, r.Value, r.Concept), used);
            Assert.Contains(r.Status, new[] { "ps3.16", "secondary", "statement", "private" });
            Assert.False(string.IsNullOrWhiteSpace(r.Sources), $"{r.Scheme} {r.Value}: no source");
        }
        Assert.Equal(106, refs.Count);
        // what was not seen in PS3.16 text or a dictionary generated from it: kept visible here rather than claimed
        Assert.Equal(
            ["code 99CT_SOMX 111", "code SCT 363703001", "code SCT 77477000"],
            refs.Where(r => r.Kind == "code" && r.Status != "ps3.16").Select(r => $"code {r.Scheme} {r.Value}").Order(StringComparer.Ordinal));
        Assert.Equal(
            ["113754 deg", "113755 deg", "113756 deg", "113790 m2", "113980 cm"],
            refs.Where(r => r.Kind == "units" && r.Status == "statement").Select(r => $"{r.Concept} {r.Value}").Order(StringComparer.Ordinal));
    }
}
