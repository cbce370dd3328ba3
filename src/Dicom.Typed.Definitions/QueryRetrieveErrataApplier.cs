namespace Dicom.Typed.Definitions;

/// <summary>Applies the errata that correct printed Query/Retrieve level values (field <c>queryRetrieveLevel</c>) to the typed
/// <see cref="NetworkDefinition.QueryRetrieve"/> models. An erratum points at the Query/Retrieve Level row by table and first line,
/// <see cref="Erratum.Tag"/> is <c>0008,0052</c>, <see cref="Erratum.From"/> the printed word and <see cref="Erratum.To"/> the
/// standard level.</summary>
public static class QueryRetrieveErrataApplier
{
    /// <summary>The erratum field this applier handles.</summary>
    public const string Field = "queryRetrieveLevel";

    /// <summary>The standard Query/Retrieve level values (PS3.4 C.6).</summary>
    public static IReadOnlyList<string> StandardLevels { get; } = ["PATIENT", "STUDY", "SERIES", "IMAGE"];

    /// <summary>Applies the level errata in place; returns one message per erratum that matched no printed level value.</summary>
    /// <param name="network">Typed network section (from device.json).</param>
    /// <param name="errata">The device's errata.</param>
    public static List<string> Apply(NetworkDefinition network, ErrataFile errata)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(errata);
        var problems = new List<string>();
        foreach (var e in errata.Errata.Where(e => e.Field == Field))
        {
            var model = (network.QueryRetrieve ?? []).FirstOrDefault(q => q.LevelValuesProvenance?.StartsAt(e.Table, e.Line) == true && e.Tag == "0008,0052");
            int index = model?.LevelValues.IndexOf(e.From ?? "") ?? -1;
            if (model is null || index < 0 || e.To is null)
            {
                problems.Add($"{e.Table} L{e.Line} {e.Tag} {e.Field}: not applied");
                continue;
            }
            model.LevelValues[index] = e.To;
        }
        return problems;
    }
}
