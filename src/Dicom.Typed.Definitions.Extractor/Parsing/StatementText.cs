using System.Text;
using System.Text.RegularExpressions;

namespace Dicom.Typed.Definitions.Extractor.Parsing;

/// <summary>A statement text file as 1-based lines (an unterminated last line is kept).</summary>
public sealed partial class StatementText
{
    private readonly string[] _lines;

    /// <summary>Creates from text.</summary>
    public StatementText(string text)
    {
        text = text.Replace("\r\n", "\n").Replace('\r', '\n');
        if (text.EndsWith('\n'))
        {
            text = text[..^1];
        }
        _lines = text.Split('\n');
    }

    /// <summary>Loads a file.</summary>
    public static StatementText Load(string path) => new(File.ReadAllText(path, Encoding.UTF8));

    /// <summary>Number of lines.</summary>
    public int Count => _lines.Length;

    /// <summary>Line n (1-based); empty outside the file.</summary>
    public string this[int n] => n >= 1 && n <= _lines.Length ? _lines[n - 1] : "";

    /// <summary>Whether the line has a TAB (i.e. is a table row).</summary>
    public bool IsRow(int n) => this[n].Contains('\t');

    /// <summary>Raw cells of a TAB row.</summary>
    public string[] Cells(int n) => this[n].Split('\t');

    /// <summary>Cleans a cell: HTML tags (a fixed list, so placeholders like &lt;xxxx&gt; survive) removed, whitespace collapsed, trimmed.</summary>
    public static string Clean(string cell)
    {
        var s = HtmlTag().Replace(cell, " ");
        s = s.Replace('\u00a0', ' ');
        s = Spaces().Replace(s, " ");
        return s.Trim();
    }

    /// <summary>Whether the line is a Markdown separator row (dashes, pipes, tabs, colons only).</summary>
    public bool IsSeparator(int n)
    {
        var l = this[n];
        return l.Length > 0 && l.Contains('-') && SeparatorRow().IsMatch(l);
    }

    [GeneratedRegex(@"</?(?:p|ul|ol|li|i|b|u|em|strong|br|div|span|input|sup|sub|table|tr|td|th)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^[\s\-|:]+$")]
    private static partial Regex SeparatorRow();
}
