using System.Text;
using System.Text.RegularExpressions;

namespace Dicom.Typed.Network;

/// <summary>Attribute matching of C-FIND identifiers against stored data sets (PS3.4 C.2.2.2): universal (empty key),
/// single value, wildcard (<c>*</c>, <c>?</c>), list of UIDs, range (DA, TM, DT: <c>a-b</c>, <c>a-</c>, <c>-b</c>) and
/// sequence matching (an item of the candidate must match every key of the query item). Person names match case-insensitively.</summary>
public static class DicomKeyMatching
{
    /// <summary>True when <paramref name="candidate"/> matches every matching key of <paramref name="identifier"/>
    /// (keys with a value; empty keys are return keys and match anything). Group 0000/0002 and Specific Character Set are ignored.</summary>
    /// <param name="identifier">The query identifier.</param>
    /// <param name="candidate">A stored data set.</param>
    public static bool Matches(DicomDataset identifier, DicomDataset candidate)
    {
        foreach (var key in identifier)
        {
            if (key.Tag.Group is 0x0000 or 0x0002 || key.Tag == DicomTag.SpecificCharacterSet || key.Tag == DicomTag.QueryRetrieveLevel) continue;
            if (key is DicomSequence seq)
            {
                if (seq.Items.Count == 0 || seq.Items[0].Count == 0) continue;
                var query = seq.Items[0];
                if (!HasMatchingKey(query)) continue;
                if (candidate.GetSequence(key.Tag) is not { } candSeq || !candSeq.Items.Any(item => Matches(query, item))) return false;
                continue;
            }
            if (key is not DicomElement e || e.IsEmpty) continue;
            if (!MatchesElement(e, candidate.GetElement(key.Tag))) return false;
        }
        return true;
    }

    private static bool HasMatchingKey(DicomDataset ds) =>
        ds.Any(i => i is DicomElement { IsEmpty: false } || i is DicomSequence s && s.Items.Count > 0 && HasMatchingKey(s.Items[0]));

    /// <summary>Matches one key element against the candidate's element (null when absent: only universal matching succeeds).</summary>
    /// <param name="key">The key with a value.</param>
    /// <param name="value">The candidate's element, or null.</param>
    public static bool MatchesElement(DicomElement key, DicomElement? value)
    {
        if (key.IsEmpty) return true;
        string k = key.GetString().TrimEnd(' ', '\0');
        if (k.Length == 0 || k == "*") return true;
        if (value == null || value.IsEmpty) return false;
        string[] values = value.VR.IsString ? value.GetStrings().Select(v => v.Trim(' ', '\0')).ToArray() : [value.GetString()];
        if (key.VR == DicomVR.UI)
        {
            var list = k.Split('\\', StringSplitOptions.RemoveEmptyEntries).Select(u => u.Trim()).ToHashSet(StringComparer.Ordinal);
            return values.Any(list.Contains);
        }
        if ((key.VR == DicomVR.DA || key.VR == DicomVR.TM || key.VR == DicomVR.DT) && k.Contains('-'))
        {
            int dash = k.IndexOf('-');
            string lo = k[..dash].Trim(), hi = k[(dash + 1)..].Trim();
            return values.Any(v => InRange(v, lo, hi, key.VR));
        }
        if (k.Contains('*') || k.Contains('?'))
        {
            var rx = "^" + Regex.Escape(k).Replace("\\*", ".*").Replace("\\?", ".") + "$";
            var opts = key.VR == DicomVR.PN ? RegexOptions.IgnoreCase | RegexOptions.CultureInvariant : RegexOptions.CultureInvariant;
            return values.Any(v => Regex.IsMatch(v, rx, opts, TimeSpan.FromSeconds(1)));
        }
        var cmp = key.VR == DicomVR.PN ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        if (key.VR == DicomVR.DA || key.VR == DicomVR.TM || key.VR == DicomVR.DT) return values.Any(v => InRange(v, k, k, key.VR));
        return values.Any(v => cmp.Equals(v, k));
    }

    private static bool InRange(string value, string lo, string hi, DicomVR vr)
    {
        // Compare on the common precision: TM "1200" matches the range 120000-130000 by its first digits.
        // Digits only: "093000.5" and "0930005" order alike once padded; a DT offset (+hhmm) is not compared.
        static string Norm(string s)
        {
            int plus = s.IndexOfAny(['+', '-'], 1);
            if (plus > 0) s = s[..plus];
            return new string(s.Where(char.IsAsciiDigit).ToArray());
        }
        string v = Norm(value);
        if (lo.Length > 0 && string.CompareOrdinal(Pad(v, vr, false), Pad(Norm(lo), vr, false)) < 0) return false;
        if (hi.Length > 0 && string.CompareOrdinal(Pad(v, vr, false), Pad(Norm(hi), vr, true)) > 0) return false;
        return true;
    }

    private static string Pad(string s, DicomVR vr, bool upper)
    {
        int width = vr == DicomVR.DA ? 8 : vr == DicomVR.TM ? 12 : 20;
        if (s.Length >= width) return s[..width];
        var sb = new StringBuilder(s);
        while (sb.Length < width) sb.Append(upper ? '9' : '0');
        return sb.ToString();
    }

    /// <summary>Builds a C-FIND response identifier: for every key of <paramref name="identifier"/>, the candidate's value
    /// (or an empty element when it has none); sequences keep only the requested keys of each item. Specific Character Set is copied from the candidate.</summary>
    /// <param name="identifier">The query identifier.</param>
    /// <param name="candidate">The matching data set.</param>
    public static DicomDataset Project(DicomDataset identifier, DicomDataset candidate)
    {
        var result = new DicomDataset();
        if (candidate.GetElement(DicomTag.SpecificCharacterSet) is { } cs) result.AddOrUpdate(cs);
        foreach (var key in identifier)
        {
            if (key.Tag.Group is 0x0000 or 0x0002 || key.Tag == DicomTag.SpecificCharacterSet) continue;
            if (key is DicomSequence seq)
            {
                var query = seq.Items.Count > 0 ? seq.Items[0] : null;
                if (candidate.GetSequence(key.Tag) is { } candSeq)
                {
                    var items = candSeq.Items.Where(i => query == null || !HasMatchingKey(query) || Matches(query, i))
                        .Select(i => query == null || query.Count == 0 ? Copy(i) : Project(query, i));
                    result.AddOrUpdate(new DicomSequence(key.Tag, items));
                }
                else result.AddOrUpdate(new DicomSequence(key.Tag));
                continue;
            }
            if (candidate[key.Tag] is DicomElement value) result.AddOrUpdate(value);
            else if (key is DicomElement ke) result.AddOrUpdate(new DicomElement(key.Tag, ke.VR, DicomBuffer.Empty));
        }
        return result;
    }

    private static DicomDataset Copy(DicomDataset ds)
    {
        var copy = new DicomDataset();
        foreach (var i in ds)
            copy.AddOrUpdate(i is DicomSequence s ? new DicomSequence(s.Tag, s.Items.Select(Copy)) : i);
        return copy;
    }
}
