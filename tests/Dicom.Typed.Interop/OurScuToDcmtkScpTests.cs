using Dicom.Typed.Network;
using Dicom.Typed.Network.Tests;
using static Dicom.Typed.Interop.TestEnvironment;

namespace Dicom.Typed.Interop;

/// <summary>DCMTK storescp (STORESCP, 11210) and dcmqrscp (QRSCP, 11220) as SCPs for our SCUs; our SCP OURDEST (11221) is the C-MOVE destination.</summary>
public sealed class DcmtkScpFixture : IAsyncLifetime
{
    public const int StorePort = 11210, QrPort = 11220, DestPort = 11221;
    public string Work { get; } = TempDir("dcmtkscp");
    public string StoreDir => Path.Combine(Work, $"storescp-{StorePort}");
    public string DestDir => Path.Combine(Work, "ourdest");
    public DicomServer Dest { get; private set; } = null!;
    public string Study1 { get; } = DicomUid.GenerateValue();
    public string Study2 { get; } = DicomUid.GenerateValue();
    public IReadOnlyList<DicomStoreResult> Loaded { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Peer(null, "storescp", StorePort.ToString(), Work);
        Peer(new Dictionary<string, string> { ["PEERS_HOSTS"] = $"OURDEST@127.0.0.1:{DestPort}" }, "dcmqrscp", QrPort.ToString(), Work);
        var store = new DicomFileStore(DestDir);
        var options = new DicomServerOptions { Connection = { Hostname = "127.0.0.1", Port = DestPort } };
        options.ApplicationEntities.Add(new DicomApplicationEntity("OURDEST", DicomTransferCapability.Verification().Concat(DicomTransferCapability.Storage())));
        Dest = new DicomServer(options) { Storage = store };
        await Dest.StartAsync();
        // Fill dcmqrscp with our storage SCU.
        var data = Path.Combine(Work, "data");
        var files = new[] { TestData.Generate(data, "QR1", Study1), TestData.Generate(data, "QR1", Study1), TestData.Generate(data, "QR2", Study2), TestData.File("CT_small.dcm") };
        Loaded = await new DicomStorageScu(Client("QRSCP", QrPort)).StoreAsync(files);
    }

    public static DicomClientOptions Client(string calledAE, int port) => new() { Host = "127.0.0.1", Port = port, CallingAE = "OURSCU", CalledAE = calledAE };

    public async Task DisposeAsync()
    {
        if (Dest != null) await Dest.StopAsync(TimeSpan.FromSeconds(2));
        foreach (var (n, p) in new[] { ("storescp", StorePort), ("dcmqrscp", QrPort) })
        {
            try { Peer(null, "--stop", n, p.ToString(), Work); } catch (InvalidOperationException) { }
        }
        try { Directory.Delete(Work, true); } catch (IOException) { }
    }
}

public class OurScuToDcmtkScpTests(DcmtkScpFixture f) : IClassFixture<DcmtkScpFixture>
{
    [Fact]
    public async Task Echo_Storescp()
    {
        Assert.Equal(DicomStatus.Success, await new DicomVerificationScu(DcmtkScpFixture.Client("STORESCP", DcmtkScpFixture.StorePort)).EchoAsync());
    }

    [Fact]
    public async Task Store_ManyFiles_ToStorescp_ArriveIntact()
    {
        var data = TempDir("ourstore");
        var files = new List<string> { TestData.File("CT_small.dcm"), TestData.File("MR_small.dcm"), TestData.File("rtplan.dcm") };
        for (int i = 0; i < 20; i++) files.Add(TestData.Generate(data, "S" + i, DicomUid.GenerateValue()));
        int reports = 0;
        var results = await new DicomStorageScu(DcmtkScpFixture.Client("STORESCP", DcmtkScpFixture.StorePort))
            .StoreAsync(files, new SyncProgress<DicomStoreProgress>(_ => reports++));
        Assert.All(results, r => Assert.Equal(DicomStatus.Success, r.Status));
        Assert.Equal(files.Count, reports);
        foreach (var file in files)
        {
            var original = DicomFile.Open(file);
            string uid = original.Dataset.GetString(DicomTag.SOPInstanceUID);
            var path = Directory.GetFiles(f.StoreDir).SingleOrDefault(p => Path.GetFileName(p).EndsWith("." + uid, StringComparison.Ordinal));
            Assert.True(path != null, $"{uid} not received by storescp");
            var got = DicomFile.Open(path);
            Assert.Equal(original.TransferSyntax, got.TransferSyntax);
            original.Dataset.Remove(new DicomTag(0xFFFC, 0xFFFC)); // DCMTK drops Data Set Trailing Padding
            Assert.Empty(DicomDatasetComparer.Differences(original.Dataset, got.Dataset));
        }
        Directory.Delete(data, true);
    }

    [Fact]
    public async Task Store_CompressedFile_ToStorescpWithoutCompressedSupport_FailsThatFileOnly()
    {
        var results = await new DicomStorageScu(DcmtkScpFixture.Client("STORESCP", DcmtkScpFixture.StorePort))
            .StoreAsync([TestData.File("JPEG2000.dcm"), TestData.File("MR_small.dcm")]);
        Assert.Equal(DicomStatus.SopClassNotSupported, results[0].Status);
        Assert.NotNull(results[0].Error);
        Assert.Equal(DicomStatus.Success, results[1].Status);
    }

    [Fact]
    public void Dcmqrscp_AcceptedOurStores() =>
        Assert.All(f.Loaded, r => Assert.True(r.Status.IsSuccess, $"{r.Path}: {r.Status} {r.Error}"));

    [Fact]
    public async Task Dcmqrscp_RejectsUnknownCalledAE()
    {
        var e = await Assert.ThrowsAsync<DicomAssociationException>(() => new DicomVerificationScu(DcmtkScpFixture.Client("NOSUCHAE", DcmtkScpFixture.QrPort)).EchoAsync());
        Assert.Equal(AssociateRejectPdu.ReasonCalledAENotRecognized, e.Reject!.Reason);
    }

    [Fact]
    public async Task Find_StudyRoot_And_PatientRoot_OnDcmqrscp()
    {
        var qr = new DicomQueryRetrieveScu(DcmtkScpFixture.Client("QRSCP", DcmtkScpFixture.QrPort));
        var studies = new List<DicomDataset>();
        await foreach (var m in qr.FindAsync(QueryRetrieveModel.StudyRoot, DicomQueryRetrieveScu.CreateIdentifier("STUDY",
                           (DicomTag.PatientID, "QR1"), (DicomTag.StudyInstanceUID, ""), (DicomTag.PatientName, ""))))
            studies.Add(m);
        Assert.Equal(f.Study1, Assert.Single(studies).GetString(DicomTag.StudyInstanceUID));
        Assert.Equal("Test^QR1", studies[0].GetString(DicomTag.PatientName));

        var patients = new List<DicomDataset>();
        await foreach (var m in qr.FindAsync(QueryRetrieveModel.PatientRoot, DicomQueryRetrieveScu.CreateIdentifier("PATIENT",
                           (DicomTag.PatientID, "QR*"), (DicomTag.PatientName, ""))))
            patients.Add(m);
        Assert.Equal(["QR1", "QR2"], patients.Select(p => p.GetString(DicomTag.PatientID)).Order().ToArray());
    }

    [Fact]
    public async Task Find_StudyRoot_ImageLevelWithoutStudy_IsAFailure()
    {
        var qr = new DicomQueryRetrieveScu(DcmtkScpFixture.Client("QRSCP", DcmtkScpFixture.QrPort));
        var e = await Assert.ThrowsAsync<DicomServiceException>(async () =>
        {
            await foreach (var _ in qr.FindAsync(QueryRetrieveModel.StudyRoot, DicomQueryRetrieveScu.CreateIdentifier("IMAGE", (DicomTag.PatientID, "QR1"), (DicomTag.SOPInstanceUID, ""))))
            {
            }
        });
        Assert.Equal(DicomStatusCategory.Failure, e.Status.Category);
    }

    [Fact]
    public async Task Move_FromDcmqrscp_ToOurScp()
    {
        var qr = new DicomQueryRetrieveScu(DcmtkScpFixture.Client("QRSCP", DcmtkScpFixture.QrPort));
        var result = await qr.MoveAsync(QueryRetrieveModel.StudyRoot, DicomQueryRetrieveScu.CreateIdentifier("STUDY", (DicomTag.StudyInstanceUID, f.Study1)), "OURDEST");
        Assert.Equal(DicomStatus.Success, result.Status);
        Assert.Equal(2, result.Completed);
        var got = Directory.GetFiles(f.DestDir, "*.dcm").Select(p => DicomFile.Open(p).Dataset.GetString(DicomTag.StudyInstanceUID)).Count(s => s == f.Study1);
        Assert.Equal(2, got);
    }

    [Fact]
    public async Task Move_ToUnknownDestination_IsRefused()
    {
        var qr = new DicomQueryRetrieveScu(DcmtkScpFixture.Client("QRSCP", DcmtkScpFixture.QrPort));
        var result = await qr.MoveAsync(QueryRetrieveModel.StudyRoot, DicomQueryRetrieveScu.CreateIdentifier("STUDY", (DicomTag.StudyInstanceUID, f.Study1)), "NOWHERE");
        Assert.Equal(DicomStatus.MoveDestinationUnknown, result.Status);
    }

    [Fact]
    public async Task Get_FromDcmqrscp()
    {
        var od = TempDir("ourget");
        var qr = new DicomQueryRetrieveScu(DcmtkScpFixture.Client("QRSCP", DcmtkScpFixture.QrPort));
        var result = await qr.GetAsync(QueryRetrieveModel.PatientRoot, DicomQueryRetrieveScu.CreateIdentifier("PATIENT", (DicomTag.PatientID, "QR2")), od);
        Assert.Equal(DicomStatus.Success, result.Status);
        Assert.Equal(1, result.Completed);
        var file = Assert.Single(Directory.GetFiles(od, "*.dcm"));
        Assert.Equal("QR2", DicomFile.Open(file).Dataset.GetString(DicomTag.PatientID));
        Assert.Single(result.ReceivedFiles);
        Directory.Delete(od, true);
    }
}
