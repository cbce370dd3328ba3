using System.Text.RegularExpressions;
using Dicom.Typed.Definitions.Extractor.Parsing;

namespace Dicom.Typed.Definitions.Extractor.Devices;

/// <summary>syngo CT VA50A SR templates (Tables 132–140): space-separated layout, every cell may wrap over several lines,
/// header repeated at page breaks. A row starts at a line beginning with the NL column ("&gt;", "&gt;&gt;", ...) or at the
/// root row ("  CONTAINER ..."); its lines are joined in print order (the text layer prints the cells column by column).</summary>
public sealed partial class SyngoCt
{
    private const string PrivateScheme = "99CT_SOMX";

    private static SrTemplateFile SrTemplates(StatementText text, Func<int, TableSpan> table, RawTable privateCodes, List<string> issues)
    {
        var file = new SrTemplateFile { Root = "10011" };
        var codes = privateCodes.Rows.Where(r => r.Cells.Count >= 2).GroupBy(r => r.Cells[0]).ToDictionary(g => g.Key, g => g.First());
        var parsed = new List<(SrTemplate Template, List<(SrTemplateRow Row, string Joined)> Rows)>();
        for (int n = 132; n <= 140; n++)
        {
            var t = table(n);
            var tm = Regex.Match(t.Title, @"TID (\d+)");
            var template = new SrTemplate
            {
                Tid = tm.Success ? tm.Groups[1].Value : t.Number switch { 139 => "EXAMREPORT", _ => "COMPREHENSIVE" },
                Name = Regex.Replace(t.Title, @"\s+", " ").Trim(),
                Provenance = t.Whole(),
            };
            var rows = new List<(SrTemplateRow, string)>();
            foreach (var (first, last, joined) in SrRowBlocks(text, t))
            {
                var row = SrRow(joined, t.At(first, last), issues);
                if (row is null)
                {
                    issues.Add($"{t.Id} L{first}–{last}: SR row not understood: '{joined}'");
                    continue;
                }
                if (row.IncludedTemplate is { } inc)
                {
                    template.Includes.Add(inc);
                }
                template.Rows.Add(row);
                rows.Add((row, joined));
            }
            parsed.Add((template, rows));
            file.Templates.Add(template);
        }

        // concept codes: 99CT_SOMX triples are checked against Table 141; DCMR rows printed by meaning only (Tables 132–138)
        // take the code of a triple with the same meaning printed in Tables 139/140 or in the dose IOD's root content item (Table 113).
        var byMeaning = new Dictionary<string, CodeTriple>(StringComparer.OrdinalIgnoreCase);
        if (RootConcept(text, table(113)) is { } root)
        {
            byMeaning[root.Meaning] = root;
        }
        foreach (var r in file.Templates.SelectMany(x => x.Rows))
        {
            if (r.Concept is { } c && c.Scheme != PrivateScheme && c.Meaning.Length > 0)
            {
                byMeaning.TryAdd(c.Meaning, c);
            }
        }
        foreach (var r in file.Templates.SelectMany(x => x.Rows))
        {
            if (r.Concept is { Scheme: PrivateScheme } pc)
            {
                if (!codes.TryGetValue(pc.Value, out var def))
                {
                    r.Resolution = $"code {pc.Value} is not defined in {privateCodes.Id}";
                    issues.Add($"{r.Provenance.Table} L{r.Provenance.Lines[0]}: 99CT_SOMX code {pc.Value} not in {privateCodes.Id}");
                    continue;
                }
                var meaning = Regex.Replace(def.Cells[1], @"\s+", " ").Trim();
                var where = $"{privateCodes.Id} L{def.Provenance.Lines[0]}";
                if (string.Equals(Norm(meaning), Norm(pc.Meaning), StringComparison.OrdinalIgnoreCase))
                {
                    r.Resolution = $"{where}: meaning agrees";
                }
                else if (pc.Meaning.Length > 0 && Norm(meaning).StartsWith(Norm(pc.Meaning) + " ", StringComparison.OrdinalIgnoreCase))
                {
                    // one-line rows of Table 141 ('106 X-Ray Filter Material Material of used X-Ray filter' L13066): the
                    // grid cannot split meaning from definition; the printed meaning is its prefix
                    r.Resolution = $"{where}: meaning agrees (the scheme row prints meaning and definition on one line)";
                    continue;
                }
                else
                {
                    r.Resolution = $"{where}: printed meaning '{pc.Meaning}' differs from the scheme's '{meaning}'; the scheme's meaning is used";
                    issues.Add($"{r.Provenance.Table} L{r.Provenance.Lines[0]}: 99CT_SOMX {pc.Value} printed '{pc.Meaning}', {where} defines '{meaning}'");
                }
                r.Concept = new CodeTriple { Value = pc.Value, Scheme = pc.Scheme, Meaning = meaning };
            }
            else if (r.Concept is null && r.IncludedTemplate is null && r.ConceptText.Length > 0)
            {
                if (byMeaning.TryGetValue(Norm(r.ConceptText), out var hit) || byMeaning.TryGetValue(r.ConceptText, out hit))
                {
                    r.Concept = new CodeTriple { Value = hit.Value, Scheme = hit.Scheme, Meaning = hit.Meaning };
                    r.Resolution = "meaning only printed; code taken from the triple with the same meaning printed in this statement";
                }
            }
        }

        file.Assumptions =
        [
            new SrAssumption
            {
                Subject = "Comprehensive SR Storage (1.2.840.10008.5.1.4.1.1.88.33)",
                Statement = "Table 140: Comprehensive SR — prints only the first three rows of the EXAMREPORT tree (CT Examination Report / CT Acquisition Report / Total mAs) and no IOD or module table",
                Assumption = "The Comprehensive SR variant carries the EXAMREPORT content tree of Table 139; only the three printed rows are recorded in template COMPREHENSIVE, nothing is copied from Table 139.",
                Provenance = table(140).Whole(),
            },
        ];
        int sopLine = DeviceHelpers.FindLine(text, @"^Comprehensive SR Storage 1\.2\.840\.10008\.5\.1\.4\.1\.1\.88\.33");
        if (sopLine > 0)
        {
            file.Assumptions.Add(new SrAssumption
            {
                Subject = "Comprehensive SR Storage (1.2.840.10008.5.1.4.1.1.88.33)",
                Statement = text[sopLine].Trim(),
                Assumption = "Listed as created (Table 1) without its own template table: modelled as SyngoCtComprehensiveSr with the assumed content above.",
                Provenance = new Provenance { Table = "Table 1", Title = "Network Services", Lines = [sopLine, sopLine] },
            });
        }
        return file;
    }

    private static string Norm(string s) => Regex.Replace(s.Replace('´', '\'').Replace("'s ", "s "), @"\s+", " ").Trim();

    /// <summary>Row blocks of an SR template table: (first line, last line, lines joined by one space).</summary>
    internal static List<(int First, int Last, string Joined)> SrRowBlocks(StatementText text, TableSpan t)
    {
        var blocks = new List<(int, int, string)>();
        var cur = new List<(int Line, string Text)>();
        void Flush()
        {
            if (cur.Count > 0)
            {
                blocks.Add((cur[0].Line, cur[^1].Line, Regex.Replace(string.Join(" ", cur.Select(x => x.Text)), @"\s+", " ").Trim()));
                cur = [];
            }
        }
        int valueLines = -1; // >= 0 while inside a (repeated) header: counts the "Value" lines seen
        for (int n = t.CaptionLine + 1; n <= t.EndLine; n++)
        {
            var raw = text[n];
            var line = raw.Trim();
            if (line.StartsWith("file:///", StringComparison.Ordinal) || SpaceTable.IsNoise(raw))
            {
                continue;
            }
            if (valueLines < 0 && (line == "NL" || line.StartsWith("NL Rel", StringComparison.Ordinal)))
            {
                Flush();
                valueLines = 0;
                continue;
            }
            if (valueLines >= 0)
            {
                // the header ends with its second line ending in "Value" ("Presence of / Value / Value" or "Presence / of Value / Value")
                if (line.EndsWith("Value", StringComparison.Ordinal) && ++valueLines == 2)
                {
                    valueLines = -1;
                }
                continue;
            }
            if (line.Length == 0)
            {
                continue;
            }
            // a row starts with its NL cell, or (root rows, and rows whose NL cell is empty) with an indented relationship/VT cell
            bool start = line.StartsWith('>') || Regex.IsMatch(raw, @"^\s+(CONTAINS|HAS|INFERRED|SELECTED|CONTAINER|INCLUDE|CODE|NUM|TEXT|UIDREF|DATETIME|PNAME)\b");
            if (start)
            {
                Flush();
            }
            cur.Add((n, line));
        }
        Flush();
        return blocks;
    }

    private static readonly Regex SrRowRx = new(
        @"^(?<nl>>*)\s*(?<rel>HAS CONCEPT MOD|HAS OBS CONTEXT|HAS ACQ CONTEXT|HAS PROPERTIES|CONTAINS|INFERRED FROM|SELECTED FROM|CONTAINER)?\s*" +
        @"(?<vt>CONTAINER|CODE|NUM|TEXT|UIDREF|DATETIME|DATE|TIME|PNAME|INCLUDE|IMAGE|COMPOSITE|SCOORD3D|SCOORD|TCOORD|WAVEFORM)\s+(?<rest>.*)$");

    private static readonly Regex SrTailRx = new(
        @"^(?:(?<vm>1-[nN]|0-[nN]|\d+-\d+|\d+)(?:\s+|$))?(?:(?<pres>ALWAYS|ANAP|VNAP|MC|UC|M|U|C)\b)?(?:\s*(?<value>.*))?$");

    private static readonly Regex OpenEvRx = new(@"^(?:EV|DT)\s*\(\s*(?<v>[^,()]+?)\s*,\s*(?<s>[^,()]+?)\s*,\s*[""“”]*\s*(?<m>[^""“”()]*?)\s*[""“”]*\s*\)?$");

    private static readonly Regex EvRx = new(@"^(?:EV|DT)\s*\(\s*(?<v>[^,()]+?)\s*,\s*(?<s>[^,()]+?)\s*,\s*[""“”](?<m>[^""“”]*)[""“”]\s*\)");

    /// <summary>Parses one joined row; null when the NL/relationship/VT/VM structure is not found.</summary>
    internal static SrTemplateRow? SrRow(string joined, Provenance provenance, List<string> issues)
    {
        var m = SrRowRx.Match(joined);
        if (!m.Success)
        {
            return null;
        }
        string rest = m.Groups["rest"].Value;
        string concept;
        Match tail;
        if (rest.StartsWith("EV", StringComparison.Ordinal))
        {
            int close = rest.IndexOf(')');
            var closing = Regex.Match(rest, @"^(?:EV|DT)\s*\([^)]*?[""“”][^""“”]*[""“”]");
            if (closing.Success && (close < 0 || close > closing.Length + 1))
            {
                // the triple's closing parenthesis is missing (e.g. 'EV(4, 99CT_SOMX, “Decision Tree”' L12602)
                issues.Add($"{provenance.Table} L{provenance.Lines[0]}: code triple not closed right after its quoted meaning");
                close = closing.Length - 1;
            }
            if (close < 0)
            {
                return null;
            }
            // text after the triple and before the VM (e.g. 'EV(111, 99CT_SOMX, “”) Index' at L12964) stays in the concept cell
            var after = Regex.Match(rest[(close + 1)..], @"^(?<extra>.*?)\s*(?=(?:1-[nN]|0-[nN]|\d+-\d+|\d+)(?:\s|$))");
            if (!after.Success)
            {
                return null;
            }
            concept = Regex.Replace(rest[..(close + 1)] + " " + after.Groups["extra"].Value, @"\s+", " ").Trim();
            tail = SrTailRx.Match(rest[(close + 1 + after.Length)..].Trim());
        }
        else
        {
            var split = Regex.Match(rest, @"^(?<c>.+?)\s+(?<t>(?:1-[nN]|0-[nN]|\d+-\d+|\d+)(?:\s.*)?)$");
            if (!split.Success)
            {
                // VM cell empty, presence printed (Table 135 L12263–12267 '… Details (TID 10015) / ALWAYS')
                split = Regex.Match(rest, @"^(?<c>.+?)\s+(?<t>(?:ALWAYS|ANAP|VNAP)(?:\s.*)?)$");
                if (!split.Success)
                {
                    return null;
                }
                issues.Add($"{provenance.Table} L{provenance.Lines[0]}: VM cell empty");
            }
            concept = split.Groups["c"].Value.Trim();
            tail = SrTailRx.Match(split.Groups["t"].Value.Trim());
        }
        if (!tail.Success)
        {
            return null;
        }
        var row = new SrTemplateRow
        {
            NestingLevel = m.Groups["nl"].Length,
            RelationshipType = m.Groups["rel"].Success && m.Groups["rel"].Length > 0 ? m.Groups["rel"].Value : null,
            ValueType = m.Groups["vt"].Value,
            ConceptText = concept,
            Vm = tail.Groups["vm"].Value,
            Presence = tail.Groups["pres"].Success ? tail.Groups["pres"].Value : null,
            Provenance = provenance,
        };
        var value = tail.Groups["value"].Success ? tail.Groups["value"].Value.Trim() : "";
        if (value.Length > 0)
        {
            row.Constraint = value;
        }
        if (row.RelationshipType == "CONTAINER")
        {
            issues.Add($"{provenance.Table} L{provenance.Lines[0]}: relationship printed as 'CONTAINER' (a value type); CONTAINS meant");
        }
        if (EvRx.Match(concept) is { Success: true } ev)
        {
            row.Concept = new CodeTriple { Value = ev.Groups["v"].Value.Trim(), Scheme = ev.Groups["s"].Value.Trim(), Meaning = ev.Groups["m"].Value.Trim() };
        }
        else if (OpenEvRx.Match(concept) is { Success: true } open)
        {
            // meaning outside the quotes or no closing parenthesis: 'EV (123011, DCM, "" Contrast/Bolus Agent)' L12581
            issues.Add($"{provenance.Table} L{provenance.Lines[0]}: malformed code triple '{concept}'");
            row.Concept = new CodeTriple { Value = open.Groups["v"].Value.Trim(), Scheme = open.Groups["s"].Value.Trim(), Meaning = open.Groups["m"].Value.Trim() };
        }
        if (row.ValueType == "INCLUDE")
        {
            var tid = Regex.Match(concept + " " + value, @"TID (\d+)");
            if (tid.Success)
            {
                row.IncludedTemplate = tid.Groups[1].Value;
            }
        }
        else if (value.StartsWith("UNITS", StringComparison.OrdinalIgnoreCase))
        {
            var u = EvRx.Match(Regex.Replace(value, @"^UNITS\s*=\s*", "", RegexOptions.IgnoreCase));
            if (u.Success)
            {
                row.Units = new CodeTriple { Value = u.Groups["v"].Value.Trim(), Scheme = u.Groups["s"].Value.Trim(), Meaning = u.Groups["m"].Value.Trim() };
            }
        }
        return row;
    }

    /// <summary>Root concept of the dose SR as printed in the SR Document Content Module (Table 113): Code Value / Designator / Meaning.</summary>
    private static CodeTriple? RootConcept(StatementText text, TableSpan t)
    {
        var joined = Regex.Replace(string.Join(" ", Enumerable.Range(t.CaptionLine, t.EndLine - t.CaptionLine + 1).Select(n => text[n])), @"\s+", " ");
        var m = Regex.Match(joined, @"Concept Name Code Sequence.*?\(0008,0100\) SH (?<v>\S+).*?\(0008,0102\) SH (?<s>\S+).*?\(0008,0104\) LO [""“](?<m>[^""”]+)[""”]");
        return m.Success ? new CodeTriple { Value = m.Groups["v"].Value, Scheme = m.Groups["s"].Value, Meaning = m.Groups["m"].Value.Trim() } : null;
    }
}
