namespace Dicom.Typed.Definitions;

/// <summary>Applies the errata that correct the group heading a generated DICOMDIR key is printed under (field
/// <c>directoryKeyGroup</c>) to the typed <see cref="MediaDefinition.GeneratedKeys"/>. An erratum points at the key row by table,
/// first line and tag.</summary>
public static class MediaErrataApplier
{
    /// <summary>The erratum field this applier handles.</summary>
    public const string Field = "directoryKeyGroup";

    /// <summary>Applies the errata in place; returns one message per erratum that matched no generated key with the printed group.</summary>
    /// <param name="media">Typed media section (from device.json).</param>
    /// <param name="errata">The device's errata.</param>
    public static List<string> Apply(MediaDefinition media, ErrataFile errata)
    {
        ArgumentNullException.ThrowIfNull(media);
        ArgumentNullException.ThrowIfNull(errata);
        var problems = new List<string>();
        foreach (var e in errata.Errata.Where(e => e.Field == Field))
        {
            var key = (media.GeneratedKeys ?? []).FirstOrDefault(k => k.Provenance.StartsAt(e.Table, e.Line) && k.Tag == e.Tag && k.Group == e.From);
            if (key is null || e.To is null)
            {
                problems.Add($"{e.Table} L{e.Line} {e.Tag} {e.Field}: not applied");
                continue;
            }
            key.Group = e.To;
        }
        return problems;
    }
}
