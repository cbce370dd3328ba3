using System.Text.Json;
using Dicom.Typed.Network;
using static Dicom.Typed.Interop.TestEnvironment;

namespace Dicom.Typed.Interop;

/// <summary>DIMSE-N interop with dcmjs-dimse (npm, installed by ./test.sh): our association sends MPPS N-CREATE/N-SET,
/// N-ACTION and N-EVENT-REPORT to its scp.js (NODESCP, 11250); its mpps-scu.js drives our SCP (OURNSCP, 11251).</summary>
public sealed class DcmjsFixture : IAsyncLifetime
{
    public const int NodePort = 11250, OurPort = 11251;
    public const string Mpps = "1.2.840.10008.3.1.2.3.3";
    public string Work { get; } = TempDir("dcmjs");
    public string NpmDir { get; } = Environment.GetEnvironmentVariable("PEERS_NPM_DIR") ?? Path.Combine(RepoRoot, ".peers", "npm");
    public string Events => Path.Combine(Work, $"dcmjs-scp-{NodePort}", "events.jsonl");
    public DicomServer OurScp { get; private set; } = null!;
    public MppsStub Stub { get; } = new();

    public async Task InitializeAsync()
    {
        RequireProgram("node");
        if (!File.Exists(Path.Combine(NpmDir, "scp.js")))
            throw new InvalidOperationException($"dcmjs-dimse is missing in {NpmDir}. Run ./test.sh (tests/peers/install.sh installs it).");
        Peer(new Dictionary<string, string> { ["PEERS_NPM_DIR"] = NpmDir }, "dcmjs-scp", NodePort.ToString(), Work);
        var options = new DicomServerOptions { Connection = { Hostname = "127.0.0.1", Port = OurPort } };
        options.ApplicationEntities.Add(new DicomApplicationEntity("OURNSCP", DicomTransferCapability.Verification()
            .Append(new DicomTransferCapability(Mpps, DicomTransferRole.Scp, Dicom.Typed.Network.DicomStorageOperations.UncompressedTransferSyntaxes))));
        OurScp = new DicomServer(options);
        OurScp.NormalServices.Add(Stub);
        await OurScp.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (OurScp != null) await OurScp.StopAsync(TimeSpan.FromSeconds(2));
        try { Peer(new Dictionary<string, string> { ["PEERS_NPM_DIR"] = NpmDir }, "--stop", "dcmjs-scp", NodePort.ToString(), Work); } catch (InvalidOperationException) { }
        try { Directory.Delete(Work, true); } catch (IOException) { }
    }

    /// <summary>A minimal MPPS SCP: N-CREATE then N-SET, with the standard failure statuses.</summary>
    public sealed class MppsStub : IDicomNormalServiceHandler
    {
        private readonly Dictionary<string, string> _state = [];
        public List<string> Log { get; } = [];
        public IEnumerable<string> SopClasses => [Mpps];

        public Task<DimseMessage> OnRequestAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
        {
            string uid = request.SopInstanceUid ?? "";
            string status = request.Dataset?.GetStringOrDefault(DicomTag.PerformedProcedureStepStatus)?.Trim() ?? "";
            DicomStatus result;
            lock (_state)
            {
                Log.Add($"{request.CommandField} {status}");
                result = request.CommandField switch
                {
                    DimseCommandField.NCreateRequest when _state.ContainsKey(uid) => new DicomStatus(0x0111),
                    DimseCommandField.NCreateRequest => Set(uid, status),
                    DimseCommandField.NSetRequest when !_state.ContainsKey(uid) => DicomStatus.NoSuchObjectInstance,
                    DimseCommandField.NSetRequest => Set(uid, status.Length > 0 ? status : _state[uid]),
                    _ => DicomStatus.UnrecognizedOperation,
                };
            }
            return Task.FromResult(DimseMessage.CreateResponse(request, result));
        }

        private DicomStatus Set(string uid, string status)
        {
            _state[uid] = status;
            return DicomStatus.Success;
        }
    }
}

public class DcmjsNMessageTests(DcmjsFixture f) : IClassFixture<DcmjsFixture>
{
    private static async Task<DimseMessage> SendAsync(DicomAssociation a, DimseMessage rq)
    {
        DimseMessage? last = null;
        await foreach (var m in a.SendRequestAsync(rq)) last = m;
        return last!;
    }

    private static DicomClientOptions Node() => new() { Host = "127.0.0.1", Port = DcmjsFixture.NodePort, CallingAE = "OURSCU", CalledAE = "NODESCP" };

    [Fact]
    public async Task Mpps_NCreate_NSet_ToDcmjsScp()
    {
        await using var a = await DicomClient.ConnectAsync(Node(), [new PresentationContext(1, DcmjsFixture.Mpps, Dicom.Typed.Network.DicomStorageOperations.UncompressedTransferSyntaxes)]);
        string uid = DicomUid.GenerateValue();
        var create = new DicomDataset()
            .AddOrUpdate(DicomTag.PerformedProcedureStepStatus, "IN PROGRESS")
            .AddOrUpdate(DicomTag.PerformedProcedureStepID, "PPS1")
            .AddOrUpdate(DicomTag.PatientName, "Mpps^Test")
            .AddOrUpdate(DicomTag.PatientID, "MPPS1")
            .AddOrUpdate(DicomTag.Modality, "OT");
        var rsp = await SendAsync(a, DimseMessage.CreateRequest(DimseCommandField.NCreateRequest, a.NextMessageId(), DcmjsFixture.Mpps, uid, create));
        Assert.Equal(DimseCommandField.NCreateResponse, rsp.CommandField);
        Assert.Equal(DicomStatus.Success, rsp.Status);
        var dup = await SendAsync(a, DimseMessage.CreateRequest(DimseCommandField.NCreateRequest, a.NextMessageId(), DcmjsFixture.Mpps, uid, create));
        Assert.Equal((ushort)0x0111, dup.Status.Code);
        var set = new DicomDataset().AddOrUpdate(DicomTag.PerformedProcedureStepStatus, "COMPLETED");
        rsp = await SendAsync(a, DimseMessage.CreateRequest(DimseCommandField.NSetRequest, a.NextMessageId(), DcmjsFixture.Mpps, uid, set));
        Assert.Equal(DimseCommandField.NSetResponse, rsp.CommandField);
        Assert.Equal(DicomStatus.Success, rsp.Status);
        rsp = await SendAsync(a, DimseMessage.CreateRequest(DimseCommandField.NSetRequest, a.NextMessageId(), DcmjsFixture.Mpps, DicomUid.GenerateValue(), set));
        Assert.Equal(DicomStatus.NoSuchObjectInstance, rsp.Status);
        await a.ReleaseAsync();
        var events = File.ReadAllLines(f.Events).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("sopInstanceUid", out var u) && u.GetString() == uid).ToList();
        Assert.Contains(events, e => e.GetProperty("op").GetString() == "N-SET"
            && e.GetProperty("dataset").GetProperty("PerformedProcedureStepStatus").GetString() == "COMPLETED");
    }

    [Fact]
    public async Task NAction_And_NEventReport_ToDcmjsScp()
    {
        const string StorageCommitment = "1.2.840.10008.1.20.1", Instance = "1.2.840.10008.1.20.1.1";
        await using var a = await DicomClient.ConnectAsync(Node(), [new PresentationContext(1, StorageCommitment, Dicom.Typed.Network.DicomStorageOperations.UncompressedTransferSyntaxes)]);
        var item = new DicomDataset().AddOrUpdate(DicomTag.ReferencedSOPClassUID, DicomUid.CTImageStorage.Value).AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, DicomUid.GenerateValue());
        var data = new DicomDataset().AddOrUpdate(DicomTag.TransactionUID, DicomUid.GenerateValue()).AddOrUpdate(DicomTag.ReferencedSOPSequence, item);
        var action = DimseMessage.CreateRequest(DimseCommandField.NActionRequest, a.NextMessageId(), StorageCommitment, Instance, data);
        action.ActionTypeId = 1;
        var rsp = await SendAsync(a, action);
        Assert.Equal(DimseCommandField.NActionResponse, rsp.CommandField);
        Assert.Equal(DicomStatus.Success, rsp.Status);
        var report = DimseMessage.CreateRequest(DimseCommandField.NEventReportRequest, a.NextMessageId(), StorageCommitment, Instance, data);
        report.EventTypeId = 1;
        rsp = await SendAsync(a, report);
        Assert.Equal(DimseCommandField.NEventReportResponse, rsp.CommandField);
        Assert.Equal(DicomStatus.Success, rsp.Status);
        await a.ReleaseAsync();
    }

    [Fact]
    public void MppsScuJs_DrivesOurScp()
    {
        var r = Run("node", [Path.Combine(f.NpmDir, "mpps-scu.js"), "127.0.0.1", DcmjsFixture.OurPort.ToString(), "OURNSCP"], TimeSpan.FromSeconds(30));
        Assert.True(r.ExitCode == 0, Describe(r));
        lock (f.Stub.Log)
        {
            Assert.Contains("NCreateRequest IN PROGRESS", f.Stub.Log);
            Assert.Contains("NSetRequest COMPLETED", f.Stub.Log);
        }
    }
}
