using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dicom.Typed.Network;

/// <summary>Optional second step of an <see cref="IDicomNormalServiceHandler"/>: called by <see cref="DicomServer"/> after the
/// response was sent (e.g. to send the storage commitment N-EVENT-REPORT after the N-ACTION-RSP).</summary>
public interface IDicomNormalServiceFollowUp
{
    /// <summary>Runs after <paramref name="response"/> was sent on <paramref name="association"/>.</summary>
    /// <param name="association">The association.</param>
    /// <param name="request">The request.</param>
    /// <param name="response">The response sent.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    Task OnResponseSentAsync(DicomAssociation association, DimseMessage request, DimseMessage response, CancellationToken cancellationToken);
}

/// <summary>Decides which instances of a storage commitment request are committed (PS3.4 J.3.2).</summary>
public interface IDicomStorageCommitmentHandler
{
    /// <summary>Checks the instances and returns the result (committed and failed references).</summary>
    /// <param name="requestorAE">Calling AE of the N-ACTION.</param>
    /// <param name="transactionUid">Transaction UID.</param>
    /// <param name="references">The Referenced SOP Sequence.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    Task<(IReadOnlyList<DicomSopReference> Committed, IReadOnlyList<DicomCommitmentFailure> Failed)> CommitAsync(string requestorAE, string transactionUid,
        IReadOnlyList<DicomSopReference> references, CancellationToken cancellationToken);
}

/// <summary>Commits the instances held by a <see cref="DicomFileStore"/>: an instance is committed when the store indexes it
/// with the same SOP class and its file still exists; otherwise it fails with 0112H (no such object instance) or 0119H (class-instance conflict).</summary>
/// <param name="store">The store.</param>
public sealed class DicomFileStoreCommitmentHandler(DicomFileStore store) : IDicomStorageCommitmentHandler
{
    /// <inheritdoc />
    public Task<(IReadOnlyList<DicomSopReference> Committed, IReadOnlyList<DicomCommitmentFailure> Failed)> CommitAsync(string requestorAE, string transactionUid,
        IReadOnlyList<DicomSopReference> references, CancellationToken cancellationToken)
    {
        var ok = new List<DicomSopReference>();
        var failed = new List<DicomCommitmentFailure>();
        foreach (var r in references)
        {
            if (!store.TryGetInstance(r.SopInstanceUid, out var path, out var sopClass) || !File.Exists(path))
                failed.Add(new DicomCommitmentFailure(r, DicomCommitmentFailureReason.NoSuchObjectInstance));
            else if (sopClass != r.SopClassUid)
                failed.Add(new DicomCommitmentFailure(r, DicomCommitmentFailureReason.ClassInstanceConflict));
            else ok.Add(r);
        }
        return Task.FromResult<(IReadOnlyList<DicomSopReference>, IReadOnlyList<DicomCommitmentFailure>)>((ok, failed));
    }
}

/// <summary>What the SCP does with an N-ACTION whose Transaction UID is already in use (PS3.4 J.3.2: the Transaction UID is
/// unique per request) by a different request: another requesting AE, or other instances.</summary>
public enum DicomDuplicateTransactionHandling
{
    /// <summary>Refuse the N-ACTION with 0110H (processing failure) and an Error Comment naming the duplicate; the earlier
    /// transaction and its report are untouched. Default.</summary>
    Refuse,
    /// <summary>Accept the N-ACTION and report every referenced instance of the duplicate request in the Failed SOP Sequence
    /// with Failure Reason 0131H (duplicate transaction UID, PS3.3 C.14.1.1).</summary>
    ReportFailed,
}

/// <summary>Configuration of <see cref="DicomStorageCommitmentService"/>.</summary>
public sealed class DicomStorageCommitmentServiceOptions
{
    /// <summary>Where the N-EVENT-REPORT goes. Default: on the N-ACTION association.</summary>
    public DicomCommitmentReportMode ReplyMode { get; set; } = DicomCommitmentReportMode.SameAssociation;

    /// <summary>Requesting AEs the report may be sent to on a new association (AE title → host and port). A request from an
    /// AE that is not listed fails with 0110H when <see cref="ReplyMode"/> is <see cref="DicomCommitmentReportMode.NewAssociation"/>.
    /// In <see cref="DicomCommitmentReportMode.SameAssociation"/> mode, a report that could not be sent on the N-ACTION
    /// association (the requester released or aborted it) goes to the listed address on a new association.</summary>
    public List<DicomRemoteApplicationEntity> RemoteApplicationEntities { get; } = [];

    /// <summary>Retrieve AE Title to put in reports (null: none).</summary>
    public string? RetrieveAETitle { get; set; }

    /// <summary>Timers of the associations opened for reports.</summary>
    public DicomAssociationOptions OutgoingAssociation { get; set; } = new();

    /// <summary>TCP connect timeout for reports on a new association.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Folder of the pending reports (null: memory only). Each accepted request is written there, atomically,
    /// before the N-ACTION-RSP says Success, updated with its result, and deleted only when the requester answered the
    /// N-EVENT-REPORT. A service created on the same folder (after a restart) evaluates and sends what is left.</summary>
    public string? PendingReportsDirectory { get; set; }

    /// <summary>Attempts to deliver a report on a new association while the service runs (default 1). Between attempts the
    /// service waits <see cref="ReportRetryDelay"/>, doubled after each failure up to <see cref="MaxReportRetryDelay"/>.
    /// When they are used up, a report kept in <see cref="PendingReportsDirectory"/> waits for the next start.</summary>
    public int MaxReportAttempts { get; set; } = 1;

    /// <summary>Wait before the second attempt (default 5 s).</summary>
    public TimeSpan ReportRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait between attempts (default 5 min).</summary>
    public TimeSpan MaxReportRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>What to do with a request that reuses a Transaction UID for another request. A request identical to one
    /// already received (same requesting AE, same instances) is a retransmission: it is evaluated again and reported again.</summary>
    public DicomDuplicateTransactionHandling DuplicateTransaction { get; set; } = DicomDuplicateTransactionHandling.Refuse;

    /// <summary>How many reported transactions are remembered for the duplicate check, besides the pending ones (default 10,000).</summary>
    public int RememberedTransactions { get; set; } = 10_000;

    /// <summary>Logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}

/// <summary>Storage Commitment Push Model SCP (PS3.4 annex J): answers N-ACTION-RQ, asks the handler which instances are
/// committed, then sends the N-EVENT-REPORT-RQ on the same association or on a new association to the requesting AE (with
/// SCP role selection). Add it to <see cref="DicomServer.NormalServices"/> and list
/// <see cref="DicomServiceCapabilities.StorageCommitment"/> in the AE's transfer capabilities. With
/// <see cref="DicomStorageCommitmentServiceOptions.PendingReportsDirectory"/>, accepted requests survive a restart.
/// <see cref="DicomServer.StopAsync"/> disposes the service: deliveries in progress stop, their records stay on disk.</summary>
public sealed class DicomStorageCommitmentService : IDicomNormalServiceHandler, IDicomNormalServiceFollowUp, IAsyncDisposable
{
    private readonly IDicomStorageCommitmentHandler _handler;
    private readonly DicomStorageCommitmentServiceOptions _options;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<Task, byte> _background = new();
    private readonly DicomPendingCommitmentStore? _store;
    private readonly DeliveredCommitmentJournal? _journal;
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _gate = new();
    // Transaction UID -> the latest request with it (pending or reported); reported ones are forgotten in FIFO order.
    private readonly Dictionary<string, PendingCommitment> _transactions = new(StringComparer.Ordinal);
    private readonly Queue<string> _reported = new();
    private readonly Dictionary<string, int> _reportedCount = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<DimseMessage, PendingCommitment> _accepted = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates the service. With a <see cref="DicomStorageCommitmentServiceOptions.PendingReportsDirectory"/> that holds
    /// reports of an earlier run, their delivery starts at once (in the background).</summary>
    /// <param name="handler">Decides what is committed.</param>
    /// <param name="options">Reply mode and remote AEs.</param>
    public DicomStorageCommitmentService(IDicomStorageCommitmentHandler handler, DicomStorageCommitmentServiceOptions? options = null)
    {
        _handler = handler;
        _options = options ?? new DicomStorageCommitmentServiceOptions();
        _log = _options.LoggerFactory?.CreateLogger("Dicom.Typed.Network.StorageCommitmentScp") ?? NullLogger.Instance;
        if (_options.PendingReportsDirectory is { } dir)
        {
            _store = new DicomPendingCommitmentStore(dir);
            _journal = OpenJournal(dir);
            var resumed = _store.LoadAll((file, e) => _log.LogError("Pending storage commitment record {File} is unreadable and kept as it is: {Error}", file, e.Message));
            foreach (var p in resumed)
            {
                _transactions[p.TransactionUid] = p;
                _log.LogInformation("Resuming storage commitment report {Tx} for {AE} (received {Received:u}, {Attempts} attempt(s) so far)",
                    p.TransactionUid, p.RequestorAE, p.ReceivedUtc, p.Attempts);
                StartDelivery(p);
            }
        }
    }

    /// <summary>Reads the delivered Transaction UIDs of earlier runs into the duplicate check (oldest first, so the newest are
    /// forgotten last). A journal that cannot be opened is logged: the service runs, without it.</summary>
    private DeliveredCommitmentJournal? OpenJournal(string dir)
    {
        try
        {
            Directory.CreateDirectory(dir);
            var journal = DeliveredCommitmentJournal.Open(dir, _options.RememberedTransactions,
                (line, why) => _log.LogWarning("Storage commitment journal {File} line {Line}: {Problem}",
                    Path.Combine(dir, DeliveredCommitmentJournal.FileName), line, why), out var delivered);
            foreach (var d in delivered)
            {
                _transactions[d.TransactionUid] = new PendingCommitment
                {
                    Id = "", TransactionUid = d.TransactionUid, RequestorAE = d.RequestorAE, OurAE = "", References = [],
                    KnownInstanceSetHash = d.InstanceSetHash, ReceivedUtc = d.DeliveredUtc, Reported = true,
                };
                EnqueueReported(d.TransactionUid);
            }
            TrimReported();
            if (delivered.Count > 0)
                _log.LogInformation("Storage commitment: {Count} delivered Transaction UID(s) read from {File}", delivered.Count, journal.Path);
            return journal;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogError("Storage commitment journal in {Dir} could not be opened; delivered Transaction UIDs are remembered in memory only: {Error}",
                dir, e.Message);
            return null;
        }
    }

    /// <summary>Raised when a report was delivered (its N-EVENT-REPORT-RSP received; exception null) or an attempt to deliver
    /// it failed (the exception).</summary>
    public event Action<DicomStorageCommitmentResult, Exception?>? ReportSent;

    /// <inheritdoc />
    public IEnumerable<string> SopClasses => [DicomUid.StorageCommitmentPushModel.Value];

    /// <summary>Transaction UIDs accepted and not yet reported (requester has not answered the N-EVENT-REPORT).</summary>
    public IReadOnlyList<string> PendingTransactions
    {
        get
        {
            lock (_gate) return _transactions.Values.Where(p => !p.Reported).Select(p => p.TransactionUid).ToList();
        }
    }

    /// <summary>Completes when the reports being evaluated or sent in the background are done (for shutdown and tests).</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_background.Keys.ToArray());

    /// <inheritdoc />
    public Task<DimseMessage> OnRequestAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
    {
        DimseMessage Fail(DicomStatus s, string comment)
        {
            var r = DimseMessage.CreateResponse(request, s);
            r.ErrorComment = comment.Length > 64 ? comment[..64] : comment;
            return r;
        }
        if (request.CommandField != DimseCommandField.NActionRequest)
            return Task.FromResult(Fail(DicomStatus.UnrecognizedOperation, $"{request.CommandField} not supported"));
        if (request.SopInstanceUid != DicomUid.StorageCommitmentPushModelInstance.Value)
            return Task.FromResult(Fail(DicomStatus.NoSuchObjectInstance, "not the push model SOP instance"));
        if (request.ActionTypeId != 1) return Task.FromResult(Fail(DicomStatus.NoSuchActionType, "action type must be 1"));
        if (request.Dataset?.GetStringOrDefault(DicomTag.TransactionUID)?.Trim(' ', '\0') is not { Length: > 0 } tx ||
            request.Dataset.GetSequence(DicomTag.ReferencedSOPSequence) is not { Items.Count: > 0 } seq)
            return Task.FromResult(Fail(new DicomStatus(0x0120), "Transaction UID or Referenced SOP Sequence missing"));
        if (_options.ReplyMode == DicomCommitmentReportMode.NewAssociation && Remote(association.CallingAE) == null)
            return Task.FromResult(Fail(DicomStatus.ProcessingFailure, $"no address known for {association.CallingAE}"));
        var refs = seq.Items.Select(DicomSopReference.FromItem).OfType<DicomSopReference>().ToList();
        if (refs.Count != seq.Items.Count)
            return Task.FromResult(Fail(new DicomStatus(0x0115), "Referenced SOP Sequence item without SOP class or instance UID"));

        var pending = new PendingCommitment
        {
            Id = DicomPendingCommitmentStore.NewId(), TransactionUid = tx, RequestorAE = association.CallingAE, OurAE = association.CalledAE, References = refs,
        };
        lock (_gate)
        {
            if (_transactions.TryGetValue(tx, out var known) && !known.SameRequest(association.CallingAE, refs))
            {
                _log.LogWarning("N-ACTION from {AE} reuses Transaction UID {Tx} of a request from {Earlier} with other instances",
                    association.CallingAE, tx, known.RequestorAE);
                if (_options.DuplicateTransaction == DicomDuplicateTransactionHandling.Refuse)
                    return Task.FromResult(Fail(DicomStatus.ProcessingFailure, "duplicate Transaction UID (0131H) " + tx));
                // Reported, not remembered: the earlier request stays the owner of the UID for later checks.
                pending.Committed = [];
                pending.Failed = refs.Select(r => new DicomCommitmentFailure(r, DicomCommitmentFailureReason.DuplicateTransactionUid)).ToList();
            }
            else _transactions[tx] = pending;
        }
        try
        {
            _store?.Save(pending);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            lock (_gate)
                if (_transactions.TryGetValue(tx, out var p) && p == pending) _transactions.Remove(tx);
            _log.LogError("Storage commitment request {Tx} could not be recorded: {Error}", tx, e.Message);
            return Task.FromResult(Fail(new DicomStatus(0x0213), "request could not be recorded"));
        }
        _accepted[request] = pending;
        return Task.FromResult(DimseMessage.CreateResponse(request, DicomStatus.Success));
    }

    private DicomRemoteApplicationEntity? Remote(string aeTitle) => _options.RemoteApplicationEntities.FirstOrDefault(r => r.AETitle == aeTitle);

    /// <inheritdoc />
    public async Task OnResponseSentAsync(DicomAssociation association, DimseMessage request, DimseMessage response, CancellationToken cancellationToken)
    {
        if (!_accepted.TryRemove(request, out var pending)) return;
        if (!response.Status.IsSuccess)
        {
            Forget(pending, remember: false);
            return;
        }
        if (_options.ReplyMode == DicomCommitmentReportMode.NewAssociation)
        {
            StartDelivery(pending);
            return;
        }
        DicomStorageCommitmentResult result;
        try
        {
            result = await EvaluateAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DicomException or IOException or OperationCanceledException)
        {
            _log.LogWarning("Storage commitment request {Tx} could not be evaluated: {Error}", pending.TransactionUid, e.Message);
            if (Remote(pending.RequestorAE) != null) StartDelivery(pending);
            else if (_store == null) Forget(pending, remember: true);
            return;
        }
        try
        {
            await SendReportAsync(association, result with { ReceivedOnSameAssociation = true }, cancellationToken).ConfigureAwait(false);
            Forget(pending, remember: true);
            ReportSent?.Invoke(result with { ReceivedOnSameAssociation = true }, null);
        }
        catch (Exception e) when (e is DicomException or IOException or OperationCanceledException)
        {
            _log.LogWarning("Storage commitment report {Tx} on the same association failed: {Error}", pending.TransactionUid, e.Message);
            ReportSent?.Invoke(result with { ReceivedOnSameAssociation = true }, e);
            if (Remote(pending.RequestorAE) != null) StartDelivery(pending);
            else if (_store == null) Forget(pending, remember: true);
            else _log.LogWarning("Storage commitment report {Tx} kept in {Dir}: no address known for {AE}", pending.TransactionUid, _store.Directory, pending.RequestorAE);
        }
    }

    private async Task<DicomStorageCommitmentResult> EvaluateAsync(PendingCommitment p, CancellationToken ct)
    {
        if (!p.Evaluated)
        {
            var (committed, failed) = await _handler.CommitAsync(p.RequestorAE, p.TransactionUid, p.References, ct).ConfigureAwait(false);
            p.Committed = committed;
            p.Failed = failed;
            _store?.Save(p);
        }
        return new DicomStorageCommitmentResult(p.TransactionUid, p.Committed!, p.Failed!, _options.RetrieveAETitle, p.OurAE, false);
    }

    /// <summary>Ends a request: its record goes; its Transaction UID stays taken (remember: delivered, or given up without a
    /// pending folder) or is freed (the N-ACTION was not accepted after all).</summary>
    private void Forget(PendingCommitment p, bool remember)
    {
        if (remember && _journal != null)
        {
            bool owner;
            lock (_gate) owner = _transactions.TryGetValue(p.TransactionUid, out var current) && current == p;
            // Journal first, record second: a crash in between sends the report again (at-least-once), never forgets the UID.
            if (owner)
                try
                {
                    _journal.Append(new DeliveredCommitment(DateTime.UtcNow, p.TransactionUid, p.RequestorAE, p.InstanceSetHash));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    _log.LogError("Delivered Transaction UID {Tx} could not be written to {File} (remembered in memory only): {Error}",
                        p.TransactionUid, _journal.Path, e.Message);
                }
        }
        _store?.Delete(p);
        lock (_gate)
        {
            if (!_transactions.TryGetValue(p.TransactionUid, out var current) || current != p) return;
            if (!remember)
            {
                _transactions.Remove(p.TransactionUid);
                return;
            }
            p.Reported = true;
            EnqueueReported(p.TransactionUid);
            TrimReported();
        }
    }

    private void EnqueueReported(string uid)
    {
        _reported.Enqueue(uid);
        _reportedCount[uid] = _reportedCount.GetValueOrDefault(uid) + 1;
    }

    /// <summary>Forgets the oldest reported UIDs beyond <see cref="DicomStorageCommitmentServiceOptions.RememberedTransactions"/>;
    /// a UID reported again (a retransmission) is forgotten only when its newest report is. Under <see cref="_gate"/>.</summary>
    private void TrimReported()
    {
        while (_reported.Count > Math.Max(0, _options.RememberedTransactions))
        {
            var old = _reported.Dequeue();
            if (--_reportedCount[old] > 0) continue;
            _reportedCount.Remove(old);
            if (_transactions.TryGetValue(old, out var o) && o.Reported) _transactions.Remove(old);
        }
    }

    private void StartDelivery(PendingCommitment p)
    {
        var t = Task.Run(() => DeliverAsync(p));
        _background[t] = 0;
        _ = t.ContinueWith(done => _background.TryRemove(done, out _), TaskScheduler.Default);
    }

    private async Task DeliverAsync(PendingCommitment p)
    {
        var stop = _stopping.Token;
        var delay = _options.ReportRetryDelay;
        for (int attempt = 1; !stop.IsCancellationRequested; attempt++)
        {
            DicomStorageCommitmentResult? result = null;
            try
            {
                result = await EvaluateAsync(p, stop).ConfigureAwait(false);
                var remote = Remote(p.RequestorAE) ?? throw new DicomNetworkException(DicomNetworkErrorReason.ConnectionFailed,
                    $"no address known for {p.RequestorAE}");
                await SendOnNewAssociationAsync(p.OurAE, remote, result, stop).ConfigureAwait(false);
                Forget(p, remember: true);
                _log.LogInformation("Storage commitment report {Tx} sent to {AE} on a new association (attempt {Attempt})", p.TransactionUid, remote.AETitle, attempt);
                ReportSent?.Invoke(result, null);
                return;
            }
            catch (Exception e) when (e is DicomException or IOException or OperationCanceledException or UnauthorizedAccessException)
            {
                if (stop.IsCancellationRequested)
                {
                    _log.LogInformation("Storage commitment report {Tx} not sent before shutdown{Kept}", p.TransactionUid, _store != null ? "; kept for the next start" : "");
                    return;
                }
                p.Attempts++;
                p.LastError = e.Message;
                try { if (_store != null && File.Exists(_store.PathOf(p))) _store.Save(p); }
                catch (IOException io) { _log.LogWarning("Could not update pending record {Tx}: {Error}", p.TransactionUid, io.Message); }
                _log.LogWarning("Storage commitment report {Tx} to {AE} failed (attempt {Attempt} of {Max}): {Error}",
                    p.TransactionUid, p.RequestorAE, attempt, _options.MaxReportAttempts, e.Message);
                ReportSent?.Invoke(result ?? new DicomStorageCommitmentResult(p.TransactionUid, [], [], _options.RetrieveAETitle, p.OurAE, false), e);
                if (attempt >= _options.MaxReportAttempts)
                {
                    if (_store == null) Forget(p, remember: true);
                    else _log.LogWarning("Storage commitment report {Tx} kept in {Dir} for the next start", p.TransactionUid, _store.Directory);
                    return;
                }
            }
            try
            {
                await Task.Delay(delay, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReportRetryDelay.Ticks));
        }
    }

    private async Task SendOnNewAssociationAsync(string ourAE, DicomRemoteApplicationEntity remote, DicomStorageCommitmentResult result, CancellationToken ct)
    {
        var rq = new AssociationParameters { CallingAE = ourAE, CalledAE = remote.AETitle };
        rq.PresentationContexts.Add(new PresentationContext(1, DicomUid.StorageCommitmentPushModel.Value, DicomStorageOperations.UncompressedTransferSyntaxes));
        rq.RoleSelections.Add(new RoleSelection(DicomUid.StorageCommitmentPushModel.Value, false, true));
        await using var a = await DicomAssociation.ConnectAsync(remote.Host, remote.Port, rq, _options.OutgoingAssociation, remote.Tls, _options.ConnectTimeout,
            _options.LoggerFactory?.CreateLogger("Dicom.Typed.Network.StorageCommitmentReport"), ct).ConfigureAwait(false);
        await SendReportAsync(a, result, ct).ConfigureAwait(false);
        await a.ReleaseAsync(ct).ConfigureAwait(false);
    }

    private static async Task SendReportAsync(DicomAssociation a, DicomStorageCommitmentResult result, CancellationToken ct)
    {
        var report = DimseMessage.CreateRequest(DimseCommandField.NEventReportRequest, a.NextMessageId(), DicomUid.StorageCommitmentPushModel.Value,
            DicomUid.StorageCommitmentPushModelInstance.Value, result.ToEventInformation());
        report.EventTypeId = result.EventTypeId;
        DimseMessage? rsp = null;
        await foreach (var m in a.SendRequestAsync(report, null, ct).ConfigureAwait(false)) rsp = m;
        if (rsp == null || rsp.Status.Category == DicomStatusCategory.Failure)
            throw new DicomServiceException(rsp?.Status ?? DicomStatus.ProcessingFailure, $"N-EVENT-REPORT refused: {rsp?.Status}");
    }

    /// <summary>Stops the deliveries in progress and their retries (records in <see cref="DicomStorageCommitmentServiceOptions.PendingReportsDirectory"/>
    /// stay for the next start) and waits for them to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested) _stopping.Cancel();
        try
        {
            await WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _log.LogWarning("Storage commitment deliveries still running 10 s after shutdown");
        }
    }
}
