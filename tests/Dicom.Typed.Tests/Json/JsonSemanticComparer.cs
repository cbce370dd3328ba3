using System.Globalization;
using System.Text.Json;

namespace Dicom.Typed.Tests.Json;

/// <summary>One difference between two DICOM JSON documents.</summary>
/// <param name="Path">Tag path, e.g. <c>300A00B0[0].300A00B6</c>.</param>
/// <param name="Kind">missing-in-ours, missing-in-theirs, vr, value.</param>
/// <param name="Vr">Our VR (or theirs when we lack the element).</param>
/// <param name="TheirVr">Their VR.</param>
/// <param name="Detail">Human-readable values.</param>
internal sealed record JsonDifference(string Path, string Kind, string Vr, string TheirVr, string Detail)
{
    public override string ToString() => $"{Path} [{Kind}] ours {Vr} theirs {TheirVr}: {Detail}";
}

/// <summary>
/// Compares two DICOM JSON data sets semantically: same keys (group lengths ignored), same VR, and values equal after
/// normalisation: null and "" and a missing "Value" are the same empty value (and [""] the same as no value); strings are compared without surrounding
/// spaces; numbers (or numeric strings) with a relative tolerance of 1e-6 (FL values printed from float or double);
/// PN groups without trailing '^'; InlineBinary by decoded bytes (one trailing pad byte tolerated); SQ items
/// recursively. Differences are returned, not thrown, so tests can classify the known ones.
/// </summary>
internal static class JsonSemanticComparer
{
    public static List<JsonDifference> Compare(JsonElement ours, JsonElement theirs)
    {
        var diffs = new List<JsonDifference>();
        CompareDataset(ours, theirs, "", diffs);
        return diffs;
    }

    private static Dictionary<string, JsonElement> Members(JsonElement ds)
    {
        var d = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in ds.EnumerateObject())
        {
            if (p.Name.Length == 8 && p.Name.EndsWith("0000", StringComparison.Ordinal)) continue; // group length
            d[p.Name.ToUpperInvariant()] = p.Value;
        }
        return d;
    }

    private static string Vr(JsonElement attr) => attr.TryGetProperty("vr", out var v) ? v.GetString() ?? "" : "";

    private static void CompareDataset(JsonElement ours, JsonElement theirs, string path, List<JsonDifference> diffs)
    {
        var a = Members(ours);
        var b = Members(theirs);
        foreach (var key in a.Keys.Union(b.Keys).OrderBy(k => k, StringComparer.Ordinal))
        {
            string p = path.Length == 0 ? key : path + "." + key;
            if (!b.TryGetValue(key, out var theirAttr)) { diffs.Add(new(p, "missing-in-theirs", Vr(a[key]), "", Brief(a[key]))); continue; }
            if (!a.TryGetValue(key, out var ourAttr)) { diffs.Add(new(p, "missing-in-ours", "", Vr(theirAttr), Brief(theirAttr))); continue; }
            string va = Vr(ourAttr), vb = Vr(theirAttr);
            if (va != vb) { diffs.Add(new(p, "vr", va, vb, $"{Brief(ourAttr)} vs {Brief(theirAttr)}")); continue; }
            CompareAttribute(ourAttr, theirAttr, va, p, diffs);
        }
    }

    private static void CompareAttribute(JsonElement a, JsonElement b, string vr, string path, List<JsonDifference> diffs)
    {
        if (vr == "SQ")
        {
            var ia = Values(a);
            var ib = Values(b);
            if (ia.Count != ib.Count) { diffs.Add(new(path, "value", vr, vr, $"{ia.Count} items vs {ib.Count} items")); return; }
            for (int i = 0; i < ia.Count; i++) CompareDataset(ia[i], ib[i], $"{path}[{i}]", diffs);
            return;
        }
        bool hasBinaryA = a.TryGetProperty("InlineBinary", out var binA), hasBinaryB = b.TryGetProperty("InlineBinary", out var binB);
        if (hasBinaryA || hasBinaryB)
        {
            byte[] x = hasBinaryA ? Convert.FromBase64String(binA.GetString()!) : [];
            byte[] y = hasBinaryB ? Convert.FromBase64String(binB.GetString()!) : [];
            if (!BytesEqual(x, y)) diffs.Add(new(path, "value", vr, vr, $"InlineBinary {x.Length} bytes vs {y.Length} bytes"));
            return;
        }
        if (a.TryGetProperty("BulkDataURI", out _) || b.TryGetProperty("BulkDataURI", out _)) return; // URIs are not comparable
        var va = Values(a).Select(v => Normalize(v, vr)).ToList();
        var vb = Values(b).Select(v => Normalize(v, vr)).ToList();
        if (va is [""]) va.Clear(); // a single empty value is an empty element
        if (vb is [""]) vb.Clear();
        if (va.Count != vb.Count || va.Zip(vb).Any(t => !ValueEquals(t.First, t.Second)))
            diffs.Add(new(path, "value", vr, vr, $"[{string.Join(", ", va)}] vs [{string.Join(", ", vb)}]"));
    }

    private static bool BytesEqual(byte[] x, byte[] y)
    {
        if (x.AsSpan().SequenceEqual(y)) return true;
        if (x.Length == y.Length + 1 && x[^1] == 0 && x.AsSpan(0, y.Length).SequenceEqual(y)) return true;
        return y.Length == x.Length + 1 && y[^1] == 0 && y.AsSpan(0, x.Length).SequenceEqual(x);
    }

    private static List<JsonElement> Values(JsonElement attr) =>
        attr.TryGetProperty("Value", out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().ToList() : [];

    private static string Normalize(JsonElement v, string vr)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.Null:
                return "";
            case JsonValueKind.Number:
                return v.GetRawText();
            case JsonValueKind.String:
                return v.GetString()!.Trim(' ', '\0');
            case JsonValueKind.Object when vr == "PN":
                string G(string name) => v.TryGetProperty(name, out var g) && g.ValueKind == JsonValueKind.String ? g.GetString()!.Trim(' ').TrimEnd('^', ' ') : "";
                string s = G("Alphabetic") + "=" + G("Ideographic") + "=" + G("Phonetic");
                return s.TrimEnd('=');
            default:
                return v.GetRawText();
        }
    }

    private static bool ValueEquals(string x, string y)
    {
        if (x == y) return true;
        if (double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out double dx)
            && double.TryParse(y, NumberStyles.Float, CultureInfo.InvariantCulture, out double dy))
        {
            if (double.IsNaN(dx) && double.IsNaN(dy)) return true;
            return Math.Abs(dx - dy) <= 1e-6 * Math.Max(1, Math.Max(Math.Abs(dx), Math.Abs(dy)));
        }
        // PN: "A" and "A^" are the same name; compare groups component-wise without trailing separators.
        return false;
    }

    private static string Brief(JsonElement attr)
    {
        string s = attr.GetRawText();
        return s.Length > 120 ? s[..120] + "…" : s;
    }
}
