namespace Dicom.Typed.Definitions;

/// <summary>Applies the errata that correct presentation contexts (fields <c>sopClassUid</c> and <c>transferSyntaxes</c>) to a
/// typed network section. An erratum points at a presentation context by table and first line; <see cref="Erratum.Tag"/> holds the
/// abstract syntax UID as printed.</summary>
public static class NetworkErrataApplier
{
    /// <summary>Fields this applier handles.</summary>
    public static bool IsNetworkField(string field) => field is "sopClassUid" or "transferSyntaxes";

    /// <summary>Applies the network errata in place; returns one message per erratum that matched no presentation context.</summary>
    /// <param name="network">Typed network section (from device.json).</param>
    /// <param name="errata">The device's errata.</param>
    public static List<string> Apply(NetworkDefinition network, ErrataFile errata)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(errata);
        var problems = new List<string>();
        var names = network.PresentationContexts.SelectMany(p => p.TransferSyntaxes)
            .GroupBy(t => t.Uid, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Name, StringComparer.Ordinal);
        // transfer syntax corrections first: they are keyed by the abstract syntax UID as printed, which a sopClassUid erratum changes
        foreach (var e in errata.Errata.Where(e => IsNetworkField(e.Field)).OrderBy(e => e.Field == "sopClassUid" ? 1 : 0))
        {
            var pc = network.PresentationContexts.FirstOrDefault(p => p.Provenance.StartsAt(e.Table, e.Line) && p.SopClassUid == e.Tag);
            if (pc is null)
            {
                problems.Add($"{e.Table} L{e.Line} {e.Tag} {e.Field}: not applied");
                continue;
            }
            if (e.Field == "sopClassUid")
            {
                pc.SopClassUid = e.To ?? pc.SopClassUid;
            }
            else
            {
                pc.TransferSyntaxes = (e.To ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Select(u => new TransferSyntaxRef { Uid = u, Name = names.TryGetValue(u, out var n) ? n : u })
                    .ToList();
            }
        }
        return problems;
    }
}
