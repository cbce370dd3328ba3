using System.Numerics;
using System.Security.Cryptography;

namespace Dicom.Typed;

/// <summary>Kinds of UIDs in the registry of PS3.6 Annex A.</summary>
public enum DicomUidType
{
    /// <summary>Not in the registry, or an unclassified type.</summary>
    Other,
    /// <summary>SOP Class.</summary>
    SopClass,
    /// <summary>Meta SOP Class.</summary>
    MetaSopClass,
    /// <summary>Transfer Syntax.</summary>
    TransferSyntax,
    /// <summary>Well-known SOP Instance.</summary>
    WellKnownSopInstance,
    /// <summary>Well-known frame of reference.</summary>
    WellKnownFrameOfReference,
    /// <summary>Synchronization Frame of Reference.</summary>
    SynchronizationFrameOfReference,
    /// <summary>Coding Scheme.</summary>
    CodingScheme,
    /// <summary>Application Context Name.</summary>
    ApplicationContextName,
    /// <summary>Service Class.</summary>
    ServiceClass,
    /// <summary>LDAP OID.</summary>
    LdapOid,
    /// <summary>Application Hosting Model.</summary>
    ApplicationHostingModel,
    /// <summary>Mapping Resource.</summary>
    MappingResource,
}

/// <summary>A DICOM unique identifier with its registry information (PS3.5 chapter 9, PS3.6 Annex A).</summary>
/// <remarks>The registered UIDs are generated at build time from <c>uids.json</c> as static fields, e.g. <see cref="CTImageStorage"/>.</remarks>
public sealed partial class DicomUid : IEquatable<DicomUid>
{
    private static Dictionary<string, DicomUid>? _registry;

    /// <summary>Creates a UID with registry information.</summary>
    /// <param name="value">The dotted UID.</param>
    /// <param name="name">The registered name.</param>
    /// <param name="keyword">The registered keyword.</param>
    /// <param name="type">The UID type.</param>
    /// <param name="isRetired">Retired flag.</param>
    /// <param name="info">Additional registry text.</param>
    public DicomUid(string value, string name, string keyword, DicomUidType type, bool isRetired = false, string info = "")
    {
        Value = value;
        Name = name;
        Keyword = keyword;
        Type = type;
        IsRetired = isRetired;
        Info = info;
    }

    /// <summary>The dotted UID, e.g. <c>1.2.840.10008.1.2.1</c>.</summary>
    public string Value { get; }

    /// <summary>The registered name, or the UID itself when unknown.</summary>
    public string Name { get; }

    /// <summary>The registered keyword, or empty.</summary>
    public string Keyword { get; }

    /// <summary>The UID type.</summary>
    public DicomUidType Type { get; }

    /// <summary>Retired flag.</summary>
    public bool IsRetired { get; }

    /// <summary>Additional registry text, e.g. "Default Transfer Syntax for DICOM".</summary>
    public string Info { get; }

    /// <summary>True when the UID is in the standard registry.</summary>
    public bool IsRegistered => Registry.TryGetValue(Value, out var u) && ReferenceEquals(u, this);

    /// <summary>All registered UIDs.</summary>
    public static IEnumerable<DicomUid> RegisteredUids => Registry.Values;

    private static Dictionary<string, DicomUid> Registry
    {
        get
        {
            var r = _registry;
            if (r == null)
            {
                r = new Dictionary<string, DicomUid>(StringComparer.Ordinal);
                foreach (var u in CreateRegistry()) r.TryAdd(u.Value, u);
                _registry = r;
            }
            return r;
        }
    }

    /// <summary>Returns the registered UID, or a new unregistered one for <paramref name="value"/>.</summary>
    /// <param name="value">The dotted UID (trailing NUL and spaces are ignored).</param>
    public static DicomUid Parse(string value)
    {
        string v = value.TrimEnd('\0', ' ');
        return Registry.TryGetValue(v, out var u) ? u : new DicomUid(v, v, "", DicomUidType.Other);
    }

    /// <summary>Looks up a registered UID.</summary>
    /// <param name="value">The dotted UID.</param>
    /// <returns>The registry entry, or null.</returns>
    public static DicomUid? Lookup(string value) => Registry.TryGetValue(value.TrimEnd('\0', ' '), out var u) ? u : null;

    /// <summary>True when <paramref name="value"/> is a syntactically valid UID (PS3.5 9.1): at most 64 characters, digits and dots, no leading zeros in components.</summary>
    /// <param name="value">The text.</param>
    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 64) return false;
        int componentStart = 0;
        for (int i = 0; i <= value.Length; i++)
        {
            if (i == value.Length || value[i] == '.')
            {
                int len = i - componentStart;
                if (len == 0) return false;
                if (len > 1 && value[componentStart] == '0') return false;
                componentStart = i + 1;
            }
            else if (value[i] < '0' || value[i] > '9') return false;
        }
        return true;
    }

    /// <summary>Generates a new UID under the <c>2.25</c> root from a random UUID (PS3.5 B.2).</summary>
    public static DicomUid Generate() => new(GenerateValue(), "", "", DicomUidType.Other);

    /// <summary>Generates a new UID string under the <c>2.25</c> root from a random UUID (PS3.5 B.2).</summary>
    public static string GenerateValue()
    {
        Span<byte> bytes = stackalloc byte[17];
        RandomNumberGenerator.Fill(bytes[..16]);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40); // version 4
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // variant
        bytes[16] = 0;
        var n = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        return "2.25." + (n >> 8).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Derives a UID deterministically from a namespace text and a value (e.g. for consistent de-identification), under <c>2.25</c>.</summary>
    /// <param name="namespaceText">A secret or namespace.</param>
    /// <param name="value">The original value.</param>
    public static string GenerateDerivedValue(string namespaceText, string value)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(namespaceText + "\u0000" + value), hash);
        var uuid = hash[..16].ToArray();
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x50); // name-based
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80);
        var n = new BigInteger(uuid, isUnsigned: true, isBigEndian: true);
        return "2.25." + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public bool Equals(DicomUid? other) => other != null && other.Value == Value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DicomUid);

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode(StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => Name.Length > 0 && Name != Value ? $"{Value} ({Name})" : Value;

    /// <summary>The dotted UID text.</summary>
    /// <param name="uid">The UID.</param>
    public static implicit operator string(DicomUid uid) => uid.Value;
}

/// <summary>A transfer syntax (PS3.5 chapter 10): byte order, VR encoding, deflate and encapsulation.</summary>
public sealed partial class DicomTransferSyntax : IEquatable<DicomTransferSyntax>
{
    private static Dictionary<string, DicomTransferSyntax>? _known;

    private DicomTransferSyntax(DicomUid uid)
    {
        Uid = uid;
        string v = uid.Value;
        IsExplicitVR = v != "1.2.840.10008.1.2";
        IsLittleEndian = v != "1.2.840.10008.1.2.2";
        IsDeflated = v is "1.2.840.10008.1.2.1.99" or "1.2.840.10008.1.2.4.95";
        IsEncapsulated = v is not ("1.2.840.10008.1.2" or "1.2.840.10008.1.2.1" or "1.2.840.10008.1.2.1.99" or "1.2.840.10008.1.2.2"
            or "1.2.840.10008.1.2.4.94" or "1.2.840.10008.1.2.4.95");
    }

    /// <summary>Creates a description of an unknown (private) transfer syntax; assumed explicit VR little endian, encapsulated (PS3.5 A.4).</summary>
    /// <param name="uid">The UID.</param>
    /// <param name="isExplicitVR">Explicit VR flag.</param>
    /// <param name="isLittleEndian">Little endian flag.</param>
    /// <param name="isEncapsulated">Encapsulated pixel data flag.</param>
    /// <param name="isDeflated">Deflated data set flag.</param>
    public DicomTransferSyntax(DicomUid uid, bool isExplicitVR, bool isLittleEndian, bool isEncapsulated, bool isDeflated)
    {
        Uid = uid;
        IsExplicitVR = isExplicitVR;
        IsLittleEndian = isLittleEndian;
        IsEncapsulated = isEncapsulated;
        IsDeflated = isDeflated;
    }

    /// <summary>The transfer syntax UID.</summary>
    public DicomUid Uid { get; }

    /// <summary>True for explicit VR encodings.</summary>
    public bool IsExplicitVR { get; }

    /// <summary>True for little endian byte order.</summary>
    public bool IsLittleEndian { get; }

    /// <summary>True when the data set after the file meta is deflated (RFC 1951).</summary>
    public bool IsDeflated { get; }

    /// <summary>True when Pixel Data is encapsulated (compressed fragments).</summary>
    public bool IsEncapsulated { get; }

    /// <summary>All transfer syntaxes of the registry.</summary>
    public static IEnumerable<DicomTransferSyntax> KnownTransferSyntaxes => Known.Values;

    private static Dictionary<string, DicomTransferSyntax> Known
    {
        get
        {
            var k = _known;
            if (k == null)
            {
                k = new Dictionary<string, DicomTransferSyntax>(StringComparer.Ordinal);
                foreach (var ts in CreateKnown()) k.TryAdd(ts.Uid.Value, ts);
                _known = k;
            }
            return k;
        }
    }

    /// <summary>Finds the transfer syntax of a UID; an unknown UID is taken as explicit VR little endian with encapsulated pixel data (PS3.5 A.4).</summary>
    /// <param name="uid">The UID text.</param>
    public static DicomTransferSyntax Parse(string uid)
    {
        string v = uid.TrimEnd('\0', ' ');
        return Known.TryGetValue(v, out var ts) ? ts : new DicomTransferSyntax(DicomUid.Parse(v), true, true, true, false);
    }

    /// <summary>Finds a registered transfer syntax, or null.</summary>
    /// <param name="uid">The UID text.</param>
    public static DicomTransferSyntax? Lookup(string uid) => Known.TryGetValue(uid.TrimEnd('\0', ' '), out var ts) ? ts : null;

    /// <inheritdoc />
    public bool Equals(DicomTransferSyntax? other) => other != null && other.Uid.Value == Uid.Value;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DicomTransferSyntax);

    /// <inheritdoc />
    public override int GetHashCode() => Uid.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => Uid.ToString();
}
