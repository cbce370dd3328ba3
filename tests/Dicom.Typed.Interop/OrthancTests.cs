using System.Net.Http.Json;
using System.Text.Json;
using Dicom.Typed.Network;
using Dicom.Typed.Network.Tests;
using static Dicom.Typed.Interop.TestEnvironment;

namespace Dicom.Typed.Interop;

/// <summary>Orthanc (ORTHANC, DICOM 11240, REST 11241) as SCP for our SCUs and, through its REST API, as SCU of our SCP (OURDEST, 11242).</summary>
public sealed class OrthancFixture : IAsyncLifetime
{
    public const int DicomPort = 11240, HttpPort = 11241, DestPort = 11242;
    public string Work { get; } = TempDir("orthanc");
    public string DestDir => Path.Combine(Work, "ourdest");
    public DicomServer Dest { get; private set; } = null!;
    public HttpClient Http { get; } = new() { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}/"), Timeout = TimeSpan.FromSeconds(30) };
    public string Study1 { get; } = DicomUid.GenerateValue();
    public string Study2 { get; } = DicomUid.GenerateValue();
    public IReadOnlyList<DicomStoreResult> Loaded { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Peer(new Dictionary<string, string> { ["PEERS_HOSTS"] = $"OURDEST@127.0.0.1:{DestPort}", ["PEERS_HTTP_PORT"] = HttpPort.ToString() },
            "orthanc", DicomPort.ToString(), Work);
        var options = new DicomServerOptions { Connection = { Hostname = "127.0.0.1", Port = DestPort } };
        options.ApplicationEntities.Add(new DicomApplicationEntity("OURDEST", DicomTransferCapability.Verification().Concat(DicomTransferCapability.Storage())));
        Dest = new DicomServer(options) { Storage = new DicomFileStore(DestDir) };
        await Dest.StartAsync();
        var data = Path.Combine(Work, "data");
        Loaded = await new DicomStorageScu(Client()).StoreAsync(
            [TestData.Generate(data, "OR1", Study1), TestData.Generate(data, "OR1", Study1), TestData.Generate(data, "OR2", Study2), TestData.File("CT_small.dcm")]);
    }

    public static DicomClientOptions Client(string calledAE = "ORTHANC") => new() { Host = "127.0.0.1", Port = DicomPort, CallingAE = "OURSCU", CalledAE = calledAE };

    public async Task DisposeAsync()
    {
        if (Dest != null) await Dest.StopAsync(TimeSpan.FromSeconds(2));
        try { Peer(null, "--stop", "orthanc", DicomPort.ToString(), Work); } catch (InvalidOperationException) { }
        Http.Dispose();
        try { Directory.Delete(Work, true); } catch (IOException) { }
    }
}

public class OrthancTests(OrthancFixture f) : IClassFixture<OrthancFixture>
{
    [Fact]
    public async Task Store_ToOrthanc_AllAccepted()
    {
        Assert.All(f.Loaded, r => Assert.True(r.Status.IsSuccess, $"{r.Path}: {r.Status} {r.Error}"));
        var stats = await f.Http.GetFromJsonAsync<JsonElement>("statistics");
        Assert.True(stats.GetProperty("CountInstances").GetInt32() >= 4);
    }

    [Fact]
    public async Task Orthanc_RejectsUnknownCalledAE()
    {
        var e = await Assert.ThrowsAsync<DicomAssociationException>(() => new DicomVerificationScu(OrthancFixture.Client("NOTORTHANC")).EchoAsync());
        Assert.Equal(AssociateRejectPdu.ReasonCalledAENotRecognized, e.Reject!.Reason);
    }

    [Fact]
    public async Task Find_Study_And_RelationalImageLevel()
    {
        var qr = new DicomQueryRetrieveScu(OrthancFixture.Client());
        var studies = new List<DicomDataset>();
        await foreach (var m in qr.FindAsync(QueryRetrieveModel.StudyRoot, DicomQueryRetrieveScu.CreateIdentifier("STUDY",
                           (DicomTag.PatientID, "OR1"), (DicomTag.StudyInstanceUID, ""), (DicomTag.NumberOfStudyRelatedInstances, ""))))
            studies.Add(m);
        var s = Assert.Single(studies);
        Assert.Equal(f.Study1, s.GetString(DicomTag.StudyInstanceUID));
        Assert.Equal("2", s.GetString(DicomTag.NumberOfStudyRelatedInstances).Trim());

        var images = new List<DicomDataset>();
        await foreach (var m in qr.FindAsync(QueryRetrieveModel.PatientRoot, DicomQueryRetrieveScu.CreateIdentifier("IMAGE",
                           (DicomTag.PatientID, "OR1"), (DicomTag.SOPInstanceUID, ""))))
            images.Add(m);
        Assert.Equal(2, images.Count);
    }

    [Fact]
    public async Task Move_FromOrthanc_ToOurScp()
    {
        var result = await new DicomQueryRetrieveScu(OrthancFixture.Client()).MoveAsync(QueryRetrieveModel.StudyRoot,
            DicomQueryRetrieveScu.CreateIdentifier("STUDY", (DicomTag.StudyInstanceUID, f.Study1)), "OURDEST");
        Assert.True(result.Status.IsSuccess, result.ToString());
        Assert.Equal(2, result.Completed);
        Assert.Equal(2, Directory.GetFiles(f.DestDir, "*.dcm").Count(p => DicomFile.Open(p).Dataset.GetString(DicomTag.StudyInstanceUID) == f.Study1));
    }

    [Fact]
    public async Task Get_FromOrthanc()
    {
        var od = TempDir("orthget");
        var result = await new DicomQueryRetrieveScu(OrthancFixture.Client()).GetAsync(QueryRetrieveModel.StudyRoot,
            DicomQueryRetrieveScu.CreateIdentifier("STUDY", (DicomTag.StudyInstanceUID, f.Study2)), od);
        Assert.True(result.Status.IsSuccess, result.ToString());
        Assert.Equal("OR2", DicomFile.Open(Assert.Single(Directory.GetFiles(od, "*.dcm"))).Dataset.GetString(DicomTag.PatientID));
        Directory.Delete(od, true);
    }

    [Fact]
    public async Task OrthancAsScu_EchoesAndStoresToOurScp()
    {
        var echo = await f.Http.PostAsync("modalities/ourdest/echo", new StringContent("{}"));
        Assert.True(echo.IsSuccessStatusCode, await echo.Content.ReadAsStringAsync());
        var ids = await f.Http.GetFromJsonAsync<string[]>("instances");
        Assert.NotNull(ids);
        Assert.NotEmpty(ids);
        var store = await f.Http.PostAsync("modalities/ourdest/store",
            new StringContent(JsonSerializer.Serialize(new { Resources = ids, Synchronous = true })));
        Assert.True(store.IsSuccessStatusCode, await store.Content.ReadAsStringAsync());
        Assert.True(Directory.GetFiles(f.DestDir, "*.dcm").Length >= ids.Length);
    }
}
