using Dicom.Typed.Devices.ShimadzuTrinias;
using Dicom.Typed.Devices.SiemensSyngoCtVa50a;
using Dicom.Typed.Devices.Tests;
using Dicom.Typed.Iod;
using Dicom.Typed.Network.Definitions;

namespace Dicom.Typed.Network.Tests;

/// <summary>
/// The typed storage client bound to generated peers (SyngoCtStorageScp, TriniasDar9500fScp from definitions/*/device.json)
/// against in-process SCPs configured by <see cref="DeviceNetworkProfile"/> from the same device definitions.
/// </summary>
public class TypedPeerStorageTests
{
    private static string DeviceFolder(string device) => Path.Combine(Path.GetDirectoryName(DeviceProfileTests.TriniasFolder)!, device);

    private static T Sample<T>() where T : IDicomIod => (T)SampleFactory.Create(typeof(T));

    private static Task<TestScp> StartDeviceScp(string device) => TestScp.StartAsync(o =>
    {
        o.ApplicationEntities.Clear();
        o.ApplicationEntities.Add(DeviceNetworkProfile.Load(DeviceFolder(device)).CreateApplicationEntity(TestScp.AE));
    });

    [Fact]
    public void Generated_peer_matches_the_profile_built_from_the_same_definitions()
    {
        var profile = DeviceNetworkProfile.Load(DeviceFolder("shimadzu-trinias"));
        Assert.Equal(profile.ScpCapabilities.Select(c => c.SopClassUid), TriniasDar9500fScp.AcceptedContexts.Select(c => c.SopClassUid));
        Assert.Equal(profile.ScpCapabilities.Select(c => string.Join(",", c.TransferSyntaxes)), TriniasDar9500fScp.AcceptedContexts.Select(c => string.Join(",", c.TransferSyntaxes)));
        var syngo = DeviceNetworkProfile.Load(DeviceFolder("siemens-syngo-ct-va50a"));
        Assert.All(SyngoCtStorageScp.AcceptedContexts, c => Assert.True(syngo.Accepts(c.SopClassUid, c.TransferSyntaxes[0]).Accepted, c.SopClassUid));
        Assert.Contains(SyngoCtStorageScp.AcceptedContexts, c => c.SopClassUid == DicomUid.CTImageStorage.Value && c.Provenance.Contains("Table 1"));
    }

    /// <summary>Every (device, AE) with SCP rows in the definitions has exactly one generated peer, with the same SOP classes and
    /// transfer syntaxes as the definitions model (loaded by Dicom.Typed.Definitions, independently of the generator's JSON reader).</summary>
    [Fact]
    public void Every_generated_peer_matches_its_device_definition_and_none_is_missing()
    {
        var peers = typeof(SyngoCtImage).Assembly.GetTypes().Where(t => typeof(IDicomPeerDefinition).IsAssignableFrom(t)).ToList();
        var expected = new List<(string Device, string Ae)>();
        foreach (var dir in Directory.GetDirectories(Path.GetDirectoryName(DeviceProfileTests.TriniasFolder)!).Where(d => File.Exists(Path.Combine(d, "device.json"))))
        {
            var device = Dicom.Typed.Definitions.DefinitionsJson.Load<Dicom.Typed.Definitions.DeviceDefinition>(Path.Combine(dir, "device.json"));
            if (device.Network == null) continue;
            string? defaultAe = device.Network.ApplicationEntities.FirstOrDefault(a => a.Kind != "media")?.Name;
            var rows = device.Network.PresentationContexts.Where(p => p.Role.Replace(" ", "").Split('/').Contains("SCP")).ToList();
            foreach (var ae in rows.GroupBy(r => r.ApplicationEntity ?? defaultAe!))
            {
                expected.Add((device.Id, ae.Key));
                var peer = peers.SingleOrDefault(t => (string)t.GetProperty("DeviceId")!.GetValue(null)! == device.Id && (string)t.GetProperty("ApplicationEntityName")!.GetValue(null)! == ae.Key);
                Assert.True(peer != null, $"no generated peer for {device.Id} / {ae.Key}");
                var contexts = (IReadOnlyList<DicomAcceptedContext>)peer!.GetProperty("AcceptedContexts")!.GetValue(null)!;
                Assert.Equal(ae.Select(r => r.SopClassUid).Distinct(), contexts.Select(c => c.SopClassUid));
                foreach (var c in contexts)
                {
                    var syntaxes = ae.Where(r => r.SopClassUid == c.SopClassUid).SelectMany(r => r.TransferSyntaxes.Select(t => t.Uid)).Distinct().ToList();
                    Assert.Equal(syntaxes.Count > 0 ? syntaxes : [DeviceNetworkProfile.ImplicitVRLittleEndian], c.TransferSyntaxes);
                }
                var attribute = (DicomAcceptedSopClassesAttribute)Attribute.GetCustomAttribute(peer, typeof(DicomAcceptedSopClassesAttribute))!;
                Assert.Equal(contexts.Select(c => c.SopClassUid), attribute.SopClassUids);
            }
        }
        Assert.Equal(expected.Count, peers.Count);
        Assert.Equal(5, peers.Count); // syngo CT: Storage, Verification, Storage Commitment; Vereos: DICOM Manager; Trinias: DAR-9500f
    }

    [Fact]
    public async Task SyngoCtImage_sent_through_the_typed_client_is_stored_by_the_syngo_configured_scp()
    {
        await using var scp = await StartDeviceScp("siemens-syngo-ct-va50a");
        var client = new DicomDeviceStorageScu<SyngoCtStorageScp>(scp.Client());
        var ct = Sample<SyngoCtImage>();
        string uid = ct.ToDataset().GetString(DicomTag.SOPInstanceUID);

        var result = await client.StoreAsync(ct);
        Assert.True(result.Status.IsSuccess, result.ToString());
        Assert.Equal(uid, result.SopInstanceUid);
        // The SCP configured as syngo CT takes its first syntax of the statement row (Implicit VR Little Endian).
        Assert.Equal(SyngoCtStorageScp.AcceptedContexts.Single(c => c.SopClassUid == DicomUid.CTImageStorage.Value).TransferSyntaxes[0], result.TransferSyntaxUid);
        Assert.Equal(DicomTransferSyntax.ImplicitVRLittleEndian.Uid.Value, result.TransferSyntaxUid);
        var big = await client.StoreAsync(Sample<SyngoCtImage>(), DicomTransferSyntax.ExplicitVRBigEndian.Uid.Value);
        Assert.True(big.Status.IsSuccess, big.ToString());
        Assert.Equal(DicomTransferSyntax.ExplicitVRBigEndian.Uid.Value, big.TransferSyntaxUid);

        Assert.Equal(2, scp.Store.Count);
        Assert.True(scp.Store.TryGetInstance(uid, out var path, out var sopClass));
        Assert.Equal(DicomUid.CTImageStorage.Value, sopClass);
        var file = await DicomFile.OpenAsync(path);
        Assert.Equal(ct.ToDataset().GetString(DicomTag.PatientID), file.Dataset.GetString(DicomTag.PatientID));
        Assert.Empty(scp.TempFiles());
    }

    [Fact]
    public async Task Typed_client_refuses_before_connecting_what_the_peer_does_not_accept()
    {
        await using var scp = await StartDeviceScp("shimadzu-trinias");
        var trinias = new DicomDeviceStorageScu<TriniasDar9500fScp>(scp.Client());

        // CT Image Storage: not in Trinias Table 17.
        var e = await Assert.ThrowsAsync<DicomDeviceConformanceException>(() => trinias.StoreAsync((IDicomIod)Sample<SyngoCtImage>()));
        Assert.Contains("does not accept", e.Message);
        Assert.Contains(DicomUid.CTImageStorage.Value, e.Message);
        // X-Ray Radiation Dose SR only in Implicit VR Little Endian (Table 17 line 723).
        var ts = await Assert.ThrowsAsync<DicomDeviceConformanceException>(() => trinias.StoreAsync(Sample<TriniasXRayRadiationDoseSr>(), DicomTransferSyntax.ExplicitVRLittleEndian.Uid.Value));
        Assert.Contains("line 723", ts.Message);
        // A mixed batch is refused as a whole: nothing is sent.
        await Assert.ThrowsAsync<DicomDeviceConformanceException>(() => trinias.StoreAsync([Sample<TriniasXaImage>(), Sample<SyngoCtImage>()]));
        // Compressed syntaxes cannot be produced from a typed IOD.
        await Assert.ThrowsAsync<ArgumentException>(() => trinias.StoreAsync(Sample<TriniasXaImage>(), DicomTransferSyntax.JPEGLossless.Uid.Value));

        Assert.Empty(scp.Ended); // no association was opened
        Assert.Equal(0, scp.Store.Count);

        var ok = await trinias.StoreAsync([Sample<TriniasXaImage>(), Sample<TriniasXRayRadiationDoseSr>()]);
        Assert.All(ok, r => Assert.True(r.Status.IsSuccess, r.ToString()));
        Assert.Equal(DicomTransferSyntax.ImplicitVRLittleEndian.Uid.Value, ok[1].TransferSyntaxUid);
        Assert.Equal(2, scp.Store.Count);
    }

    [Fact]
    public async Task Trinias_configured_scp_refuses_a_ct_image_sent_by_a_client_bound_to_the_wrong_peer()
    {
        // The client believes it talks to the syngo CT Storage AE; the SCP is configured from the Trinias definition and
        // rejects the CT presentation context during negotiation: a typed result, nothing stored.
        await using var scp = await StartDeviceScp("shimadzu-trinias");
        var wrong = new DicomDeviceStorageScu<SyngoCtStorageScp>(scp.Client());
        var result = await wrong.StoreAsync(Sample<SyngoCtImage>());
        Assert.Equal(DicomStatus.SopClassNotSupported, result.Status);
        Assert.Null(result.TransferSyntaxUid);
        Assert.Contains("refused", result.Error);
        Assert.Equal(0, scp.Store.Count);
    }
}
