using System.Globalization;

namespace Dicom.Typed.Iod;

/// <summary>
/// One key of a C-FIND/C-MOVE identifier (PS3.4 C.2.2.2): a key left out of the identifier is a <c>null</c>
/// <see cref="DicomQueryKey{T}"/>?; <see cref="Universal"/> is present but empty (universal matching, "return this key");
/// <see cref="Match(T)"/> is single value matching with a typed value; <see cref="Pattern(string)"/> keeps the text of
/// wild card, range or list-of-UID matching (<c>SMITH*</c>, <c>20260101-20261231</c>, <c>1.2\1.3</c>).
/// </summary>
/// <typeparam name="T">The value type of the attribute's VR (<see cref="DicomDate"/>, <see cref="DicomPersonName"/>, string, ...).</typeparam>
public readonly struct DicomQueryKey<T> : IEquatable<DicomQueryKey<T>>
{
    private readonly T? _value;

    private DicomQueryKey(T? value, string? text, bool hasValue)
    {
        _value = value;
        Text = text;
        HasValue = hasValue;
    }

    /// <summary>A key present with zero length: universal matching, the SCP returns its values.</summary>
    public static DicomQueryKey<T> Universal => default;

    /// <summary>Single value matching with a typed value.</summary>
    /// <param name="value">The value to match.</param>
    public static DicomQueryKey<T> Match(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), null, true);

    /// <summary>Wild card, range or list matching, kept as the text sent on the wire.</summary>
    /// <param name="text">The matching text (values separated by '\').</param>
    public static DicomQueryKey<T> Pattern(string text) => new(default, text ?? throw new ArgumentNullException(nameof(text)), false);

    /// <summary>True for a zero-length key (universal matching / return key).</summary>
    public bool IsUniversal => !HasValue && Text is null;

    /// <summary>True when <see cref="Value"/> holds a typed single value.</summary>
    public bool HasValue { get; }

    /// <summary>The typed value of single value matching (default otherwise).</summary>
    public T? Value => _value;

    /// <summary>The text of wild card, range or list matching (null otherwise).</summary>
    public string? Text { get; }

    /// <summary>A typed value converts to single value matching.</summary>
    /// <param name="value">The value.</param>
    public static implicit operator DicomQueryKey<T>(T value) => Match(value);

    /// <inheritdoc />
    public bool Equals(DicomQueryKey<T> other) =>
        HasValue == other.HasValue && Text == other.Text && EqualityComparer<T?>.Default.Equals(_value, other._value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is DicomQueryKey<T> k && Equals(k);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(HasValue, Text, _value);

    /// <summary>Equality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    public static bool operator ==(DicomQueryKey<T> left, DicomQueryKey<T> right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    public static bool operator !=(DicomQueryKey<T> left, DicomQueryKey<T> right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => IsUniversal ? "(universal)" : HasValue ? Convert.ToString(_value, CultureInfo.InvariantCulture) ?? "" : Text!;
}

/// <summary>Writes and reads <see cref="DicomQueryKey{T}"/> members; used by generated query identifier classes.</summary>
public static class DicomQueryKeys
{
    /// <summary>Writes a key: nothing for null, an empty element for universal matching, else the value or the pattern text.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="tag">The tag.</param>
    /// <param name="vr">The VR.</param>
    /// <param name="key">The key, or null to leave it out.</param>
    public static void Write<T>(IodWriter writer, DicomTag tag, DicomVR vr, DicomQueryKey<T>? key)
    {
        if (key is not { } k) return;
        if (k.IsUniversal) writer.Value<string>(tag, vr, null, writeEmpty: true);
        else if (k.HasValue) writer.Values(tag, vr, new[] { k.Value! }, writeEmpty: true);
        else writer.Dataset.AddOrUpdate(tag, vr, k.Text!.Split('\\'));
    }

    /// <summary>
    /// Reads a key tolerantly: absent → null, empty → universal, a value of the VR → typed match, wild cards, ranges and
    /// several values → <see cref="DicomQueryKey{T}.Pattern(string)"/>. A wrong VR or an unparseable value is a finding, never an exception.
    /// </summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="reader">The reader.</param>
    /// <param name="tag">The tag.</param>
    /// <param name="vr">The VR of the definition.</param>
    /// <param name="name">The attribute name for findings.</param>
    public static DicomQueryKey<T>? Read<T>(IodReader reader, DicomTag tag, DicomVR vr, string name)
    {
        var item = reader.Dataset[tag];
        if (item == null)
        {
            reader.Known(tag);
            return null;
        }
        if (item is DicomElement { IsEmpty: true } e0)
        {
            reader.Known(tag);
            if (e0.VR != vr && e0.VR != DicomVR.UN)
                reader.Values<string>(tag, vr, "3", name); // records the wrong VR finding
            return DicomQueryKey<T>.Universal;
        }
        if (item is DicomElement e && e.VR.IsString && IsPattern(e.GetString(), vr))
        {
            var text = reader.Values<string>(tag, vr, "3", name);
            return text == null ? null : DicomQueryKey<T>.Pattern(string.Join("\\", text));
        }
        var values = reader.Values<T>(tag, vr, "3", name);
        if (values is { Count: > 0 }) return DicomQueryKey<T>.Match(values[0]!);
        // invalid for the VR (a finding was recorded): keep the text so that nothing is lost
        return item is DicomElement s && s.VR.IsString ? DicomQueryKey<T>.Pattern(s.GetString()) : null;
    }

    private static bool IsPattern(string text, DicomVR vr)
    {
        if (text.IndexOf('\\') >= 0) return true;
        if (vr == DicomVR.DA || vr == DicomVR.TM || vr == DicomVR.DT) return text.IndexOf('-') >= 0;
        if (vr == DicomVR.UI || vr == DicomVR.DS || vr == DicomVR.IS || !vr.IsString) return false;
        return text.IndexOf('*') >= 0 || text.IndexOf('?') >= 0;
    }
}

/// <summary>Marks a generated class as a typed DIMSE message data set of a device (query identifier, N-CREATE/N-SET attribute list).</summary>
/// <param name="sopClassUid">The SOP class UID.</param>
/// <param name="device">The device folder name.</param>
/// <param name="definition">The definitions file.</param>
/// <param name="dimse">The DIMSE message and part (e.g. <c>C-FIND-RQ identifier</c>, <c>N-CREATE-RQ</c>).</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class DicomMessageAttribute(string sopClassUid, string device, string definition, string dimse) : Attribute
{
    /// <summary>The SOP class UID.</summary>
    public string SopClassUid { get; } = sopClassUid;

    /// <summary>The device folder name.</summary>
    public string Device { get; } = device;

    /// <summary>The definitions file.</summary>
    public string Definition { get; } = definition;

    /// <summary>The DIMSE message and part.</summary>
    public string Dimse { get; } = dimse;
}

/// <summary>The statement's words for a query key: matching types and key usage columns (R, O, M, Q, D, IOD, ...).</summary>
/// <param name="matching">Matching types as printed (e.g. <c>Single Value, Wildcard</c>), empty when not stated.</param>
/// <param name="usage">Key usage column words joined with ", " (e.g. <c>R, Q, D</c>), empty when not stated.</param>
/// <param name="levels">The Query/Retrieve levels the key is listed at, joined with ", ", empty when not levelled.</param>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class DicomQueryKeyAttribute(string matching, string usage, string levels) : Attribute
{
    /// <summary>Matching types as printed.</summary>
    public string Matching { get; } = matching;

    /// <summary>Key usage column words.</summary>
    public string Usage { get; } = usage;

    /// <summary>Levels the key is listed at.</summary>
    public string Levels { get; } = levels;
}
