using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dicom.Typed.Network;

/// <summary>Failure Reason (0008,1197) values of Storage Commitment (PS3.4 J.3.2.1.1.2).</summary>
public enum DicomCommitmentFailureReason : ushort
{
    /// <summary>0110H: processing failure.</summary>
    ProcessingFailure = 0x0110,
    /// <summary>0112H: no such object instance.</summary>
    NoSuchObjectInstance = 0x0112,
    /// <summary>0119H: class-instance conflict.</summary>
    ClassInstanceConflict = 0x0119,
    /// <summary>0122H: referenced SOP class not supported.</summary>
    ReferencedSopClassNotSupported = 0x0122,
    /// <summary>0131H: duplicate transaction UID.</summary>
    DuplicateTransactionUid = 0x0131,
    /// <summary>0213H: resource limitation.</summary>
    ResourceLimitation = 0x0213,
}

/// <summary>An instance the SCP did not commit, with the reason.</summary>
/// <param name="Reference">The instance.</param>
/// <param name="Reason">Failure Reason (0008,1197); may be a value outside <see cref="DicomCommitmentFailureReason"/>.</param>
public sealed record DicomCommitmentFailure(DicomSopReference Reference, DicomCommitmentFailureReason Reason);

/// <summary>A Storage Commitment result (the Event Information of the N-EVENT-REPORT, PS3.4 J.3.3).</summary>
/// <param name="TransactionUid">Transaction UID (0008,1195).</param>
/// <param name="Committed">Referenced SOP Sequence: instances whose storage is committed.</param>
/// <param name="Failed">Failed SOP Sequence: instances not committed, with reasons.</param>
/// <param name="RetrieveAETitle">Retrieve AE Title (0008,0054), if sent.</param>
/// <param name="ReporterAE">The AE that sent the report (calling AE of the association it came on).</param>
/// <param name="ReceivedOnSameAssociation">True when the report came on the N-ACTION association, false for a new association.</param>
public sealed record DicomStorageCommitmentResult(string TransactionUid, IReadOnlyList<DicomSopReference> Committed, IReadOnlyList<DicomCommitmentFailure> Failed,
    string? RetrieveAETitle, string ReporterAE, bool ReceivedOnSameAssociation)
{
    /// <summary>True when every instance was committed.</summary>
    public bool AllCommitted => Failed.Count == 0;

    /// <summary>Event Type ID of the report: 1 (all committed) or 2 (failures exist).</summary>
    public ushort EventTypeId => (ushort)(Failed.Count == 0 ? 1 : 2);

    /// <summary>The Event Information data set.</summary>
    public DicomDataset ToEventInformation()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTag.TransactionUID, TransactionUid);
        if (RetrieveAETitle != null) ds.AddOrUpdate(DicomTag.RetrieveAETitle, RetrieveAETitle);
        if (Committed.Count > 0) ds.AddOrUpdate(new DicomSequence(DicomTag.ReferencedSOPSequence, Committed.Select(r => r.ToItem())));
        if (Failed.Count > 0)
            ds.AddOrUpdate(new DicomSequence(DicomTag.FailedSOPSequence, Failed.Select(f => f.Reference.ToItem().AddOrUpdate<ushort>(DicomTag.FailureReason, (ushort)f.Reason))));
        return ds;
    }

    /// <summary>Reads the Event Information of an N-EVENT-REPORT-RQ.</summary>
    /// <param name="eventInformation">The data set.</param>
    /// <param name="reporterAE">Calling AE of the reporting association.</param>
    /// <param name="sameAssociation">Whether it came on the N-ACTION association.</param>
    /// <exception cref="DicomServiceException">No Transaction UID (0xC000 cannot understand).</exception>
    public static DicomStorageCommitmentResult FromEventInformation(DicomDataset eventInformation, string reporterAE, bool sameAssociation)
    {
        var tx = eventInformation.GetStringOrDefault(DicomTag.TransactionUID)?.Trim(' ', '\0');
        if (string.IsNullOrEmpty(tx)) throw new DicomServiceException(DicomStatus.CannotUnderstand, "N-EVENT-REPORT without Transaction UID");
        var committed = eventInformation.GetSequence(DicomTag.ReferencedSOPSequence)?.Items.Select(DicomSopReference.FromItem).OfType<DicomSopReference>().ToList() ?? [];
        var failed = new List<DicomCommitmentFailure>();
        foreach (var item in eventInformation.GetSequence(DicomTag.FailedSOPSequence)?.Items ?? [])
        {
            if (DicomSopReference.FromItem(item) is not { } r) continue;
            failed.Add(new DicomCommitmentFailure(r, (DicomCommitmentFailureReason)item.GetValueOrDefault<ushort>(DicomTag.FailureReason, 0, 0x0110)));
        }
        var retrieve = eventInformation.GetStringOrDefault(DicomTag.RetrieveAETitle)?.Trim(' ', '\0');
        return new DicomStorageCommitmentResult(tx, committed, failed, string.IsNullOrEmpty(retrieve) ? null : retrieve, reporterAE, sameAssociation);
    }

    /// <summary>Builds the N-ACTION-RQ Action Information (PS3.4 J.3.2).</summary>
    /// <param name="transactionUid">Transaction UID.</param>
    /// <param name="references">Instances to commit.</param>
    public static DicomDataset CreateActionInformation(string transactionUid, IEnumerable<DicomSopReference> references) =>
        new DicomDataset().AddOrUpdate(DicomTag.TransactionUID, transactionUid)
            .AddOrUpdate(new DicomSequence(DicomTag.ReferencedSOPSequence, references.Select(r => r.ToItem())));
}

/// <summary>Where a Storage Commitment SCU waits for the N-EVENT-REPORT.</summary>
public enum DicomCommitmentReportMode
{
    /// <summary>Keep the N-ACTION association open and wait for the report on it.</summary>
    SameAssociation,
    /// <summary>Release the N-ACTION association and wait for the report on a new association to the listener.</summary>
    NewAssociation,
}

/// <summary>The SCU's listener for reports delivered on a new association (the SCU acts as association acceptor, with the
/// Storage Commitment SOP class in SCU role). Reports are matched to waiting <see cref="DicomStorageCommitmentScu"/> calls by
/// Transaction UID; reports nobody waits for are kept for <see cref="WaitForReportAsync"/> calls that start later.</summary>
public sealed class DicomStorageCommitmentListener : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<DicomStorageCommitmentResult>> _waiting = new(StringComparer.Ordinal);
    private readonly DicomServer _server;
    private readonly ILogger _log;

    /// <summary>Creates the listener (call <see cref="StartAsync"/>).</summary>
    /// <param name="aeTitle">Our AE title (the peer must know it with our host and port, e.g. Orthanc's DicomModalities).</param>
    /// <param name="port">Port (0 = any free port, see <see cref="Port"/>).</param>
    /// <param name="hostname">Address to listen on.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <param name="association">Timers for the incoming associations.</param>
    public DicomStorageCommitmentListener(string aeTitle, int port = 0, string hostname = "127.0.0.1", ILoggerFactory? loggerFactory = null,
        DicomAssociationOptions? association = null)
    {
        AETitle = aeTitle;
        _log = loggerFactory?.CreateLogger("Dicom.Typed.Network.StorageCommitmentListener") ?? NullLogger.Instance;
        var options = new DicomServerOptions { DeviceName = aeTitle, Connection = { Hostname = hostname, Port = port }, LoggerFactory = loggerFactory };
        if (association != null) options.Association = association;
        options.ApplicationEntities.Add(new DicomApplicationEntity(aeTitle, DicomTransferCapability.Verification()
            .Concat(DicomServiceCapabilities.StorageCommitment(DicomTransferRole.Scu))));
        _server = new DicomServer(options);
        _server.NormalServices.Add(new ReportHandler(this));
    }

    /// <summary>Our AE title.</summary>
    public string AETitle { get; }

    /// <summary>Raised for every report received, before it is handed to a waiting caller and answered, whether a caller waits
    /// for it or not.</summary>
    public event Action<DicomStorageCommitmentResult>? ReportReceived;

    /// <summary>The port listened on.</summary>
    public int Port => _server.Port;

    /// <summary>Starts listening.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    public Task StartAsync(CancellationToken cancellationToken = default) => _server.StartAsync(cancellationToken);

    private readonly Queue<string> _unclaimed = new();

    /// <summary>How many reports nobody waits for are kept for a later <see cref="WaitForReportAsync"/> (default 1,000); beyond
    /// that the oldest is dropped (and logged), so a peer cannot fill the memory with reports.</summary>
    public int MaxUnclaimedReports { get; set; } = 1000;

    private TaskCompletionSource<DicomStorageCommitmentResult> Slot(string transactionUid) =>
        _waiting.GetOrAdd(transactionUid, _ => new TaskCompletionSource<DicomStorageCommitmentResult>(TaskCreationOptions.RunContinuationsAsynchronously));

    private void Deliver(DicomStorageCommitmentResult result)
    {
        bool waited = _waiting.TryGetValue(result.TransactionUid, out var existing) && !existing.Task.IsCompleted;
        Slot(result.TransactionUid).TrySetResult(result);
        if (waited) return;
        lock (_unclaimed)
        {
            _unclaimed.Enqueue(result.TransactionUid);
            while (_unclaimed.Count > Math.Max(0, MaxUnclaimedReports))
            {
                var old = _unclaimed.Dequeue();
                if (_waiting.TryGetValue(old, out var slot) && slot.Task.IsCompleted && _waiting.TryRemove(new KeyValuePair<string, TaskCompletionSource<DicomStorageCommitmentResult>>(old, slot)))
                    _log.LogWarning("Storage commitment report {Tx} dropped: nobody asked for it and {Max} newer ones are kept", old, MaxUnclaimedReports);
            }
        }
    }

    /// <summary>Waits for the report of a transaction.</summary>
    /// <param name="transactionUid">The Transaction UID of the N-ACTION.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="DicomNetworkException">No report within <paramref name="timeout"/> (reason Timeout).</exception>
    public async Task<DicomStorageCommitmentResult> WaitForReportAsync(string transactionUid, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var slot = Slot(transactionUid);
        try
        {
            return await slot.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new DicomNetworkException(DicomNetworkErrorReason.Timeout,
                $"no storage commitment report for transaction {transactionUid} within {timeout.TotalSeconds:0.#} s");
        }
        finally
        {
            _waiting.TryRemove(new KeyValuePair<string, TaskCompletionSource<DicomStorageCommitmentResult>>(transactionUid, slot));
        }
    }

    /// <summary>Stops listening.</summary>
    public async ValueTask DisposeAsync() => await _server.StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);

    private sealed class ReportHandler(DicomStorageCommitmentListener owner) : IDicomNormalServiceHandler
    {
        public IEnumerable<string> SopClasses => [DicomUid.StorageCommitmentPushModel.Value];

        public Task<DimseMessage> OnRequestAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
        {
            if (request.CommandField != DimseCommandField.NEventReportRequest)
                return Task.FromResult(DimseMessage.CreateResponse(request, DicomStatus.UnrecognizedOperation));
            if (request.EventTypeId is not (1 or 2)) return Task.FromResult(DimseMessage.CreateResponse(request, DicomStatus.NoSuchEventType));
            if (request.Dataset == null) return Task.FromResult(DimseMessage.CreateResponse(request, DicomStatus.CannotUnderstand));
            var result = DicomStorageCommitmentResult.FromEventInformation(request.Dataset, association.CallingAE, false);
            owner._log.LogInformation("Storage commitment report {Tx} from {Calling}: {Ok} committed, {Failed} failed",
                result.TransactionUid, association.CallingAE, result.Committed.Count, result.Failed.Count);
            owner.ReportReceived?.Invoke(result); // before a waiter can resume with it
            owner.Deliver(result);
            return Task.FromResult(DimseMessage.CreateResponse(request, DicomStatus.Success));
        }
    }
}

/// <summary>Storage Commitment Push Model SCU (PS3.4 annex J): sends N-ACTION-RQ, then waits for the N-EVENT-REPORT on the
/// same association, or, when a <see cref="DicomStorageCommitmentListener"/> is given, on a new association to it.</summary>
public sealed class DicomStorageCommitmentScu
{
    private readonly DicomClientOptions _options;
    private readonly DicomStorageCommitmentListener? _listener;
    private readonly ILogger _log;

    /// <summary>Creates the SCU.</summary>
    /// <param name="options">Peer and timers. With a listener, <see cref="DicomClientOptions.CallingAE"/> should be the listener's AE title (the SCP sends the report to the requesting AE).</param>
    /// <param name="listener">Listener for reports on a new association, or null to wait on the same association.</param>
    public DicomStorageCommitmentScu(DicomClientOptions options, DicomStorageCommitmentListener? listener = null)
    {
        _options = options;
        _listener = listener;
        _log = options.LoggerFactory?.CreateLogger("Dicom.Typed.Network.StorageCommitmentScu") ?? NullLogger.Instance;
    }

    /// <summary>Storage Commitment Push Model SOP class.</summary>
    public static string SopClassUid => DicomUid.StorageCommitmentPushModel.Value;

    /// <summary>The well-known SOP instance of the push model.</summary>
    public static string SopInstanceUid => DicomUid.StorageCommitmentPushModelInstance.Value;

    /// <summary>How long to wait for the report after the N-ACTION-RSP. Default 60 s.</summary>
    public TimeSpan ReportTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>With a listener: release the N-ACTION association as soon as the N-ACTION-RSP arrived (true, default), or keep
    /// it open until the report arrives on it or on a new association to the listener, whichever comes first (false). Either
    /// way a report on a new association is accepted after the N-ACTION association ended, up to <see cref="ReportTimeout"/>.</summary>
    public bool ReleaseAfterAction { get; set; } = true;

    /// <summary>Where the report is expected.</summary>
    public DicomCommitmentReportMode Mode => _listener == null ? DicomCommitmentReportMode.SameAssociation : DicomCommitmentReportMode.NewAssociation;

    /// <summary>Requests storage commitment of <paramref name="references"/> and returns the report.</summary>
    /// <param name="references">Instances to commit.</param>
    /// <param name="transactionUid">Transaction UID (generated when null).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="DicomServiceException">The N-ACTION failed.</exception>
    /// <exception cref="DicomNetworkException">Connection failure; the association ended before the report (reason Aborted or
    /// ConnectionClosed); no report within <see cref="ReportTimeout"/> (reason Timeout).</exception>
    public async Task<DicomStorageCommitmentResult> CommitAsync(IEnumerable<DicomSopReference> references, string? transactionUid = null,
        CancellationToken cancellationToken = default)
    {
        var refs = references.ToList();
        if (refs.Count == 0) throw new ArgumentException("no instances to commit", nameof(references));
        string tx = transactionUid ?? DicomUid.GenerateValue();
        var sameAssociation = new TaskCompletionSource<DicomStorageCommitmentResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var listenerWait = _listener?.WaitForReportAsync(tx, ReportTimeout, stopWaiting.Token);
        try
        {
            return await RunAsync(refs, tx, sameAssociation, listenerWait, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Connection or N-ACTION failures: stop the listener wait, and observe its outcome.
            stopWaiting.Cancel();
            if (listenerWait != null) _ = listenerWait.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
        }
    }

    private async Task<DicomStorageCommitmentResult> RunAsync(List<DicomSopReference> refs, string tx, TaskCompletionSource<DicomStorageCommitmentResult> sameAssociation,
        Task<DicomStorageCommitmentResult>? listenerWait, CancellationToken cancellationToken)
    {
        await using var a = await DicomClient.ConnectAsync(_options, [new PresentationContext(1, SopClassUid, DicomStorageOperations.UncompressedTransferSyntaxes)],
            null, cancellationToken).ConfigureAwait(false);
        a.RequestHandler = async (assoc, rq, ct) =>
        {
            if (rq.CommandField != DimseCommandField.NEventReportRequest || rq.SopClassUid != SopClassUid)
            {
                await assoc.SendResponseAsync(DimseMessage.CreateResponse(rq, DicomStatus.UnrecognizedOperation), ct).ConfigureAwait(false);
                return;
            }
            DicomStatus status = DicomStatus.Success;
            DicomStorageCommitmentResult? report = null;
            try
            {
                if (rq.EventTypeId is not (1 or 2)) status = DicomStatus.NoSuchEventType;
                else if (rq.Dataset == null) status = DicomStatus.CannotUnderstand;
                else
                {
                    var r = DicomStorageCommitmentResult.FromEventInformation(rq.Dataset, assoc.CalledAE, true);
                    if (r.TransactionUid == tx) report = r;
                    else _log.LogWarning("Report for unknown transaction {Tx} ignored", r.TransactionUid);
                }
            }
            catch (DicomServiceException e)
            {
                status = e.Status;
            }
            // Answer first, then hand the report over: the caller releases the association as soon as it has the report, and
            // an A-RELEASE-RQ sent before this N-EVENT-REPORT-RSP would leave the SCP waiting for a response that may no longer
            // follow the release request (PS3.8 7.2: no P-DATA after A-RELEASE-RQ).
            await assoc.SendResponseAsync(DimseMessage.CreateResponse(rq, status), ct).ConfigureAwait(false);
            if (report != null) sameAssociation.TrySetResult(report);
        };
        var action = DimseMessage.CreateRequest(DimseCommandField.NActionRequest, a.NextMessageId(), SopClassUid, SopInstanceUid,
            DicomStorageCommitmentResult.CreateActionInformation(tx, refs));
        action.ActionTypeId = 1;
        DimseMessage? rsp = null;
        await foreach (var m in a.SendRequestAsync(action, null, cancellationToken).ConfigureAwait(false)) rsp = m;
        if (rsp == null) throw new DicomNetworkException(DicomNetworkErrorReason.DimseProtocolError, "no N-ACTION-RSP");
        if (rsp.Status.Category == DicomStatusCategory.Failure)
            throw new DicomServiceException(rsp.Status, $"storage commitment N-ACTION failed: {rsp.Status}{(rsp.ErrorComment != null ? " " + rsp.ErrorComment : "")}");
        _log.LogDebug("N-ACTION {Tx} accepted by {Called}; waiting for the report ({Mode})", tx, _options.CalledAE, Mode);

        if (listenerWait != null)
        {
            // Give a report already sent on this association a chance, then release and wait on the listener.
            if (sameAssociation.Task.IsCompleted) return await sameAssociation.Task.ConfigureAwait(false);
            if (!ReleaseAfterAction)
            {
                // Keep the N-ACTION association open: the report may come on it or, at the same time, on a new association to
                // the listener. If the SCP releases (or a timer ends) the association first, the listener alone is left.
                var first = await Task.WhenAny(sameAssociation.Task, listenerWait, a.Completion).ConfigureAwait(false);
                DicomStorageCommitmentResult? got = first == sameAssociation.Task || sameAssociation.Task.IsCompletedSuccessfully ? await sameAssociation.Task.ConfigureAwait(false)
                    : first == listenerWait ? await listenerWait.ConfigureAwait(false) : null;
                if (got == null)
                {
                    var fault = await a.Completion.ConfigureAwait(false);
                    _log.LogDebug("N-ACTION association for {Tx} ended before the report ({Fault}); waiting on the listener", tx, fault?.Message ?? "released");
                    return await listenerWait.ConfigureAwait(false);
                }
                if (!a.Completion.IsCompleted)
                {
                    try
                    {
                        await a.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (DicomException e)
                    {
                        _log.LogDebug("Release after the report of {Tx} failed: {Error}", tx, e.Message);
                    }
                }
                return got;
            }
            await a.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            if (sameAssociation.Task.IsCompleted) return await sameAssociation.Task.ConfigureAwait(false);
            return await listenerWait.ConfigureAwait(false);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReportTimeout);
        var delay = Task.Delay(Timeout.Infinite, timeout.Token);
        var done = await Task.WhenAny(sameAssociation.Task, a.Completion, delay).ConfigureAwait(false);
        if (done == sameAssociation.Task)
        {
            var result = await sameAssociation.Task.ConfigureAwait(false);
            await a.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        if (done == a.Completion)
        {
            if (sameAssociation.Task.IsCompleted) return await sameAssociation.Task.ConfigureAwait(false);
            var fault = await a.Completion.ConfigureAwait(false);
            throw new DicomNetworkException(fault is DicomAssociationException { Abort: not null } ? DicomNetworkErrorReason.Aborted : DicomNetworkErrorReason.ConnectionClosed,
                $"the association ended before the storage commitment report for {tx}{(fault != null ? ": " + fault.Message : "")}", fault);
        }
        cancellationToken.ThrowIfCancellationRequested();
        await a.AbortAsync().ConfigureAwait(false);
        throw new DicomNetworkException(DicomNetworkErrorReason.Timeout,
            $"no storage commitment report for transaction {tx} within {ReportTimeout.TotalSeconds:0.#} s");
    }
}
