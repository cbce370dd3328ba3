// TEMPORARY minimal stand-in, replaced by the full ISO 2022 implementation from the charset branch.
using System.Text;

namespace Dicom.Typed.Text;

/// <summary>How a string value is delimited.</summary>
public enum DicomTextKind
{
    /// <summary>ST, LT, UT.</summary>
    SingleValue,
    /// <summary>SH, LO, UC.</summary>
    MultiValue,
    /// <summary>PN.</summary>
    PersonName,
}

/// <summary>Specific Character Set.</summary>
public sealed class DicomCharacterSet : IEquatable<DicomCharacterSet>
{
    private readonly Encoding _encoding;

    private DicomCharacterSet(IReadOnlyList<string> terms, Encoding encoding)
    {
        Terms = terms;
        _encoding = encoding;
    }

    /// <summary>Default repertoire.</summary>
    public static DicomCharacterSet Default { get; } = new([], Encoding.Latin1);

    /// <summary>Terms.</summary>
    public IReadOnlyList<string> Terms { get; }

    /// <summary>Warnings.</summary>
    public IReadOnlyList<string> Warnings { get; } = [];

    /// <summary>Parse.</summary>
    /// <param name="values">Values.</param>
    public static DicomCharacterSet Parse(IReadOnlyList<string> values) =>
        values.Count == 0 || (values.Count == 1 && values[0].Trim().Length == 0) ? Default
        : new(values.ToArray(), values.Any(v => v.Contains("192")) ? Encoding.UTF8 : Encoding.Latin1);

    /// <summary>Parse.</summary>
    /// <param name="value">Value.</param>
    public static DicomCharacterSet Parse(string value) => Parse(value.Split('\\'));

    /// <summary>Decode.</summary>
    /// <param name="value">Bytes.</param>
    /// <param name="kind">Kind.</param>
    public string Decode(ReadOnlySpan<byte> value, DicomTextKind kind) => _encoding.GetString(value);

    /// <summary>Encode.</summary>
    /// <param name="value">Text.</param>
    /// <param name="kind">Kind.</param>
    public byte[] Encode(string value, DicomTextKind kind) => _encoding.GetBytes(value);

    /// <summary>Can encode.</summary>
    /// <param name="value">Text.</param>
    /// <param name="kind">Kind.</param>
    public bool CanEncode(string value, DicomTextKind kind) => true;

    /// <inheritdoc />
    public bool Equals(DicomCharacterSet? other) => other != null && Terms.SequenceEqual(other.Terms);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DicomCharacterSet);

    /// <inheritdoc />
    public override int GetHashCode() => Terms.Count;
}
