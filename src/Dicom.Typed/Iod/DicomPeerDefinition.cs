namespace Dicom.Typed.Iod;

/// <summary>One presentation context a device accepts as SCP, from its conformance statement (network definitions).</summary>
/// <param name="SopClassUid">The SOP Class UID (abstract syntax).</param>
/// <param name="SopClassName">The SOP class name as the statement writes it.</param>
/// <param name="TransferSyntaxes">The accepted Transfer Syntax UIDs, in statement order.</param>
/// <param name="Provenance">Where the statement states it (table and lines).</param>
public sealed record DicomAcceptedContext(string SopClassUid, string SopClassName, IReadOnlyList<string> TransferSyntaxes, string Provenance);

/// <summary>
/// A network peer known from a device's definitions: an Application Entity of the device that accepts associations, with the
/// presentation contexts it accepts as SCP. Implemented by the types the generator emits per device and AE (e.g.
/// <c>Dicom.Typed.Devices.SiemensSyngoCtVa50a.SyngoCtStorageScp</c>), which also carry
/// <see cref="DicomAcceptedSopClassesAttribute"/> and <see cref="DicomAcceptedTransferSyntaxesAttribute"/> so that analyzer
/// DT0007 checks calls on clients bound to them (<c>DicomDeviceStorageScu&lt;TPeer&gt;</c>) at compile time.
/// </summary>
public interface IDicomPeerDefinition
{
    /// <summary>The device identifier (the definitions folder name, e.g. <c>siemens-syngo-ct-va50a</c>).</summary>
    static abstract string DeviceId { get; }

    /// <summary>Vendor, product and version of the device.</summary>
    static abstract string DeviceName { get; }

    /// <summary>The Application Entity as the statement names it (e.g. <c>Storage AE</c>).</summary>
    static abstract string ApplicationEntityName { get; }

    /// <summary>The presentation contexts the AE accepts as SCP, one per SOP class, in statement order.</summary>
    static abstract IReadOnlyList<DicomAcceptedContext> AcceptedContexts { get; }
}

/// <summary>
/// One presentation context a peer accepts (a SOP class and its transfer syntaxes), placed once per SOP class on a generated
/// peer type beside <see cref="DicomAcceptedSopClassesAttribute"/>; analyzer DT0007 uses it to check a constant transfer
/// syntax against the SOP class of the IOD sent in the same call (e.g. an SOP class accepted only in Implicit VR Little Endian).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface | AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.Parameter, AllowMultiple = true, Inherited = false)]
public sealed class DicomAcceptedPresentationContextAttribute(string sopClassUid, params string[] transferSyntaxUids) : Attribute
{
    /// <summary>The SOP Class UID.</summary>
    public string SopClassUid { get; } = sopClassUid;

    /// <summary>The Transfer Syntax UIDs accepted for it.</summary>
    public IReadOnlyList<string> TransferSyntaxUids { get; } = transferSyntaxUids;
}
