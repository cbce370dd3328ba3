namespace Dicom.Typed.Definitions.Tests;

public class ErrataTests
{
    /// <summary>After applying errata, every row an erratum corrects (name/tag/vr) agrees with the dictionary.</summary>
    [Theory]
    [MemberData(nameof(Repo.DeviceData), MemberType = typeof(Repo))]
    public void Corrected_rows_match_the_dictionary(string device)
    {
        var iods = Repo.Iods(device);
        var errata = Repo.Errata(device);
        var problems = ErrataApplier.Apply(iods, errata);
        // errata on grid rows or private dictionary rows are not IOD rows; only IOD-row errata must apply
        var iodRows = new HashSet<(string, int)>(Repo.Iods(device).SelectMany(i => i.Modules).SelectMany(m => Repo.Walk(m.Attributes))
            .Select(a => (a.Provenance.Table!, a.Provenance.Lines[0])));
        var relevant = problems.Where(p => errata.Errata.Any(e => p.StartsWith($"{e.Table} L{e.Line} ", StringComparison.Ordinal)
            && iodRows.Contains((e.Table, e.Line)) && e.Field != "parent")).ToList();
        Assert.True(relevant.Count == 0, string.Join("\n", relevant));
        foreach (var e in errata.Errata.Where(e => e.Field is "name" or "tag" or "vr"))
        {
            var row = iods.SelectMany(i => i.Modules).SelectMany(m => Repo.Walk(m.Attributes))
                .FirstOrDefault(a => a.Provenance.Table == e.Table && a.Provenance.Lines[0] == e.Line);
            if (row is null || StandardDictionary.IsPrivate(row.Tag))
            {
                continue;
            }
            var std = Repo.Dictionary.Find(row.Tag);
            Assert.True(std is not null, $"{e.Table} L{e.Line}: corrected tag {row.Tag} unknown");
            if (e.Field is "vr" or "tag")
            {
                Assert.True(row.Vr.Split('/').All(v => std!.Vrs.Contains(v)), $"{e.Table} L{e.Line}: corrected VR {row.Vr} vs {string.Join("/", std!.Vrs)}");
            }
            if (e.Field is "name" or "tag")
            {
                Assert.True(Norm(row.Name) == Norm(std!.Name) || Norm(row.Name) == Norm(std.Keyword), $"{e.Table} L{e.Line}: corrected name '{row.Name}' vs '{std.Name}'");
            }
        }
    }

    private static string Norm(string s) => new(s.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());
}
