namespace Dicom.Typed.Definitions.Tests;

/// <summary>
/// SR errata that complete what the statements print (codes for meaning-only rows, units, fixed values, nesting levels and
/// relationships where no column is printed, template ids): they all apply with the runtime <see cref="SrErrataApplier"/>,
/// every standard code they add cites PS3.16, and after them every row that can be modelled has its code.
/// </summary>
public sealed class SrErrataCodeTests
{
    private static SrTemplateFile Corrected(string device, out List<string> problems, out SrErrataFile errata)
    {
        var f = DefinitionsJson.Load<SrTemplateFile>(Path.Combine(Repo.Definitions, device, "sr-templates.json"));
        errata = DefinitionsJson.Load<SrErrataFile>(Path.Combine(Repo.Definitions, device, "sr-errata.json"));
        problems = SrErrataApplier.Apply(f, errata);
        return f;
    }

    [Theory]
    [InlineData("siemens-syngo-ct-va50a", new[] { "Table 135 L12234", "Table 135 L12243", "Table 135 L12254" })]
    [InlineData("philips-vereos-2.0", new string[0])]
    [InlineData("shimadzu-trinias", new string[0])]
    public void Errata_apply_and_leave_only_the_rows_no_source_gives_a_code_for(string device, string[] withoutCode)
    {
        var f = Corrected(device, out var problems, out var errata);
        Assert.Empty(problems);
        var rows = f.Templates.SelectMany(t => t.Rows).ToList();
        Assert.Equal(withoutCode, rows.Where(r => r.ValueType is not ("INCLUDE" or "IMAGE" or "COMPOSITE") && r.Concept is null).Select(r => $"{r.Provenance.Table} L{r.Provenance.Lines[0]}"));
        // every row has a nesting level, and every non-root row a relationship (an INCLUDE row's comes from the included rows)
        foreach (var t in f.Templates)
            foreach (var r in t.Rows)
            {
                Assert.True(r.NestingLevel is not null, $"{r.Provenance.Table} L{r.Provenance.Lines[0]}: no nesting level");
                if (r.NestingLevel > 0 && r.ValueType != "INCLUDE") Assert.True(r.RelationshipType is not null, $"{r.Provenance.Table} L{r.Provenance.Lines[0]}: no relationship");
            }
        // a standard code added by an erratum names its source in PS3.16 (template or context group)
        foreach (var e in errata.Errata.Where(e => e.Field is "concept" or "units" or "value" && e.To is not null && SrErrataApplier.ParseCode(e.To)!.Scheme is "DCM" or "SCT" or "UCUM"))
            Assert.True(e.Reason.Contains("PS3.16", StringComparison.Ordinal) || e.Reason.Contains("CID", StringComparison.Ordinal), $"{e.Table} L{e.Line} {e.Field}: reason does not cite PS3.16: {e.Reason}");
    }

    [Fact]
    public void Code_errata_use_the_code_notation_and_a_stale_from_is_reported()
    {
        var f = Corrected("siemens-syngo-ct-va50a", out _, out _);
        var start = f.Templates.SelectMany(t => t.Rows).Single(r => r.Provenance.Table == "Table 132" && r.Provenance.Lines[0] == 11918);
        Assert.Equal(("113809", "DCM", "Start of X-Ray Irradiation"), (start.Concept!.Value, start.Concept.Scheme, start.Concept.Meaning));
        Assert.Equal("(113809, DCM, \"Start of X-Ray Irradiation\")", SrErrataApplier.FormatCode(start.Concept));
        // applying the same code erratum again: 'from' (null, no concept printed) no longer matches
        var again = new SrErrataFile { Errata = [new SrErratum { Table = "Table 132", Line = 11918, Field = "concept", From = null, To = "(113809, DCM, \"Start of X-Ray Irradiation\")", Reason = "again" }] };
        Assert.Contains("expected ''", Assert.Single(SrErrataApplier.Apply(f, again)), StringComparison.Ordinal);
        // a 'to' that is not a code is reported
        var bad = new SrErrataFile { Errata = [new SrErratum { Table = "Table 132", Line = 11918, Field = "units", From = null, To = "mGy", Reason = "not a code" }] };
        Assert.Contains("is not a code", Assert.Single(SrErrataApplier.Apply(f, bad)), StringComparison.Ordinal);
    }

    [Fact]
    public void Trinias_template_ids_are_corrected_to_the_ones_its_includes_name()
    {
        var f = Corrected("shimadzu-trinias", out _, out _);
        var tids = f.Templates.Select(t => t.Tid).ToHashSet();
        Assert.Contains(f.Root, tids);
        foreach (var inc in f.Templates.SelectMany(t => t.Rows).Where(r => r.ValueType == "INCLUDE"))
            Assert.Contains(inc.IncludedTemplate!, tids);
    }

    [Fact]
    public void AVW_key_object_selection_content_is_an_explicit_assumption()
    {
        var f = DefinitionsJson.Load<SrTemplateFile>(Path.Combine(Repo.Definitions, "philips-avw-ct-15.1.3", "sr-templates.json"));
        var lines = File.ReadAllLines(Path.Combine(Repo.Definitions, "philips-avw-ct-15.1.3", "statement.txt"));
        var tid = Assert.Single(f.Templates);
        Assert.Equal(("2010", "2010"), (f.Root, tid.Tid));
        Assert.Equal("113000", tid.Rows[0].Concept!.Value);
        Assert.StartsWith("assumed", tid.Rows[0].Resolution, StringComparison.Ordinal);
        // the rows point at the statement's SR Document Content Module rows they stand for
        Assert.StartsWith("Concept Name Code Sequence\t0040,A043", lines[tid.Rows[0].Provenance.Lines[0] - 1], StringComparison.Ordinal);
        Assert.StartsWith("Content Sequence\t0040,A730", lines[tid.Rows[1].Provenance.Lines[0] - 1], StringComparison.Ordinal);
        Assert.Contains(f.Assumptions!, a => a.Subject.Contains("1.2.840.10008.5.1.4.1.1.88.59", StringComparison.Ordinal) && a.Assumption.Contains("TID 2010", StringComparison.Ordinal));
    }
}
