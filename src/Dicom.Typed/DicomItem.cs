using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Dicom.Typed.Text;

namespace Dicom.Typed;

/// <summary>A data element of a data set: a value element, a sequence, or encapsulated pixel data.</summary>
public abstract class DicomItem
{
    /// <summary>Creates an item.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="vr">The VR.</param>
    protected DicomItem(DicomTag tag, DicomVR vr)
    {
        Tag = tag;
        VR = vr;
    }

    /// <summary>The tag.</summary>
    public DicomTag Tag { get; }

    /// <summary>The value representation.</summary>
    public DicomVR VR { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Tag} {VR}";
}

/// <summary>A data element holding a value (any VR except SQ), with typed access to its values.</summary>
public sealed class DicomElement : DicomItem
{
    private static readonly char[] Backslash = ['\\'];

    /// <summary>Creates an element from raw little-endian bytes.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="vr">The VR.</param>
    /// <param name="buffer">The value bytes (little endian; strings encoded in <paramref name="characterSet"/>).</param>
    /// <param name="characterSet">The character set the string bytes are encoded in.</param>
    public DicomElement(DicomTag tag, DicomVR vr, DicomBuffer buffer, DicomCharacterSet? characterSet = null) : base(tag, vr)
    {
        if (vr == DicomVR.SQ) throw new ArgumentException("Use DicomSequence for SQ elements", nameof(vr));
        Buffer = buffer;
        CharacterSet = characterSet ?? DicomCharacterSet.Default;
    }

    /// <summary>The value bytes.</summary>
    public DicomBuffer Buffer { get; }

    /// <summary>The character set in which string bytes are encoded (relevant for SH, LO, ST, LT, UC, UT, PN).</summary>
    public DicomCharacterSet CharacterSet { get; }

    /// <summary>The value length in bytes.</summary>
    public long Length => Buffer.Length;

    /// <summary>The raw value bytes (loads a lazy value).</summary>
    public ReadOnlySpan<byte> Bytes => Buffer.Memory.Span;

    /// <summary>True when the value is empty.</summary>
    public bool IsEmpty => Buffer.Length == 0;

    /// <summary>The number of values (VM actually present).</summary>
    public int Count
    {
        get
        {
            if (Buffer.Length == 0) return 0;
            if (VR.IsString)
            {
                if (!VR.IsMultiValuedString) return 1;
                return GetStrings().Length;
            }
            if (VR == DicomVR.AT) return (int)(Buffer.Length / 4);
            if (VR == DicomVR.OB || VR == DicomVR.UN || VR.UnitSize <= 1) return 1;
            if (VR.HasLongLength && VR != DicomVR.SV && VR != DicomVR.UV) return 1; // OW, OF, OD, OL, OV hold one value
            return (int)(Buffer.Length / VR.UnitSize);
        }
    }

    /// <summary>Decodes the whole value as text without removing padding.</summary>
    public string GetRawString()
    {
        var bytes = Bytes;
        if (bytes.IsEmpty) return string.Empty;
        return VR.IsCharacterSetSensitive ? CharacterSet.Decode(bytes, VR.TextKind) : DecodeDefault(bytes);
    }

    private static string DecodeDefault(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    /// <summary>The value as one string with padding removed (multiple values stay joined with '\').</summary>
    /// <exception cref="DicomValueException">The VR is not a string VR and not convertible.</exception>
    public string GetString()
    {
        if (!VR.IsString)
        {
            if (VR == DicomVR.AT || VR.IsBinaryNumeric || VR == DicomVR.SV || VR == DicomVR.UV)
                return string.Join('\\', GetNumericStrings());
            throw new DicomValueException(Tag, $"VR {VR} has no string value");
        }
        if (!VR.IsMultiValuedString) return TrimValue(GetRawString());
        return string.Join('\\', GetStrings());
    }

    /// <summary>The values of a string element, each with padding removed.</summary>
    public string[] GetStrings()
    {
        if (Buffer.Length == 0) return [];
        if (!VR.IsString) return GetNumericStrings();
        string raw = GetRawString();
        if (!VR.IsMultiValuedString) return [TrimValue(raw)];
        var parts = raw.Split(Backslash);
        for (int i = 0; i < parts.Length; i++) parts[i] = TrimValue(parts[i]);
        return parts;
    }

    private string[] GetNumericStrings()
    {
        if (VR == DicomVR.AT) return Array.ConvertAll(GetValues<DicomTag>(), t => t.ToString("X", null));
        return VR.Code switch
        {
            "US" or "OW" => Array.ConvertAll(GetValues<ushort>(), v => v.ToString(CultureInfo.InvariantCulture)),
            "SS" => Array.ConvertAll(GetValues<short>(), v => v.ToString(CultureInfo.InvariantCulture)),
            "UL" or "OL" => Array.ConvertAll(GetValues<uint>(), v => v.ToString(CultureInfo.InvariantCulture)),
            "SL" => Array.ConvertAll(GetValues<int>(), v => v.ToString(CultureInfo.InvariantCulture)),
            "FL" or "OF" => Array.ConvertAll(GetValues<float>(), v => v.ToString("R", CultureInfo.InvariantCulture)),
            "FD" or "OD" => Array.ConvertAll(GetValues<double>(), v => v.ToString("R", CultureInfo.InvariantCulture)),
            "SV" => Array.ConvertAll(GetValues<long>(), v => v.ToString(CultureInfo.InvariantCulture)),
            "UV" or "OV" => Array.ConvertAll(GetValues<ulong>(), v => v.ToString(CultureInfo.InvariantCulture)),
            _ => [Convert.ToHexString(Bytes)],
        };
    }

    private string TrimValue(string s)
    {
        // Trailing spaces are insignificant for all string VRs; UI pads with NUL. Leading spaces are insignificant
        // for AE, CS, DS, IS, SH, LO, AS, DA, TM, DT, UI (PS3.5 6.2); they are significant in ST, LT, UT, UC, PN.
        int end = s.Length;
        while (end > 0 && (s[end - 1] == ' ' || s[end - 1] == '\0')) end--;
        int start = 0;
        if (VR == DicomVR.AE || VR == DicomVR.CS || VR == DicomVR.DS || VR == DicomVR.IS || VR == DicomVR.SH || VR == DicomVR.LO
            || VR == DicomVR.AS || VR == DicomVR.DA || VR == DicomVR.TM || VR == DicomVR.DT || VR == DicomVR.UI)
        {
            while (start < end && s[start] == ' ') start++;
        }
        return start == 0 && end == s.Length ? s : s[start..end];
    }

    /// <summary>Gets one value converted to <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">string, a numeric type, DicomTag, DicomDate, DicomTime, DicomDateTime, DicomPersonName, DicomDecimalString, DicomIntegerString, DicomUid, or byte[].</typeparam>
    /// <param name="index">The value index (0-based).</param>
    /// <exception cref="DicomValueException">No such value, or not convertible.</exception>
    public T GetValue<T>(int index = 0)
    {
        if (typeof(T) == typeof(byte[])) return (T)(object)Bytes.ToArray();
        var values = GetValues<T>();
        if (index < 0 || index >= values.Length) throw new DicomValueException(Tag, $"has {values.Length} value(s); index {index} requested");
        return values[index];
    }

    /// <summary>Gets all values converted to <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">See <see cref="GetValue{T}(int)"/>.</typeparam>
    /// <exception cref="DicomValueException">Not convertible.</exception>
    public T[] GetValues<T>()
    {
        try
        {
            return ConvertValues<T>();
        }
        catch (FormatException e)
        {
            throw new DicomValueException(Tag, $"value of VR {VR} is not a valid {typeof(T).Name}: {e.Message}", e);
        }
        catch (OverflowException e)
        {
            throw new DicomValueException(Tag, $"value of VR {VR} does not fit {typeof(T).Name}", e);
        }
    }

    private T[] ConvertValues<T>()
    {
        var t = typeof(T);
        if (t == typeof(string)) return (T[])(object)GetStrings();
        if (VR.IsString)
        {
            var strings = GetStrings();
            if (t == typeof(DicomDecimalString)) return (T[])(object)Array.ConvertAll(strings, s => new DicomDecimalString(s));
            if (t == typeof(DicomIntegerString)) return (T[])(object)Array.ConvertAll(strings, s => new DicomIntegerString(s));
            if (t == typeof(DicomDate)) return (T[])(object)Array.ConvertAll(strings, s => DicomDate.Parse(s));
            if (t == typeof(DicomTime)) return (T[])(object)Array.ConvertAll(strings, s => DicomTime.Parse(s));
            if (t == typeof(DicomDateTime)) return (T[])(object)Array.ConvertAll(strings, s => DicomDateTime.Parse(s));
            if (t == typeof(DateOnly)) return (T[])(object)Array.ConvertAll(strings, s => DicomDate.Parse(s).ToDateOnly());
            if (t == typeof(TimeOnly)) return (T[])(object)Array.ConvertAll(strings, s => DicomTime.Parse(s).ToTimeOnly());
            if (t == typeof(DateTimeOffset)) return (T[])(object)Array.ConvertAll(strings, s => DicomDateTime.Parse(s).ToDateTimeOffset());
            if (t == typeof(DicomPersonName)) return (T[])(object)Array.ConvertAll(strings, DicomPersonName.Parse);
            if (t == typeof(DicomUid)) return (T[])(object)Array.ConvertAll(strings, DicomUid.Parse);
            if (t == typeof(double)) return (T[])(object)Array.ConvertAll(strings, s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture));
            if (t == typeof(float)) return (T[])(object)Array.ConvertAll(strings, s => float.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture));
            if (t == typeof(decimal)) return (T[])(object)Array.ConvertAll(strings, s => decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture));
            if (t == typeof(int)) return (T[])(object)Array.ConvertAll(strings, s => int.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
            if (t == typeof(long)) return (T[])(object)Array.ConvertAll(strings, s => long.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
            if (t == typeof(ushort)) return (T[])(object)Array.ConvertAll(strings, s => ushort.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture));
            if (t == typeof(uint)) return (T[])(object)Array.ConvertAll(strings, s => uint.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture));
            if (t == typeof(DicomTag)) return (T[])(object)Array.ConvertAll(strings, DicomTag.Parse);
            throw new DicomValueException(Tag, $"cannot convert VR {VR} to {t.Name}");
        }
        var bytes = Bytes;
        if (t == typeof(DicomTag))
        {
            if (VR != DicomVR.AT && VR != DicomVR.UN) throw new DicomValueException(Tag, $"cannot convert VR {VR} to DicomTag");
            var words = MemoryMarshal.Cast<byte, ushort>(bytes[..(bytes.Length / 4 * 4)]);
            var tags = new DicomTag[words.Length / 2];
            for (int i = 0; i < tags.Length; i++) tags[i] = new DicomTag(words[2 * i], words[2 * i + 1]);
            return (T[])(object)tags;
        }
        if (t == typeof(byte)) return (T[])(object)bytes.ToArray();
        if (t == typeof(ushort)) return Cast<ushort, T>(bytes);
        if (t == typeof(short)) return Cast<short, T>(bytes);
        if (t == typeof(uint)) return Cast<uint, T>(bytes);
        if (t == typeof(int)) return Cast<int, T>(bytes);
        if (t == typeof(float)) return Cast<float, T>(bytes);
        if (t == typeof(double)) return VR == DicomVR.FL || VR == DicomVR.OF ? (T[])(object)Array.ConvertAll(Cast<float, float>(bytes), f => (double)f) : Cast<double, T>(bytes);
        if (t == typeof(long)) return Cast<long, T>(bytes);
        if (t == typeof(ulong)) return Cast<ulong, T>(bytes);
        if (t == typeof(string)) return (T[])(object)GetNumericStrings();
        throw new DicomValueException(Tag, $"cannot convert VR {VR} to {t.Name}");
    }

    private static T[] Cast<TIn, T>(ReadOnlySpan<byte> bytes) where TIn : struct
    {
        int size = Marshal.SizeOf<TIn>();
        var arr = MemoryMarshal.Cast<byte, TIn>(bytes[..(bytes.Length / size * size)]).ToArray();
        return (T[])(object)arr;
    }

    /// <summary>Creates a string element; values are joined with '\' and encoded in <paramref name="characterSet"/>, padded to even length.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="vr">A string VR.</param>
    /// <param name="characterSet">The character set.</param>
    /// <param name="values">The values.</param>
    public static DicomElement FromStrings(DicomTag tag, DicomVR vr, DicomCharacterSet characterSet, params string[] values)
    {
        if (!vr.IsString) throw new ArgumentException($"VR {vr} is not a string VR", nameof(vr));
        string joined = values.Length == 1 ? values[0] : string.Join('\\', values);
        byte[] bytes = vr.IsCharacterSetSensitive ? characterSet.Encode(joined, vr.TextKind) : EncodeDefault(tag, joined);
        return new DicomElement(tag, vr, DicomBuffer.FromMemory(Pad(bytes, vr.PaddingByte)), characterSet);
    }

    private static byte[] EncodeDefault(DicomTag tag, string text)
    {
        foreach (char c in text)
        {
            if (c > 0xFF) throw new DicomValueException(tag, $"character '{c}' is outside the default repertoire of this VR");
        }
        return Encoding.Latin1.GetBytes(text);
    }

    internal static byte[] Pad(byte[] bytes, byte padding)
    {
        if ((bytes.Length & 1) == 0) return bytes;
        var padded = new byte[bytes.Length + 1];
        bytes.CopyTo(padded, 0);
        padded[^1] = padding;
        return padded;
    }

    /// <summary>Creates a binary element from numeric values (US, SS, UL, SL, FL, FD, SV, UV, OW, OF, OD, OL, OV, OB).</summary>
    /// <typeparam name="T">An unmanaged numeric type matching the VR.</typeparam>
    /// <param name="tag">The tag.</param>
    /// <param name="vr">The VR.</param>
    /// <param name="values">The values.</param>
    public static DicomElement FromValues<T>(DicomTag tag, DicomVR vr, params T[] values) where T : unmanaged
    {
        if (vr.IsString) throw new ArgumentException($"VR {vr} is a string VR", nameof(vr));
        var bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        return new DicomElement(tag, vr, DicomBuffer.FromMemory(Pad(bytes, 0)));
    }

    /// <summary>Creates an AT element.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="values">The attribute tags.</param>
    public static DicomElement FromTags(DicomTag tag, params DicomTag[] values)
    {
        var words = new ushort[values.Length * 2];
        for (int i = 0; i < values.Length; i++) { words[2 * i] = values[i].Group; words[2 * i + 1] = values[i].Element; }
        return FromValues(tag, DicomVR.AT, words);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Tag} {VR} [{(VR.IsString ? GetString() : $"{Length} bytes")}]";
}

/// <summary>A sequence element (VR SQ) holding items, each a data set.</summary>
public sealed class DicomSequence : DicomItem
{
    private readonly List<DicomDataset> _items = [];

    /// <summary>Creates a sequence.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="items">The items.</param>
    public DicomSequence(DicomTag tag, params DicomDataset[] items) : this(tag, (IEnumerable<DicomDataset>)items) { }

    /// <summary>Creates a sequence.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="items">The items.</param>
    public DicomSequence(DicomTag tag, IEnumerable<DicomDataset> items) : base(tag, DicomVR.SQ)
    {
        foreach (var i in items) Add(i);
    }

    /// <summary>The items.</summary>
    public IReadOnlyList<DicomDataset> Items => _items;

    /// <summary>Whether the sequence is written with undefined length (delimited); preserved from the source, true for new sequences.</summary>
    public bool UndefinedLength { get; set; } = true;

    /// <summary>Appends an item.</summary>
    /// <param name="item">The item data set.</param>
    public void Add(DicomDataset item)
    {
        item.Parent = this;
        _items.Add(item);
    }

    /// <summary>Removes an item.</summary>
    /// <param name="item">The item.</param>
    public bool Remove(DicomDataset item) => _items.Remove(item);

    /// <inheritdoc />
    public override string ToString() => $"{Tag} SQ ({_items.Count} items)";
}

/// <summary>Encapsulated Pixel Data (PS3.5 A.4): a Basic Offset Table item and the compressed fragments, passed through untouched.</summary>
public sealed class DicomFragmentSequence : DicomItem
{
    /// <summary>Creates encapsulated pixel data.</summary>
    /// <param name="tag">The tag (normally (7FE0,0010)).</param>
    /// <param name="vr">OB (or OW as some writers label it).</param>
    /// <param name="offsetTable">The Basic Offset Table item value (may be empty).</param>
    /// <param name="fragments">The fragments.</param>
    public DicomFragmentSequence(DicomTag tag, DicomVR vr, DicomBuffer offsetTable, IEnumerable<DicomBuffer> fragments) : base(tag, vr)
    {
        OffsetTable = offsetTable;
        Fragments = fragments.ToList();
    }

    /// <summary>The Basic Offset Table item value (little-endian 32-bit offsets), possibly empty.</summary>
    public DicomBuffer OffsetTable { get; }

    /// <summary>The fragments in order.</summary>
    public IReadOnlyList<DicomBuffer> Fragments { get; }

    /// <summary>The Basic Offset Table as offsets.</summary>
    public uint[] GetOffsets() => MemoryMarshal.Cast<byte, uint>(OffsetTable.Memory.Span[..((int)OffsetTable.Length / 4 * 4)]).ToArray();

    /// <inheritdoc />
    public override string ToString() => $"{Tag} {VR} encapsulated ({Fragments.Count} fragments)";
}
