using System.Text.RegularExpressions;
using Dicom.Typed.Definitions.Extractor.Parsing;

namespace Dicom.Typed.Definitions.Extractor.Devices;

/// <summary>Vereos (uCT Console annex) SR templates, Tables 325–332: TAB rows
/// <c>NL⇥Relation with Parent⇥Concept Name⇥VT⇥VM⇥Presence of Value⇥Value</c> (L6376); Table 324 lists the templates (grid).</summary>
public sealed partial class Vereos
{
    private static SrTemplateFile SrTemplates(StatementText text, Func<int, TableSpan> table, List<string> issues)
    {
        var file = new SrTemplateFile { Root = "10011" };
        for (int n = 325; n <= 332; n++)
        {
            var t = table(n);
            // the TID is in the heading above the caption ("10.3.2.1. TID 10011 CT Radiation Dose", L6372)
            string tid = "";
            for (int h = t.CaptionLine - 1; h > t.CaptionLine - 5 && h > 0; h--)
            {
                var m = Regex.Match(text[h], @"TID (\d+)");
                if (m.Success)
                {
                    tid = m.Groups[1].Value;
                    break;
                }
            }
            var template = new SrTemplate { Tid = tid, Name = t.Title, Provenance = t.Whole() };
            for (int line = t.CaptionLine + 1; line <= t.EndLine; line++)
            {
                if (!text.IsRow(line) || text[line].StartsWith("NL\t", StringComparison.Ordinal))
                {
                    continue;
                }
                var c = text.Cells(line).Select(StatementText.Clean).Concat(Enumerable.Repeat("", 7)).ToArray();
                var row = new SrTemplateRow
                {
                    NestingLevel = c[0].Length,
                    RelationshipType = c[1].Length > 0 ? c[1] : null,
                    ConceptText = c[2],
                    ValueType = c[3],
                    Vm = c[4],
                    Presence = c[5].Length > 0 ? c[5] : null,
                    Constraint = c[6].Length > 0 ? c[6] : null,
                    Provenance = t.At(line, line),
                };
                if (c[0].Any(ch => ch != '>'))
                {
                    issues.Add($"{t.Id} L{line}: NL cell '{c[0]}' is not a run of '>'");
                }
                if (Regex.Match(c[2], @"^DTID\s*\(?\s*(\d+)\s*\)?") is { Success: true } inc)
                {
                    row.IncludedTemplate = inc.Groups[1].Value;
                    template.Includes.Add(inc.Groups[1].Value);
                }
                else if (Regex.Match(c[2], @"^DCID\s*\(?\s*(\d+)\s*\)?") is { Success: true } cid)
                {
                    row.ConceptContextGroup = cid.Groups[1].Value;
                }
                template.Rows.Add(row);
            }
            file.Templates.Add(template);
        }
        return file;
    }
}
