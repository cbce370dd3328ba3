using System.Net.Http.Json;
using System.Text.Json;
using Dicom.Typed.Network;
using Dicom.Typed.Network.Tests;
using static Dicom.Typed.Interop.TestEnvironment;

namespace Dicom.Typed.Interop;

/// <summary>MPPS and Storage Commitment against real peers:
/// dcmjs-dimse scp.js (NODESCP, 11373) as MPPS SCP and its mpps-scu.js against our MPPS SCP (OURMPPS, 11374);
/// Orthanc (ORTHANC, 11375, REST 11376) as Storage Commitment SCP replying on a new association to our listener (OURSTCMT, 11377)
/// and, through its REST API, as SCU of our Storage Commitment SCP (OURCMT, 11379);
/// dcmjs-dimse stcmt-scu.js against our SCP, whose report goes on a new association to a second scp.js (STCMTSCU, 11378).</summary>
public sealed class MppsCommitmentFixture : IAsyncLifetime
{
    public const int NodePort = 11373, OurMppsPort = 11374, OrthancPort = 11375, OrthancHttp = 11376, ListenerPort = 11377, NodeReportPort = 11378, OurCmtPort = 11379;
    public string Work { get; } = TempDir("mppscmt");
    public string NpmDir { get; } = Environment.GetEnvironmentVariable("PEERS_NPM_DIR") ?? Path.Combine(RepoRoot, ".peers", "npm");
    public string NodeEvents => Path.Combine(Work, $"dcmjs-scp-{NodePort}", "events.jsonl");
    public string ReportEvents => Path.Combine(Work, $"dcmjs-scp-{NodeReportPort}", "events.jsonl");
    public HttpClient Http { get; } = new() { BaseAddress = new Uri($"http://127.0.0.1:{OrthancHttp}/"), Timeout = TimeSpan.FromSeconds(30) };
    public DicomMppsStore Mpps { get; } = new();
    public DicomServer OurMpps { get; private set; } = null!;
    public DicomServer OurCmt { get; private set; } = null!;
    public DicomFileStore CmtStore { get; private set; } = null!;
    public DicomStorageCommitmentService CmtService { get; private set; } = null!;
    public DicomStorageCommitmentListener Listener { get; private set; } = null!;
    public List<string> DataFiles { get; } = [];
    public string Worklists => Path.Combine(Work, "orthanc-worklists");

    private Dictionary<string, string> NodeEnv => new() { ["PEERS_NPM_DIR"] = NpmDir };

    public async Task InitializeAsync()
    {
        RequireProgram("node");
        if (!File.Exists(Path.Combine(NpmDir, "mpps-scu.js")))
            throw new InvalidOperationException($"dcmjs-dimse helpers are missing in {NpmDir}. Run ./test.sh (tests/peers/install.sh installs them).");
        Peer(NodeEnv, "dcmjs-scp", NodePort.ToString(), Work);
        Peer(NodeEnv, "dcmjs-scp", NodeReportPort.ToString(), Work, "STCMTSCU");
        // Orthanc also serves dcmtk's ten example worklist items (dump2dcm -g) with its worklist plugin.
        Directory.CreateDirectory(Worklists);
        foreach (var dump in Directory.GetFiles("/usr/share/doc/dcmtk/examples/wlistdb/OFFIS", "wklist*.dump"))
        {
            var r = Run("dump2dcm", ["-q", "-g", dump, Path.Combine(Worklists, Path.GetFileNameWithoutExtension(dump) + ".wl")]);
            if (r.ExitCode != 0) throw new InvalidOperationException("dump2dcm failed: " + Describe(r));
        }
        if (Directory.GetFiles(Worklists, "*.wl").Length != 10) throw new InvalidOperationException("dcmtk's example worklist items are missing");
        Peer(new Dictionary<string, string> { ["PEERS_HOSTS"] = $"OURSTCMT@127.0.0.1:{ListenerPort} OURCMT@127.0.0.1:{OurCmtPort}", ["PEERS_HTTP_PORT"] = OrthancHttp.ToString(),
                ["PEERS_ORTHANC_WORKLISTS"] = Worklists },
            "orthanc", OrthancPort.ToString(), Work);

        var mppsOptions = new DicomServerOptions { Connection = { Hostname = "127.0.0.1", Port = OurMppsPort } };
        mppsOptions.ApplicationEntities.Add(new DicomApplicationEntity("OURMPPS", DicomTransferCapability.Verification().Concat(DicomServiceCapabilities.ModalityPerformedProcedureStep())));
        OurMpps = new DicomServer(mppsOptions);
        OurMpps.NormalServices.Add(new DicomMppsService(Mpps));
        await OurMpps.StartAsync();

        Listener = new DicomStorageCommitmentListener("OURSTCMT", ListenerPort);
        await Listener.StartAsync();

        var data = Path.Combine(Work, "data");
        string study = DicomUid.GenerateValue();
        for (int i = 0; i < 3; i++) DataFiles.Add(TestData.Generate(data, "CMT1", study));
        CmtStore = new DicomFileStore(Path.Combine(Work, "ourcmt"));
        var cmtOptions = new DicomServerOptions { Connection = { Hostname = "127.0.0.1", Port = OurCmtPort } };
        cmtOptions.ApplicationEntities.Add(new DicomApplicationEntity("OURCMT", DicomTransferCapability.Verification().Concat(DicomTransferCapability.Storage())
            .Concat(DicomServiceCapabilities.StorageCommitment())));
        var svcOptions = new DicomStorageCommitmentServiceOptions { ReplyMode = DicomCommitmentReportMode.NewAssociation, RetrieveAETitle = "OURCMT" };
        svcOptions.RemoteApplicationEntities.Add(new DicomRemoteApplicationEntity("STCMTSCU", "127.0.0.1", NodeReportPort));
        svcOptions.RemoteApplicationEntities.Add(new DicomRemoteApplicationEntity("ORTHANC", "127.0.0.1", OrthancPort));
        CmtService = new DicomStorageCommitmentService(new DicomFileStoreCommitmentHandler(CmtStore), svcOptions);
        OurCmt = new DicomServer(cmtOptions) { Storage = CmtStore };
        OurCmt.NormalServices.Add(CmtService);
        await OurCmt.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (OurMpps != null) await OurMpps.StopAsync(TimeSpan.FromSeconds(2));
        if (OurCmt != null) await OurCmt.StopAsync(TimeSpan.FromSeconds(2));
        if (Listener != null) await Listener.DisposeAsync();
        foreach (var (name, port) in new[] { ("dcmjs-scp", NodePort), ("dcmjs-scp", NodeReportPort), ("orthanc", OrthancPort) })
            try { Peer(NodeEnv, "--stop", name, port.ToString(), Work); } catch (InvalidOperationException) { }
        Http.Dispose();
        try { Directory.Delete(Work, true); } catch (IOException) { }
    }
}

public class MppsCommitmentInteropTests(MppsCommitmentFixture f) : IClassFixture<MppsCommitmentFixture>
{
    private static List<JsonElement> Events(string path) =>
        File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList() : [];

    /// <summary>Polls a condition (the peer writes asynchronously); a bounded wait, not a timing assertion.</summary>
    private static async Task<bool> EventuallyAsync(Func<bool> condition, int seconds = 20)
    {
        for (int i = 0; i < seconds * 10; i++)
        {
            if (condition()) return true;
            await Task.Delay(100);
        }
        return condition();
    }

    [Fact]
    public async Task Mpps_OurScu_ToDcmjsScp_InProgressCompleted_ThenRefused()
    {
        var scu = new DicomMppsScu(new DicomClientOptions { Host = "127.0.0.1", Port = MppsCommitmentFixture.NodePort, CallingAE = "OURSCU", CalledAE = "NODESCP" });
        var created = await scu.CreateAsync(new DicomMppsCreate
        {
            PerformedProcedureStepId = "PPS7", PerformedStationAETitle = "OURSCU", StartDateTime = new DateTime(2024, 3, 1, 8, 0, 0), Modality = "XA",
            PatientName = "Mpps^Interop", PatientId = "MPI1", AccessionNumber = "ACC7",
        });
        Assert.True(created.Status.IsSuccess);
        var series = new DicomMppsPerformedSeries { SeriesInstanceUid = DicomUid.GenerateValue(), ProtocolName = "Run 1",
            Images = [new DicomSopReference(DicomUid.XRayAngiographicImageStorage.Value, DicomUid.GenerateValue())] };
        var set = await scu.SetAsync(created.SopInstanceUid, new DicomMppsSet { Status = DicomMppsStatus.Completed, PerformedSeries = [series] });
        Assert.True(set.Status.IsSuccess);
        // scp.js refuses updates of a completed step with 0110H.
        var e = await Assert.ThrowsAsync<DicomServiceException>(() => scu.SetAsync(created.SopInstanceUid, new DicomMppsSet { Status = DicomMppsStatus.Discontinued }));
        Assert.Equal(DicomStatus.ProcessingFailure, e.Status);

        var mine = Events(f.NodeEvents).Where(ev => ev.TryGetProperty("sopInstanceUid", out var u) && u.GetString() == created.SopInstanceUid).ToList();
        var create = Assert.Single(mine, ev => ev.GetProperty("op").GetString() == "N-CREATE");
        Assert.Equal("IN PROGRESS", create.GetProperty("dataset").GetProperty("PerformedProcedureStepStatus").GetString());
        Assert.Contains("Mpps^Interop", create.GetProperty("dataset").GetProperty("PatientName").ToString());
        Assert.Contains(mine, ev => ev.GetProperty("op").GetString() == "N-SET"
            && ev.GetProperty("dataset").GetProperty("PerformedProcedureStepStatus").GetString() == "COMPLETED");
    }

    [Fact]
    public async Task Mpps_DcmjsScu_ToOurScp_StoreFollowsTheSteps()
    {
        var before = f.Mpps.Instances.ToHashSet();
        var r = Run("node", [Path.Combine(f.NpmDir, "mpps-scu.js"), "127.0.0.1", MppsCommitmentFixture.OurMppsPort.ToString(), "OURMPPS"], TimeSpan.FromSeconds(30));
        Assert.True(r.ExitCode == 0, Describe(r));
        var uid = Assert.Single(f.Mpps.Instances, u => !before.Contains(u));
        Assert.Equal(DicomMppsStatus.Completed, f.Mpps.GetStatus(uid));
        var ds = f.Mpps.Get(uid)!;
        Assert.Equal("MPPS1", ds.GetString(DicomTag.PatientID).Trim());
        Assert.Equal("20240101", ds.GetString(DicomTag.PerformedProcedureStepEndDate).Trim());
        // The step dcmjs completed may no longer be updated.
        var scu = new DicomMppsScu(new DicomClientOptions { Host = "127.0.0.1", Port = MppsCommitmentFixture.OurMppsPort, CallingAE = "OURSCU", CalledAE = "OURMPPS" });
        var e = await Assert.ThrowsAsync<DicomServiceException>(() => scu.SetAsync(uid, new DicomMppsSet { Status = DicomMppsStatus.Discontinued }));
        Assert.Equal(DicomStatus.ProcessingFailure, e.Status);
        Assert.Equal(DicomMppsStatus.Completed, f.Mpps.GetStatus(uid));
    }

    [Fact]
    public async Task Worklist_OurScu_ToOrthancWorklistPlugin()
    {
        var scu = new DicomWorklistScu(new DicomClientOptions { Host = "127.0.0.1", Port = MppsCommitmentFixture.OrthancPort, CallingAE = "OURSTCMT", CalledAE = "ORTHANC" });
        var ct = new List<DicomWorklistItem>();
        await foreach (var i in scu.FindAsync(new DicomWorklistQuery { Modality = "CT" })) ct.Add(i);
        Assert.Equal(4, ct.Count);
        Assert.All(ct, i => Assert.Equal("CT", i.ScheduledProcedureSteps.Single().Modality));
        var haydn = new List<DicomWorklistItem>();
        await foreach (var i in scu.FindAsync(new DicomWorklistQuery { PatientName = "HAYDN*" })) haydn.Add(i);
        Assert.Equal(3, haydn.Count);
        Assert.All(haydn, i => Assert.StartsWith("HAYDN", i.PatientName));
    }

    [Fact]
    public async Task StorageCommitment_OurScu_ToOrthanc_ReportOnNewAssociation()
    {
        var client = new DicomClientOptions { Host = "127.0.0.1", Port = MppsCommitmentFixture.OrthancPort, CallingAE = "OURSTCMT", CalledAE = "ORTHANC" };
        var stored = await new DicomStorageScu(client).StoreAsync(f.DataFiles.Take(2));
        Assert.All(stored, s => Assert.True(s.Status.IsSuccess, s.ToString()));
        var refs = stored.Select(s => new DicomSopReference(DicomUid.SecondaryCaptureImageStorage.Value, s.SopInstanceUid)).ToList();
        var missing = new DicomSopReference(DicomUid.SecondaryCaptureImageStorage.Value, DicomUid.GenerateValue());
        var scu = new DicomStorageCommitmentScu(client, f.Listener) { ReportTimeout = TimeSpan.FromSeconds(30) };
        var result = await scu.CommitAsync([.. refs, missing]);
        Assert.False(result.ReceivedOnSameAssociation);
        Assert.Equal("ORTHANC", result.ReporterAE);
        Assert.Equal(refs.OrderBy(r => r.SopInstanceUid), result.Committed.OrderBy(r => r.SopInstanceUid));
        var failure = Assert.Single(result.Failed);
        Assert.Equal(missing, failure.Reference);
        Assert.NotEqual(0, (int)failure.Reason);
    }

    [Fact]
    public async Task StorageCommitment_DcmjsScu_ToOurScp_ReportOnNewAssociation()
    {
        var stored = await new DicomStorageScu(new DicomClientOptions { Host = "127.0.0.1", Port = MppsCommitmentFixture.OurCmtPort, CallingAE = "STCMTSCU", CalledAE = "OURCMT" })
            .StoreAsync(f.DataFiles);
        Assert.All(stored, s => Assert.True(s.Status.IsSuccess, s.ToString()));
        var r = Run("node", [Path.Combine(f.NpmDir, "stcmt-scu.js"), "127.0.0.1", MppsCommitmentFixture.OurCmtPort.ToString(), "OURCMT", "STCMTSCU", .. f.DataFiles],
            TimeSpan.FromSeconds(30));
        Assert.True(r.ExitCode == 0, Describe(r));
        var tx = System.Text.RegularExpressions.Regex.Match(r.StdOut, @"TransactionUID ([0-9.]+)").Groups[1].Value;
        Assert.NotEmpty(tx);
        bool Reported() => Events(f.ReportEvents).Any(ev => ev.GetProperty("op").GetString() == "N-EVENT-REPORT"
            && ev.GetProperty("dataset").GetProperty("TransactionUID").GetString() == tx);
        Assert.True(await EventuallyAsync(Reported), $"no N-EVENT-REPORT for {tx} in {f.ReportEvents}");
        var report = Events(f.ReportEvents).Last(ev => ev.GetProperty("op").GetString() == "N-EVENT-REPORT"
            && ev.GetProperty("dataset").GetProperty("TransactionUID").GetString() == tx);
        Assert.Equal(1, report.GetProperty("eventTypeId").GetInt32());
        Assert.Equal(3, report.GetProperty("dataset").GetProperty("ReferencedSOPSequence").GetArrayLength());
    }

    [Fact]
    public async Task StorageCommitment_OrthancScu_ToOurScp_ReportOnNewAssociation()
    {
        var stored = await new DicomStorageScu(new DicomClientOptions { Host = "127.0.0.1", Port = MppsCommitmentFixture.OurCmtPort, CallingAE = "ORTHANC", CalledAE = "OURCMT" })
            .StoreAsync(f.DataFiles.Take(1));
        var present = stored.Single().SopInstanceUid;
        var absent = DicomUid.GenerateValue();
        string cls = DicomUid.SecondaryCaptureImageStorage.Value;
        var body = JsonSerializer.Serialize(new
        {
            DicomInstances = new[] { new { SOPClassUID = cls, SOPInstanceUID = present }, new { SOPClassUID = cls, SOPInstanceUID = absent } },
            Timeout = 20,
        });
        var post = await f.Http.PostAsync("modalities/ourcmt/storage-commitment", new StringContent(body));
        var postText = await post.Content.ReadAsStringAsync();
        Assert.True(post.IsSuccessStatusCode, postText);
        var path = JsonDocument.Parse(postText).RootElement.GetProperty("Path").GetString()!.TrimStart('/');
        JsonElement report = default;
        Assert.True(await EventuallyAsync(() =>
        {
            report = f.Http.GetFromJsonAsync<JsonElement>(path).GetAwaiter().GetResult();
            return report.GetProperty("Status").GetString() != "Pending";
        }), "Orthanc never received our report");
        var success = report.GetProperty("Success").EnumerateArray().Select(e => e.GetProperty("SOPInstanceUID").GetString()).ToList();
        var failures = report.GetProperty("Failures").EnumerateArray().ToList();
        Assert.Equal([present], success);
        var fail = Assert.Single(failures);
        Assert.Equal(absent, fail.GetProperty("SOPInstanceUID").GetString());
        Assert.Equal(0x0112, fail.GetProperty("FailureReason").GetInt32());
    }
}
