namespace Dicom.Typed.Iod;

/// <summary>DICOM attribute types (PS3.5 7.4).</summary>
public enum DicomAttributeType
{
    /// <summary>Type 1: required, not empty.</summary>
    Type1,
    /// <summary>Type 1C: conditionally required, not empty.</summary>
    Type1C,
    /// <summary>Type 2: required, may be empty.</summary>
    Type2,
    /// <summary>Type 2C: conditionally required, may be empty.</summary>
    Type2C,
    /// <summary>Type 3: optional.</summary>
    Type3,
}

/// <summary>Marks a generated class as a vendor IOD specialization; read by the analyzers across assemblies.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class DicomIodAttribute(string sopClassUid, string device, string definition) : Attribute
{
    /// <summary>The SOP Class UID.</summary>
    public string SopClassUid { get; } = sopClassUid;

    /// <summary>The device (definitions folder), e.g. <c>siemens-syngo-ct-va50a</c>.</summary>
    public string Device { get; } = device;

    /// <summary>The definition file the class was generated from.</summary>
    public string Definition { get; } = definition;
}

/// <summary>Metadata of a generated member: its tag, VR, VM and type in the vendor definition.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = false)]
public sealed class DicomAttributeAttribute(uint tag, string vr, string vm, DicomAttributeType type) : Attribute
{
    /// <summary>The tag as <c>0xGGGGEEEE</c> (for private attributes the element byte in the low byte, block 0).</summary>
    public uint Tag { get; } = tag;

    /// <summary>The VR code.</summary>
    public string VR { get; } = vr;

    /// <summary>The VM text.</summary>
    public string VM { get; } = vm;

    /// <summary>The attribute type.</summary>
    public DicomAttributeType Type { get; } = type;

    /// <summary>The vendor's presence word (ALWAYS, VNAP, ANAP, …), if any.</summary>
    public string? Presence { get; init; }

    /// <summary>The vendor's source word (AUTO, USER, MWL, …), if any.</summary>
    public string? Source { get; init; }

    /// <summary>The condition of a 1C/2C attribute in the definitions' expression language (JSON), if any.</summary>
    public string? Condition { get; init; }
}

/// <summary>The enumerated (or defined) values of a generated member.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Enum, Inherited = false)]
public sealed class DicomEnumeratedValuesAttribute(bool isDefinedTerms, params string[] values) : Attribute
{
    /// <summary>True for defined terms (the device may extend them), false for enumerated values.</summary>
    public bool IsDefinedTerms { get; } = isDefinedTerms;

    /// <summary>The values.</summary>
    public IReadOnlyList<string> Values { get; } = values;
}

/// <summary>The fixed value the device always writes for a generated member.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = false)]
public sealed class DicomFixedValueAttribute(string value) : Attribute
{
    /// <summary>The value (multiple values separated by '\').</summary>
    public string Value { get; } = value;
}

/// <summary>Marks a member as a private attribute found by creator, group and element byte.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = false)]
public sealed class DicomPrivateAttributeAttribute(ushort group, string creator, byte elementByte) : Attribute
{
    /// <summary>The odd group.</summary>
    public ushort Group { get; } = group;

    /// <summary>The private creator.</summary>
    public string Creator { get; } = creator;

    /// <summary>The element byte (yy of gggg,xxyy).</summary>
    public byte ElementByte { get; } = elementByte;
}

/// <summary>Provenance of a generated member in the conformance statement.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property | AttributeTargets.Field, Inherited = false)]
public sealed class DicomProvenanceAttribute(string file, string table, int firstLine, int lastLine) : Attribute
{
    /// <summary>The statement file.</summary>
    public string File { get; } = file;

    /// <summary>The table number and title.</summary>
    public string Table { get; } = table;

    /// <summary>First line of the row.</summary>
    public int FirstLine { get; } = firstLine;

    /// <summary>Last line of the row.</summary>
    public int LastLine { get; } = lastLine;
}

/// <summary>
/// The SOP classes a network peer accepts, from the device's network definitions. Placed on a client/peer type, or on
/// the field, property or parameter that holds a client configured for that peer; analyzer DT0007 warns when a typed
/// IOD of another SOP class is passed to a method called on it.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface | AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false)]
public sealed class DicomAcceptedSopClassesAttribute(params string[] sopClassUids) : Attribute
{
    /// <summary>The accepted SOP Class UIDs.</summary>
    public IReadOnlyList<string> SopClassUids { get; } = sopClassUids;
}

/// <summary>
/// The transfer syntaxes a network peer accepts, from the device's network definitions (placed like
/// <see cref="DicomAcceptedSopClassesAttribute"/>); analyzer DT0007 checks constant arguments of parameters marked
/// <see cref="DicomTransferSyntaxAttribute"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface | AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Parameter, Inherited = false)]
public sealed class DicomAcceptedTransferSyntaxesAttribute(params string[] transferSyntaxUids) : Attribute
{
    /// <summary>The accepted Transfer Syntax UIDs.</summary>
    public IReadOnlyList<string> TransferSyntaxUids { get; } = transferSyntaxUids;
}

/// <summary>Marks a send method's parameter that takes a Transfer Syntax UID (checked by analyzer DT0007).</summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class DicomTransferSyntaxAttribute : Attribute
{
}
