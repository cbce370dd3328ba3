using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dicom.Typed.Network;

/// <summary>
/// SCP host: listens on the configured connection, negotiates associations against the transfer capabilities of the
/// called AE, and dispatches requests to one handler per service. Associations run concurrently; a faulty peer only
/// ends its own association.
/// </summary>
public sealed class DicomServer : IAsyncDisposable
{
    private readonly DicomServerOptions _options;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<DicomAssociation, byte> _associations = new();
    private readonly ConcurrentDictionary<Task, byte> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private TcpListener? _listener;
    private Task? _acceptLoop;
    private int _active;

    /// <summary>Creates the host (call <see cref="StartAsync"/>).</summary>
    /// <param name="options">Configuration.</param>
    public DicomServer(DicomServerOptions options)
    {
        _options = options;
        _log = options.LoggerFactory?.CreateLogger("Dicom.Typed.Network.Scp") ?? NullLogger.Instance;
        if (options.ApplicationEntities.Count == 0) throw new ArgumentException("at least one application entity is needed", nameof(options));
    }

    /// <summary>C-ECHO handler (null answers success).</summary>
    public IDicomVerificationHandler? Verification { get; set; }

    /// <summary>C-STORE handler (null refuses storage).</summary>
    public IDicomStorageHandler? Storage { get; set; }

    /// <summary>C-FIND handler.</summary>
    public IDicomQueryHandler? Query { get; set; }

    /// <summary>C-MOVE / C-GET handler.</summary>
    public IDicomRetrieveHandler? Retrieve { get; set; }

    /// <summary>Modality Worklist C-FIND handler (C-FIND on the worklist SOP class goes here instead of <see cref="Query"/>).</summary>
    public IDicomWorklistHandler? Worklist { get; set; }

    /// <summary>DIMSE-N handlers.</summary>
    public List<IDicomNormalServiceHandler> NormalServices { get; } = [];

    /// <summary>The port listened on (useful with port 0).</summary>
    public int Port { get; private set; }

    /// <summary>Number of associations currently open (including those negotiating).</summary>
    public int ActiveAssociations => Volatile.Read(ref _active);

    /// <summary>Raised when an association ends (null exception for a normal release). For tests and monitoring.</summary>
    public event Action<DicomAssociation?, Exception?>? AssociationEnded;

    /// <summary>Starts listening.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        var address = IPAddress.TryParse(_options.Connection.Hostname, out var ip) ? ip
            : Dns.GetHostAddresses(_options.Connection.Hostname).First();
        _listener = new TcpListener(address, _options.Connection.Port);
        _listener.Start(128);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _log.LogInformation("{Device} listening on {Address}:{Port} ({AEs})", _options.DeviceName, address, Port,
            string.Join(", ", _options.ApplicationEntities.Select(a => a.AETitle)));
        _acceptLoop = Task.Run(AcceptLoopAsync, cancellationToken);
        return Task.CompletedTask;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested) return;
                _log.LogWarning("Accept failed: {Error}", e.Message);
                continue;
            }
            socket.NoDelay = true;
            var t = Task.Run(() => HandleConnectionAsync(socket));
            _connections[t] = 0;
            _ = t.ContinueWith(done => _connections.TryRemove(done, out _), TaskScheduler.Default);
        }
    }

    private async Task HandleConnectionAsync(Socket socket)
    {
        int active = Interlocked.Increment(ref _active);
        DicomAssociation? assoc = null;
        Exception? fault = null;
        try
        {
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (_options.Connection.Tls is { } tls)
            {
                var ssl = new SslStream(stream, false, tls.ClientCertificateValidation);
                using var cts = new CancellationTokenSource(_options.Association.ArtimTimeout);
                try
                {
                    await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                    {
                        ServerCertificate = tls.ServerCertificate,
                        ClientCertificateRequired = tls.RequireClientCertificate,
                        EnabledSslProtocols = tls.EnabledProtocols,
                    }, cts.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
                {
                    await ssl.DisposeAsync().ConfigureAwait(false);
                    throw new DicomNetworkException(DicomNetworkErrorReason.TlsFailed, "TLS handshake failed: " + e.Message, e);
                }
                stream = ssl;
            }
            assoc = await DicomAssociation.AcceptAsync(socket, stream, rq => Negotiate(rq, active), _options.Association,
                _options.LoggerFactory?.CreateLogger("Dicom.Typed.Network.Association"), _stopping.Token).ConfigureAwait(false);
            _associations[assoc] = 0;
            var storage = Storage;
            assoc.DatasetSinkFactory = storage == null ? null : async m =>
                m.CommandField == DimseCommandField.CStoreRequest ? await storage.OpenDatasetStreamAsync(assoc, m).ConfigureAwait(false) : null;
            assoc.RequestHandler = DispatchAsync;
            fault = await assoc.Completion.ConfigureAwait(false);
        }
        catch (Exception e) when (e is DicomException or IOException or SocketException or OperationCanceledException)
        {
            fault = e;
            _log.LogInformation("Connection from {Remote} ended: {Error}", SafeRemote(socket), e.Message);
        }
        catch (Exception e)
        {
            fault = e;
            _log.LogError(e, "Unexpected error on connection from {Remote}", SafeRemote(socket));
        }
        finally
        {
            if (assoc != null) _associations.TryRemove(assoc, out _);
            socket.Dispose();
            Interlocked.Decrement(ref _active);
        }
        AssociationEnded?.Invoke(assoc, fault);
    }

    private static string SafeRemote(Socket s)
    {
        try
        {
            return s.RemoteEndPoint?.ToString() ?? "?";
        }
        catch (ObjectDisposedException)
        {
            return "?";
        }
    }

    private DicomAssociation.AcceptDecision Negotiate(AssociationParameters rq, int active)
    {
        static DicomAssociation.AcceptDecision Reject(RejectResult r, RejectSource s, byte reason) => new(null, new AssociateRejectPdu(r, s, reason));
        if (rq.ApplicationContext != AssociationParameters.DicomApplicationContext)
            return Reject(RejectResult.Permanent, RejectSource.ServiceUser, AssociateRejectPdu.ReasonApplicationContextNotSupported);
        if ((rq.ProtocolVersion & 1) == 0)
            return Reject(RejectResult.Permanent, RejectSource.ServiceProviderAcse, AssociateRejectPdu.ReasonProtocolVersionNotSupported);
        var ae = _options.ApplicationEntities.FirstOrDefault(a => a.AETitle == rq.CalledAE) ?? (_options.AcceptAnyCalledAE ? _options.ApplicationEntities[0] : null);
        if (ae == null)
        {
            _log.LogInformation("Rejecting {Calling}: called AE {Called} not recognized", rq.CallingAE, rq.CalledAE);
            return Reject(RejectResult.Permanent, RejectSource.ServiceUser, AssociateRejectPdu.ReasonCalledAENotRecognized);
        }
        if (ae.AllowedCallingAEs.Count > 0 && !ae.AllowedCallingAEs.Contains(rq.CallingAE))
            return Reject(RejectResult.Permanent, RejectSource.ServiceUser, AssociateRejectPdu.ReasonCallingAENotRecognized);
        if (active > _options.MaxAssociations || _stopping.IsCancellationRequested)
            return Reject(RejectResult.Transient, RejectSource.ServiceProviderPresentation, AssociateRejectPdu.ReasonLocalLimitExceeded);
        var ac = new AssociationParameters { CallingAE = rq.CallingAE, CalledAE = rq.CalledAE };
        if (rq.UserIdentity is { } id)
        {
            if (_options.UserIdentityValidator != null && !_options.UserIdentityValidator(id))
                return Reject(RejectResult.Permanent, RejectSource.ServiceUser, AssociateRejectPdu.ReasonNoReasonGiven);
            if (id.PositiveResponseRequested && _options.UserIdentityValidator != null)
                ac.UserIdentityServerResponse = _options.UserIdentityServerResponse?.Invoke(id) ?? [];
        }
        foreach (var pc in rq.PresentationContexts)
        {
            var caps = ae.TransferCapabilities.Where(c => c.SopClassUid == pc.AbstractSyntax).ToList();
            var result = new PresentationContext(pc.Id, pc.AbstractSyntax, pc.TransferSyntaxes);
            if (caps.Count == 0)
            {
                result.Result = PresentationContextResult.AbstractSyntaxNotSupported;
            }
            else
            {
                string? ts = caps.SelectMany(c => c.TransferSyntaxes).FirstOrDefault(pc.TransferSyntaxes.Contains);
                result.Result = ts == null ? PresentationContextResult.TransferSyntaxesNotSupported : PresentationContextResult.Acceptance;
                result.AcceptedTransferSyntax = ts;
            }
            ac.PresentationContexts.Add(result);
        }
        foreach (var role in rq.RoleSelections)
        {
            var cap = ae.TransferCapabilities.FirstOrDefault(c => c.SopClassUid == role.SopClassUid);
            if (cap == null) continue;
            // The requestor proposes its own roles; we agree to those we can play the counterpart of.
            ac.RoleSelections.Add(new RoleSelection(role.SopClassUid, role.ScuRole && cap.Role.HasFlag(DicomTransferRole.Scp), role.ScpRole && cap.Role.HasFlag(DicomTransferRole.Scu)));
        }
        if (_options.SopClassExtendedNegotiation is { } answer)
        {
            foreach (var e in rq.ExtendedNegotiations)
            {
                if (!ac.PresentationContexts.Any(pc => pc.AbstractSyntax == e.SopClassUid && pc.Result == PresentationContextResult.Acceptance)) continue;
                if (answer(e) is { } info) ac.ExtendedNegotiations.Add(new ExtendedNegotiation(e.SopClassUid, info));
            }
        }
        if (rq.MaxOperationsInvoked.HasValue || rq.MaxOperationsPerformed.HasValue)
        {
            // Asynchronous operations window (PS3.7 D.3.3.3): the requestor may invoke as many as we perform, and perform as many as we invoke.
            ac.MaxOperationsInvoked = DicomAssociation.NegotiateWindow(rq.MaxOperationsInvoked, _options.Association.MaxOperationsPerformed);
            ac.MaxOperationsPerformed = DicomAssociation.NegotiateWindow(rq.MaxOperationsPerformed, _options.Association.MaxOperationsInvoked);
        }
        return new DicomAssociation.AcceptDecision(ac, null);
    }

    // ---- dispatch -------------------------------------------------------------------------------------------------

    private async Task DispatchAsync(DicomAssociation a, DimseMessage rq, CancellationToken ct)
    {
        switch (rq.CommandField)
        {
            case DimseCommandField.CEchoRequest:
            {
                var status = Verification == null ? DicomStatus.Success : await Verification.OnEchoAsync(a, rq, ct).ConfigureAwait(false);
                await a.SendResponseAsync(DimseMessage.CreateResponse(rq, status), ct).ConfigureAwait(false);
                break;
            }
            case DimseCommandField.CStoreRequest:
            {
                DicomStatus status;
                string? comment = null;
                if (Storage == null) status = DicomStatus.SopClassNotSupported;
                else
                {
                    try
                    {
                        status = await Storage.OnStoreAsync(a, rq, ct).ConfigureAwait(false);
                    }
                    catch (DicomServiceException e)
                    {
                        status = e.Status;
                        comment = e.Message;
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        _log.LogWarning("Storing {Uid} failed: {Error}", rq.AffectedSopInstanceUid, e.Message);
                        status = DicomStatus.OutOfResources;
                        comment = e.Message;
                    }
                }
                var rsp = DimseMessage.CreateResponse(rq, status);
                if (comment != null) rsp.ErrorComment = comment.Length > 64 ? comment[..64] : comment;
                await a.SendResponseAsync(rsp, ct).ConfigureAwait(false);
                break;
            }
            case DimseCommandField.CFindRequest:
                await FindAsync(a, rq, ct).ConfigureAwait(false);
                break;
            case DimseCommandField.CMoveRequest:
            case DimseCommandField.CGetRequest:
                await RetrieveAsync(a, rq, ct).ConfigureAwait(false);
                break;
            default:
            {
                var handler = NormalServices.FirstOrDefault(h => h.SopClasses.Contains(rq.SopClassUid));
                if (handler == null)
                {
                    await a.SendResponseAsync(DimseMessage.CreateResponse(rq, DicomStatus.UnrecognizedOperation), ct).ConfigureAwait(false);
                    break;
                }
                DimseMessage rsp;
                try
                {
                    rsp = await handler.OnRequestAsync(a, rq, ct).ConfigureAwait(false);
                }
                catch (DicomServiceException e)
                {
                    rsp = DimseMessage.CreateResponse(rq, e.Status);
                    if (e.Message.Length > 0) rsp.ErrorComment = e.Message.Length > 64 ? e.Message[..64] : e.Message;
                }
                await a.SendResponseAsync(rsp, ct).ConfigureAwait(false);
                if (handler is IDicomNormalServiceFollowUp followUp) await followUp.OnResponseSentAsync(a, rq, rsp, ct).ConfigureAwait(false);
                break;
            }
        }
    }

    private async Task FindAsync(DicomAssociation a, DimseMessage rq, CancellationToken ct)
    {
        var worklist = rq.SopClassUid == DicomUid.ModalityWorklistInformationModelFind.Value ? Worklist : null;
        if ((Query == null && worklist == null) || rq.Dataset == null)
        {
            await a.SendResponseAsync(DimseMessage.CreateResponse(rq, rq.Dataset == null ? DicomStatus.IdentifierDoesNotMatchSopClass : DicomStatus.SopClassNotSupported), CancellationToken.None).ConfigureAwait(false);
            return;
        }
        DicomStatus final = DicomStatus.Success;
        string? comment = null;
        try
        {
            var matches = worklist != null ? worklist.OnWorklistFindAsync(a, rq, rq.Dataset, ct) : Query!.OnFindAsync(a, rq, rq.Dataset, ct);
            await foreach (var match in matches.ConfigureAwait(false))
            {
                await a.SendResponseAsync(DimseMessage.CreateResponse(rq, DicomStatus.Pending, match), CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested && !a.Aborted.IsCancellationRequested)
        {
            final = DicomStatus.Cancel;
        }
        catch (DicomServiceException e)
        {
            final = e.Status;
            comment = e.Message;
        }
        var rsp = DimseMessage.CreateResponse(rq, final);
        if (comment != null) rsp.ErrorComment = comment.Length > 64 ? comment[..64] : comment;
        await a.SendResponseAsync(rsp, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task RetrieveAsync(DicomAssociation a, DimseMessage rq, CancellationToken ct)
    {
        bool isMove = rq.CommandField == DimseCommandField.CMoveRequest;
        if (Retrieve == null || rq.Dataset == null)
        {
            await a.SendResponseAsync(DimseMessage.CreateResponse(rq, rq.Dataset == null ? DicomStatus.IdentifierDoesNotMatchSopClass : DicomStatus.SopClassNotSupported), CancellationToken.None).ConfigureAwait(false);
            return;
        }
        DicomRemoteApplicationEntity? dest = null;
        if (isMove)
        {
            dest = _options.RemoteApplicationEntities.FirstOrDefault(r => r.AETitle == rq.MoveDestination);
            if (dest == null)
            {
                _log.LogInformation("C-MOVE destination {Dest} unknown", rq.MoveDestination);
                await a.SendResponseAsync(DimseMessage.CreateResponse(rq, DicomStatus.MoveDestinationUnknown), CancellationToken.None).ConfigureAwait(false);
                return;
            }
        }
        IReadOnlyList<string> files;
        try
        {
            files = await Retrieve.OnRetrieveAsync(a, rq, rq.Dataset, ct).ConfigureAwait(false);
        }
        catch (DicomServiceException e)
        {
            var r = DimseMessage.CreateResponse(rq, e.Status);
            await a.SendResponseAsync(r, CancellationToken.None).ConfigureAwait(false);
            return;
        }
        int completed = 0, failed = 0, warning = 0, remaining = files.Count;
        DicomAssociation? sub = null;
        bool cancelled = false;
        try
        {
            if (isMove && files.Count > 0)
            {
                var headers = new List<DicomInstanceHeader>();
                foreach (var f in files)
                {
                    try
                    {
                        headers.Add(DicomInstanceHeader.Read(f));
                    }
                    catch (Exception e) when (e is DicomException or IOException)
                    {
                        _log.LogWarning("Cannot read {File}: {Error}", f, e.Message);
                    }
                }
                var contexts = DicomStorageOperations.BuildContexts(headers.Select(h => (h.SopClassUid, h.TransferSyntax)));
                var p = new AssociationParameters { CallingAE = a.CalledAE, CalledAE = dest!.AETitle };
                p.PresentationContexts.AddRange(contexts);
                try
                {
                    sub = await DicomAssociation.ConnectAsync(dest.Host, dest.Port, p, _options.OutgoingAssociation, dest.Tls, null,
                        _options.LoggerFactory?.CreateLogger("Dicom.Typed.Network.MoveScu"), ct).ConfigureAwait(false);
                }
                catch (DicomNetworkException e)
                {
                    _log.LogWarning("C-MOVE: cannot associate with {Dest}: {Error}", dest.AETitle, e.Message);
                    var r = DimseMessage.CreateResponse(rq, DicomStatus.OutOfResourcesSubOperations);
                    r.ErrorComment = "cannot associate with the destination";
                    r.FailedSuboperations = (ushort)files.Count;
                    r.CompletedSuboperations = 0;
                    r.WarningSuboperations = 0;
                    await a.SendResponseAsync(r, CancellationToken.None).ConfigureAwait(false);
                    return;
                }
            }
            var target = isMove ? sub! : a;
            foreach (var f in files)
            {
                if (ct.IsCancellationRequested)
                {
                    cancelled = true;
                    break;
                }
                try
                {
                    var rsp = await target.StoreFileAsync(f, isMove ? a.CallingAE : null, isMove ? rq.MessageId : null, a.Aborted).ConfigureAwait(false);
                    if (rsp.Status.IsSuccess) completed++;
                    else if (rsp.Status.Category == DicomStatusCategory.Warning) warning++;
                    else failed++;
                }
                catch (DicomNetworkException e) when (e.Reason == DicomNetworkErrorReason.NoPresentationContext)
                {
                    _log.LogWarning("Sub-operation for {File} not possible: {Error}", f, e.Message);
                    failed++;
                }
                catch (Exception e) when (e is DicomReadException or IOException)
                {
                    _log.LogWarning("Cannot read {File}: {Error}", f, e.Message);
                    failed++;
                }
                remaining--;
                if (remaining > 0)
                {
                    var pending = DimseMessage.CreateResponse(rq, DicomStatus.Pending);
                    SetCounts(pending, remaining, completed, failed, warning);
                    await a.SendResponseAsync(pending, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        catch (DicomNetworkException e) when (isMove && !a.Aborted.IsCancellationRequested)
        {
            _log.LogWarning("C-MOVE sub-association failed: {Error}", e.Message);
            failed += remaining;
            remaining = 0;
        }
        finally
        {
            if (sub != null) await sub.DisposeAsync().ConfigureAwait(false);
        }
        DicomStatus final = cancelled ? DicomStatus.Cancel
            : failed == 0 && warning == 0 ? DicomStatus.Success
            : completed == 0 && warning == 0 ? DicomStatus.OutOfResourcesSubOperations
            : DicomStatus.SubOperationsCompleteWithFailures;
        var last = DimseMessage.CreateResponse(rq, final);
        SetCounts(last, cancelled ? remaining : null, completed, failed, warning);
        await a.SendResponseAsync(last, CancellationToken.None).ConfigureAwait(false);
    }

    private static void SetCounts(DimseMessage m, int? remaining, int completed, int failed, int warning)
    {
        if (remaining.HasValue) m.RemainingSuboperations = (ushort)remaining.Value;
        m.CompletedSuboperations = (ushort)completed;
        m.FailedSuboperations = (ushort)failed;
        m.WarningSuboperations = (ushort)warning;
    }

    // ---- shutdown -------------------------------------------------------------------------------------------------

    /// <summary>Stops accepting, lets open associations finish for up to <paramref name="gracePeriod"/>, then aborts the rest;
    /// finally disposes the <see cref="NormalServices"/> that are <see cref="IAsyncDisposable"/>.</summary>
    /// <param name="gracePeriod">How long open associations may continue (default 5 s).</param>
    /// <param name="cancellationToken">Cancels the grace period (open associations are then aborted at once).</param>
    public async Task StopAsync(TimeSpan? gracePeriod = null, CancellationToken cancellationToken = default)
    {
        if (!_stopping.IsCancellationRequested)
        {
            _stopping.Cancel();
            _listener?.Stop();
        }
        if (_acceptLoop != null) await _acceptLoop.ConfigureAwait(false);
        var pending = _connections.Keys.ToArray();
        if (pending.Length > 0)
        {
            try
            {
                await Task.WhenAll(pending).WaitAsync(gracePeriod ?? TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                _log.LogInformation("Aborting {Count} association(s) still open at shutdown", _associations.Count);
                foreach (var a in _associations.Keys) await a.AbortAsync().ConfigureAwait(false);
                try
                {
                    await Task.WhenAll(_connections.Keys.ToArray()).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                }
            }
        }
        // Services with work of their own (e.g. storage commitment reports on new associations) stop with the host.
        foreach (var service in NormalServices.OfType<IAsyncDisposable>().ToArray()) await service.DisposeAsync().ConfigureAwait(false);
        _log.LogInformation("{Device} stopped", _options.DeviceName);
    }

    /// <summary>Stops the host (see <see cref="StopAsync"/>).</summary>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
