namespace Dicom.Typed.Definitions;

/// <summary>Applies a device's errata to its de-identification rows (the raw layer in device.json stays as printed).</summary>
public static class DeidentificationErrata
{
    /// <summary>
    /// Applies the errata that point at de-identification rows (by table, first line and raw tag): <c>tag</c>, <c>name</c>,
    /// <c>vr</c> and <c>drop</c>. Returns a copy; the input is not changed. Errata of other tables are ignored; an erratum of a
    /// de-identification table that matches no row is reported in <paramref name="problems"/>.
    /// </summary>
    /// <param name="definition">The raw de-identification section.</param>
    /// <param name="errata">The device's errata.</param>
    /// <param name="problems">One message per erratum that could not be applied.</param>
    public static DeidentificationDefinition Apply(DeidentificationDefinition definition, ErrataFile errata, out List<string> problems)
    {
        var copy = DefinitionsJson.Deserialize<DeidentificationDefinition>(DefinitionsJson.Serialize(definition), "deidentification");
        problems = [];
        var tables = new HashSet<string>(copy.StandardRows.Concat(copy.RawDataRows).Select(r => r.Provenance.Table ?? "")
            .Concat(copy.PrivateRows.Select(r => r.Provenance.Table ?? "")), StringComparer.Ordinal);
        static int Order(Erratum e) => e.Field switch { "tag" => 1, "drop" => 2, _ => 0 };
        foreach (var e in errata.Errata.Where(e => tables.Contains(e.Table)).OrderBy(Order))
        {
            bool applied = false;
            foreach (var list in new[] { copy.StandardRows, copy.RawDataRows })
            {
                for (int i = 0; i < list.Count; i++)
                {
                    var r = list[i];
                    if (r.Provenance.Table != e.Table || r.Provenance.Lines.Length == 0 || r.Provenance.Lines[0] != e.Line) continue;
                    if (!string.Equals(r.Tag, e.Tag, StringComparison.OrdinalIgnoreCase) && !string.Equals(r.TagRaw, e.Tag, StringComparison.Ordinal)) continue;
                    switch (e.Field)
                    {
                        case "tag": r.TagRaw ??= r.Tag; r.Tag = e.To ?? r.Tag; applied = true; break;
                        case "name": r.Name = e.To ?? r.Name; applied = true; break;
                        case "vr": r.Vr = e.To ?? r.Vr; applied = true; break;
                        case "drop": list.RemoveAt(i); i--; applied = true; break;
                    }
                }
            }
            if (e.Field == "drop")
            {
                applied |= copy.PrivateRows.RemoveAll(r => r.Provenance.Table == e.Table && r.Provenance.Lines.FirstOrDefault() == e.Line) > 0;
            }
            if (!applied)
            {
                problems.Add($"{e.Table} L{e.Line} {e.Tag} {e.Field}: not applied");
            }
        }
        return copy;
    }
}
