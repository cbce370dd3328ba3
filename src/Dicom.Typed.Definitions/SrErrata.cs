namespace Dicom.Typed.Definitions;

/// <summary>Hand-written corrections of SR template rows (<c>sr-errata.json</c>); the raw layer (<c>sr-templates.json</c>) stays as printed.</summary>
public sealed class SrErrataFile
{
    /// <summary>Device id.</summary>
    public string Device { get; set; } = "";
    /// <summary>Corrections.</summary>
    public List<SrErratum> Errata { get; set; } = [];
}

/// <summary>One correction of a TID row, addressed by table and first line of the row.</summary>
public sealed class SrErratum
{
    /// <summary>Table id of the row (provenance table).</summary>
    public string Table { get; set; } = "";
    /// <summary>First line of the row.</summary>
    public int Line { get; set; }
    /// <summary>Corrected field: <c>nestingLevel</c>, <c>relationshipType</c>, <c>valueType</c>, <c>vm</c>, <c>presence</c> or <c>constraint</c>.</summary>
    public string Field { get; set; } = "";
    /// <summary>The value as extracted (must match, or the erratum is reported as not applied).</summary>
    public string? From { get; set; }
    /// <summary>The corrected value (null removes an optional field).</summary>
    public string? To { get; set; }
    /// <summary>Why the printed value is wrong.</summary>
    public string Reason { get; set; } = "";
}

/// <summary>Applies <see cref="SrErrataFile"/> corrections to an <see cref="SrTemplateFile"/>.</summary>
public static class SrErrataApplier
{
    /// <summary>Applies the errata in place; returns one message per erratum that matched no row or whose <c>from</c> differs.</summary>
    /// <param name="templates">SR templates as extracted.</param>
    /// <param name="errata">The device's SR errata.</param>
    public static List<string> Apply(SrTemplateFile templates, SrErrataFile errata)
    {
        ArgumentNullException.ThrowIfNull(templates);
        ArgumentNullException.ThrowIfNull(errata);
        var problems = new List<string>();
        foreach (var e in errata.Errata)
        {
            var row = templates.Templates.SelectMany(t => t.Rows)
                .FirstOrDefault(r => r.Provenance.Table == e.Table && r.Provenance.Lines.Length > 0 && r.Provenance.Lines[0] == e.Line);
            if (row is null)
            {
                problems.Add($"{e.Table} L{e.Line} {e.Field}: no SR row starts at this line");
                continue;
            }
            string? current = e.Field switch
            {
                "nestingLevel" => row.NestingLevel?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "relationshipType" => row.RelationshipType,
                "valueType" => row.ValueType,
                "vm" => row.Vm,
                "presence" => row.Presence,
                "constraint" => row.Constraint,
                _ => null,
            };
            if (current != e.From)
            {
                problems.Add($"{e.Table} L{e.Line} {e.Field}: expected '{e.From}', row has '{current}'");
                continue;
            }
            switch (e.Field)
            {
                case "nestingLevel": row.NestingLevel = e.To is null ? null : int.Parse(e.To, System.Globalization.CultureInfo.InvariantCulture); break;
                case "relationshipType": row.RelationshipType = e.To; break;
                case "valueType": row.ValueType = e.To ?? ""; break;
                case "vm": row.Vm = e.To ?? ""; break;
                case "presence": row.Presence = e.To; break;
                case "constraint": row.Constraint = e.To; break;
                default: problems.Add($"{e.Table} L{e.Line}: unknown field '{e.Field}'"); break;
            }
        }
        return problems;
    }
}
