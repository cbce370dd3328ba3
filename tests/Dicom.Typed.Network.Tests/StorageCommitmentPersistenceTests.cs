using Dicom.Typed.Network;

namespace Dicom.Typed.Network.Tests;

/// <summary>Storage commitment SCP: duplicate Transaction UIDs, pending reports kept on disk across a restart, and the SCU
/// receiving the report on a new association while the N-ACTION association is open or after it ended.</summary>
public class StorageCommitmentPersistenceTests
{
    private const string Requester = "REQUESTER";

    private static DicomStorageCommitmentServiceOptions Options(DicomCommitmentReportMode mode, string? dir = null, int? requesterPort = null)
    {
        var o = new DicomStorageCommitmentServiceOptions
        {
            ReplyMode = mode, RetrieveAETitle = TestScp.AE, OutgoingAssociation = TestTimeouts.Short(), PendingReportsDirectory = dir,
            ConnectTimeout = TimeSpan.FromSeconds(5), ReportRetryDelay = TimeSpan.FromMilliseconds(100),
        };
        if (requesterPort is { } p) o.RemoteApplicationEntities.Add(new DicomRemoteApplicationEntity(Requester, "127.0.0.1", p));
        return o;
    }

    /// <summary>Sends one N-ACTION-RQ as <paramref name="callingAE"/> and releases at once (the requester does not wait for the report).</summary>
    private static async Task<DimseMessage> SendActionAsync(TestScp scp, string callingAE, string tx, IEnumerable<DicomSopReference> refs, bool abort = false)
    {
        var client = scp.Client();
        client.CallingAE = callingAE;
        await using var a = await DicomClient.ConnectAsync(client, [new PresentationContext(1, DicomUid.StorageCommitmentPushModel.Value, DicomStorageOperations.UncompressedTransferSyntaxes)]);
        var action = DimseMessage.CreateRequest(DimseCommandField.NActionRequest, a.NextMessageId(), DicomUid.StorageCommitmentPushModel.Value,
            DicomUid.StorageCommitmentPushModelInstance.Value, DicomStorageCommitmentResult.CreateActionInformation(tx, refs));
        action.ActionTypeId = 1;
        DimseMessage? rsp = null;
        await foreach (var m in a.SendRequestAsync(action)) rsp = m;
        if (abort) await a.AbortAsync();
        else await a.ReleaseAsync();
        return rsp!;
    }

    private static string[] Records(string dir) => Directory.Exists(dir) ? Directory.GetFiles(dir, "*.stcmt.json") : [];

    private static string TempDir() => Path.Combine(Path.GetTempPath(), "dtstcmt-" + Guid.NewGuid().ToString("N")[..8]);

    // ---- duplicate Transaction UID ---------------------------------------------------------------------------------

    [Fact]
    public async Task DuplicateTransactionUid_ForOtherInstances_IsRefused_RetransmissionIsReportedAgain()
    {
        var (scp, stored) = await TestScp.StartWithCommittableInstancesAsync();
        await using var _s = scp;
        var service = scp.AddStorageCommitment(Options(DicomCommitmentReportMode.SameAssociation));
        var scu = new DicomStorageCommitmentScu(scp.Client()) { ReportTimeout = TimeSpan.FromSeconds(20) };
        string tx = DicomUid.GenerateValue();

        var first = await scu.CommitAsync([stored[0]], tx);
        Assert.True(first.AllCommitted);

        // Same UID, other instances: refused at the N-ACTION, with the reason in the Error Comment.
        var e = await Assert.ThrowsAsync<DicomServiceException>(() => scu.CommitAsync([stored[1]], tx));
        Assert.Equal(DicomStatus.ProcessingFailure, e.Status);
        Assert.Contains("0131H", e.Message);

        // Same UID from another AE: refused too.
        var other = scp.Client();
        other.CallingAE = "OTHERSCU";
        var e2 = await Assert.ThrowsAsync<DicomServiceException>(() => new DicomStorageCommitmentScu(other) { ReportTimeout = TimeSpan.FromSeconds(20) }.CommitAsync([stored[0]], tx));
        Assert.Contains("0131H", e2.Message);

        // The identical request again (a requester that lost the report): evaluated and reported again.
        var again = await scu.CommitAsync([stored[0]], tx);
        Assert.Equal(tx, again.TransactionUid);
        Assert.Equal([stored[0]], again.Committed);
        Assert.Empty(service.PendingTransactions);
    }

    [Fact]
    public async Task DuplicateTransactionUid_ReportFailedMode_ReportsEveryInstanceWith0131H()
    {
        var (scp, stored) = await TestScp.StartWithCommittableInstancesAsync();
        await using var _s = scp;
        var options = Options(DicomCommitmentReportMode.SameAssociation);
        options.DuplicateTransaction = DicomDuplicateTransactionHandling.ReportFailed;
        scp.AddStorageCommitment(options);
        var scu = new DicomStorageCommitmentScu(scp.Client()) { ReportTimeout = TimeSpan.FromSeconds(20) };
        string tx = DicomUid.GenerateValue();
        Assert.True((await scu.CommitAsync([stored[0]], tx)).AllCommitted);

        var dup = await scu.CommitAsync(stored, tx);
        Assert.Empty(dup.Committed);
        Assert.Equal(stored.OrderBy(r => r.SopInstanceUid), dup.Failed.Select(f => f.Reference).OrderBy(r => r.SopInstanceUid));
        Assert.All(dup.Failed, f => Assert.Equal(DicomCommitmentFailureReason.DuplicateTransactionUid, f.Reason));
        Assert.Equal(2, dup.EventTypeId);
    }

    // ---- pending reports on disk -----------------------------------------------------------------------------------

    [Fact]
    public async Task PendingReport_RequesterUnreachable_IsKeptOnDisk_AndSentAfterRestart()
    {
        var dir = TempDir();
        try
        {
            var (scp, stored) = await TestScp.StartWithCommittableInstancesAsync();
            await using var _s = scp;
            using var refusing = new RefusingPort();
            var options = Options(DicomCommitmentReportMode.NewAssociation, dir, requesterPort: refusing.Port);
            options.MaxReportAttempts = 3;
            var service = new DicomStorageCommitmentService(new DicomFileStoreCommitmentHandler(scp.Store), options);
            var failures = new List<Exception>();
            service.ReportSent += (_, ex) => { if (ex != null) lock (failures) failures.Add(ex); };
            scp.Server.NormalServices.Add(service);

            string tx = DicomUid.GenerateValue();
            var missing = new DicomSopReference(DicomUid.SecondaryCaptureImageStorage.Value, DicomUid.GenerateValue());
            Assert.True((await SendActionAsync(scp, Requester, tx, [stored[0], stored[1], missing])).Status.IsSuccess);
            await service.WhenIdleAsync();

            // Three attempts, each a typed connection failure; the report is still pending, on disk, with its result.
            Assert.Equal(3, failures.Count);
            Assert.All(failures, f => Assert.Equal(DicomNetworkErrorReason.ConnectionFailed, Assert.IsAssignableFrom<DicomNetworkException>(f).Reason));
            Assert.Equal([tx], service.PendingTransactions);
            var record = Assert.Single(Records(dir));
            var json = await File.ReadAllTextAsync(record);
            Assert.Contains(tx, json);
            Assert.Contains("\"committed\"", json);
            Assert.Contains("\"attempts\": 3", json);

            // While it is pending, its Transaction UID is taken: a request for other instances is refused.
            var dup = await SendActionAsync(scp, Requester, tx, [missing]);
            Assert.Equal(DicomStatus.ProcessingFailure, dup.Status);
            Assert.Contains("0131H", dup.ErrorComment);
            await scp.Server.StopAsync(TimeSpan.FromSeconds(2));
            Assert.Single(Records(dir));

            // Restart: a new service on the same folder, the requester is now listening (its address from the new configuration).
            await using var listener = new DicomStorageCommitmentListener(Requester, association: TestTimeouts.Short());
            await listener.StartAsync();
            var wait = listener.WaitForReportAsync(tx, TimeSpan.FromSeconds(30));
            var restarted = new DicomStorageCommitmentService(new DicomFileStoreCommitmentHandler(new DicomFileStore(scp.Directory)),
                Options(DicomCommitmentReportMode.NewAssociation, dir, requesterPort: listener.Port));
            await using var _r = restarted;
            var report = await wait;
            Assert.False(report.ReceivedOnSameAssociation);
            Assert.Equal(TestScp.AE, report.ReporterAE);
            Assert.Equal(stored.OrderBy(r => r.SopInstanceUid), report.Committed.OrderBy(r => r.SopInstanceUid));
            Assert.Equal(missing, Assert.Single(report.Failed).Reference);
            await restarted.WhenIdleAsync();
            Assert.Empty(Records(dir));
            Assert.Empty(restarted.PendingTransactions);

        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    /// <summary>Decides nothing until cancelled: the SCP is stopped between the N-ACTION-RSP and the evaluation.</summary>
    [Fact]
    public async Task AcceptedRequest_ScpStoppedBeforeEvaluating_IsEvaluatedAndReportedAfterRestart()
    {
        var dir = TempDir();
        try
        {
            await using var listener = new DicomStorageCommitmentListener(Requester, association: TestTimeouts.Short());
            await listener.StartAsync();
            var (scp, stored) = await TestScp.StartWithCommittableInstancesAsync();
            await using var _s = scp;
            var stuck = new StuckCommitmentHandler();
            scp.Server.NormalServices.Add(new DicomStorageCommitmentService(stuck,
                Options(DicomCommitmentReportMode.NewAssociation, dir, requesterPort: listener.Port)));
            string tx = DicomUid.GenerateValue();
            var received = new List<string>();
            listener.ReportReceived += r => { lock (received) received.Add(r.TransactionUid); };

            Assert.True((await SendActionAsync(scp, Requester, tx, stored)).Status.IsSuccess);
            await stuck.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await scp.Server.StopAsync(TimeSpan.FromSeconds(2)); // disposes the service: the evaluation is cancelled
            var json = await File.ReadAllTextAsync(Assert.Single(Records(dir)));
            Assert.Contains(tx, json);
            Assert.DoesNotContain("\"committed\"", json);
            Assert.Empty(received);

            var wait = listener.WaitForReportAsync(tx, TimeSpan.FromSeconds(30));
            await using var restarted = new DicomStorageCommitmentService(new DicomFileStoreCommitmentHandler(new DicomFileStore(scp.Directory)),
                Options(DicomCommitmentReportMode.NewAssociation, dir, requesterPort: listener.Port));
            var report = await wait;
            Assert.True(report.AllCommitted);
            Assert.Equal(stored.OrderBy(r => r.SopInstanceUid), report.Committed.OrderBy(r => r.SopInstanceUid));
            await restarted.WhenIdleAsync();
            Assert.Empty(Records(dir));
            Assert.Equal([tx], received);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task PendingFolder_TornAndUnreadableRecords_DoNotStopTheService()
    {
        var dir = TempDir();
        Directory.CreateDirectory(dir);
        try
        {
            var torn = Path.Combine(dir, "20260101000000000-abc.stcmt.json.1234abcd.tmp");
            var garbage = Path.Combine(dir, "20260101000000000-def.stcmt.json");
            await File.WriteAllTextAsync(torn, "{\"transactionUid\": \"1.2");
            await File.WriteAllTextAsync(garbage, "{ not json");
            await using var service = new DicomStorageCommitmentService(new DicomFileStoreCommitmentHandler(new DicomFileStore(Path.Combine(dir, "store"))),
                Options(DicomCommitmentReportMode.NewAssociation, dir));
            Assert.False(File.Exists(torn));   // an interrupted write: the record it would have replaced is still authoritative
            Assert.True(File.Exists(garbage)); // unreadable: kept for a human, not deleted
            Assert.Empty(service.PendingTransactions);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task SameAssociationMode_RequesterReleasedBeforeTheReport_ReportGoesToItsAddress()
    {
        await using var listener = new DicomStorageCommitmentListener(Requester, association: TestTimeouts.Short());
        await listener.StartAsync();
        var (scp, stored) = await TestScp.StartWithCommittableInstancesAsync();
        await using var _s = scp;
        // The requester aborts right after the N-ACTION-RSP and the handler answers only once that association has ended, so
        // the same-association report must fail.
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        scp.Server.AssociationEnded += (a, _) => { if (a?.CallingAE == Requester) ended.TrySetResult(); };
        var service = new DicomStorageCommitmentService(new GatedHandler(new DicomFileStoreCommitmentHandler(scp.Store), ended.Task),
            Options(DicomCommitmentReportMode.SameAssociation, requesterPort: listener.Port));
        var outcomes = new List<(bool Same, Exception? Error)>();
        service.ReportSent += (r, e) => { lock (outcomes) outcomes.Add((r.ReceivedOnSameAssociation, e)); };
        scp.Server.NormalServices.Add(service);
        string tx = DicomUid.GenerateValue();
        var wait = listener.WaitForReportAsync(tx, TimeSpan.FromSeconds(30));
        Assert.True((await SendActionAsync(scp, Requester, tx, stored, abort: true)).Status.IsSuccess);
        var report = await wait;
        Assert.False(report.ReceivedOnSameAssociation);
        Assert.True(report.AllCommitted);
        await service.WhenIdleAsync();
        // Delivered once, on the new association; the abort cancels the evaluation (or fails the send) on the old one.
        Assert.Equal((false, (Exception?)null), outcomes.Last());
        Assert.All(outcomes.SkipLast(1), o => Assert.True(o.Same && o.Error != null));
    }

    [Fact]
    public async Task Listener_KeepsOnlyTheNewestUnclaimedReports()
    {
        await using var listener = new DicomStorageCommitmentListener(Requester, association: TestTimeouts.Short()) { MaxUnclaimedReports = 2 };
        await listener.StartAsync();
        var (scp, stored) = await TestScp.StartWithCommittableInstancesAsync();
        await using var _s = scp;
        var service = scp.AddStorageCommitment(Options(DicomCommitmentReportMode.NewAssociation, requesterPort: listener.Port));
        var txs = Enumerable.Range(0, 3).Select(_ => DicomUid.GenerateValue()).ToList();
        foreach (var tx in txs)
        {
            Assert.True((await SendActionAsync(scp, Requester, tx, [stored[0]])).Status.IsSuccess);
            await service.WhenIdleAsync(); // delivered (ReportSent) before the next one: a fixed order
        }
        // The oldest unclaimed report was dropped; the two newest are still there for a late waiter.
        var e = await Assert.ThrowsAsync<DicomNetworkException>(() => listener.WaitForReportAsync(txs[0], TimeSpan.FromMilliseconds(300)));
        Assert.Equal(DicomNetworkErrorReason.Timeout, e.Reason);
        Assert.True((await listener.WaitForReportAsync(txs[1], TimeSpan.FromSeconds(5))).AllCommitted);
        Assert.True((await listener.WaitForReportAsync(txs[2], TimeSpan.FromSeconds(5))).AllCommitted);
    }

    // ---- SCU: report on a new association, N-ACTION association open or ended ----------------------------------------

    /// <summary>Evaluates only once <paramref name="gate"/> completed.</summary>
    private sealed class GatedHandler(IDicomStorageCommitmentHandler inner, Task gate) : IDicomStorageCommitmentHandler
    {
        public async Task<(IReadOnlyList<DicomSopReference> Committed, IReadOnlyList<DicomCommitmentFailure> Failed)> CommitAsync(string requestorAE,
            string transactionUid, IReadOnlyList<DicomSopReference> references, CancellationToken cancellationToken)
        {
            await gate.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
            return await inner.CommitAsync(requestorAE, transactionUid, references, cancellationToken);
        }
    }

    [Fact]
    public async Task Scu_ReportAfterTheNActionAssociationEnded_ArrivesOnTheListener()
    {
        await using var listener = new DicomStorageCommitmentListener(Requester, association: TestTimeouts.Short());
        await listener.StartAsync();
        var (scp, stored) = await TestScp.StartWithCommittableInstancesAsync();
        await using var _s = scp;
        var order = new List<string>();
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Only the requester's associations count (the instances were stored by TESTSCU just before).
        scp.Server.AssociationEnded += (a, _) =>
        {
            if (a?.CallingAE != Requester) return;
            lock (order) order.Add("N-ACTION association ended");
            ended.TrySetResult();
        };
        listener.ReportReceived += _ => { lock (order) order.Add("report"); };
        scp.Server.NormalServices.Add(new DicomStorageCommitmentService(new GatedHandler(new DicomFileStoreCommitmentHandler(scp.Store), ended.Task),
            Options(DicomCommitmentReportMode.NewAssociation, requesterPort: listener.Port)));
        var client = scp.Client();
        client.CallingAE = Requester;
        var result = await new DicomStorageCommitmentScu(client, listener) { ReportTimeout = TimeSpan.FromSeconds(30) }.CommitAsync(stored);
        Assert.False(result.ReceivedOnSameAssociation);
        Assert.True(result.AllCommitted);
        Assert.Equal(["N-ACTION association ended", "report"], order);
    }

    [Fact]
    public async Task Scu_KeepingTheNActionAssociationOpen_TakesTheReportFromANewAssociation_ThenReleases()
    {
        await using var listener = new DicomStorageCommitmentListener(Requester, association: TestTimeouts.Short());
        await listener.StartAsync();
        var (scp, stored) = await TestScp.StartWithCommittableInstancesAsync();
        await using var _s = scp;
        var order = new List<string>();
        scp.Server.AssociationEnded += (a, e) =>
        {
            if (a?.CallingAE == Requester) lock (order) order.Add(e == null ? "N-ACTION association released" : "N-ACTION association failed: " + e.Message);
        };
        listener.ReportReceived += _ => { lock (order) order.Add("report"); };
        var service = scp.AddStorageCommitment(Options(DicomCommitmentReportMode.NewAssociation, requesterPort: listener.Port));
        var client = scp.Client();
        client.CallingAE = Requester;
        var result = await new DicomStorageCommitmentScu(client, listener) { ReportTimeout = TimeSpan.FromSeconds(30), ReleaseAfterAction = false }.CommitAsync(stored);
        Assert.False(result.ReceivedOnSameAssociation);
        Assert.True(result.AllCommitted);
        await service.WhenIdleAsync();
        for (int i = 0; i < 100 && order.Count < 2; i++) await Task.Delay(50);
        Assert.Equal(["report", "N-ACTION association released"], order);
    }

    [Fact]
    public async Task Scu_KeepingTheAssociationOpen_SameAssociationReport_AndTimeoutWithoutReport()
    {
        await using var listener = new DicomStorageCommitmentListener(Requester, association: TestTimeouts.Short());
        await listener.StartAsync();
        var (scp, stored) = await TestScp.StartWithCommittableInstancesAsync();
        await using var _s = scp;
        scp.AddStorageCommitment(Options(DicomCommitmentReportMode.SameAssociation));
        var client = scp.Client();
        client.CallingAE = Requester;
        var scu = new DicomStorageCommitmentScu(client, listener) { ReportTimeout = TimeSpan.FromSeconds(30), ReleaseAfterAction = false };
        var result = await scu.CommitAsync(stored);
        Assert.True(result.ReceivedOnSameAssociation);
        Assert.True(result.AllCommitted);

        // An SCP that reports nowhere (requester address unknown, one attempt): the SCU ends with a typed Timeout.
        await using var silent = await TestScp.StartAsync(o => o.ApplicationEntities[0].TransferCapabilities.AddRange(DicomServiceCapabilities.StorageCommitment()));
        using var refusing = new RefusingPort();
        var options = Options(DicomCommitmentReportMode.NewAssociation, requesterPort: refusing.Port);
        silent.AddStorageCommitment(options);
        var silentClient = silent.Client();
        silentClient.CallingAE = Requester;
        var e = await Assert.ThrowsAsync<DicomNetworkException>(() =>
            new DicomStorageCommitmentScu(silentClient, listener) { ReportTimeout = TimeSpan.FromSeconds(3), ReleaseAfterAction = false }.CommitAsync(stored));
        Assert.Equal(DicomNetworkErrorReason.Timeout, e.Reason);
    }
}
