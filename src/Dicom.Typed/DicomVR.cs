using Dicom.Typed.Text;

namespace Dicom.Typed;

/// <summary>A DICOM Value Representation (PS3.5 section 6.2).</summary>
public sealed class DicomVR : IEquatable<DicomVR>
{
    private DicomVR(string code, string name, bool longLength, bool isString, bool charset, int unitSize, int maxLength, byte padding, bool multiValued)
    {
        Code = code;
        Name = name;
        HasLongLength = longLength;
        IsString = isString;
        IsCharacterSetSensitive = charset;
        UnitSize = unitSize;
        MaxLength = maxLength;
        PaddingByte = padding;
        IsMultiValuedString = multiValued;
        Value = (ushort)((code[0] << 8) | code[1]);
    }

    /// <summary>The two-letter code, e.g. <c>PN</c>.</summary>
    public string Code { get; }

    /// <summary>The name of the VR in PS3.5.</summary>
    public string Name { get; }

    /// <summary>The code as two ASCII bytes in a 16-bit number (first letter in the high byte).</summary>
    public ushort Value { get; }

    /// <summary>True when Explicit VR encodings use two reserved bytes and a 32-bit length (PS3.5 7.1.2).</summary>
    public bool HasLongLength { get; }

    /// <summary>True for character string VRs.</summary>
    public bool IsString { get; }

    /// <summary>True for string VRs whose bytes depend on the Specific Character Set (SH, LO, ST, LT, UC, UT, PN).</summary>
    public bool IsCharacterSetSensitive { get; }

    /// <summary>True for string VRs where a backslash separates values (all string VRs but ST, LT, UT, UR).</summary>
    public bool IsMultiValuedString { get; }

    /// <summary>For binary VRs the size in bytes of one value, which is also the byte-swap unit (AT: 2); 1 for OB/UN; 0 for strings and SQ.</summary>
    public int UnitSize { get; }

    /// <summary>Maximum length in bytes (or characters for LO, SH, … per PS3.5) of one value; 0 when unlimited or not applicable.</summary>
    public int MaxLength { get; }

    /// <summary>The byte used to pad a value to even length.</summary>
    public byte PaddingByte { get; }

    /// <summary>True for sequences.</summary>
    public bool IsSequence => this == SQ;

    /// <summary>True for binary VRs whose values are numbers (US, SS, UL, SL, FL, FD, SV, UV, AT, OW, OF, OD, OL, OV).</summary>
    public bool IsBinaryNumeric => !IsString && UnitSize > 1;

    /// <summary>How the character-set decoder delimits values of this VR.</summary>
    public DicomTextKind TextKind => this == PN ? DicomTextKind.PersonName : IsMultiValuedString ? DicomTextKind.MultiValue : DicomTextKind.SingleValue;

    /// <summary>Application Entity.</summary>
    public static readonly DicomVR AE = new("AE", "Application Entity", false, true, false, 0, 16, 0x20, true);
    /// <summary>Age String.</summary>
    public static readonly DicomVR AS = new("AS", "Age String", false, true, false, 0, 4, 0x20, true);
    /// <summary>Attribute Tag.</summary>
    public static readonly DicomVR AT = new("AT", "Attribute Tag", false, false, false, 2, 4, 0, false);
    /// <summary>Code String.</summary>
    public static readonly DicomVR CS = new("CS", "Code String", false, true, false, 0, 16, 0x20, true);
    /// <summary>Date.</summary>
    public static readonly DicomVR DA = new("DA", "Date", false, true, false, 0, 8, 0x20, true);
    /// <summary>Decimal String.</summary>
    public static readonly DicomVR DS = new("DS", "Decimal String", false, true, false, 0, 16, 0x20, true);
    /// <summary>Date Time.</summary>
    public static readonly DicomVR DT = new("DT", "Date Time", false, true, false, 0, 26, 0x20, true);
    /// <summary>Floating Point Single.</summary>
    public static readonly DicomVR FL = new("FL", "Floating Point Single", false, false, false, 4, 4, 0, false);
    /// <summary>Floating Point Double.</summary>
    public static readonly DicomVR FD = new("FD", "Floating Point Double", false, false, false, 8, 8, 0, false);
    /// <summary>Integer String.</summary>
    public static readonly DicomVR IS = new("IS", "Integer String", false, true, false, 0, 12, 0x20, true);
    /// <summary>Long String.</summary>
    public static readonly DicomVR LO = new("LO", "Long String", false, true, true, 0, 64, 0x20, true);
    /// <summary>Long Text.</summary>
    public static readonly DicomVR LT = new("LT", "Long Text", false, true, true, 0, 10240, 0x20, false);
    /// <summary>Other Byte.</summary>
    public static readonly DicomVR OB = new("OB", "Other Byte", true, false, false, 1, 0, 0, false);
    /// <summary>Other Double.</summary>
    public static readonly DicomVR OD = new("OD", "Other Double", true, false, false, 8, 0, 0, false);
    /// <summary>Other Float.</summary>
    public static readonly DicomVR OF = new("OF", "Other Float", true, false, false, 4, 0, 0, false);
    /// <summary>Other Long.</summary>
    public static readonly DicomVR OL = new("OL", "Other Long", true, false, false, 4, 0, 0, false);
    /// <summary>Other 64-bit Very Long.</summary>
    public static readonly DicomVR OV = new("OV", "Other 64-bit Very Long", true, false, false, 8, 0, 0, false);
    /// <summary>Other Word.</summary>
    public static readonly DicomVR OW = new("OW", "Other Word", true, false, false, 2, 0, 0, false);
    /// <summary>Person Name.</summary>
    public static readonly DicomVR PN = new("PN", "Person Name", false, true, true, 0, 64, 0x20, true);
    /// <summary>Short String.</summary>
    public static readonly DicomVR SH = new("SH", "Short String", false, true, true, 0, 16, 0x20, true);
    /// <summary>Signed Long.</summary>
    public static readonly DicomVR SL = new("SL", "Signed Long", false, false, false, 4, 4, 0, false);
    /// <summary>Sequence of Items.</summary>
    public static readonly DicomVR SQ = new("SQ", "Sequence of Items", true, false, false, 0, 0, 0, false);
    /// <summary>Signed Short.</summary>
    public static readonly DicomVR SS = new("SS", "Signed Short", false, false, false, 2, 2, 0, false);
    /// <summary>Short Text.</summary>
    public static readonly DicomVR ST = new("ST", "Short Text", false, true, true, 0, 1024, 0x20, false);
    /// <summary>Signed 64-bit Very Long.</summary>
    public static readonly DicomVR SV = new("SV", "Signed 64-bit Very Long", true, false, false, 8, 8, 0, false);
    /// <summary>Time.</summary>
    public static readonly DicomVR TM = new("TM", "Time", false, true, false, 0, 14, 0x20, true);
    /// <summary>Unlimited Characters.</summary>
    public static readonly DicomVR UC = new("UC", "Unlimited Characters", true, true, true, 0, 0, 0x20, true);
    /// <summary>Unique Identifier (UID).</summary>
    public static readonly DicomVR UI = new("UI", "Unique Identifier", false, true, false, 0, 64, 0x00, true);
    /// <summary>Unsigned Long.</summary>
    public static readonly DicomVR UL = new("UL", "Unsigned Long", false, false, false, 4, 4, 0, false);
    /// <summary>Unknown.</summary>
    public static readonly DicomVR UN = new("UN", "Unknown", true, false, false, 1, 0, 0, false);
    /// <summary>Universal Resource Identifier or Locator.</summary>
    public static readonly DicomVR UR = new("UR", "Universal Resource Identifier or Universal Resource Locator", true, true, false, 0, 0, 0x20, false);
    /// <summary>Unsigned Short.</summary>
    public static readonly DicomVR US = new("US", "Unsigned Short", false, false, false, 2, 2, 0, false);
    /// <summary>Unlimited Text.</summary>
    public static readonly DicomVR UT = new("UT", "Unlimited Text", true, true, true, 0, 0, 0x20, false);
    /// <summary>Unsigned 64-bit Very Long.</summary>
    public static readonly DicomVR UV = new("UV", "Unsigned 64-bit Very Long", true, false, false, 8, 8, 0, false);

    private static readonly DicomVR[] All =
    [
        AE, AS, AT, CS, DA, DS, DT, FL, FD, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS, ST, SV, TM, UC, UI, UL, UN, UR, US, UT, UV,
    ];

    /// <summary>All VRs of PS3.5 Table 6.2-1.</summary>
    public static IReadOnlyList<DicomVR> Values => All;

    /// <summary>Looks a VR up by its two ASCII bytes.</summary>
    /// <param name="first">First byte.</param>
    /// <param name="second">Second byte.</param>
    /// <returns>The VR, or null when the bytes are not a known VR.</returns>
    public static DicomVR? FromBytes(byte first, byte second)
    {
        ushort v = (ushort)((first << 8) | second);
        foreach (var vr in All)
        {
            if (vr.Value == v) return vr;
        }
        return null;
    }

    /// <summary>Parses a VR code such as <c>PN</c>.</summary>
    /// <param name="code">The two-letter code.</param>
    /// <exception cref="FormatException">Unknown VR.</exception>
    public static DicomVR Parse(string code) =>
        TryParse(code, out var vr) ? vr : throw new FormatException($"'{code}' is not a DICOM VR");

    /// <summary>Tries to parse a VR code.</summary>
    /// <param name="code">The two-letter code.</param>
    /// <param name="vr">The VR.</param>
    /// <returns>True when known.</returns>
    public static bool TryParse(string? code, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DicomVR? vr)
    {
        vr = code is { Length: 2 } ? FromBytes((byte)code[0], (byte)code[1]) : null;
        return vr != null;
    }

    /// <inheritdoc />
    public bool Equals(DicomVR? other) => ReferenceEquals(this, other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    /// <inheritdoc />
    public override int GetHashCode() => Value;

    /// <inheritdoc />
    public override string ToString() => Code;
}
