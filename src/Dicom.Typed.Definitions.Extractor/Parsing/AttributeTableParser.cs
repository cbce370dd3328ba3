namespace Dicom.Typed.Definitions.Extractor.Parsing;

/// <summary>Column positions of an attribute table (-1 = column absent).</summary>
public sealed record ColumnMap(int Name, int Tag, int Vr, int Value, int Presence, int Source, int Comment, int Vm = -1)
{
    /// <summary>Philips layout: Attribute Name, Tag, VR, Value, Presence of Value, Source, Comment.</summary>
    public static ColumnMap Philips { get; } = new(0, 1, 2, 3, 4, 5, 6);

    /// <summary>Column count.</summary>
    public int Width => new[] { Name, Tag, Vr, Value, Presence, Source, Comment, Vm }.Max() + 1;
}

/// <summary>A data row before conversion: nesting level, cleaned cells, line range.</summary>
public sealed class FlatRow
{
    /// <summary>Nesting level (number of '&gt;').</summary>
    public int Level { get; set; }
    /// <summary>Cells (raw text, page-break continuations appended with a space).</summary>
    public string[] Cells { get; set; } = [];
    /// <summary>Normalized tag ("" when the printed tag is unreadable).</summary>
    public string Tag { get; set; } = "";
    /// <summary>Printed tag when unreadable (e.g. "(A02)").</summary>
    public string? TagRaw { get; set; }
    /// <summary>First line.</summary>
    public int First { get; set; }
    /// <summary>Last line (greater than First when continuation rows were joined).</summary>
    public int Last { get; set; }
    /// <summary>Cell text by column index ("" if absent).</summary>
    public string this[int col] => col >= 0 && col < Cells.Length ? Cells[col] : "";
}

/// <summary>Result of parsing an attribute table.</summary>
public sealed class ParsedTable
{
    /// <summary>Data rows in document order.</summary>
    public List<FlatRow> Rows { get; } = [];
    /// <summary>Non-data lines inside the table (notes, footnotes), with their line.</summary>
    public List<(int Line, string Text)> Notes { get; } = [];
}

/// <summary>Parses TAB attribute tables: header rows skipped (also when repeated after page breaks), separator rows skipped,
/// single-cell rows after a page break appended to the previous row's cell.</summary>
public static class AttributeTableParser
{
    /// <summary>Parses lines first..last with the given columns.</summary>
    /// <param name="text">Statement.</param>
    /// <param name="first">First line.</param>
    /// <param name="last">Last line.</param>
    /// <param name="map">Column positions.</param>
    /// <param name="isHeader">Header row test (default: <see cref="DefaultHeader"/>).</param>
    /// <param name="acceptMalformedTags">Keep rows whose tag cell is damaged but whose VR cell is a VR (tag "" + TagRaw).</param>
    /// <param name="split">Cell splitter for statements without TABs (e.g. fixed-width columns); returns null for non-row lines.
    /// Default: TAB rows only.</param>
    public static ParsedTable Parse(StatementText text, int first, int last, ColumnMap map, Func<string[], bool>? isHeader = null, bool acceptMalformedTags = false,
        Func<string, string[]?>? split = null)
    {
        isHeader ??= DefaultHeader;
        split ??= l => l.Contains('\t') ? l.Split('\t') : null;
        var result = new ParsedTable();
        FlatRow? prev = null;
        bool blankSincePrev = false;
        for (int n = first; n <= last; n++)
        {
            var line = text[n];
            if (line.Trim().Length == 0)
            {
                blankSincePrev = true;
                continue;
            }
            if (text.IsSeparator(n))
            {
                continue;
            }
            var cells = split(line);
            if (cells is null)
            {
                result.Notes.Add((n, StatementText.Clean(line)));
                continue;
            }
            if (isHeader(cells))
            {
                continue;
            }
            var tag = Vocabulary.Tag(Get(cells, map.Tag));
            string? tagRaw = null;
            if (tag is null && acceptMalformedTags && map.Vr >= 0
                && System.Text.RegularExpressions.Regex.IsMatch(Get(cells, map.Tag).Trim(), @"^>*\(?[0-9A-Fa-f]{1,8}\)?$")
                && System.Text.RegularExpressions.Regex.IsMatch(Get(cells, map.Vr).Trim(), @"^[A-Z]{2}$"))
            {
                tag = "";
                tagRaw = Get(cells, map.Tag).Trim();
            }
            if (tag is not null)
            {
                int level = Math.Max(Vocabulary.Level(Get(cells, map.Name)), Vocabulary.Level(Get(cells, map.Tag)));
                var padded = new string[Math.Max(map.Width, cells.Length)];
                for (int i = 0; i < padded.Length; i++)
                {
                    padded[i] = i < cells.Length ? cells[i] : "";
                }
                prev = new FlatRow { Level = level, Cells = padded, Tag = tag, TagRaw = tagRaw, First = n, Last = n };
                result.Rows.Add(prev);
                blankSincePrev = false;
                continue;
            }
            var filled = cells.Select((c, i) => (c, i)).Where(x => x.c.Trim().Length > 0).ToList();
            if (prev is not null && filled.Count == 1 && filled[0].i < prev.Cells.Length)
            {
                // continuation of a cell broken by a page break (or a wrapped line)
                int i = filled[0].i;
                prev.Cells[i] = (prev.Cells[i].TrimEnd() + " " + filled[0].c.Trim()).Trim();
                prev.Last = n;
                continue;
            }
            _ = blankSincePrev;
            result.Notes.Add((n, StatementText.Clean(line)));
        }
        return result;
    }

    /// <summary>Default header test: a cell reads "Attribute Name", "Tag" or "TAG" and no cell is a tag.</summary>
    public static bool DefaultHeader(string[] cells) =>
        cells.Any(c => c.Trim() is "Attribute Name" or "Tag" or "TAG" or "Attribute") && !cells.Any(Vocabulary.IsTag);

    private static string Get(string[] cells, int i) => i >= 0 && i < cells.Length ? cells[i] : "";
}

/// <summary>Builds sequence trees from '&gt;' levels.</summary>
public static class Nesting
{
    /// <summary>Nests items: the parent of a row is the nearest preceding row with one level fewer.
    /// A row whose level is more than one deeper than possible is attached to the deepest open row; each such case is reported.</summary>
    public static List<AttributeDefinition> Build(IEnumerable<(int Level, AttributeDefinition Attr)> rows, List<string> issues)
    {
        var top = new List<AttributeDefinition>();
        var stack = new List<AttributeDefinition>();
        foreach (var (level, attr) in rows)
        {
            int lv = level;
            if (lv > stack.Count)
            {
                issues.Add($"line {attr.Provenance.Lines[0]} {attr.Tag}: level {level} but only {stack.Count} open parent(s); attached to the deepest open row");
                lv = stack.Count;
            }
            while (stack.Count > lv)
            {
                stack.RemoveAt(stack.Count - 1);
            }
            if (lv == 0)
            {
                top.Add(attr);
            }
            else
            {
                var parent = stack[lv - 1];
                if (parent.Vr.Length > 0 && !parent.Vr.Contains("SQ", StringComparison.Ordinal))
                {
                    issues.Add($"line {attr.Provenance.Lines[0]} {attr.Tag}: parent row (line {parent.Provenance.Lines[0]} {parent.Tag}) is not a sequence");
                }
                parent.Items ??= [];
                parent.Items.Add(attr);
            }
            stack.Add(attr);
        }
        return top;
    }
}
