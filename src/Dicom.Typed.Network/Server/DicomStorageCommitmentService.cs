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

/// <summary>Configuration of <see cref="DicomStorageCommitmentService"/>.</summary>
public sealed class DicomStorageCommitmentServiceOptions
{
    /// <summary>Where the N-EVENT-REPORT goes. Default: on the N-ACTION association.</summary>
    public DicomCommitmentReportMode ReplyMode { get; set; } = DicomCommitmentReportMode.SameAssociation;

    /// <summary>Requesting AEs the report may be sent to on a new association (AE title → host and port). A request from an
    /// AE that is not listed fails with 0110H when <see cref="ReplyMode"/> is <see cref="DicomCommitmentReportMode.NewAssociation"/>.</summary>
    public List<DicomRemoteApplicationEntity> RemoteApplicationEntities { get; } = [];

    /// <summary>Retrieve AE Title to put in reports (null: none).</summary>
    public string? RetrieveAETitle { get; set; }

    /// <summary>Timers of the associations opened for reports.</summary>
    public DicomAssociationOptions OutgoingAssociation { get; set; } = new();

    /// <summary>TCP connect timeout for reports on a new association.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}

/// <summary>Storage Commitment Push Model SCP (PS3.4 annex J): answers N-ACTION-RQ, asks the handler which instances are
/// committed, then sends the N-EVENT-REPORT-RQ on the same association or on a new association to the requesting AE (with
/// SCP role selection). Add it to <see cref="DicomServer.NormalServices"/> and list
/// <see cref="DicomServiceCapabilities.StorageCommitment"/> in the AE's transfer capabilities.</summary>
public sealed class DicomStorageCommitmentService : IDicomNormalServiceHandler, IDicomNormalServiceFollowUp
{
    private readonly IDicomStorageCommitmentHandler _handler;
    private readonly DicomStorageCommitmentServiceOptions _options;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<Task, byte> _background = new();

    /// <summary>Creates the service.</summary>
    /// <param name="handler">Decides what is committed.</param>
    /// <param name="options">Reply mode and remote AEs.</param>
    public DicomStorageCommitmentService(IDicomStorageCommitmentHandler handler, DicomStorageCommitmentServiceOptions? options = null)
    {
        _handler = handler;
        _options = options ?? new DicomStorageCommitmentServiceOptions();
        _log = _options.LoggerFactory?.CreateLogger("Dicom.Typed.Network.StorageCommitmentScp") ?? NullLogger.Instance;
    }

    /// <summary>Raised when a report was delivered (its N-EVENT-REPORT-RSP received) or could not be (exception).</summary>
    public event Action<DicomStorageCommitmentResult, Exception?>? ReportSent;

    /// <inheritdoc />
    public IEnumerable<string> SopClasses => [DicomUid.StorageCommitmentPushModel.Value];

    /// <summary>Completes when the reports being sent on new associations are done (for shutdown and tests).</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_background.Keys.ToArray());

    /// <inheritdoc />
    public Task<DimseMessage> OnRequestAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
    {
        DimseMessage Fail(DicomStatus s, string comment)
        {
            var r = DimseMessage.CreateResponse(request, s);
            r.ErrorComment = comment;
            return r;
        }
        if (request.CommandField != DimseCommandField.NActionRequest)
            return Task.FromResult(Fail(DicomStatus.UnrecognizedOperation, $"{request.CommandField} not supported"));
        if (request.SopInstanceUid != DicomUid.StorageCommitmentPushModelInstance.Value)
            return Task.FromResult(Fail(DicomStatus.NoSuchObjectInstance, "not the push model SOP instance"));
        if (request.ActionTypeId != 1) return Task.FromResult(Fail(DicomStatus.NoSuchActionType, "action type must be 1"));
        if (request.Dataset?.GetStringOrDefault(DicomTag.TransactionUID) is not { Length: > 0 } ||
            request.Dataset.GetSequence(DicomTag.ReferencedSOPSequence) is not { Items.Count: > 0 })
            return Task.FromResult(Fail(new DicomStatus(0x0120), "Transaction UID or Referenced SOP Sequence missing"));
        if (_options.ReplyMode == DicomCommitmentReportMode.NewAssociation && Remote(association.CallingAE) == null)
            return Task.FromResult(Fail(DicomStatus.ProcessingFailure, $"no address known for {association.CallingAE}"));
        return Task.FromResult(DimseMessage.CreateResponse(request, DicomStatus.Success));
    }

    private DicomRemoteApplicationEntity? Remote(string aeTitle) => _options.RemoteApplicationEntities.FirstOrDefault(r => r.AETitle == aeTitle);

    /// <inheritdoc />
    public async Task OnResponseSentAsync(DicomAssociation association, DimseMessage request, DimseMessage response, CancellationToken cancellationToken)
    {
        if (!response.Status.IsSuccess || request.Dataset == null) return;
        string tx = request.Dataset.GetString(DicomTag.TransactionUID).Trim(' ', '\0');
        var refs = request.Dataset.GetSequence(DicomTag.ReferencedSOPSequence)!.Items.Select(DicomSopReference.FromItem).OfType<DicomSopReference>().ToList();
        var (committed, failed) = await _handler.CommitAsync(association.CallingAE, tx, refs, cancellationToken).ConfigureAwait(false);
        var result = new DicomStorageCommitmentResult(tx, committed, failed, _options.RetrieveAETitle, association.CalledAE,
            _options.ReplyMode == DicomCommitmentReportMode.SameAssociation);
        if (_options.ReplyMode == DicomCommitmentReportMode.SameAssociation)
        {
            try
            {
                await SendReportAsync(association, result, cancellationToken).ConfigureAwait(false);
                ReportSent?.Invoke(result, null);
            }
            catch (Exception e) when (e is DicomException or OperationCanceledException)
            {
                _log.LogWarning("Storage commitment report {Tx} on the same association failed: {Error}", tx, e.Message);
                ReportSent?.Invoke(result, e);
            }
            return;
        }
        var remote = Remote(association.CallingAE)!;
        var t = Task.Run(() => SendOnNewAssociationAsync(association.CalledAE, remote, result));
        _background[t] = 0;
        _ = t.ContinueWith(done => _background.TryRemove(done, out _), TaskScheduler.Default);
    }

    private async Task SendOnNewAssociationAsync(string ourAE, DicomRemoteApplicationEntity remote, DicomStorageCommitmentResult result)
    {
        try
        {
            var rq = new AssociationParameters { CallingAE = ourAE, CalledAE = remote.AETitle };
            rq.PresentationContexts.Add(new PresentationContext(1, DicomUid.StorageCommitmentPushModel.Value, DicomStorageOperations.UncompressedTransferSyntaxes));
            rq.RoleSelections.Add(new RoleSelection(DicomUid.StorageCommitmentPushModel.Value, false, true));
            await using var a = await DicomAssociation.ConnectAsync(remote.Host, remote.Port, rq, _options.OutgoingAssociation, remote.Tls, _options.ConnectTimeout,
                _options.LoggerFactory?.CreateLogger("Dicom.Typed.Network.StorageCommitmentReport"), CancellationToken.None).ConfigureAwait(false);
            await SendReportAsync(a, result, CancellationToken.None).ConfigureAwait(false);
            await a.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
            _log.LogInformation("Storage commitment report {Tx} sent to {AE} on a new association", result.TransactionUid, remote.AETitle);
            ReportSent?.Invoke(result, null);
        }
        catch (Exception e) when (e is DicomException or IOException or OperationCanceledException)
        {
            _log.LogWarning("Storage commitment report {Tx} to {AE} failed: {Error}", result.TransactionUid, remote.AETitle, e.Message);
            ReportSent?.Invoke(result, e);
        }
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
}
