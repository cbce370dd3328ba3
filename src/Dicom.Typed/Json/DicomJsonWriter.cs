using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace Dicom.Typed.Json;

/// <summary>Writes data sets as DICOM JSON (PS3.18 F.2).</summary>
internal sealed class DicomJsonWriter(DicomJsonOptions options)
{
    private const long MaxSafeInteger = 9007199254740991; // 2^53 - 1

    public void WriteDataset(Utf8JsonWriter w, DicomDataset dataset, string path)
    {
        w.WriteStartObject();
        Span<char> key = stackalloc char[8];
        foreach (var item in dataset)
        {
            if (item.Tag.IsGroupLength && !options.IncludeGroupLengths) continue;
            item.Tag.Value.TryFormat(key, out _, "X8", CultureInfo.InvariantCulture);
            w.WritePropertyName(key);
            string itemPath = path.Length == 0 ? item.Tag.ToString() : path + "." + item.Tag.ToString();
            w.WriteStartObject();
            w.WriteString("vr", item.VR.Code);
            switch (item)
            {
                case DicomSequence sq:
                    if (sq.Items.Count > 0)
                    {
                        w.WriteStartArray("Value");
                        for (int i = 0; i < sq.Items.Count; i++) WriteDataset(w, sq.Items[i], $"{itemPath}[{i}]");
                        w.WriteEndArray();
                    }
                    break;
                case DicomFragmentSequence fs:
                    WriteFragments(w, fs, itemPath);
                    break;
                case DicomElement e:
                    WriteElement(w, e, itemPath);
                    break;
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private string? BulkUri(DicomItem item, long length, string path) =>
        options.BulkDataUriProvider != null && length > options.BulkDataThreshold ? options.BulkDataUriProvider(path, item) : null;

    private void WriteFragments(Utf8JsonWriter w, DicomFragmentSequence fs, string path)
    {
        long total = 8 + fs.OffsetTable.Length;
        foreach (var f in fs.Fragments) total += 8 + f.Length;
        if (BulkUri(fs, total, path) is { } uri)
        {
            w.WriteString("BulkDataURI", uri);
            return;
        }
        // The encapsulated item stream as in Part 10 (PS3.5 A.4), without the Sequence Delimitation Item: the same
        // bytes pydicom writes for encapsulated Pixel Data; the reader turns them back into fragments.
        using var ms = new MemoryStream((int)Math.Min(total, int.MaxValue));
        WriteItem(ms, fs.OffsetTable);
        foreach (var f in fs.Fragments) WriteItem(ms, f);
        w.WriteBase64String("InlineBinary", ms.GetBuffer().AsSpan(0, (int)ms.Length));
    }

    private static void WriteItem(Stream s, DicomBuffer value)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(header, 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], 0xE000);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)value.Length);
        s.Write(header);
        value.CopyTo(s);
    }

    private void WriteElement(Utf8JsonWriter w, DicomElement e, string path)
    {
        if (e.Buffer is DicomBulkDataReference reference)
        {
            w.WriteString("BulkDataURI", reference.Uri);
            return;
        }
        if (e.IsEmpty) return;
        var vr = e.VR;
        if (IsBinaryVR(vr))
        {
            if (BulkUri(e, e.Length, path) is { } uri) w.WriteString("BulkDataURI", uri);
            else w.WriteBase64String("InlineBinary", e.Bytes);
            return;
        }
        w.WriteStartArray("Value");
        switch (vr.Code)
        {
            case "PN":
                foreach (var v in e.GetStrings()) WritePersonName(w, v);
                break;
            case "AT":
                foreach (var t in e.GetValues<DicomTag>()) w.WriteStringValue(t.Value.ToString("X8", CultureInfo.InvariantCulture));
                break;
            case "DS":
            case "IS":
                foreach (var v in e.GetStrings()) WriteNumberString(w, v);
                break;
            case "FL":
                foreach (var v in e.GetValues<float>())
                {
                    if (float.IsFinite(v)) w.WriteNumberValue(v); else w.WriteStringValue(NonFinite(v));
                }
                break;
            case "FD":
                foreach (var v in e.GetValues<double>())
                {
                    if (double.IsFinite(v)) w.WriteNumberValue(v); else w.WriteStringValue(NonFinite(v));
                }
                break;
            case "US":
                foreach (var v in e.GetValues<ushort>()) w.WriteNumberValue(v);
                break;
            case "SS":
                foreach (var v in e.GetValues<short>()) w.WriteNumberValue(v);
                break;
            case "UL":
                foreach (var v in e.GetValues<uint>()) w.WriteNumberValue(v);
                break;
            case "SL":
                foreach (var v in e.GetValues<int>()) w.WriteNumberValue(v);
                break;
            case "SV":
                foreach (var v in e.GetValues<long>())
                {
                    if (v >= -MaxSafeInteger && v <= MaxSafeInteger) w.WriteNumberValue(v);
                    else w.WriteStringValue(v.ToString(CultureInfo.InvariantCulture));
                }
                break;
            case "UV":
                foreach (var v in e.GetValues<ulong>())
                {
                    if (v <= MaxSafeInteger) w.WriteNumberValue(v);
                    else w.WriteStringValue(v.ToString(CultureInfo.InvariantCulture));
                }
                break;
            default:
                foreach (var v in e.GetStrings())
                {
                    if (v.Length == 0) w.WriteNullValue(); else w.WriteStringValue(v);
                }
                break;
        }
        w.WriteEndArray();
    }

    internal static bool IsBinaryVR(DicomVR vr) =>
        vr == DicomVR.OB || vr == DicomVR.OW || vr == DicomVR.OF || vr == DicomVR.OD || vr == DicomVR.OL || vr == DicomVR.OV || vr == DicomVR.UN;

    private static string NonFinite(double v) => double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity";

    private static readonly string[] GroupNames = ["Alphabetic", "Ideographic", "Phonetic"];

    private static void WritePersonName(Utf8JsonWriter w, string value)
    {
        if (value.Length == 0)
        {
            w.WriteNullValue();
            return;
        }
        var groups = value.Split('=');
        w.WriteStartObject();
        for (int i = 0; i < groups.Length && i < 3; i++)
        {
            string g = groups[i].TrimEnd(' ');
            if (g.Length > 0) w.WriteString(GroupNames[i], g);
        }
        w.WriteEndObject();
    }

    private void WriteNumberString(Utf8JsonWriter w, string value)
    {
        if (value.Length == 0)
        {
            w.WriteNullValue();
            return;
        }
        if (options.NumberStringMode == DicomJsonNumberStringMode.Number)
        {
            if (IsJsonNumber(value))
            {
                w.WriteRawValue(value, skipInputValidation: true);
                return;
            }
            if (TryRepairNumber(value) is { } repaired)
            {
                w.WriteRawValue(repaired, skipInputValidation: true);
                return;
            }
        }
        w.WriteStringValue(value);
    }

    /// <summary>True when <paramref name="s"/> matches the JSON number grammar (RFC 8259 section 6).</summary>
    internal static bool IsJsonNumber(ReadOnlySpan<char> s)
    {
        int i = 0, n = s.Length;
        if (i < n && s[i] == '-') i++;
        if (i >= n) return false;
        if (s[i] == '0') i++;
        else if (s[i] >= '1' && s[i] <= '9') { while (i < n && char.IsAsciiDigit(s[i])) i++; }
        else return false;
        if (i < n && s[i] == '.')
        {
            i++;
            int start = i;
            while (i < n && char.IsAsciiDigit(s[i])) i++;
            if (i == start) return false;
        }
        if (i < n && (s[i] == 'e' || s[i] == 'E'))
        {
            i++;
            if (i < n && (s[i] == '+' || s[i] == '-')) i++;
            int start = i;
            while (i < n && char.IsAsciiDigit(s[i])) i++;
            if (i == start) return false;
        }
        return i == n;
    }

    /// <summary>Rewrites a DICOM DS/IS number that JSON does not accept (<c>+5</c>, <c>.5</c>, <c>007</c>, <c>5.</c>) with the same digits; null when it is no number.</summary>
    internal static string? TryRepairNumber(string s)
    {
        s = s.Trim(' ');
        bool negative = false;
        int i = 0;
        if (i < s.Length && (s[i] == '+' || s[i] == '-')) { negative = s[i] == '-'; i++; }
        int intStart = i;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        string intPart = s[intStart..i];
        string frac = "";
        if (i < s.Length && s[i] == '.')
        {
            i++;
            int fs = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            frac = s[fs..i];
        }
        if (intPart.Length == 0 && frac.Length == 0) return null;
        string exp = "";
        if (i < s.Length && (s[i] == 'e' || s[i] == 'E'))
        {
            int es = i;
            i++;
            if (i < s.Length && (s[i] == '+' || s[i] == '-')) i++;
            int ds = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            if (i == ds) return null;
            exp = s[es..i];
        }
        if (i != s.Length) return null;
        intPart = intPart.TrimStart('0');
        if (intPart.Length == 0) intPart = "0";
        string result = (negative ? "-" : "") + intPart + (frac.Length > 0 ? "." + frac : "") + exp;
        return IsJsonNumber(result) ? result : null;
    }
}
