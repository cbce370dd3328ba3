using Dicom.Typed.Devices.ShimadzuTrinias;
using Dicom.Typed.Devices.SiemensSyngoCtVa50a;
using Dicom.Typed.Devices.Tests;
using Dicom.Typed.Iod;
using Dicom.Typed.Network;
using Dicom.Typed.Network.Definitions;
using static Dicom.Typed.Interop.TestEnvironment;

namespace Dicom.Typed.Interop;

/// <summary>The typed storage client bound to generated peers, against DCMTK storescp (TYPEDSCP, 11390).</summary>
public sealed class TypedPeerStorescpFixture : IAsyncLifetime
{
    public const int Port = 11390;
    public string Work { get; } = TempDir("typedpeer");
    public string StoreDir => Path.Combine(Work, $"storescp-{Port}");

    public Task InitializeAsync()
    {
        Peer(null, "storescp", Port.ToString(), Work, "TYPEDSCP");
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        try { Peer(null, "--stop", "storescp", Port.ToString(), Work); } catch (InvalidOperationException) { }
        try { Directory.Delete(Work, true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}

public class TypedPeerInteropTests(TypedPeerStorescpFixture f) : IClassFixture<TypedPeerStorescpFixture>
{
    private static DicomClientOptions Client() => new() { Host = "127.0.0.1", Port = TypedPeerStorescpFixture.Port, CallingAE = "TYPEDSCU", CalledAE = "TYPEDSCP" };

    [Fact]
    public async Task SyngoCtImage_through_the_typed_client_arrives_at_storescp()
    {
        var ct = (SyngoCtImage)SampleFactory.Create(typeof(SyngoCtImage));
        var sent = ct.ToDataset();
        string uid = sent.GetString(DicomTag.SOPInstanceUID);

        var result = await new DicomDeviceStorageScu<SyngoCtStorageScp>(Client()).StoreAsync(ct);
        Assert.True(result.Status.IsSuccess, result.ToString());
        Assert.Contains(result.TransferSyntaxUid, SyngoCtStorageScp.AcceptedContexts.Single(c => c.SopClassUid == DicomUid.CTImageStorage.Value).TransferSyntaxes);

        var path = Directory.GetFiles(f.StoreDir).SingleOrDefault(p => Path.GetFileName(p).EndsWith("." + uid, StringComparison.Ordinal));
        Assert.True(path != null, $"{uid} not received by storescp");
        var got = DicomFile.Open(path);
        Assert.Equal(DicomUid.CTImageStorage.Value, got.Dataset.GetString(DicomTag.SOPClassUID));
        Assert.Equal(result.TransferSyntaxUid, got.TransferSyntax.Uid.Value);
        Assert.Empty(DicomDatasetComparer.Differences(sent, got.Dataset));
    }

    [Fact]
    public async Task Client_bound_to_the_Trinias_peer_refuses_a_ct_image_before_contacting_storescp()
    {
        int before = Directory.Exists(f.StoreDir) ? Directory.GetFiles(f.StoreDir).Length : 0;
        var e = await Assert.ThrowsAsync<DicomDeviceConformanceException>(() =>
            new DicomDeviceStorageScu<TriniasDar9500fScp>(Client()).StoreAsync((IDicomIod)SampleFactory.Create(typeof(SyngoCtImage))));
        Assert.Contains("DAR-9500f", e.Message);
        Assert.Equal(before, Directory.Exists(f.StoreDir) ? Directory.GetFiles(f.StoreDir).Length : 0);
    }
}
