using System.Reflection;
using Dicom.Typed.Iod;
using Dicom.Typed.Definitions;
using NetContext = Dicom.Typed.Network.PresentationContext;

namespace Dicom.Typed.Network.Definitions;

/// <summary>Whether a device accepts a SOP class (and transfer syntax), with the reason when it does not.</summary>
/// <param name="Accepted">True when the device accepts it.</param>
/// <param name="Reason">Why not (or a confirmation naming the statement row).</param>
public sealed record DicomAcceptance(bool Accepted, string Reason);

/// <summary>A device does not accept what was about to be sent to it (the runtime counterpart of analyzer DT0007).</summary>
public sealed class DicomDeviceConformanceException : DicomException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is not accepted.</param>
    public DicomDeviceConformanceException(string message) : base(message) { }
}

/// <summary>The network conformance of one device, from its definitions: which SOP classes and transfer syntaxes it accepts as
/// SCP (what a server configured as that device negotiates, and what a client may send to it) and which it uses as SCU.</summary>
public sealed class DeviceNetworkProfile
{
    /// <summary>The default transfer syntax every AE supports (PS3.5 10.1), used when a statement row names none.</summary>
    public const string ImplicitVRLittleEndian = "1.2.840.10008.1.2";

    /// <summary>Builds the profile of a device.</summary>
    /// <param name="device">The device definition (its <see cref="DeviceDefinition.Network"/> must be present).</param>
    /// <param name="deviceFolder">The device folder, for loading message definitions (optional).</param>
    /// <exception cref="ArgumentException">The device has no typed network definition.</exception>
    public DeviceNetworkProfile(DeviceDefinition device, string? deviceFolder = null)
    {
        Device = device;
        DeviceFolder = deviceFolder;
        Network = device.Network ?? throw new ArgumentException($"device '{device.Id}' has no typed network definition", nameof(device));
        ScpCapabilities = Merge(Network.PresentationContexts.Where(p => HasRole(p.Role, "SCP")), DicomTransferRole.Scp);
        ScuCapabilities = Merge(Network.PresentationContexts.Where(p => HasRole(p.Role, "SCU")), DicomTransferRole.Scu);
    }

    /// <summary>Loads <c>device.json</c> from a device folder (e.g. <c>definitions/shimadzu-trinias</c>).</summary>
    /// <param name="deviceFolder">The folder.</param>
    /// <exception cref="DefinitionsFormatException">Malformed file (with file, line and column).</exception>
    public static DeviceNetworkProfile Load(string deviceFolder) =>
        new(DefinitionsJson.Load<DeviceDefinition>(Path.Combine(deviceFolder, "device.json")), deviceFolder);

    /// <summary>The device definition.</summary>
    public DeviceDefinition Device { get; }

    /// <summary>The device folder (null when built from an in-memory definition).</summary>
    public string? DeviceFolder { get; }

    /// <summary>The typed network section.</summary>
    public NetworkDefinition Network { get; }

    /// <summary>What the device accepts as SCP: one capability per SOP class, transfer syntaxes in statement order.</summary>
    public IReadOnlyList<DicomTransferCapability> ScpCapabilities { get; }

    /// <summary>What the device uses as SCU.</summary>
    public IReadOnlyList<DicomTransferCapability> ScuCapabilities { get; }

    /// <summary>Maximum number of associations the device accepts (policy <c>maxAssociations</c> stated for the acceptor role,
    /// else one stated without a role), or null when the statement gives no number.</summary>
    public int? MaxAssociations =>
        Network.Policies.Where(p => p.Kind == "maxAssociations" && p.AssociationRole is null or "acceptor" && int.TryParse(p.Value, out _))
            .OrderBy(p => p.AssociationRole == "acceptor" ? 0 : 1).FirstOrDefault() is { } p ? int.Parse(p.Value!) : null;

    private static bool HasRole(string role, string which) =>
        role.Replace(" ", "").Split('/', ',', '&').Any(r => r.Equals(which, StringComparison.OrdinalIgnoreCase));

    private static List<DicomTransferCapability> Merge(IEnumerable<Dicom.Typed.Definitions.PresentationContext> rows, DicomTransferRole role)
    {
        var order = new List<string>();
        var syntaxes = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            string uid = row.SopClassUid.Trim();
            if (uid.Length == 0) continue;
            if (!syntaxes.TryGetValue(uid, out var list))
            {
                syntaxes[uid] = list = [];
                order.Add(uid);
            }
            foreach (var ts in row.TransferSyntaxes.Select(t => t.Uid.Trim()).Where(t => t.Length > 0))
                if (!list.Contains(ts)) list.Add(ts);
        }
        return order.Select(uid => new DicomTransferCapability(uid, role, syntaxes[uid].Count > 0 ? syntaxes[uid] : [ImplicitVRLittleEndian])).ToList();
    }

    /// <summary>An AE that accepts what the device accepts as SCP (optionally also its SCU roles, for role selection).</summary>
    /// <param name="aeTitle">AE title.</param>
    /// <param name="includeVerification">Also accept C-ECHO (uncompressed), which most deployments need even when the statement lists Verification as SCU only.</param>
    public DicomApplicationEntity CreateApplicationEntity(string aeTitle, bool includeVerification = false)
    {
        var caps = ScpCapabilities.ToList();
        if (includeVerification && caps.All(c => c.SopClassUid != DicomUid.Verification.Value)) caps.AddRange(DicomTransferCapability.Verification());
        return new DicomApplicationEntity(aeTitle, caps);
    }

    /// <summary>SCP host options shaped after the device: one AE with the device's SCP capabilities, its association limit.</summary>
    /// <param name="aeTitle">AE title.</param>
    /// <param name="port">Port (0 = any).</param>
    /// <param name="hostname">Address to listen on.</param>
    /// <param name="includeVerification">See <see cref="CreateApplicationEntity"/>.</param>
    public DicomServerOptions CreateServerOptions(string aeTitle, int port = 0, string hostname = "127.0.0.1", bool includeVerification = false)
    {
        var options = new DicomServerOptions { DeviceName = $"{Device.Vendor} {Device.Product}".Trim(), Connection = { Hostname = hostname, Port = port } };
        if (MaxAssociations is { } max) options.MaxAssociations = max;
        options.ApplicationEntities.Add(CreateApplicationEntity(aeTitle, includeVerification));
        return options;
    }

    /// <summary>Whether the device accepts <paramref name="sopClassUid"/> as SCP, in <paramref name="transferSyntaxUid"/> if given.</summary>
    /// <param name="sopClassUid">SOP class UID.</param>
    /// <param name="transferSyntaxUid">Transfer syntax UID, or null for any.</param>
    public DicomAcceptance Accepts(string sopClassUid, string? transferSyntaxUid = null)
    {
        var cap = ScpCapabilities.FirstOrDefault(c => c.SopClassUid == sopClassUid);
        string name = DicomUid.Lookup(sopClassUid)?.Name ?? sopClassUid;
        if (cap == null) return new DicomAcceptance(false, $"{Device.Product} does not accept {name} ({sopClassUid}) as SCP");
        if (transferSyntaxUid != null && !cap.TransferSyntaxes.Contains(transferSyntaxUid))
            return new DicomAcceptance(false, $"{Device.Product} accepts {name} only in {string.Join(", ", cap.TransferSyntaxes)}, not {transferSyntaxUid}");
        return new DicomAcceptance(true, $"{Device.Product} accepts {name}");
    }

    /// <summary>Throws when the device does not accept the SOP class / transfer syntax.</summary>
    /// <param name="sopClassUid">SOP class UID.</param>
    /// <param name="transferSyntaxUid">Transfer syntax UID, or null.</param>
    /// <exception cref="DicomDeviceConformanceException">Not accepted.</exception>
    public void EnsureAccepts(string sopClassUid, string? transferSyntaxUid = null)
    {
        var a = Accepts(sopClassUid, transferSyntaxUid);
        if (!a.Accepted) throw new DicomDeviceConformanceException(a.Reason);
    }

    /// <summary>Presentation contexts to propose to the device for <paramref name="sopClassUids"/>, limited to what it accepts
    /// (odd IDs from 1; transfer syntaxes in the device's order).</summary>
    /// <param name="sopClassUids">SOP classes to send.</param>
    /// <exception cref="DicomDeviceConformanceException">One of them is not accepted.</exception>
    public IReadOnlyList<NetContext> ProposeContexts(IEnumerable<string> sopClassUids)
    {
        var list = new List<NetContext>();
        byte id = 1;
        foreach (var uid in sopClassUids.Distinct())
        {
            EnsureAccepts(uid);
            list.Add(new NetContext(id, uid, ScpCapabilities.First(c => c.SopClassUid == uid).TransferSyntaxes));
            id += 2;
        }
        return list;
    }

    /// <summary>The values for <see cref="DicomAcceptedSopClassesAttribute"/> / <see cref="DicomAcceptedTransferSyntaxesAttribute"/>
    /// on a client configured for this device (what analyzer DT0007 checks at compile time).</summary>
    public (string[] SopClassUids, string[] TransferSyntaxUids) AcceptedAttributeValues =>
        (ScpCapabilities.Select(c => c.SopClassUid).ToArray(), ScpCapabilities.SelectMany(c => c.TransferSyntaxes).Distinct().ToArray());

    /// <summary>Checks at run time what DT0007 checks at compile time: the SOP class (and transfer syntax) against the
    /// [DicomAcceptedSopClasses] / [DicomAcceptedTransferSyntaxes] attributes on a peer member or type.</summary>
    /// <param name="peer">The field, property, parameter or type carrying the attributes.</param>
    /// <param name="sopClassUid">SOP class UID.</param>
    /// <param name="transferSyntaxUid">Transfer syntax UID, or null.</param>
    public static DicomAcceptance AcceptsByAttributes(ICustomAttributeProvider peer, string sopClassUid, string? transferSyntaxUid = null)
    {
        var sop = peer.GetCustomAttributes(typeof(DicomAcceptedSopClassesAttribute), false).OfType<DicomAcceptedSopClassesAttribute>().FirstOrDefault();
        var ts = peer.GetCustomAttributes(typeof(DicomAcceptedTransferSyntaxesAttribute), false).OfType<DicomAcceptedTransferSyntaxesAttribute>().FirstOrDefault();
        if (sop != null && !sop.SopClassUids.Contains(sopClassUid)) return new DicomAcceptance(false, $"{sopClassUid} is not among the accepted SOP classes");
        if (ts != null && transferSyntaxUid != null && !ts.TransferSyntaxUids.Contains(transferSyntaxUid))
            return new DicomAcceptance(false, $"{transferSyntaxUid} is not among the accepted transfer syntaxes");
        return new DicomAcceptance(true, "accepted");
    }

    // ---- message definitions --------------------------------------------------------------------------------------

    /// <summary>Loads a message definition of the device (messages/*.json) by type name, e.g. <c>TriniasWorklistQuery</c>.</summary>
    /// <param name="typeName">The type name listed in device.json <c>messages</c>.</param>
    /// <exception cref="InvalidOperationException">No device folder, or no such message.</exception>
    public IodDefinition LoadMessage(string typeName)
    {
        if (DeviceFolder == null) throw new InvalidOperationException("the profile was not loaded from a device folder");
        var reference = Device.Messages.FirstOrDefault(m => m.TypeName == typeName)
            ?? throw new InvalidOperationException($"device '{Device.Id}' defines no message '{typeName}' (has: {string.Join(", ", Device.Messages.Select(m => m.TypeName))})");
        return DefinitionsJson.Load<IodDefinition>(Path.Combine(DeviceFolder, reference.File));
    }

    /// <summary>The device's message definitions for a SOP class and DIMSE message (e.g. MWL "C-FIND-RQ identifier").</summary>
    /// <param name="sopClassUid">SOP class UID.</param>
    public IEnumerable<IodDefinition> LoadMessages(string sopClassUid) =>
        Device.Messages.Where(m => m.SopClassUid == sopClassUid).Select(m => LoadMessage(m.TypeName));
}
