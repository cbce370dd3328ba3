using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Dicom.Typed.Definitions.Extractor.Parsing;

/// <summary>Presence/source vocabularies and cell normalizers shared by all devices.</summary>
public static partial class Vocabulary
{
    /// <summary>Known source words.</summary>
    public static readonly IReadOnlySet<string> SourceWords = new HashSet<string>(StringComparer.Ordinal)
    {
        "AUTO", "CONFIG", "COPY", "FIXED", "IMPLICIT", "MPPS", "MWL", "USER", "RIS", "CALC", "DERIVED", "PRIOR",
    };

    /// <summary>
    /// Maps a presence word to a DICOM type. Philips legend: ALWAYS = always present with a value (1);
    /// VNAP = always present, value not always present (2); EMPTY = present without value (2);
    /// ANAP = present only under a condition, then with a value (3, or 1C when the condition is mapped).
    /// DICOM types (1, 1C, 2, 2C, 3) pass through.
    /// </summary>
    public static Presence? MapPresence(string word, bool conditionMapped)
    {
        var w = word.Trim().ToUpperInvariant();
        if (w.Length == 0)
        {
            return null;
        }
        string type = w switch
        {
            "ALWAYS" => "1",
            "VNAP" => "2",
            "EMPTY" => "2",
            "ANAP" => conditionMapped ? "1C" : "3",
            "ANAPCV" => conditionMapped ? "1C" : "3",
            "1" or "1C" or "2" or "2C" or "3" => w,
            _ => "",
        };
        return new Presence { Word = word.Trim(), Type = type };
    }

    /// <summary>Module usage M/C/U from a module presence word.</summary>
    public static string ModuleUsage(string word)
    {
        var w = word.Trim().ToUpperInvariant();
        if (w.StartsWith("ALWAYS", StringComparison.Ordinal) || w == "M" || w.StartsWith("MANDATORY", StringComparison.Ordinal))
        {
            return "M";
        }
        if (w.StartsWith("COND", StringComparison.Ordinal) || w == "C")
        {
            return "C";
        }
        return "U";
    }

    /// <summary>Splits a source cell ("AUTO, COPY") into words.</summary>
    public static List<string> Sources(string cell) =>
        StatementText.Clean(cell).Split([',', '/', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(s => s.Length > 0).ToList();

    /// <summary>Tag cell normalized to "GGGG,EEEE" (upper case hex, x kept lower case); null if not a tag.</summary>
    public static string? Tag(string cell)
    {
        var c = cell.Trim().TrimStart('>').Trim().Trim('(', ')', ':', ' ');
        var m = TagRx().Match(c);
        if (!m.Success)
        {
            return null;
        }
        return Hex(m.Groups[1].Value) + "," + Hex(m.Groups[2].Value);

        static string Hex(string s)
        {
            var sb = new StringBuilder(4);
            foreach (var ch in s)
            {
                sb.Append(ch is 'x' or 'X' ? 'x' : char.ToUpperInvariant(ch));
            }
            return sb.ToString();
        }
    }

    /// <summary>Whether a cell looks like a tag.</summary>
    public static bool IsTag(string cell) => Tag(cell) is not null;

    /// <summary>Number of leading '&gt;' (spaces between allowed).</summary>
    public static int Level(string cell)
    {
        int n = 0;
        foreach (var ch in cell.TrimStart())
        {
            if (ch == '>')
            {
                n++;
            }
            else if (ch != ' ')
            {
                break;
            }
        }
        return n;
    }

    /// <summary>Name without nesting markers.</summary>
    public static string StripLevel(string cell) => StatementText.Clean(cell.TrimStart().TrimStart('>', ' '));

    /// <summary>VR normalized: spaces removed, alternatives joined with '/'.</summary>
    public static string Vr(string cell)
    {
        var c = StatementText.Clean(cell).Replace(" or ", "/", StringComparison.OrdinalIgnoreCase).Replace(" ", "");
        return c.ToUpperInvariant();
    }

    /// <summary>Keyword from a name: words capitalized, non-alphanumerics removed.</summary>
    public static string Keyword(string name)
    {
        var sb = new StringBuilder();
        foreach (var word in KeywordSplit().Split(name))
        {
            if (word.Length == 0)
            {
                continue;
            }
            sb.Append(char.ToUpperInvariant(word[0]));
            sb.Append(word.AsSpan(1));
        }
        var k = sb.ToString();
        return k.Length > 0 && char.IsDigit(k[0]) ? "_" + k : k;
    }

    /// <summary>Normalized name for comparisons: lower case letters and digits only, "'s" dropped.</summary>
    public static string NameKey(string name) =>
        new(name.Replace("'s ", " ", StringComparison.Ordinal).Replace("’s ", " ", StringComparison.Ordinal)
            .ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());

    /// <summary>Invariant int to string.</summary>
    public static string Inv(int i) => i.ToString(CultureInfo.InvariantCulture);

    // "0054.0014" (002 L3354, L5042): a dot printed instead of the comma
    [GeneratedRegex(@"^([0-9A-Fa-fxX]{4})(?:\s*,\s*|\.)([0-9A-Fa-fxX]{4})$")]
    private static partial Regex TagRx();

    [GeneratedRegex(@"[^A-Za-z0-9]+")]
    private static partial Regex KeywordSplit();
}
