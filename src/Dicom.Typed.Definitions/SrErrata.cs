namespace Dicom.Typed.Definitions;

/// <summary>Hand-written corrections of SR template rows (<c>sr-errata.json</c>); the raw layer (<c>sr-templates.json</c>) stays as printed.</summary>
public sealed class SrErrataFile
{
    /// <summary>Device id.</summary>
    public string Device { get; set; } = "";
    /// <summary>Corrections.</summary>
    public List<SrErratum> Errata { get; set; } = [];
    /// <summary>SR IODs whose content follows another template than the file's root (optional).</summary>
    public List<SrIodTemplate>? IodTemplates { get; set; }
}

/// <summary>The template an SR IOD's content follows, where it is not the root of sr-templates.json.</summary>
public sealed class SrIodTemplate
{
    /// <summary>IOD type name (e.g. <c>SyngoCtExamReport</c>).</summary>
    public string Iod { get; set; } = "";
    /// <summary>Template id in sr-templates.json.</summary>
    public string Tid { get; set; } = "";
    /// <summary>Why (statement table that gives the content).</summary>
    public string Reason { get; set; } = "";
}

/// <summary>One correction of a TID row, addressed by table and first line of the row.</summary>
public sealed class SrErratum
{
    /// <summary>Table id of the row (provenance table).</summary>
    public string Table { get; set; } = "";
    /// <summary>First line of the row.</summary>
    public int Line { get; set; }
    /// <summary>Corrected field: <c>nestingLevel</c>, <c>relationshipType</c>, <c>valueType</c>, <c>vm</c>, <c>presence</c>, <c>constraint</c>,
    /// <c>includedTemplate</c>, <c>tid</c> (of the row's template), or a code: <c>concept</c>, <c>units</c>, <c>value</c>, written
    /// <c>(value, scheme, "meaning")</c> (codes the statement prints as a meaning only, taken from PS3.16 with the TID/CID cited).</summary>
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
            var template = templates.Templates.FirstOrDefault(t => t.Rows.Any(r => r.Provenance.StartsAt(e.Table, e.Line)));
            var row = template?.Rows.First(r => r.Provenance.StartsAt(e.Table, e.Line));
            if (row is null || template is null)
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
                "includedTemplate" => row.IncludedTemplate,
                "tid" => template.Tid,
                "concept" => FormatCode(row.Concept),
                "units" => FormatCode(row.Units),
                "value" => FormatCode(row.Value),
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
                case "includedTemplate": row.IncludedTemplate = e.To; break;
                case "tid": template.Tid = e.To ?? ""; break;
                case "concept" or "units" or "value":
                    var code = e.To is null ? null : ParseCode(e.To);
                    if (e.To is not null && code is null) { problems.Add($"{e.Table} L{e.Line} {e.Field}: '{e.To}' is not a code (value, scheme, \"meaning\")"); break; }
                    if (e.Field == "concept") row.Concept = code;
                    else if (e.Field == "units") row.Units = code;
                    else row.Value = code;
                    break;
                default: problems.Add($"{e.Table} L{e.Line}: unknown field '{e.Field}'"); break;
            }
        }
        return problems;
    }

    /// <summary>A code in the errata notation <c>(value, scheme, "meaning")</c>, or null.</summary>
    /// <param name="code">The code.</param>
    public static string? FormatCode(CodeTriple? code) => code is null ? null : $"({code.Value}, {code.Scheme}, \"{code.Meaning}\")";

    /// <summary>Parses the errata notation <c>(value, scheme, "meaning")</c>; null when it is not one.</summary>
    /// <param name="text">The text.</param>
    public static CodeTriple? ParseCode(string text)
    {
        var m = System.Text.RegularExpressions.Regex.Match(text.Trim(), "^\\(\\s*([^,]+?)\\s*,\\s*([^,]+?)\\s*,\\s*\"(.*)\"\\s*\\)$");
        return m.Success ? new CodeTriple { Value = m.Groups[1].Value, Scheme = m.Groups[2].Value, Meaning = m.Groups[3].Value } : null;
    }
}
