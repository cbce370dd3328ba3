using System.Text.RegularExpressions;

namespace Dicom.Typed.Definitions.Extractor.Parsing;

/// <summary>Classifies value cells (fixed, enumerated, pattern, code, variants, text).</summary>
public static partial class ValueParser
{
    /// <summary>Parses a value cell; <paramref name="variantKeys"/> are the per-variant prefixes ("2DXA", "SNS", ...).</summary>
    public static ValueSpec? Parse(string cell, IReadOnlyList<string> variantKeys)
    {
        var raw = StatementText.Clean(cell);
        if (raw.Length == 0 || raw == "-")
        {
            return null;
        }
        var spec = new ValueSpec { Raw = raw };
        if (variantKeys.Count > 0)
        {
            var rx = new Regex(@"(?:^|(?<=[\s,;)]))(" + string.Join("|", variantKeys.Select(Regex.Escape)) + @")\s*:\s*");
            var ms = rx.Matches(raw);
            if (ms.Count > 0 && ms[0].Index == 0)
            {
                spec.Kind = "variants";
                spec.Variants = [];
                for (int i = 0; i < ms.Count; i++)
                {
                    int start = ms[i].Index + ms[i].Length;
                    int end = i + 1 < ms.Count ? ms[i + 1].Index : raw.Length;
                    spec.Variants.Add(new VariantValue { Key = ms[i].Groups[1].Value, Text = BackslashSpace().Replace(raw[start..end].Trim().TrimEnd(',', ';').Trim(), "\\") });
                }
                return spec;
            }
        }
        var codes = CodeRx().Matches(raw);
        if (codes.Count > 0)
        {
            spec.Kind = "code";
            spec.Codes = codes.Select(m => new CodeTriple { Value = m.Groups[1].Value.Trim(), Scheme = m.Groups[2].Value.Trim(), Meaning = m.Groups[3].Value.Trim() }).ToList();
            return spec;
        }
        if (RangeRx().IsMatch(raw))
        {
            spec.Kind = "pattern"; // numeric range "40 to 200", "0-7"
            return spec;
        }
        if (NumberListRx().IsMatch(raw))
        {
            spec.Kind = "enumerated";
            spec.Values = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
            return spec;
        }
        if (PatternRx().IsMatch(raw))
        {
            spec.Kind = "pattern";
            return spec;
        }
        if (ProseRx().IsMatch(raw))
        {
            return spec; // a sentence ("Same as series description."), not a value
        }
        var parts = OrRx().Split(raw);
        if (parts.Length > 1 && parts.All(IsToken))
        {
            spec.Kind = "enumerated";
            spec.Values = parts.Select(Normalize).ToList();
            return spec;
        }
        if (IsToken(raw))
        {
            spec.Kind = "fixed";
            spec.Values = [Normalize(raw)];
        }
        return spec;
    }

    private static bool IsToken(string s) => s.Length is > 0 and <= 64 && TokenRx().IsMatch(s) && s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= 4;

    private static string Normalize(string s) => BackslashSpace().Replace(s.Trim().Trim('"'), "\\");

    // the meaning in straight or typographic quotes: (125025,DCM,"Visual Alignment"), (125021, DCM, “Frame of Reference Identity”) (syngo L8539)
    [GeneratedRegex(@"\(\s*([^,()""“”]+?)\s*,\s*([A-Za-z0-9_.\-]+)\s*,\s*[""“]([^""“”]+)[""”]\s*\)")]
    private static partial Regex CodeRx();

    [GeneratedRegex(@"->|\s\+\s|<[^>]+>|\d\.x\b|\bx\.y\b|nnn|\bn\b|\[|\]|\*")]
    private static partial Regex PatternRx();

    [GeneratedRegex(@"\s+(?:or|OR|Or)\s+|\s*,\s*(?=[A-Z0-9_]+$)")]
    private static partial Regex OrRx();

    [GeneratedRegex(@"^""?[A-Za-z0-9_.\\\- ^]+""?$")]
    private static partial Regex TokenRx();

    [GeneratedRegex(@"^-?\d+(\.\d+)?\s*(to|-|–)\s*-?\d+(\.\d+)?$")]
    private static partial Regex RangeRx();

    [GeneratedRegex(@"^\d+( \d+)+$")]
    private static partial Regex NumberListRx();

    [GeneratedRegex(@"^(Same|From|See|Zero|No) |(^|\s)(as|of|to|for|if|the|from|in|is|by|when)(\s|$)|[a-z]\.$")]
    private static partial Regex ProseRx();

    [GeneratedRegex(@"\\\s+")]
    private static partial Regex BackslashSpace();
}
