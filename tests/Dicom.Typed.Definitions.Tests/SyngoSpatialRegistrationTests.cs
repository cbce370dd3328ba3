namespace Dicom.Typed.Definitions.Tests;

/// <summary>
/// syngo CT Spatial Registration (Table 118): the IOD table references the CT General Series (Table 80, Modality CT FIXED)
/// while its own section prints the Spatial Registration Series table (Table 121, Modality REG, captioned "General Image
/// Module"); and the Common Instance Reference table (Table 123) prints the Studies Containing Other Referenced Instances
/// Sequence twice.
/// </summary>
public class SyngoSpatialRegistrationTests
{
    private static IodDefinition Iod(List<IodDefinition> iods, string name) => iods.Single(i => i.TypeName == name);

    [Fact]
    public void Modality_is_REG_from_the_spatial_registration_series_table()
    {
        var iod = Iod(Repo.Iods("siemens-syngo-ct-va50a"), "SyngoCtSpatialRegistration");
        var series = iod.Modules.Single(m => m.Name == "General Series");
        var modality = series.Attributes.Single(a => a.Tag == "0008,0060");
        Assert.Equal(["REG"], modality.Value!.Values!);
        Assert.Equal("Table 121", modality.Provenance.Table);
        Assert.Equal(8469, modality.Provenance.Lines[0]);
        // the table is named by its section heading "9.1.7.3 Spatial Registration Series Module Attributes" (L8463)
        Assert.Contains(iod.Modules, m => m.AttributeTable == "Table 121" && m.Name == "Spatial Registration Series Module");
        // the CT Image IOD, which prints Table 80 in its own section, keeps CT
        var ct = Iod(Repo.Iods("siemens-syngo-ct-va50a"), "SyngoCtImage").Modules.SelectMany(m => m.Attributes).First(a => a.Tag == "0008,0060");
        Assert.Equal(["CT"], ct.Value!.Values!);
        Assert.Equal("Table 80", ct.Provenance.Table);
    }

    [Fact]
    public void Registration_type_code_in_typographic_quotes_is_read_as_a_code()
    {
        var iod = Iod(Repo.Iods("siemens-syngo-ct-va50a"), "SyngoCtSpatialRegistration");
        var codes = iod.Modules.SelectMany(m => Repo.Walk(m.Attributes)).Where(a => a.Tag == "0070,030D").ToList();
        Assert.Equal(2, codes.Count);
        Assert.All(codes, c => Assert.Equal("code", c.Value!.Kind));
        Assert.Equal(["125021", "125025"], codes.Select(c => c.Value!.Codes!.Single().Value).ToArray());
        Assert.Equal("Frame of Reference Identity", codes[0].Value!.Codes!.Single().Meaning);
    }

    [Fact]
    public void Duplicate_studies_containing_row_is_dropped_by_the_erratum_in_both_iods()
    {
        var iods = Repo.Iods("siemens-syngo-ct-va50a");
        var problems = ErrataApplier.Apply(iods, Repo.Errata("siemens-syngo-ct-va50a"));
        Assert.DoesNotContain(problems, p => p.Contains("L8616", StringComparison.Ordinal));
        foreach (var name in new[] { "SyngoCtSpatialRegistration", "SyngoCtRtStructureSet" })
        {
            var cir = Iod(iods, name).Modules.Single(m => m.AttributeTable == "Table 123");
            var studies = Assert.Single(cir.Attributes, a => a.Tag == "0008,1200");
            Assert.Equal(8629, studies.Provenance.Lines[0]);
            Assert.Equal("ANAP", studies.Presence!.Word);
            Assert.Equal(["0008,1115", "0020,000D"], studies.Items!.Select(i => i.Tag).ToArray());
        }
    }
}
