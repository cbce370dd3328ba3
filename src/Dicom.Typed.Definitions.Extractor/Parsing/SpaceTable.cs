using System.Text.RegularExpressions;

namespace Dicom.Typed.Definitions.Extractor.Parsing;

/// <summary>A row of a space-separated (no TAB) attribute table, anchored on its tag token.</summary>
public sealed class SpaceRow
{
    /// <summary>Nesting level (leading '&gt;' of the name).</summary>
    public int Level { get; set; }
    /// <summary>Name as printed (wrapped lines joined with a space, markers removed).</summary>
    public string Name { get; set; } = "";
    /// <summary>Tag as printed.</summary>
    public string PrintedTag { get; set; } = "";
    /// <summary>Normalized tag.</summary>
    public string Tag { get; set; } = "";
    /// <summary>VR (empty when none printed).</summary>
    public string Vr { get; set; } = "";
    /// <summary>Value cell (everything between VR and presence word).</summary>
    public string Value { get; set; } = "";
    /// <summary>Presence word ("" if none found).</summary>
    public string Presence { get; set; } = "";
    /// <summary>Source cell (everything after the presence word).</summary>
    public string Source { get; set; } = "";
    /// <summary>Line of the tag token (the row's anchor; provenance line).</summary>
    public int TagLine { get; set; }
    /// <summary>First line (first name line).</summary>
    public int First { get; set; }
    /// <summary>Last line.</summary>
    public int Last { get; set; }
}

/// <summary>Parser for the Siemens space-separated layout (004): no TABs, cells wrap over lines, page headers/footers and repeated
/// column headers inside tables. Rows are anchored on a tag token followed by a VR (or by the end of the line).</summary>
public static partial class SpaceTable
{
    /// <summary>Presence words of the Siemens legend (plus the misspelling ÁNAP).</summary>
    public static readonly IReadOnlySet<string> PresenceWords = new HashSet<string>(StringComparer.Ordinal)
    {
        "ALWAYS", "EMPTY", "VNAP", "ANAP", "ANAPCV", "ANAPEV", "ÁNAP",
    };

    /// <summary>Whether the line is page furniture (header/footer, repeated column header, leaked link, footnote body).</summary>
    public static bool IsNoise(string line)
    {
        var t = line.Trim();
        return t.Length > 0 && NoiseRx().IsMatch(t);
    }

    /// <summary>Blank-line separated blocks of lines <paramref name="first"/>..<paramref name="last"/>: <paramref name="read"/> gives
    /// a line's text (empty: a blank line that ends the block) or null for a line to pass over (page furniture).</summary>
    public static List<List<(int Line, string Text)>> Blocks(int first, int last, Func<int, string?> read)
    {
        var blocks = new List<List<(int, string)>>();
        var cur = new List<(int, string)>();
        for (int n = first; n <= last; n++)
        {
            if (read(n) is not { } line)
            {
                continue;
            }
            if (line.Length == 0)
            {
                if (cur.Count > 0)
                {
                    blocks.Add(cur);
                    cur = [];
                }
                continue;
            }
            cur.Add((n, line));
        }
        if (cur.Count > 0)
        {
            blocks.Add(cur);
        }
        return blocks;
    }

    /// <summary>Finds the tag token of an attribute row: "(gggg,eeee)" followed by a VR token or the end of the line.</summary>
    public static Match TagToken(string line) => TagRowRx().Match(line);

    /// <summary>Parses the rows of an attribute table between <paramref name="first"/> and <paramref name="last"/>.</summary>
    public static List<SpaceRow> Parse(StatementText text, int first, int last)
    {
        var rows = new List<SpaceRow>();
        var pending = new List<(int Line, string Text)>(); // name lines of the next row
        SpaceRow? cur = null;
        var curRest = new List<(int Line, string Text, int Group)>();
        int group = 0;
        bool closed = true;

        void Finish()
        {
            if (cur is null)
            {
                return;
            }
            var rest = string.Join(" ", curRest.Select(r => r.Text.Trim())).Trim();
            Split(cur, rest);
            cur.Last = curRest.Count > 0 ? Math.Max(cur.TagLine, curRest[^1].Line) : cur.TagLine;
            rows.Add(cur);
            cur = null;
            curRest.Clear();
        }

        for (int n = first; n <= last; n++)
        {
            var line = text[n];
            if (IsNoise(line))
            {
                continue;
            }
            if (line.Trim().Length == 0)
            {
                group++;
                if (cur is not null && HasPresence(curRest))
                {
                    closed = true;
                }
                continue;
            }
            var m = TagToken(line);
            if (m.Success)
            {
                var inline = line[..m.Index];
                List<(int Line, string Text)> nameLines;
                if (cur is not null && !closed)
                {
                    // the open row never reached its presence word: its trailing group is the new row's name when the tag line has none
                    var lastGroup = curRest.Count > 0 ? curRest[^1].Group : -1;
                    var tail = curRest.Where(r => r.Group == lastGroup).ToList();
                    nameLines = [];
                    if (inline.Trim().Length == 0 && tail.Count > 0 && lastGroup != curRest[0].Group)
                    {
                        curRest.RemoveAll(r => r.Group == lastGroup);
                        nameLines.AddRange(tail.Select(t => (t.Line, t.Text)));
                    }
                }
                else
                {
                    nameLines = [.. pending];
                }
                Finish();
                pending.Clear();
                nameLines.Add((n, inline));
                var name = string.Join(" ", nameLines.Select(x => x.Text.Trim()).Where(x => x.Length > 0));
                cur = new SpaceRow
                {
                    Level = Vocabulary.Level(name),
                    Name = Vocabulary.StripLevel(name.Replace('\u00b4', '\'')),
                    PrintedTag = m.Groups["tag"].Value.Trim(),
                    Tag = Vocabulary.Tag(m.Groups["tag"].Value.Replace(" ", "")) ?? "",
                    TagLine = n,
                    First = nameLines[0].Line,
                };
                group++;
                curRest.Add((n, line[(m.Index + m.Groups["tag"].Length)..].TrimStart(')', ' ').Trim(), group));
                closed = false;
                continue;
            }
            if (cur is not null && !closed)
            {
                curRest.Add((n, line, group));
                continue;
            }
            pending.Add((n, line));
        }
        Finish();
        return rows;
    }

    private static bool HasPresence(List<(int Line, string Text, int Group)> rest) =>
        rest.Any(r => r.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(PresenceWords.Contains));

    private static void Split(SpaceRow row, string rest)
    {
        var tokens = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        int i = 0;
        if (tokens.Count > 0 && VrRx().IsMatch(tokens[0]))
        {
            row.Vr = tokens[0];
            i = 1;
        }
        else if (tokens.Count > 1 && tokens[0].Length == 1 && tokens[1].Length == 1 && VrRx().IsMatch(tokens[0] + tokens[1]))
        {
            row.Vr = tokens[0] + tokens[1]; // VR broken over two lines ("S" / "Q")
            i = 2;
        }
        int p = tokens.FindIndex(i, PresenceWords.Contains);
        if (p < 0)
        {
            row.Value = string.Join(" ", tokens.Skip(i));
            return;
        }
        row.Value = string.Join(" ", tokens.Skip(i).Take(p - i));
        row.Presence = tokens[p];
        row.Source = string.Join(" ", tokens.Skip(p + 1));
    }

    [GeneratedRegex(@"^(DICOM Conformance Statement|syngo CT VA50A\s+Page \d+ of \d+|Print No\..*|https?://\S*|file:///\S*|Attribute\s+Tag\s+VR(\s+Value)?(\s+Presence)?(\s+Source)?|Attribute\s+Tag\s+VR\s+Value\s+Presence\s+Sour|Sour|ce|future versions of this software without further notice\.|\d{1,2}\s+(The|Default|Only|If|Not|This|Value|For|In|When|Configurable|Option)\b.*)$")]
    private static partial Regex NoiseRx();

    // tag + VR (or a quoted value when the VR is missing, "Code Meaning (0008,0104)  “…”"), or tag at the end of the line unless
    // prose precedes it ("Empty if KVP is available in (0018,9362)")
    [GeneratedRegex(@"(?<tag>\(\(?\s*[0-9A-Fa-f]{2}[0-9A-Fa-fxX]{2}\s*,\s*[0-9A-Fa-fxX]{4}\s*\))(?=\s+(?:[A-Z]{2}(?:/[A-Z]{2})*|[A-Z])(?:\s|$)|\s+[“""])|(?<![a-z]\s*)(?<tag>\(\(?\s*[0-9A-Fa-f]{2}[0-9A-Fa-fxX]{2}\s*,\s*[0-9A-Fa-fxX]{4}\s*\))(?=\s*$)")]
    private static partial Regex TagRowRx();

    [GeneratedRegex(@"^[A-Z]{2}(/[A-Z]{2})*$")]
    private static partial Regex VrRx();
}
