using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Dicom.Typed.IO;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dicom.Typed.Network;

/// <summary>
/// One DICOM association (PS3.8) in either role: upper layer state machine, P-DATA fragmentation and DIMSE message
/// exchange. A single reader task reads PDUs; requests from the peer are dispatched one at a time to
/// <see cref="RequestHandler"/>, responses are routed to the operation that sent the request.
/// </summary>
public sealed class DicomAssociation : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<ushort, PendingRequest> _pending = new();
    private readonly ConcurrentDictionary<ushort, CancellationTokenSource> _running = new();
    private readonly Channel<DimseMessage> _requests = Channel.CreateUnbounded<DimseMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource<Exception?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _releaseDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextMessageId;
    private SemaphoreSlim _invokeSlots = new(1, 1);
    private int _outstanding;
    private int _peakOutstanding;
    private volatile AssociationState _state;
    private Exception? _fault;
    private Task? _reader;
    private Task? _dispatcher;
    private int _closed;

    private DicomAssociation(Socket socket, Stream stream, bool isRequestor, DicomAssociationOptions options, ILogger? logger)
    {
        _socket = socket;
        _stream = stream;
        IsRequestor = isRequestor;
        Options = options;
        _log = logger ?? NullLogger.Instance;
        _state = isRequestor ? AssociationState.AwaitingTransportOpen : AssociationState.AwaitingAssociateRequest;
        try
        {
            RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            RemoteEndPoint = null;
        }
        try
        {
            _socket.SendTimeout = (int)Math.Min(int.MaxValue, options.WriteTimeout.TotalMilliseconds);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The peer already went away; the first read or write reports it.
        }
    }

    /// <summary>True when this side requested the association.</summary>
    public bool IsRequestor { get; }

    /// <summary>Timers and limits.</summary>
    public DicomAssociationOptions Options { get; }

    /// <summary>The current upper layer state.</summary>
    public AssociationState State => _state;

    /// <summary>The peer's address.</summary>
    public IPEndPoint? RemoteEndPoint { get; }

    /// <summary>The A-ASSOCIATE-RQ (sent or received).</summary>
    public AssociationParameters Request { get; private set; } = new();

    /// <summary>The A-ASSOCIATE-AC (sent or received).</summary>
    public AssociationParameters Accept { get; private set; } = new();

    /// <summary>Calling AE title.</summary>
    public string CallingAE => Request.CallingAE;

    /// <summary>Called AE title.</summary>
    public string CalledAE => Request.CalledAE;

    /// <summary>The negotiated presentation contexts (abstract syntax filled in, result set).</summary>
    public IReadOnlyList<PresentationContext> PresentationContexts => Accept.PresentationContexts;

    /// <summary>Maximum P-DATA-TF length used when sending (the peer's maximum, bounded by <see cref="DicomAssociationOptions.MaxSendPduLength"/>).</summary>
    public uint SendPduLength { get; private set; } = 16384;

    /// <summary>Requests this side may have outstanding at once (negotiated asynchronous operations window; 1 when not negotiated).
    /// <see cref="SendRequestAsync"/> waits for a free slot.</summary>
    public int InvokeWindow { get; private set; } = 1;

    /// <summary>Requests from the peer this side processes concurrently (negotiated window; 1 when not negotiated).</summary>
    public int PerformWindow { get; private set; } = 1;

    /// <summary>The largest number of our requests that were outstanding at the same time (for monitoring and tests).</summary>
    public int PeakOutstandingRequests => Volatile.Read(ref _peakOutstanding);

    /// <summary>Completes when the association has ended; the result is the fault, or null after a normal release.</summary>
    public Task<Exception?> Completion => _completion.Task;

    /// <summary>Handles requests from the peer (one at a time). The handler sends its responses with <see cref="SendResponseAsync(DimseMessage, CancellationToken)"/>.
    /// When null, requests get a failure response (0211H, unrecognized operation).</summary>
    public Func<DicomAssociation, DimseMessage, CancellationToken, Task>? RequestHandler { get; set; }

    /// <summary>Chooses where an incoming data set is written while it arrives (called once the command is complete).
    /// Return null to read the data set into memory (<see cref="DimseMessage.Dataset"/>); otherwise the stream is
    /// handed over in <see cref="DimseMessage.DatasetStream"/>, and disposed by the association if the message never completes.</summary>
    public Func<DimseMessage, ValueTask<Stream?>>? DatasetSinkFactory { get; set; }

    /// <summary>A token cancelled when the association ends.</summary>
    public CancellationToken Aborted => _lifetime.Token;

    /// <summary>Allocates the next message ID.</summary>
    public ushort NextMessageId() => (ushort)((Interlocked.Increment(ref _nextMessageId) & 0xFFFF) is var v and not 0 ? v : Interlocked.Increment(ref _nextMessageId) & 0xFFFF);

    // ---- establishment --------------------------------------------------------------------------------------------

    /// <summary>Opens a transport connection and requests an association (requestor side, Sta4 → Sta5 → Sta6).</summary>
    /// <param name="host">Peer host.</param>
    /// <param name="port">Peer port.</param>
    /// <param name="request">The A-ASSOCIATE-RQ content; its MaxPduLength is set from <paramref name="options"/>.</param>
    /// <param name="options">Timers and limits.</param>
    /// <param name="tls">TLS settings, or null for plain TCP.</param>
    /// <param name="connectTimeout">TCP connect (and TLS handshake) timeout.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="DicomNetworkException">Connection failed, timeout, malformed answer.</exception>
    /// <exception cref="DicomAssociationException">Rejected or aborted.</exception>
    public static async Task<DicomAssociation> ConnectAsync(string host, int port, AssociationParameters request, DicomAssociationOptions? options = null,
        DicomTlsClientOptions? tls = null, TimeSpan? connectTimeout = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        options ??= new DicomAssociationOptions();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream stream;
        using (var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            cts.CancelAfter(connectTimeout ?? TimeSpan.FromSeconds(10));
            try
            {
                await socket.ConnectAsync(host, port, cts.Token).ConfigureAwait(false);
                socket.NoDelay = true;
                stream = new NetworkStream(socket, ownsSocket: false);
                if (tls != null)
                {
                    var ssl = new System.Net.Security.SslStream(stream, false, tls.ServerCertificateValidation);
                    await ssl.AuthenticateAsClientAsync(new System.Net.Security.SslClientAuthenticationOptions
                    {
                        TargetHost = tls.TargetHost ?? host,
                        ClientCertificates = tls.ClientCertificates,
                        EnabledSslProtocols = tls.EnabledProtocols,
                    }, cts.Token).ConfigureAwait(false);
                    stream = ssl;
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or IOException or System.Security.Authentication.AuthenticationException)
            {
                socket.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
                var reason = e is System.Security.Authentication.AuthenticationException || (tls != null && e is IOException) ? DicomNetworkErrorReason.TlsFailed
                    : e is OperationCanceledException ? DicomNetworkErrorReason.Timeout : DicomNetworkErrorReason.ConnectionFailed;
                throw new DicomNetworkException(reason, $"cannot connect to {host}:{port}: {e.Message}", e);
            }
        }
        var assoc = new DicomAssociation(socket, stream, true, options, logger);
        try
        {
            await assoc.RequestAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await assoc.CloseTransportAsync().ConfigureAwait(false);
            throw;
        }
        return assoc;
    }

    private async Task RequestAsync(AssociationParameters request, CancellationToken ct)
    {
        request.MaxPduLength = Options.MaxPduLength;
        if (Options.MaxOperationsInvoked != 1 || Options.MaxOperationsPerformed != 1)
        {
            request.MaxOperationsInvoked ??= ToWire(Options.MaxOperationsInvoked);
            request.MaxOperationsPerformed ??= ToWire(Options.MaxOperationsPerformed);
        }
        Request = request;
        SetState(AssociationState.AwaitingAssociateResponse);
        await WritePduAsync(new AssociateRequestPdu(request), ct).ConfigureAwait(false);
        _log.LogDebug("A-ASSOCIATE-RQ {Calling} -> {Called}, {Count} presentation contexts", request.CallingAE, request.CalledAE, request.PresentationContexts.Count);
        Pdu? pdu = await ReadPduWithTimeoutAsync(Options.ArtimTimeout, "A-ASSOCIATE-AC/RJ (ARTIM)", ct).ConfigureAwait(false);
        switch (pdu)
        {
            case AssociateAcceptPdu ac:
                foreach (var pc in ac.Parameters.PresentationContexts)
                {
                    var proposed = request.FindContext(pc.Id);
                    if (proposed == null)
                    {
                        await SendAbortAndCloseAsync(AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue).ConfigureAwait(false);
                        throw new DicomNetworkException(DicomNetworkErrorReason.MalformedPdu, $"A-ASSOCIATE-AC answers presentation context {pc.Id} that was not proposed");
                    }
                    pc.AbstractSyntax = proposed.AbstractSyntax;
                    if (pc.IsAccepted && !proposed.TransferSyntaxes.Contains(pc.AcceptedTransferSyntax!))
                        _log.LogWarning("Peer accepted context {Id} with transfer syntax {Ts} that was not proposed", pc.Id, pc.AcceptedTransferSyntax);
                }
                Accept = ac.Parameters;
                SetWindows();
                SendPduLength = ComputeSendLength(ac.Parameters.MaxPduLength);
                SetState(AssociationState.Established);
                _log.LogInformation("Association {Calling} -> {Called} established, {Accepted}/{Proposed} contexts accepted, max PDU {Max}",
                    request.CallingAE, request.CalledAE, ac.Parameters.PresentationContexts.Count(c => c.IsAccepted), request.PresentationContexts.Count, SendPduLength);
                Start();
                return;
            case AssociateRejectPdu rj:
                SetState(AssociationState.Idle);
                throw new DicomAssociationException(rj);
            case AbortPdu ab:
                SetState(AssociationState.Idle);
                throw new DicomAssociationException(ab, received: true);
            case null:
                throw new DicomNetworkException(DicomNetworkErrorReason.ConnectionClosed, "the peer closed the connection instead of answering the A-ASSOCIATE-RQ");
            default:
                await SendAbortAndCloseAsync(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu).ConfigureAwait(false);
                throw new DicomNetworkException(DicomNetworkErrorReason.UnexpectedPdu, $"{pdu.Type} received while awaiting A-ASSOCIATE-AC");
        }
    }

    private uint ComputeSendLength(uint peerMax)
    {
        uint max = Options.MaxSendPduLength;
        if (peerMax != 0 && peerMax < max) max = peerMax;
        return Math.Max(max, 64u);
    }

    /// <summary>The decision of an acceptor on an A-ASSOCIATE-RQ.</summary>
    /// <param name="Accept">The A-ASSOCIATE-AC content, or null to reject.</param>
    /// <param name="Reject">The rejection when <paramref name="Accept"/> is null.</param>
    public sealed record AcceptDecision(AssociationParameters? Accept, AssociateRejectPdu? Reject);

    /// <summary>Acceptor side: waits for an A-ASSOCIATE-RQ (ARTIM), negotiates with <paramref name="negotiate"/> and answers.</summary>
    /// <param name="socket">The accepted socket (NoDelay is set here).</param>
    /// <param name="stream">The transport stream (TLS already established if used).</param>
    /// <param name="negotiate">Negotiation policy.</param>
    /// <param name="options">Timers and limits.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The established association.</returns>
    /// <exception cref="DicomNetworkException">Timeout, malformed or unexpected PDU, rejected (the transport is closed).</exception>
    public static async Task<DicomAssociation> AcceptAsync(Socket socket, Stream stream, Func<AssociationParameters, AcceptDecision> negotiate,
        DicomAssociationOptions options, ILogger? logger, CancellationToken cancellationToken)
    {
        socket.NoDelay = true;
        var assoc = new DicomAssociation(socket, stream, false, options, logger);
        try
        {
            Pdu? pdu;
            try
            {
                pdu = await assoc.ReadPduWithTimeoutAsync(options.ArtimTimeout, "A-ASSOCIATE-RQ (ARTIM)", cancellationToken).ConfigureAwait(false);
            }
            catch (DicomNetworkException e) when (e.Reason is DicomNetworkErrorReason.MalformedPdu or DicomNetworkErrorReason.UnrecognizedPdu or DicomNetworkErrorReason.PduTooLarge)
            {
                await assoc.SendAbortAndCloseAsync(AbortSource.ServiceProvider, MapAbortReason(e.Reason)).ConfigureAwait(false);
                throw;
            }
            if (pdu is not AssociateRequestPdu rq)
            {
                if (pdu != null && pdu is not AbortPdu) await assoc.SendAbortAndCloseAsync(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu).ConfigureAwait(false);
                throw new DicomNetworkException(pdu == null ? DicomNetworkErrorReason.ConnectionClosed : DicomNetworkErrorReason.UnexpectedPdu,
                    pdu == null ? "connection closed before A-ASSOCIATE-RQ" : $"{pdu.Type} received instead of A-ASSOCIATE-RQ");
            }
            assoc.Request = rq.Parameters;
            assoc.SetState(AssociationState.AwaitingLocalAssociateResponse);
            var decision = negotiate(rq.Parameters);
            if (decision.Accept == null)
            {
                var rj = decision.Reject ?? new AssociateRejectPdu(RejectResult.Permanent, RejectSource.ServiceUser, AssociateRejectPdu.ReasonNoReasonGiven);
                await assoc.WritePduAsync(rj, cancellationToken).ConfigureAwait(false);
                assoc.SetState(AssociationState.AwaitingTransportClose);
                await assoc.AwaitTransportCloseAsync().ConfigureAwait(false);
                throw new DicomAssociationException(rj);
            }
            decision.Accept.MaxPduLength = options.MaxPduLength;
            assoc.Accept = decision.Accept;
            assoc.SetWindows();
            assoc.SendPduLength = assoc.ComputeSendLength(rq.Parameters.MaxPduLength);
            await assoc.WritePduAsync(new AssociateAcceptPdu(decision.Accept), cancellationToken).ConfigureAwait(false);
            assoc.SetState(AssociationState.Established);
            assoc._log.LogInformation("Association {Calling} -> {Called} from {Remote} accepted, {Accepted}/{Proposed} contexts",
                rq.Parameters.CallingAE, rq.Parameters.CalledAE, assoc.RemoteEndPoint, decision.Accept.PresentationContexts.Count(c => c.IsAccepted), rq.Parameters.PresentationContexts.Count);
            assoc.Start();
            return assoc;
        }
        catch
        {
            await assoc.CloseTransportAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static ushort ToWire(int window) => (ushort)Math.Clamp(window, 0, ushort.MaxValue);

    private static int FromWire(ushort? value) => value is not { } v ? 1 : v == 0 ? int.MaxValue : v;

    /// <summary>Combines a proposed window with a local limit (0 = unlimited on both): the value an acceptor grants.</summary>
    /// <param name="proposed">The proposed value (null = not proposed, i.e. 1).</param>
    /// <param name="localLimit">Our limit (0 = unlimited).</param>
    public static ushort NegotiateWindow(ushort? proposed, int localLimit)
    {
        int p = FromWire(proposed), l = localLimit <= 0 ? int.MaxValue : localLimit;
        int v = Math.Min(p, l);
        return v == int.MaxValue ? (ushort)0 : (ushort)Math.Min(v, ushort.MaxValue);
    }

    private void SetWindows()
    {
        // PS3.7 D.3.3.3: in the A-ASSOCIATE-AC, "invoked" is what the requestor may invoke, "performed" what it may perform
        // (i.e. what the acceptor may invoke). Without the sub-item both are 1.
        bool negotiated = Accept.MaxOperationsInvoked.HasValue || Accept.MaxOperationsPerformed.HasValue;
        if (IsRequestor)
        {
            InvokeWindow = negotiated ? Math.Min(FromWire(Accept.MaxOperationsInvoked), FromWire(Request.MaxOperationsInvoked)) : 1;
            PerformWindow = negotiated ? Math.Min(FromWire(Accept.MaxOperationsPerformed), FromWire(Request.MaxOperationsPerformed)) : 1;
        }
        else
        {
            InvokeWindow = negotiated ? FromWire(Accept.MaxOperationsPerformed) : 1;
            PerformWindow = negotiated ? FromWire(Accept.MaxOperationsInvoked) : 1;
        }
        // A practical bound for "unlimited".
        InvokeWindow = Math.Min(InvokeWindow, 1024);
        PerformWindow = Math.Min(PerformWindow, 1024);
        _invokeSlots = new SemaphoreSlim(InvokeWindow, InvokeWindow);
        if (negotiated) _log.LogDebug("Asynchronous operations window: invoke {Invoke}, perform {Perform}", InvokeWindow, PerformWindow);
    }

    private static AbortReason MapAbortReason(DicomNetworkErrorReason reason) => reason switch
    {
        DicomNetworkErrorReason.UnrecognizedPdu => AbortReason.UnrecognizedPdu,
        DicomNetworkErrorReason.UnexpectedPdu => AbortReason.UnexpectedPdu,
        _ => AbortReason.InvalidPduParameterValue,
    };

    private void Start()
    {
        Volatile.Write(ref _lastReceive, Environment.TickCount64);
        _reader = Task.Run(ReadLoopAsync);
        _dispatcher = Task.Run(DispatchLoopAsync);
        _ = Task.Run(WatchdogAsync);
    }

    private void SetState(AssociationState state)
    {
        _state = state;
        Volatile.Write(ref _lastReceive, Environment.TickCount64); // timers (ARTIM, idle) restart on each transition
    }

    /// <summary>An outstanding request of ours: where its responses go, and until when (Environment.TickCount64) the
    /// operation waiting for its next response waits (long.MaxValue while it is not waiting). The watchdog enforces the
    /// deadline (DIMSE timeout), so no timer is created per message.</summary>
    private sealed class PendingRequest(DimseCommandField commandField)
    {
        public readonly Channel<DimseMessage> Channel = System.Threading.Channels.Channel.CreateUnbounded<DimseMessage>(
            new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });

        public readonly DimseCommandField CommandField = commandField;
        public long Deadline = long.MaxValue;

        public ChannelWriter<DimseMessage> Writer => Channel.Writer;
    }

    private long _lastReceive = Environment.TickCount64;
    private volatile DicomNetworkException? _timerFault;
    private volatile bool _artimClosed;

    private bool Busy => !_running.IsEmpty || !_pending.IsEmpty || _sendLock.CurrentCount == 0;

    /// <summary>Runs the timers of an established association: the idle timeout (only while no operation is in progress)
    /// and ARTIM in the release states and Sta13. Expiry aborts (or, in Sta13, just closes) the transport, which ends the reader.</summary>
    private async Task WatchdogAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        // The end of the association disposes the timer, which ends the wait with false: a cancelled wait would throw an
        // OperationCanceledException whose stack trace (with file and line, read from the PDBs) costs ~10 ms and
        // several MB in every process at the end of every association.
        using var stop = _lifetime.Token.UnsafeRegister(static t => ((PeriodicTimer)t!).Dispose(), timer);
        try
        {
            while (await timer.WaitForNextTickAsync().ConfigureAwait(false))
            {
                var state = _state;
                if (state == AssociationState.Idle) return;
                if (!_pending.IsEmpty && ExpiredRequest() is { } expired)
                {
                    // Like an idle timeout: the reader reports this fault when the abort closes the transport, and the
                    // waiting operation gets it once the association is aborted (EndAsync completes every pending request).
                    var ex = new DicomNetworkException(DicomNetworkErrorReason.Timeout, $"no response to {expired.CommandField} within {Options.DimseTimeout.TotalSeconds:0.#} s");
                    _timerFault = ex;
                    await AbortAsync(ex).ConfigureAwait(false);
                    expired.Writer.TryComplete(ex);
                    return;
                }
                TimeSpan? limit = state switch
                {
                    AssociationState.Established => Busy ? null : Options.IdleTimeout,
                    AssociationState.AwaitingLocalReleaseResponse => null,
                    _ => Options.ArtimTimeout,
                };
                long elapsed = Environment.TickCount64 - Volatile.Read(ref _lastReceive);
                if (limit is not { } l || elapsed <= l.TotalMilliseconds) continue;
                if (state == AssociationState.AwaitingTransportClose)
                {
                    _log.LogDebug("ARTIM expired awaiting transport close; closing");
                    _artimClosed = true;
                    await CloseTransportAsync().ConfigureAwait(false);
                    return;
                }
                _timerFault = new DicomNetworkException(DicomNetworkErrorReason.Timeout, state == AssociationState.Established
                    ? $"no PDU for {l.TotalSeconds:0.#} s while idle (idle timeout)" : $"ARTIM expired ({l.TotalSeconds:0.#} s) in state {state}");
                await SendAbortAndCloseAsync(AbortSource.ServiceProvider, AbortReason.NotSpecified).ConfigureAwait(false);
                return;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private PendingRequest? ExpiredRequest()
    {
        long now = Environment.TickCount64;
        foreach (var kv in _pending)
            if (now > Volatile.Read(ref kv.Value.Deadline)) return kv.Value;
        return null;
    }

    // ---- PDU I/O --------------------------------------------------------------------------------------------------

    private async Task<Pdu?> ReadPduWithTimeoutAsync(TimeSpan timeout, string what, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct, _lifetime.Token);
        cts.CancelAfter(timeout);
        try
        {
            var pdu = await PduCodec.ReadAsync(_stream, Options.MaxPduLength, cts.Token).ConfigureAwait(false);
            if (pdu != null) _log.LogTrace("Received {Type}", pdu.Type);
            return pdu;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && !_lifetime.IsCancellationRequested)
        {
            throw new DicomNetworkException(DicomNetworkErrorReason.Timeout, $"no {what} within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            throw new DicomNetworkException(DicomNetworkErrorReason.ConnectionClosed, "transport error: " + e.Message, e);
        }
        catch (ObjectDisposedException e)
        {
            throw new DicomNetworkException(DicomNetworkErrorReason.ConnectionClosed, "transport closed", e);
        }
    }

    private async Task WritePduAsync(Pdu pdu, CancellationToken ct)
    {
        var bytes = PduCodec.Encode(pdu);
        await _sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await WriteRawAsync(bytes, ct).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task WriteRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(Options.WriteTimeout);
        try
        {
            await _stream.WriteAsync(bytes, cts.Token).ConfigureAwait(false);
            await _stream.FlushAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new DicomNetworkException(DicomNetworkErrorReason.Timeout, $"write not completed within {Options.WriteTimeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            throw new DicomNetworkException(DicomNetworkErrorReason.ConnectionClosed, "cannot send: " + e.Message, e);
        }
    }

    // ---- reader ---------------------------------------------------------------------------------------------------

    private sealed class Incoming
    {
        public MemoryStream CommandBytes = new();
        public DimseMessage? Message;
        public Stream? Sink;
        public bool SinkIsMemory;
        public byte ContextId;
    }

    private async Task ReadLoopAsync()
    {
        Incoming? cur = null;
        Exception? fault = null;
        // One receive buffer per association: PDVs are consumed (copied to the command, the sink or memory) before the next read.
        var reader = new PduReader(_stream, Options.MaxPduLength,
            (int)Math.Min(Options.MaxPduLength == 0 ? 1u << 20 : Options.MaxPduLength, 4u << 20) + 4096 + PduCodec.HeaderLength);
        try
        {
            while (true)
            {
                Pdu? pdu;
                try
                {
                    pdu = await reader.ReadAsync(_lifetime.Token).ConfigureAwait(false);
                    Volatile.Write(ref _lastReceive, Environment.TickCount64);
                    if (pdu != null && _log.IsEnabled(LogLevel.Trace)) _log.LogTrace("Received {Type}", pdu.Type);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or OperationCanceledException
                                              || e is DicomNetworkException { Reason: DicomNetworkErrorReason.ConnectionClosed })
                {
                    if (_artimClosed) break;
                    if (_timerFault != null) throw _timerFault;
                    if (_state is AssociationState.AwaitingTransportClose) break;
                    throw new DicomNetworkException(DicomNetworkErrorReason.ConnectionClosed, $"transport closed in state {_state}: {e.Message}", e);
                }
                catch (DicomNetworkException e) when (e.Reason is DicomNetworkErrorReason.MalformedPdu or DicomNetworkErrorReason.UnrecognizedPdu or DicomNetworkErrorReason.PduTooLarge)
                {
                    await SendAbortAndCloseAsync(AbortSource.ServiceProvider, MapAbortReason(e.Reason)).ConfigureAwait(false);
                    throw;
                }
                if (pdu == null)
                {
                    // our own timer aborted and the peer then closed: the association ended by the timer, not by the peer
                    if (_timerFault != null) throw _timerFault;
                    if (_state is AssociationState.AwaitingTransportClose) break;
                    if (_state is AssociationState.AwaitingReleaseResponse)
                    {
                        _log.LogWarning("Peer closed the connection without A-RELEASE-RP");
                        break;
                    }
                    throw new DicomNetworkException(DicomNetworkErrorReason.ConnectionClosed, $"the peer closed the connection in state {_state}");
                }
                switch (pdu)
                {
                    case DataTransferPdu data when _state is AssociationState.Established or AssociationState.AwaitingReleaseResponse:
                        var values = data.Values;
                        for (int i = 0; i < values.Count; i++) cur = await OnPdvAsync(cur, values[i]).ConfigureAwait(false);
                        break;
                    case ReleaseRequestPdu when _state == AssociationState.Established:
                        SetState(AssociationState.AwaitingLocalReleaseResponse);
                        if (cur != null) throw new DicomNetworkException(DicomNetworkErrorReason.UnexpectedPdu, "A-RELEASE-RQ in the middle of a DIMSE message");
                        _requests.Writer.TryComplete();
                        if (_dispatcher != null) await _dispatcher.WaitAsync(Options.DimseTimeout).ConfigureAwait(false);
                        await WritePduAsync(new ReleaseResponsePdu(), CancellationToken.None).ConfigureAwait(false);
                        _log.LogDebug("A-RELEASE-RQ answered");
                        SetState(AssociationState.AwaitingTransportClose);
                        _releaseDone.TrySetResult();
                        if (IsRequestor) goto done;
                        break;
                    case ReleaseRequestPdu when _state == AssociationState.AwaitingReleaseResponse:
                        // Release collision (PS3.8 9.2.3 / table 9-10).
                        _log.LogDebug("A-RELEASE collision ({Role})", IsRequestor ? "requestor" : "acceptor");
                        if (IsRequestor)
                        {
                            SetState(AssociationState.ReleaseCollisionRequestor);
                            await WritePduAsync(new ReleaseResponsePdu(), CancellationToken.None).ConfigureAwait(false);
                            SetState(AssociationState.ReleaseCollisionRequestorAwaitingResponse);
                        }
                        else
                        {
                            SetState(AssociationState.ReleaseCollisionAcceptor);
                        }
                        break;
                    case ReleaseResponsePdu when _state is AssociationState.AwaitingReleaseResponse or AssociationState.ReleaseCollisionRequestorAwaitingResponse:
                        SetState(AssociationState.Idle);
                        _releaseDone.TrySetResult();
                        goto done;
                    case ReleaseResponsePdu when _state == AssociationState.ReleaseCollisionAcceptor:
                        SetState(AssociationState.ReleaseCollisionAcceptorAwaitingLocalResponse);
                        await WritePduAsync(new ReleaseResponsePdu(), CancellationToken.None).ConfigureAwait(false);
                        SetState(AssociationState.AwaitingTransportClose);
                        _releaseDone.TrySetResult();
                        break;
                    case AbortPdu ab:
                        SetState(AssociationState.Idle);
                        throw new DicomAssociationException(ab, received: true);
                    case DataTransferPdu when _state == AssociationState.AwaitingTransportClose:
                        break; // PS3.8 AA-6: ignore
                    default:
                        await SendAbortAndCloseAsync(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu).ConfigureAwait(false);
                        throw new DicomNetworkException(DicomNetworkErrorReason.UnexpectedPdu, $"{pdu.Type} received in state {_state}");
                }
            }
        done:;
        }
        catch (DicomNetworkException e)
        {
            fault = e;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            fault = new DicomNetworkException(DicomNetworkErrorReason.ConnectionClosed, e.Message, e);
        }
        catch (Exception e)
        {
            _log.LogError(e, "Unexpected error in the association reader");
            fault = new DicomNetworkException(DicomNetworkErrorReason.DimseProtocolError, e.Message, e);
            await SendAbortAndCloseAsync(AbortSource.ServiceProvider, AbortReason.NotSpecified).ConfigureAwait(false);
        }
        if (cur?.Sink != null) await cur.Sink.DisposeAsync().ConfigureAwait(false);
        await EndAsync(fault).ConfigureAwait(false);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Incoming?> OnPdvAsync(Incoming? cur, PresentationDataValue pdv)
    {
        var pc = Accept.FindContext(pdv.PresentationContextId);
        if (pc == null || !pc.IsAccepted)
        {
            await SendAbortAndCloseAsync(AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue).ConfigureAwait(false);
            throw new DicomNetworkException(DicomNetworkErrorReason.DimseProtocolError, $"PDV on presentation context {pdv.PresentationContextId}, which was not accepted");
        }
        if (cur != null && cur.ContextId != pdv.PresentationContextId)
        {
            await SendAbortAndCloseAsync(AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue).ConfigureAwait(false);
            throw new DicomNetworkException(DicomNetworkErrorReason.DimseProtocolError, $"PDV on context {pdv.PresentationContextId} inside a message on context {cur.ContextId}");
        }
        cur ??= new Incoming { ContextId = pdv.PresentationContextId };
        if (pdv.IsCommand)
        {
            if (cur.Message != null)
            {
                await SendAbortAndCloseAsync(AbortSource.ServiceProvider, AbortReason.UnexpectedPduParameter).ConfigureAwait(false);
                throw new DicomNetworkException(DicomNetworkErrorReason.DimseProtocolError, "command fragment received while a data set was expected");
            }
            cur.CommandBytes.Write(pdv.Data.Span);
            if (cur.CommandBytes.Length > 1 << 20) throw new DicomNetworkException(DicomNetworkErrorReason.DimseProtocolError, "command set larger than 1 MiB");
            if (!pdv.IsLast) return cur;
            DimseMessage msg;
            try
            {
                msg = DimseMessage.DecodeCommand(cur.CommandBytes.ToArray());
            }
            catch (DicomNetworkException)
            {
                await SendAbortAndCloseAsync(AbortSource.ServiceProvider, AbortReason.InvalidPduParameterValue).ConfigureAwait(false);
                throw;
            }
            msg.PresentationContextId = pc.Id;
            msg.TransferSyntax = pc.TransferSyntax;
            if (!msg.HasDataset)
            {
                Deliver(msg);
                return null;
            }
            cur.Message = msg;
            Stream? sink = null;
            if (DatasetSinkFactory != null) sink = await DatasetSinkFactory(msg).ConfigureAwait(false);
            cur.SinkIsMemory = sink == null;
            cur.Sink = sink ?? new MemoryStream();
            return cur;
        }
        if (cur.Message == null || cur.Sink == null)
        {
            await SendAbortAndCloseAsync(AbortSource.ServiceProvider, AbortReason.UnexpectedPduParameter).ConfigureAwait(false);
            throw new DicomNetworkException(DicomNetworkErrorReason.DimseProtocolError, "data set fragment received without a preceding command");
        }
        await cur.Sink.WriteAsync(pdv.Data).ConfigureAwait(false);
        if (!pdv.IsLast) return cur;
        var m = cur.Message;
        if (cur.SinkIsMemory)
        {
            var ms = (MemoryStream)cur.Sink;
            try
            {
                m.Dataset = DicomDatasetReader.Read(ms.GetBuffer().AsMemory(0, (int)ms.Length), pc.TransferSyntax);
            }
            catch (DicomException e)
            {
                _log.LogWarning("Cannot parse the data set of {Message}: {Error}", m, e.Message);
                m.Dataset = null;
                m.DatasetStream = new MemoryStream(ms.ToArray(), false);
            }
        }
        else
        {
            await cur.Sink.FlushAsync().ConfigureAwait(false);
            m.DatasetStream = cur.Sink;
        }
        cur.Sink = null;
        Deliver(m);
        return null;
    }

    private void Deliver(DimseMessage msg)
    {
        if (_log.IsEnabled(LogLevel.Debug)) _log.LogDebug("Received {Message}", msg);
        if (msg.CommandField == DimseCommandField.CCancelRequest)
        {
            if (_running.TryGetValue(msg.MessageIdBeingRespondedTo, out var cts)) cts.Cancel();
            return;
        }
        if (msg.IsRequest)
        {
            _requests.Writer.TryWrite(msg);
            return;
        }
        if (_pending.TryGetValue(msg.MessageIdBeingRespondedTo, out var ch))
        {
            ch.Writer.TryWrite(msg);
            if (!msg.Status.IsPending) _pending.TryRemove(msg.MessageIdBeingRespondedTo, out _);
        }
        else
        {
            _log.LogWarning("Response {Message} to unknown message ID ignored", msg);
            msg.DatasetStream?.Dispose();
        }
    }

    private async Task DispatchLoopAsync()
    {
        // Up to PerformWindow requests are handled concurrently (1 unless an asynchronous operations window was negotiated).
        var inFlight = new ConcurrentDictionary<Task, byte>();
        using var slots = new SemaphoreSlim(PerformWindow, PerformWindow);
        try
        {
            await foreach (var rq in _requests.Reader.ReadAllAsync(_lifetime.Token).ConfigureAwait(false))
            {
                if (PerformWindow <= 1)
                {
                    if (!await HandleRequestAsync(rq).ConfigureAwait(false)) break;
                    continue;
                }
                await slots.WaitAsync(_lifetime.Token).ConfigureAwait(false);
                var t = Task.Run(async () =>
                {
                    try
                    {
                        await HandleRequestAsync(rq).ConfigureAwait(false);
                    }
                    finally
                    {
                        slots.Release();
                    }
                });
                inFlight[t] = 0;
                _ = t.ContinueWith(done => inFlight.TryRemove(done, out _), TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException)
        {
        }
        await Task.WhenAll(inFlight.Keys.ToArray()).ConfigureAwait(false);
        // Requests that arrived but were never handled (the association ended first): release their data set sinks,
        // so that a storage sink deletes its temporary file.
        while (_requests.Reader.TryRead(out var left)) left.DatasetStream?.Dispose();
    }

    /// <summary>Runs the handler for one request; false when the association ended while it ran.</summary>
    private async Task<bool> HandleRequestAsync(DimseMessage rq)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_lifetime.Token);
        _running[rq.MessageId] = cts;
        try
        {
            if (RequestHandler == null)
                await SendResponseAsync(DimseMessage.CreateResponse(rq, DicomStatus.UnrecognizedOperation), CancellationToken.None).ConfigureAwait(false);
            else
                await RequestHandler(this, rq, cts.Token).ConfigureAwait(false);
        }
        catch (DicomNetworkException e)
        {
            _log.LogWarning("Handling {Request} failed: {Error}", rq, e.Message);
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception e)
        {
            _log.LogError(e, "Handler for {Request} failed", rq);
            try
            {
                var rsp = DimseMessage.CreateResponse(rq, DicomStatus.ProcessingFailure);
                rsp.ErrorComment = Truncate(e.Message, 64);
                await SendResponseAsync(rsp, CancellationToken.None).ConfigureAwait(false);
            }
            catch (DicomNetworkException)
            {
            }
        }
        finally
        {
            _running.TryRemove(rq.MessageId, out _);
            rq.DatasetStream?.Dispose();
            Volatile.Write(ref _lastReceive, Environment.TickCount64); // the idle time starts when the operation ends
        }
        return true;
    }

    private static string Truncate(string s, int n) => s.Length <= n ? s : s[..n];

    // ---- sending --------------------------------------------------------------------------------------------------

    /// <summary>Finds an accepted presentation context for a SOP class, preferring <paramref name="transferSyntax"/>;
    /// when <paramref name="allowUncompressedConversion"/> and the syntax is not encapsulated, any accepted uncompressed syntax also fits.</summary>
    /// <param name="sopClassUid">The abstract syntax.</param>
    /// <param name="transferSyntax">The preferred transfer syntax, or null for any.</param>
    /// <param name="allowUncompressedConversion">Allow conversion between uncompressed syntaxes.</param>
    public PresentationContext? FindContext(string sopClassUid, DicomTransferSyntax? transferSyntax = null, bool allowUncompressedConversion = true)
    {
        var candidates = Accept.PresentationContexts.Where(c => c.IsAccepted && c.AbstractSyntax == sopClassUid).ToList();
        if (transferSyntax == null) return candidates.FirstOrDefault();
        var exact = candidates.FirstOrDefault(c => c.AcceptedTransferSyntax == transferSyntax.Uid.Value);
        if (exact != null || !allowUncompressedConversion || transferSyntax.IsEncapsulated) return exact;
        return candidates.FirstOrDefault(c => DicomTransferSyntax.Lookup(c.AcceptedTransferSyntax!) is { IsEncapsulated: false });
    }

    /// <summary>Sends a request and yields its responses (one for most services; pending responses then the final one for C-FIND, C-MOVE and C-GET).
    /// Each response must arrive within <see cref="DicomAssociationOptions.DimseTimeout"/>; otherwise the association is aborted.</summary>
    /// <param name="request">The request (its MessageID is assigned when 0).</param>
    /// <param name="context">Presentation context; null picks the first accepted one for the request's SOP class.</param>
    /// <param name="cancellationToken">Cancellation: sends C-CANCEL-RQ for C-FIND/C-MOVE/C-GET and keeps reading until the final response.</param>
    /// <exception cref="DicomNetworkException">No context, timeout, association ended.</exception>
    public async IAsyncEnumerable<DimseMessage> SendRequestAsync(DimseMessage request, PresentationContext? context = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (request.MessageId == 0) request.MessageId = NextMessageId();
        context ??= FindContext(request.SopClassUid ?? "") ?? throw new DicomNetworkException(DicomNetworkErrorReason.NoPresentationContext,
            $"no accepted presentation context for {DicomUid.Lookup(request.SopClassUid ?? "")?.Name ?? request.SopClassUid}");
        // Synchronous continuations: the reader hands a response straight to the waiting operation (no thread pool hop per message).
        var pending = new PendingRequest(request.CommandField);
        var ch = pending.Channel;
        var slots = _invokeSlots;
        // Every outstanding request ends within its DIMSE timeout (or the association is aborted), so a slot frees up in time.
        if (!await slots.WaitAsync(Options.DimseTimeout + Options.DimseTimeout, cancellationToken).ConfigureAwait(false))
            throw new DicomNetworkException(DicomNetworkErrorReason.Timeout, "no free slot in the asynchronous operations window");
        int now = Interlocked.Increment(ref _outstanding);
        int peak;
        while (now > (peak = Volatile.Read(ref _peakOutstanding)) && Interlocked.CompareExchange(ref _peakOutstanding, now, peak) != peak)
        {
        }
        _pending[request.MessageId] = pending;
        bool cancelSent = false, finalReceived = false, sent = false;
        bool cancellable = request.CommandField is DimseCommandField.CFindRequest or DimseCommandField.CMoveRequest or DimseCommandField.CGetRequest;
        try
        {
            await SendMessageAsync(request, context, cancellationToken).ConfigureAwait(false);
            sent = true;
            while (true)
            {
                DimseMessage rsp;
                // The DIMSE timeout runs while we wait for the next response (the watchdog aborts when it expires);
                // the caller's token cancels only C-FIND/C-MOVE/C-GET (C-CANCEL-RQ, then the final response is awaited).
                Volatile.Write(ref pending.Deadline, Environment.TickCount64 + (long)Options.DimseTimeout.TotalMilliseconds);
                try
                {
                    if (!ch.Reader.TryRead(out rsp!))
                        rsp = await ch.Reader.ReadAsync(cancellable && !cancelSent ? cancellationToken : CancellationToken.None).ConfigureAwait(false);
                }
                catch (ChannelClosedException e)
                {
                    throw e.InnerException as DicomNetworkException ?? new DicomNetworkException(DicomNetworkErrorReason.ConnectionClosed, "association ended before the response", e);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && cancellable && !cancelSent)
                {
                    cancelSent = true;
                    await SendMessageAsync(DimseMessage.CreateCancel(request.MessageId), context, CancellationToken.None).ConfigureAwait(false);
                    continue;
                }
                finally
                {
                    Volatile.Write(ref pending.Deadline, long.MaxValue);
                }
                finalReceived = !rsp.Status.IsPending;
                yield return rsp;
                if (finalReceived) yield break;
            }
        }
        finally
        {
            _pending.TryRemove(request.MessageId, out _);
            Interlocked.Decrement(ref _outstanding);
            slots.Release();
            Volatile.Write(ref _lastReceive, Environment.TickCount64);
            // The caller stopped enumerating early: ask the SCP to stop (later responses are ignored).
            if (sent && cancellable && !finalReceived && !cancelSent && _state == AssociationState.Established)
            {
                try
                {
                    await SendMessageAsync(DimseMessage.CreateCancel(request.MessageId), context, CancellationToken.None).ConfigureAwait(false);
                }
                catch (DicomNetworkException)
                {
                }
            }
        }
    }

    /// <summary>Sends a response (the presentation context is the request's; set <see cref="DimseMessage.PresentationContextId"/> to override).</summary>
    /// <param name="response">The response.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public Task SendResponseAsync(DimseMessage response, CancellationToken cancellationToken = default) =>
        SendResponseAsync(response, null, cancellationToken);

    /// <summary>Sends a response on the presentation context of <paramref name="request"/>.</summary>
    /// <param name="response">The response.</param>
    /// <param name="request">The request answered (its context is used); null uses the response's own context ID or the first one for its SOP class.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task SendResponseAsync(DimseMessage response, DimseMessage? request, CancellationToken cancellationToken = default)
    {
        byte id = request?.PresentationContextId ?? response.PresentationContextId;
        var pc = id != 0 ? Accept.FindContext(id) : FindContext(response.SopClassUid ?? "");
        if (pc == null) throw new DicomNetworkException(DicomNetworkErrorReason.NoPresentationContext, $"no presentation context for {response}");
        await SendMessageAsync(response, pc, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends one DIMSE message: the command, then the data set (written in the context's transfer syntax,
    /// fragmented into P-DATA-TF PDUs of at most <see cref="SendPduLength"/> bytes while it is encoded).</summary>
    /// <param name="message">The message; <see cref="DimseMessage.Dataset"/> is sent when not null.</param>
    /// <param name="context">An accepted presentation context.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task SendMessageAsync(DimseMessage message, PresentationContext context, CancellationToken cancellationToken = default)
    {
        if (_state is not (AssociationState.Established or AssociationState.AwaitingLocalReleaseResponse or AssociationState.AwaitingReleaseResponse))
            throw _fault as DicomNetworkException ?? new DicomNetworkException(DicomNetworkErrorReason.ConnectionClosed, $"cannot send in state {_state}");
        if (!context.IsAccepted) throw new DicomNetworkException(DicomNetworkErrorReason.NoPresentationContext, $"presentation context {context.Id} is not accepted");
        message.PresentationContextId = context.Id;
        message.TransferSyntax = context.TransferSyntax;
        var command = message.EncodeCommand();
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // With a data set, a command that leaves room in the PDU goes as the first PDV of the first data PDU
            // (PS3.8 9.3.5: several PDVs per P-DATA-TF; command and data set stay in separate PDVs): one write per small message.
            bool combine = message.Dataset != null && command.Length + 12 + 1024 <= SendPduLength;
            if (!combine)
            {
                using var pdata = new PDataStream(this, context.Id, isCommand: true, command.Length);
                pdata.Write(command);
                pdata.Complete(cancellationToken);
            }
            if (message.Dataset != null)
            {
                var ds = message.Dataset;
                var ts = context.TransferSyntax;
                using var data = new PDataStream(this, context.Id, isCommand: false, int.MaxValue, combine ? command : default);
                void Write()
                {
                    if (ts.IsDeflated)
                    {
                        using var deflate = new DeflateStream(data, CompressionLevel.Fastest, leaveOpen: true);
                        using var buffered = new BufferedStream(deflate, 1 << 16);
                        new DicomDatasetWriter(buffered, ts).Write(ds);
                    }
                    else
                    {
                        new DicomDatasetWriter(data, ts).Write(ds);
                    }
                }
                // Small, loaded data sets are encoded inline (no thread hop); large ones or values still on disk on a pool thread.
                if (IsSmallAndLoaded(ds)) Write();
                else await Task.Run(Write, cancellationToken).ConfigureAwait(false);
                data.Complete(cancellationToken);
            }
            if (_log.IsEnabled(LogLevel.Debug)) _log.LogDebug("Sent {Message}", message);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            var ex = new DicomNetworkException(DicomNetworkErrorReason.ConnectionClosed, "cannot send: " + e.Message, e);
            _ = EndAsync(ex);
            throw ex;
        }
        catch (DicomNetworkException e) when (e.Reason == DicomNetworkErrorReason.Timeout)
        {
            // The peer stopped reading: part of a PDU may be on the wire, so nothing more can be sent on this transport.
            // End the association now (transport closed) instead of leaving it to the idle timer.
            _ = EndAsync(e);
            throw;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private static bool IsSmallAndLoaded(DicomDataset ds)
    {
        long total = 0;
        foreach (var item in ds)
        {
            if (item is DicomElement e)
            {
                if (!e.Buffer.IsLoaded) return false;
                total += e.Length;
            }
            else
            {
                return false; // sequences: not worth walking here
            }
            if (total > 256 * 1024) return false;
        }
        return true;
    }

    /// <summary>Buffers data into P-DATA-TF PDUs with one PDV each (the first PDU may carry the complete command as a
    /// PDV before the data PDV); full PDUs are written synchronously (the send lock is held by the caller).
    /// The buffer is rented from the shared pool and returned on dispose.</summary>
    private sealed class PDataStream : Stream
    {
        private readonly DicomAssociation _assoc;
        private readonly byte _id;
        private readonly bool _isCommand;
        private readonly byte[] _buf;
        private readonly int _capacity;
        private int _limit;   // end of the PDU being filled (first PDU: less the command PDV)
        private int _prefix;  // bytes of the command PDV (header and command) before the data PDV header; 0 once sent
        private int _count;

        public PDataStream(DicomAssociation assoc, byte id, bool isCommand, int expectedLength, ReadOnlySpan<byte> command = default)
        {
            _assoc = assoc;
            _id = id;
            _isCommand = isCommand;
            _capacity = 12 + (int)Math.Min(Math.Min(assoc.SendPduLength - 6, 4u << 20), (uint)Math.Max(expectedLength, 1));
            _prefix = command.IsEmpty ? 0 : 6 + command.Length;
            _buf = ArrayPool<byte>.Shared.Rent(_capacity + _prefix);
            _limit = _prefix == 0 ? _capacity : (int)Math.Min(_capacity + _prefix, 6 + (long)assoc.SendPduLength);
            if (_prefix > 0)
            {
                BinaryPrimitives.WriteUInt32BigEndian(_buf.AsSpan(6), (uint)(command.Length + 2));
                _buf[10] = id;
                _buf[11] = 3; // command, last fragment
                command.CopyTo(_buf.AsSpan(12));
            }
            _count = 12 + _prefix;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && _count >= 0)
            {
                _count = -1;
                ArrayPool<byte>.Shared.Return(_buf);
            }
            base.Dispose(disposing);
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> data)
        {
            while (data.Length > 0)
            {
                if (_count == _limit)
                {
                    // Full and more data follows: send as a non-last fragment.
                    Emit(false);
                }
                int n = Math.Min(data.Length, _limit - _count);
                data[..n].CopyTo(_buf.AsSpan(_count));
                _count += n;
                data = data[n..];
            }
        }

        private void WriteHeaders(bool last)
        {
            if (_prefix == 0)
            {
                PduCodec.WriteSinglePdvHeader(_buf, _id, _isCommand, last, _count - 12);
                return;
            }
            _buf[0] = (byte)PduType.DataTransfer;
            _buf[1] = 0;
            BinaryPrimitives.WriteUInt32BigEndian(_buf.AsSpan(2), (uint)(_count - 6));
            BinaryPrimitives.WriteUInt32BigEndian(_buf.AsSpan(6 + _prefix), (uint)(_count - 12 - _prefix + 2));
            _buf[10 + _prefix] = _id;
            _buf[11 + _prefix] = (byte)((_isCommand ? 1 : 0) | (last ? 2 : 0));
        }

        private void Sent()
        {
            _prefix = 0;
            _limit = _capacity;
            _count = 12;
        }

        private void Emit(bool last)
        {
            WriteHeaders(last);
            try
            {
                _assoc._stream.Write(_buf, 0, _count);
            }
            catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut or SocketError.WouldBlock })
            {
                throw new DicomNetworkException(DicomNetworkErrorReason.Timeout, $"write not completed within {_assoc.Options.WriteTimeout.TotalSeconds:0.#} s", e);
            }
            Sent();
        }

        /// <summary>Sends the buffered data as the last fragment. Synchronous like the full fragments (the send lock is held;
        /// the socket's SendTimeout bounds a write the peer does not read): no linked token source, timer or state
        /// machine per message.</summary>
        public void Complete(CancellationToken ct)
        {
            ct.ThrowIfCancellationRequested();
            Emit(true);
        }
    }

    // ---- release and abort ----------------------------------------------------------------------------------------

    /// <summary>Releases the association (A-RELEASE-RQ, then waits for A-RELEASE-RP within the ARTIM timeout; a release collision is handled).
    /// On timeout the association is aborted and <see cref="DicomNetworkException"/> is thrown.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (_state != AssociationState.Established)
        {
            if (_fault != null && _state == AssociationState.Idle) throw _fault as DicomNetworkException ?? new DicomNetworkException(DicomNetworkErrorReason.ConnectionClosed, _fault.Message, _fault);
            return;
        }
        SetState(AssociationState.AwaitingReleaseResponse);
        await WritePduAsync(new ReleaseRequestPdu(), cancellationToken).ConfigureAwait(false);
        try
        {
            await _releaseDone.Task.WaitAsync(Options.ArtimTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var ex = new DicomNetworkException(DicomNetworkErrorReason.Timeout, $"no A-RELEASE-RP within {Options.ArtimTimeout.TotalSeconds:0.#} s");
            await AbortAsync(ex).ConfigureAwait(false);
            throw ex;
        }
        var fault = await Completion.WaitAsync(Options.ArtimTimeout, cancellationToken).ConfigureAwait(false);
        if (fault != null) throw fault;
        _log.LogDebug("Association released");
    }

    /// <summary>Aborts the association (A-ABORT, service-user source) and closes the transport.</summary>
    public Task AbortAsync() => AbortAsync(null);

    private async Task AbortAsync(DicomNetworkException? reason)
    {
        if (_state is AssociationState.Idle) return;
        await SendAbortAndCloseAsync(AbortSource.ServiceUser, AbortReason.NotSpecified).ConfigureAwait(false);
        await EndAsync(reason ?? new DicomAssociationException(new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified), received: false)).ConfigureAwait(false);
    }

    private async Task SendAbortAndCloseAsync(AbortSource source, AbortReason reason)
    {
        _log.LogInformation("Sending A-ABORT ({Source}, {Reason}) in state {State}", source, reason, _state);
        try
        {
            var bytes = PduCodec.Encode(new AbortPdu(source, reason));
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _stream.WriteAsync(bytes, cts.Token).ConfigureAwait(false);
            await _stream.FlushAsync(cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or NotSupportedException or InvalidOperationException)
        {
        }
        SetState(AssociationState.Idle);
        await CloseTransportAsync().ConfigureAwait(false);
    }

    private async Task AwaitTransportCloseAsync()
    {
        // Sta13: wait (ARTIM) for the peer to close, discarding anything it sends.
        try
        {
            using var cts = new CancellationTokenSource(Options.ArtimTimeout);
            var buf = new byte[1024];
            while (await _stream.ReadAsync(buf, cts.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        await CloseTransportAsync().ConfigureAwait(false);
    }

    private async Task CloseTransportAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1) return;
        try
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
        }
        _socket.Dispose();
    }

    private async Task EndAsync(Exception? fault)
    {
        if (_completion.Task.IsCompleted) return;
        if (fault != null && _fault == null) _fault = fault;
        if (fault != null) _log.LogWarning("Association {Calling} -> {Called} ended: {Error}", CallingAE, CalledAE, fault.Message);
        else _log.LogDebug("Association {Calling} -> {Called} closed", CallingAE, CalledAE);
        SetState(AssociationState.Idle);
        await CloseTransportAsync().ConfigureAwait(false);
        // The first fault wins: closing the transport below makes the reader end too, with a mere ConnectionClosed.
        fault = _fault ?? fault;
        var ex = fault ?? new DicomNetworkException(DicomNetworkErrorReason.ConnectionClosed, "association released");
        foreach (var kv in _pending) kv.Value.Writer.TryComplete(ex);
        _requests.Writer.TryComplete();
        _releaseDone.TrySetResult();
        try
        {
            _lifetime.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
        _completion.TrySetResult(fault);
    }

    /// <summary>Releases the association if it is established (aborting when that fails), then waits for the reader to stop.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_state == AssociationState.Established)
        {
            try
            {
                await ReleaseAsync().ConfigureAwait(false);
            }
            catch (DicomNetworkException)
            {
            }
        }
        if (_state != AssociationState.Idle && _state != AssociationState.AwaitingTransportClose) await AbortAsync().ConfigureAwait(false);
        if (_reader != null)
        {
            try
            {
                await _reader.WaitAsync(Options.ArtimTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                await CloseTransportAsync().ConfigureAwait(false);
            }
        }
        else
        {
            await CloseTransportAsync().ConfigureAwait(false);
        }
        if (_dispatcher != null)
        {
            try
            {
                await _dispatcher.WaitAsync(Options.ArtimTimeout).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{CallingAE} -> {CalledAE} ({RemoteEndPoint}, {_state})";
}
