using System.Globalization;

namespace Dicom.Typed;

/// <summary>A DICOM attribute tag (group, element), PS3.5 section 7.1.</summary>
/// <remarks>Well-known tags are generated from the standard data dictionary as static properties, e.g. <see cref="PatientName"/>.</remarks>
public readonly partial struct DicomTag : IEquatable<DicomTag>, IComparable<DicomTag>, ISpanFormattable
{
    /// <summary>Creates a tag from its 32-bit value (group in the high 16 bits).</summary>
    /// <param name="value">The tag as <c>0xGGGGEEEE</c>.</param>
    public DicomTag(uint value) => Value = value;

    /// <summary>Creates a tag from group and element numbers.</summary>
    /// <param name="group">The group number.</param>
    /// <param name="element">The element number.</param>
    public DicomTag(ushort group, ushort element) => Value = ((uint)group << 16) | element;

    /// <summary>The tag as <c>0xGGGGEEEE</c>.</summary>
    public uint Value { get; }

    /// <summary>The group number.</summary>
    public ushort Group => (ushort)(Value >> 16);

    /// <summary>The element number.</summary>
    public ushort Element => (ushort)Value;

    /// <summary>True for tags in odd groups other than 0001, 0003, 0005, 0007 and FFFF (PS3.5 7.8.1).</summary>
    public bool IsPrivate => (Group & 1) == 1 && Group > 0x0007 && Group != 0xFFFF;

    /// <summary>True for a Private Creator Data Element (gggg,0010-00FF) in a private group.</summary>
    public bool IsPrivateCreator => IsPrivate && Element >= 0x0010 && Element <= 0x00FF;

    /// <summary>For a private data element (gggg,xxyy) with xx ≥ 0x10, the block number xx; otherwise 0.</summary>
    public byte PrivateBlock => IsPrivate && Element >= 0x1000 ? (byte)(Element >> 8) : (byte)0;

    /// <summary>For a private data element, the tag of the private creator element that reserves its block.</summary>
    public DicomTag PrivateCreatorTag => new(Group, PrivateBlock);

    /// <summary>True for a group length element (gggg,0000).</summary>
    public bool IsGroupLength => Element == 0;

    /// <summary>Item (FFFE,E000).</summary>
    public static DicomTag ItemTag => new(0xFFFEE000u);

    /// <summary>Item Delimitation Item (FFFE,E00D).</summary>
    public static DicomTag ItemDelimitationTag => new(0xFFFEE00Du);

    /// <summary>Sequence Delimitation Item (FFFE,E0DD).</summary>
    public static DicomTag SequenceDelimitationTag => new(0xFFFEE0DDu);

    /// <summary>The dictionary entry of this tag (or a generic entry for unknown and private tags).</summary>
    public DicomDictionaryEntry DictionaryEntry => DicomDictionary.Lookup(this);

    /// <summary>Parses <c>(gggg,eeee)</c>, <c>gggg,eeee</c>, <c>ggggeeee</c>, or a keyword from the dictionary.</summary>
    /// <param name="text">The text to parse.</param>
    /// <exception cref="FormatException">The text is neither a tag nor a known keyword.</exception>
    public static DicomTag Parse(string text)
    {
        if (TryParse(text, out var tag)) return tag;
        throw new FormatException($"'{text}' is not a DICOM tag or keyword");
    }

    /// <summary>Tries to parse <c>(gggg,eeee)</c>, <c>gggg,eeee</c>, <c>ggggeeee</c>, or a keyword.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="tag">The parsed tag.</param>
    /// <returns>True on success.</returns>
    public static bool TryParse(string? text, out DicomTag tag)
    {
        tag = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        ReadOnlySpan<char> s = text.AsSpan().Trim();
        if (s.Length > 0 && s[0] == '(' && s[^1] == ')') s = s[1..^1];
        Span<char> hex = stackalloc char[8];
        int n = 0;
        foreach (char c in s)
        {
            if (c == ',' || c == ' ') continue;
            if (n == 8 || !char.IsAsciiHexDigit(c)) { n = -1; break; }
            hex[n++] = c;
        }
        if (n == 8 && uint.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint v))
        {
            tag = new DicomTag(v);
            return true;
        }
        var entry = DicomDictionary.LookupKeyword(text.Trim());
        if (entry != null)
        {
            tag = entry.Tag;
            return true;
        }
        return false;
    }

    /// <inheritdoc />
    public bool Equals(DicomTag other) => Value == other.Value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DicomTag t && t.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => (int)Value;

    /// <inheritdoc />
    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    /// <summary>Formats as <c>(GGGG,EEEE)</c>.</summary>
    public override string ToString() => string.Create(11, Value, static (span, v) => Format(span, v));

    /// <inheritdoc />
    public string ToString(string? format, IFormatProvider? formatProvider) => format switch
    {
        null or "" or "P" => ToString(),
        "X" => Value.ToString("X8", CultureInfo.InvariantCulture),
        "J" => Value.ToString("X8", CultureInfo.InvariantCulture),
        _ => throw new FormatException($"Unknown tag format '{format}'"),
    };

    /// <inheritdoc />
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        if (destination.Length < 11) { charsWritten = 0; return false; }
        Format(destination, Value);
        charsWritten = 11;
        return true;
    }

    private static void Format(Span<char> span, uint v)
    {
        const string digits = "0123456789ABCDEF";
        span[0] = '(';
        span[5] = ',';
        span[10] = ')';
        for (int i = 0; i < 4; i++)
        {
            span[4 - i] = digits[(int)((v >> (16 + 4 * i)) & 0xF)];
            span[9 - i] = digits[(int)((v >> (4 * i)) & 0xF)];
        }
    }

    /// <summary>Equality.</summary>
    public static bool operator ==(DicomTag a, DicomTag b) => a.Value == b.Value;

    /// <summary>Inequality.</summary>
    public static bool operator !=(DicomTag a, DicomTag b) => a.Value != b.Value;

    /// <summary>Ordering by (group, element).</summary>
    public static bool operator <(DicomTag a, DicomTag b) => a.Value < b.Value;

    /// <summary>Ordering by (group, element).</summary>
    public static bool operator >(DicomTag a, DicomTag b) => a.Value > b.Value;

    /// <summary>Ordering by (group, element).</summary>
    public static bool operator <=(DicomTag a, DicomTag b) => a.Value <= b.Value;

    /// <summary>Ordering by (group, element).</summary>
    public static bool operator >=(DicomTag a, DicomTag b) => a.Value >= b.Value;
}
