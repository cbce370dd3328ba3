using System.Text.RegularExpressions;

namespace Dicom.Typed.Definitions.Extractor.Parsing;

/// <summary>A table of the statement: caption line and the lines it spans.</summary>
public sealed class TableSpan
{
    /// <summary>Table id ("Table 9", or a synthetic "§6.1.2").</summary>
    public string Id { get; init; } = "";
    /// <summary>Table number (0 for synthetic tables).</summary>
    public int Number { get; init; }
    /// <summary>Caption text after the number.</summary>
    public string Title { get; init; } = "";
    /// <summary>Line of the caption.</summary>
    public int CaptionLine { get; init; }
    /// <summary>Last line of the table (last non-blank line before the next caption/heading).</summary>
    public int EndLine { get; set; }

    /// <summary>Provenance of a row of this table.</summary>
    public Provenance At(int first, int last) => new() { Table = Id, Title = Title, Lines = [first, last] };

    /// <summary>Provenance of the whole table.</summary>
    public Provenance Whole() => At(CaptionLine, EndLine);
}

/// <summary>Finds captions and headings.</summary>
public static partial class TableScanner
{
    /// <summary>Caption: "Table N: Title" / "Table N : Title" / "**Table N: Title**" / "Table N Title", possibly glued after prose.</summary>
    public static (int Number, string Title)? Caption(string line)
    {
        if (line.Contains('\t'))
        {
            return null;
        }
        var m = CaptionRx().Match(line);
        if (!m.Success)
        {
            return null;
        }
        return (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), StatementText.Clean(m.Groups[2].Value.Trim('*', ' ')));
    }

    /// <summary>Numbered heading ("8.1.2.1.1 X-Ray …", "6.1.2. Patient Module", "4. Networking"); returns number and title.</summary>
    public static (string Number, string Title)? Heading(string line)
    {
        if (line.Contains('\t'))
        {
            return null;
        }
        var m = HeadingRx().Match(line.Trim('*', '#', ' '));
        return m.Success ? (m.Groups[1].Value.TrimEnd('.'), m.Groups[2].Value.Trim('*', ' ')) : null;
    }

    /// <summary>Scans all captioned tables; each ends before the next caption or heading.</summary>
    public static List<TableSpan> Scan(StatementText text)
    {
        var list = new List<TableSpan>();
        for (int n = 1; n <= text.Count; n++)
        {
            var c = Caption(text[n]);
            if (c is null)
            {
                continue;
            }
            list.Add(new TableSpan { Id = $"Table {c.Value.Number}", Number = c.Value.Number, Title = c.Value.Title, CaptionLine = n, EndLine = FindEnd(text, n) });
        }
        return list;
    }

    /// <summary>Last non-blank line before the next caption or heading after <paramref name="start"/>.</summary>
    public static int FindEnd(StatementText text, int start)
    {
        int last = start;
        for (int n = start + 1; n <= text.Count; n++)
        {
            if (Caption(text[n]) is not null || Heading(text[n]) is not null)
            {
                break;
            }
            if (text[n].Trim().Length > 0)
            {
                last = n;
            }
        }
        return last;
    }

    [GeneratedRegex(@"^(?:.*\d)?\**Table\s?(\d+)\s*:?\s+([^:\s].*)$")]
    private static partial Regex CaptionRx();

    [GeneratedRegex(@"^(\d+\.(?:\d+\.?)*)\s+(\S.*)$")]
    private static partial Regex HeadingRx();
}
