using System.Text.Json;

namespace Dicom.Typed.Definitions.Tests;

/// <summary>Typed network/media sections: every SOP class and transfer syntax UID exists in the UID registry (uids.json).</summary>
public class NetworkTests
{
    private static readonly Lazy<Dictionary<string, string>> Uids = new(() =>
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Repo.Definitions, "dicom-standard", "uids.json")));
        return doc.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("uid").GetString()!, e => e.GetProperty("type").GetString()!);
    });

    [Theory]
    [MemberData(nameof(Repo.DeviceData), MemberType = typeof(Repo))]
    public void Network_and_media_uids_are_registered(string device)
    {
        var dev = DefinitionsJson.Load<DeviceDefinition>(Path.Combine(Repo.Definitions, device, "device.json"));
        var bad = new List<string>();
        if (dev.Network is not null)
        {
            bad.AddRange(NetworkErrataApplier.Apply(dev.Network, Repo.Errata(device)));
        }
        var declared = (dev.Network?.PrivateTransferSyntaxes ?? []).Select(t => t.Uid).ToHashSet(StringComparer.Ordinal);
        // a UID outside the DICOM root (a vendor's private SOP class) is not in the registry: it must be printed in one of the
        // device's own tables instead
        var printed = dev.Tables.SelectMany(t => t.Rows).SelectMany(r => r.Cells).ToHashSet(StringComparer.Ordinal);
        bool Known(string uid) => uid.StartsWith("1.2.840.10008.", StringComparison.Ordinal) ? Uids.Value.ContainsKey(uid) : printed.Contains(uid);
        foreach (var pc in dev.Network?.PresentationContexts ?? [])
        {
            if (!Known(pc.SopClassUid))
            {
                bad.Add($"{pc.Provenance.Table} L{pc.Provenance.Lines[0]}: abstract syntax {pc.SopClassUid} not registered");
            }
            foreach (var ts in pc.TransferSyntaxes)
            {
                if ((!Uids.Value.TryGetValue(ts.Uid, out var type) || type != "Transfer Syntax") && !declared.Contains(ts.Uid))
                {
                    bad.Add($"{pc.Provenance.Table} L{pc.Provenance.Lines[0]}: transfer syntax '{ts.Uid}' ({ts.Name}) not registered");
                }
            }
        }
        foreach (var p in dev.Media?.Profiles ?? [])
        {
            bad.AddRange(p.SopClassUids.Where(u => !Known(u)).Select(u => $"media {p.Role}: {u} not registered"));
            foreach (var ts in p.TransferSyntaxes ?? [])
            {
                if (!Uids.Value.TryGetValue(ts.Uid, out var type) || type != "Transfer Syntax")
                {
                    bad.Add($"media {p.Profile}: transfer syntax '{ts.Uid}' ({ts.Name}) not registered");
                }
            }
        }
        Assert.True(bad.Count == 0, string.Join("\n", bad));
    }
}

public class KeyTests
{
    [Theory]
    [MemberData(nameof(Repo.DeviceData), MemberType = typeof(Repo))]
    public void Iod_specializations_are_unique_by_context_and_sop_class(string device)
    {
        var iods = Repo.Iods(device);
        var dupKeys = iods.GroupBy(i => (i.Context, i.SopClassUid, i.Dimse)).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(i => i.TypeName))}").ToList();
        var dupNames = iods.GroupBy(i => i.TypeName).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(dupKeys.Count == 0 && dupNames.Count == 0, string.Join("\n", dupKeys.Concat(dupNames)));
        Assert.All(iods.Where(i => i.BaseTypeName is not null), i => Assert.Contains(iods, b => b.TypeName == i.BaseTypeName));
    }
}

/// <summary>Policies of all devices use one vocabulary, so runtime code (e.g. the device-configured SCP) reads them alike.</summary>
public class PolicyVocabularyTests
{
    private static readonly HashSet<string> Kinds =
    [
        "maxAssociations", "asynchronousWindow", "maxPduLength", "port", "tlsPort", "aeTitle", "artimTimeout", "associationTimeout",
        "dimseTimeout", "timeout", "maxQueryMatches", "storageCommitmentReply", "storageCommitmentReplySameAssociation",
        "storageCommitmentReplyNewAssociation", "storageCommitmentDelay", "communicationFailure", "configurable",
    ];

    [Theory]
    [MemberData(nameof(Repo.DeviceData), MemberType = typeof(Repo))]
    public void Policy_kinds_roles_and_units_are_from_the_shared_vocabulary(string device)
    {
        var dev = DefinitionsJson.Load<DeviceDefinition>(Path.Combine(Repo.Definitions, device, "device.json"));
        var bad = (dev.Network?.Policies ?? [])
            .Where(p => !Kinds.Contains(p.Kind) || p.AssociationRole is not (null or "initiator" or "acceptor") || p.Unit is not (null or "s" or "bytes"))
            .Select(p => $"L{p.Provenance.Lines[0]}: {p.Kind} role={p.AssociationRole} unit={p.Unit}").ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad));
    }

    [Fact]
    public void Syngo_association_limits_carry_their_association_role()
    {
        var dev = DefinitionsJson.Load<DeviceDefinition>(Path.Combine(Repo.Definitions, "siemens-syngo-ct-va50a", "device.json"));
        var limits = dev.Network!.Policies.Where(p => p.Kind == "maxAssociations").ToList();
        Assert.Contains(limits, p => p.AssociationRole == "acceptor");
        Assert.Contains(limits, p => p.AssociationRole == "initiator");
        Assert.All(dev.Network.Policies.Where(p => p.Kind == "maxPduLength"), p => Assert.Equal("bytes", p.Unit));
    }
}
