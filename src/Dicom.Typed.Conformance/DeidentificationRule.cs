namespace Dicom.Typed.Conformance;

/// <summary>What de-identification does with an attribute (PS3.15 Table E.1-1 action codes).</summary>
public enum DeidentificationAction
{
    /// <summary>K: keep the value.</summary>
    Keep,

    /// <summary>X: remove the attribute.</summary>
    Remove,

    /// <summary>Z: replace with a zero-length value.</summary>
    Zero,

    /// <summary>D: replace with a non-zero-length dummy value of the same VR.</summary>
    Dummy,

    /// <summary>C: clean (keep only when it holds no identifying information; see <see cref="Deidentifier.Cleaner"/>).</summary>
    Clean,

    /// <summary>U: replace UIDs with consistently derived ones.</summary>
    ReplaceUid,

    /// <summary>Retain Longitudinal Temporal Information with Modified Dates: shift dates by a per-patient offset.</summary>
    ShiftDate,
}

/// <summary>A private data element identified by group, private creator and element byte within the block.</summary>
/// <param name="Group">The odd group.</param>
/// <param name="Creator">The private creator (0gggg,00xx) value.</param>
/// <param name="ElementByte">The low byte of the element within the block.</param>
public readonly record struct PrivateTagKey(ushort Group, string Creator, byte ElementByte);

/// <summary>
/// One row of a de-identification table: a standard tag (optionally with a mask for repeating groups such as
/// <c>(60xx,3000)</c>) or a private element, the action and why. Rows come from the standard's Table E.1-1 and
/// from device tables (e.g. a conformance statement's list of standard and private attributes).
/// </summary>
public interface IDeidentificationRule
{
    /// <summary>The standard tag, or null for a private element rule.</summary>
    DicomTag? Tag { get; }

    /// <summary>Bits of the tag that must match (0xFFFFFFFF for an exact tag, 0xFF00FFFF for <c>(60xx,eeee)</c>).</summary>
    uint Mask { get; }

    /// <summary>The private element, or null for a standard tag rule.</summary>
    PrivateTagKey? PrivateTag { get; }

    /// <summary>The action.</summary>
    DeidentificationAction Action { get; }

    /// <summary>Why (attribute name, table and option), for logs and reports.</summary>
    string Reason { get; }
}

/// <summary>A de-identification table row.</summary>
/// <param name="Tag">The standard tag, or null.</param>
/// <param name="Mask">The tag mask.</param>
/// <param name="PrivateTag">The private element, or null.</param>
/// <param name="Action">The action.</param>
/// <param name="Reason">Why.</param>
public sealed record DeidentificationRule(DicomTag? Tag, uint Mask, PrivateTagKey? PrivateTag, DeidentificationAction Action, string Reason) : IDeidentificationRule
{
    /// <summary>The value a <see cref="DeidentificationAction.Dummy"/> action writes (e.g. a device table's "O" for Patient's Sex);
    /// null for the generic dummy of the VR.</summary>
    public string? ReplacementValue { get; init; }

    /// <summary>A rule for a standard tag.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="action">The action.</param>
    /// <param name="reason">Why.</param>
    public static DeidentificationRule ForTag(DicomTag tag, DeidentificationAction action, string reason) => new(tag, 0xFFFFFFFFu, null, action, reason);

    /// <summary>A rule for a private element.</summary>
    /// <param name="group">The odd group.</param>
    /// <param name="creator">The private creator.</param>
    /// <param name="elementByte">The element byte within the block.</param>
    /// <param name="action">The action.</param>
    /// <param name="reason">Why.</param>
    public static DeidentificationRule ForPrivate(ushort group, string creator, byte elementByte, DeidentificationAction action, string reason) =>
        new(null, 0, new PrivateTagKey(group, creator, elementByte), action, reason);

    /// <summary>Parses a table tag such as <c>(0010,0010)</c> or <c>(60XX,3000)</c> into a value and mask.</summary>
    /// <param name="text">The tag text.</param>
    /// <param name="tag">The tag with x digits as 0.</param>
    /// <param name="mask">The mask of significant bits.</param>
    public static bool TryParseMaskedTag(string text, out DicomTag tag, out uint mask)
    {
        tag = default;
        mask = 0;
        string t = text.Trim().TrimStart('(').TrimEnd(')').Replace(",", "", StringComparison.Ordinal);
        if (t.Length != 8) return false;
        uint value = 0;
        for (int i = 0; i < 8; i++)
        {
            char c = char.ToUpperInvariant(t[i]);
            uint nibble;
            uint m = 0xF;
            if (c == 'X') { nibble = 0; m = 0; }
            else if (c is >= '0' and <= '9') nibble = (uint)(c - '0');
            else if (c is >= 'A' and <= 'F') nibble = (uint)(c - 'A' + 10);
            else return false;
            value = (value << 4) | nibble;
            mask = (mask << 4) | m;
        }
        tag = new DicomTag(value);
        return true;
    }

    /// <summary>Whether a standard tag matches this rule.</summary>
    /// <param name="tag">The tag.</param>
    public bool Matches(DicomTag tag) => Tag is { } t && (tag.Value & Mask) == t.Value;
}
