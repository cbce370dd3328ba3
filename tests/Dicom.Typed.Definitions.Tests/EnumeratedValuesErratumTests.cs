namespace Dicom.Typed.Definitions.Tests;

/// <summary>The "enumeratedValues" erratum: syngo CT Table 89 prints Multi-energy CT Acquisition (0018,9361) with the cell
/// "YES NO", which the extraction reads as one fixed value; the erratum turns it into the enumeration YES, NO.</summary>
public class EnumeratedValuesErratumTests
{
    [Fact]
    public void Syngo_MultiEnergyCtAcquisition_becomes_an_enumeration()
    {
        var raw = Repo.Iods("siemens-syngo-ct-va50a");
        AttributeDefinition Row(IEnumerable<IodDefinition> iods) => iods.Where(i => i.TypeName == "SyngoCtImage").SelectMany(i => i.Modules)
            .SelectMany(m => Repo.Walk(m.Attributes)).Single(a => a.Tag == "0018,9361");
        Assert.Equal("fixed", Row(raw).Value!.Kind);   // the raw extraction keeps what the statement prints
        Assert.Equal(["YES NO"], Row(raw).Value!.Values!);

        var corrected = Repo.Iods("siemens-syngo-ct-va50a");
        var problems = ErrataApplier.Apply(corrected, Repo.Errata("siemens-syngo-ct-va50a"));
        Assert.DoesNotContain(problems, p => p.Contains("0018,9361", StringComparison.Ordinal));
        var row = Row(corrected);
        Assert.Equal("enumerated", row.Value!.Kind);
        Assert.Equal(["YES", "NO"], row.Value.Values!);
        Assert.Equal("YES NO", row.Value.Raw);
    }
}
