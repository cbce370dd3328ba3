using Microsoft.Extensions.Logging;

namespace Dicom.Typed.Network;

/// <summary>Where and how an SCU connects.</summary>
public sealed class DicomClientOptions
{
    /// <summary>Peer host name or address.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Peer port.</summary>
    public int Port { get; set; } = 104;

    /// <summary>Our AE title (calling).</summary>
    public string CallingAE { get; set; } = "DICOMTYPED";

    /// <summary>The peer's AE title (called).</summary>
    public string CalledAE { get; set; } = "ANY-SCP";

    /// <summary>TCP connect and TLS handshake timeout. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Association timers and limits.</summary>
    public DicomAssociationOptions Association { get; set; } = new();

    /// <summary>TLS, or null for plain TCP.</summary>
    public DicomTlsClientOptions? Tls { get; set; }

    /// <summary>User identity to send, optional.</summary>
    public UserIdentity? UserIdentity { get; set; }

    /// <summary>SOP Class Extended Negotiation sub-items to propose (PS3.7 D.3.3.5), e.g.
    /// <see cref="DicomStorageApplicationInformation.For"/> or the Query/Retrieve features of
    /// <see cref="DicomQueryRetrieveApplicationInformation"/>. Only the items whose SOP class is among the proposed presentation
    /// contexts of an association are sent, so one options object can serve several SCUs; the peer's answers are in
    /// <see cref="DicomAssociation.Accept"/> (<see cref="AssociationParameters.ExtendedNegotiations"/>).</summary>
    public IList<ExtendedNegotiation> ExtendedNegotiations { get; } = new List<ExtendedNegotiation>();

    /// <summary>SOP Class Common Extended Negotiation sub-items to propose (PS3.7 D.3.3.6: service class and related general SOP
    /// classes of a SOP class the peer may not know); sent, like <see cref="ExtendedNegotiations"/>, only for proposed SOP classes.</summary>
    public IList<CommonExtendedNegotiation> CommonExtendedNegotiations { get; } = new List<CommonExtendedNegotiation>();

    /// <summary>Logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}

/// <summary>Opens associations for the typed SCUs (and for services without a typed client, e.g. N-messages).</summary>
public static class DicomClient
{
    /// <summary>Connects and negotiates an association proposing <paramref name="contexts"/>.</summary>
    /// <param name="options">Peer and timers.</param>
    /// <param name="contexts">Presentation contexts to propose.</param>
    /// <param name="roleSelections">SCP/SCU role selection items (e.g. SCP role for storage under C-GET).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="ArgumentException"><see cref="DicomClientOptions.ExtendedNegotiations"/> or
    /// <see cref="DicomClientOptions.CommonExtendedNegotiations"/> has two items for one proposed SOP class.</exception>
    public static Task<DicomAssociation> ConnectAsync(DicomClientOptions options, IEnumerable<PresentationContext> contexts,
        IEnumerable<RoleSelection>? roleSelections = null, CancellationToken cancellationToken = default)
    {
        var rq = new AssociationParameters { CallingAE = options.CallingAE, CalledAE = options.CalledAE, UserIdentity = options.UserIdentity };
        rq.PresentationContexts.AddRange(contexts);
        if (roleSelections != null) rq.RoleSelections.AddRange(roleSelections);
        if (options.ExtendedNegotiations.Count > 0 || options.CommonExtendedNegotiations.Count > 0)
        {
            var proposed = rq.PresentationContexts.Select(pc => pc.AbstractSyntax).ToHashSet(StringComparer.Ordinal);
            rq.ExtendedNegotiations.AddRange(OnePerProposedClass(options.ExtendedNegotiations, e => e.SopClassUid, proposed, "SOP Class Extended Negotiation"));
            rq.CommonExtendedNegotiations.AddRange(OnePerProposedClass(options.CommonExtendedNegotiations, e => e.SopClassUid, proposed,
                "SOP Class Common Extended Negotiation"));
        }
        return DicomAssociation.ConnectAsync(options.Host, options.Port, rq, options.Association, options.Tls, options.ConnectTimeout,
            options.LoggerFactory?.CreateLogger("Dicom.Typed.Network.Scu"), cancellationToken);
    }

    /// <summary>The items whose SOP class is proposed; PS3.7 D.3.3.5 and D.3.3.6 allow one sub-item per SOP class.</summary>
    private static IEnumerable<T> OnePerProposedClass<T>(IEnumerable<T> items, Func<T, string> sopClass, HashSet<string> proposed, string what)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items.Where(i => proposed.Contains(sopClass(i))))
        {
            if (!seen.Add(sopClass(item))) throw new ArgumentException($"more than one {what} item for {sopClass(item)}", "options");
            yield return item;
        }
    }
}

/// <summary>Verification SCU (C-ECHO, PS3.4 annex A).</summary>
/// <param name="options">Peer and timers.</param>
public sealed class DicomVerificationScu(DicomClientOptions options)
{
    /// <summary>Opens an association, sends C-ECHO-RQ, releases and returns the status.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="DicomNetworkException">Connection, negotiation or timeout failure.</exception>
    public async Task<DicomStatus> EchoAsync(CancellationToken cancellationToken = default)
    {
        await using var a = await DicomClient.ConnectAsync(options,
            [new PresentationContext(1, DicomUid.Verification.Value, DicomStorageOperations.UncompressedTransferSyntaxes)], null, cancellationToken).ConfigureAwait(false);
        var status = await EchoAsync(a, cancellationToken).ConfigureAwait(false);
        await a.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        return status;
    }

    /// <summary>Sends C-ECHO-RQ on an existing association.</summary>
    /// <param name="association">An association with an accepted Verification context.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public static async Task<DicomStatus> EchoAsync(DicomAssociation association, CancellationToken cancellationToken = default)
    {
        var rq = DimseMessage.CreateRequest(DimseCommandField.CEchoRequest, association.NextMessageId(), DicomUid.Verification.Value);
        DicomStatus status = DicomStatus.ProcessingFailure;
        await foreach (var rsp in association.SendRequestAsync(rq, null, cancellationToken).ConfigureAwait(false)) status = rsp.Status;
        return status;
    }
}

/// <summary>Result of storing one file.</summary>
/// <param name="Path">The file.</param>
/// <param name="SopInstanceUid">Its SOP instance UID (empty if unreadable).</param>
/// <param name="Status">The C-STORE-RSP status, or a failure status when it was not sent.</param>
/// <param name="Error">Why it failed locally (unreadable file, no presentation context), else null.</param>
public sealed record DicomStoreResult(string Path, string SopInstanceUid, DicomStatus Status, string? Error = null);

/// <summary>Progress of a storage run.</summary>
/// <param name="Completed">Files done (any status).</param>
/// <param name="Total">Files in the run.</param>
/// <param name="Last">The last result.</param>
public sealed record DicomStoreProgress(int Completed, int Total, DicomStoreResult Last);

/// <summary>Storage SCU (C-STORE, PS3.4 annex B): sends one or many files on one association.</summary>
/// <param name="options">Peer and timers.</param>
public sealed class DicomStorageScu(DicomClientOptions options)
{
    /// <summary>Stores files on one association. Contexts are proposed per SOP class and transfer syntax; each file is
    /// sent in its own syntax or converted between uncompressed syntaxes. Files that cannot be read or have no accepted
    /// context get a failure result without ending the run; association failures throw.</summary>
    /// <param name="paths">Part 10 files.</param>
    /// <param name="progress">Progress after each file.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="DicomNetworkException">Connection, negotiation, timeout or abort.</exception>
    public async Task<IReadOnlyList<DicomStoreResult>> StoreAsync(IEnumerable<string> paths, IProgress<DicomStoreProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var files = paths.ToList();
        var results = new List<DicomStoreResult>();
        var headers = new List<DicomInstanceHeader>();
        foreach (var p in files)
        {
            try
            {
                headers.Add(DicomInstanceHeader.Read(p));
            }
            catch (Exception e) when (e is DicomException or IOException or UnauthorizedAccessException)
            {
                var r = new DicomStoreResult(p, "", DicomStatus.ProcessingFailure, "cannot read: " + e.Message);
                results.Add(r);
                progress?.Report(new DicomStoreProgress(results.Count, files.Count, r));
            }
        }
        if (headers.Count == 0) return results;
        var contexts = DicomStorageOperations.BuildContexts(headers.Select(h => (h.SopClassUid, h.TransferSyntax)));
        await using var a = await DicomClient.ConnectAsync(options, contexts, null, cancellationToken).ConfigureAwait(false);
        int done = results.Count;
        results.AddRange(await StoreAsync(a, headers, progress is null ? null : new CountingProgress(progress, done, files.Count), cancellationToken).ConfigureAwait(false));
        await a.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        return results;
    }

    /// <summary>Stores instances on an established association. When the peer granted an asynchronous operations window
    /// (<see cref="DicomAssociation.InvokeWindow"/> &gt; 1), up to that many C-STORE requests are outstanding at once and
    /// responses are matched by Message ID Being Responded To; otherwise one at a time.</summary>
    /// <param name="association">The association (contexts from <see cref="DicomStorageOperations.BuildContexts"/>).</param>
    /// <param name="instances">The files.</param>
    /// <param name="progress">Progress after each file (Completed counts within this call).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>One result per instance, in the order given.</returns>
    /// <exception cref="DicomNetworkException">The association failed.</exception>
    public static async Task<IReadOnlyList<DicomStoreResult>> StoreAsync(DicomAssociation association, IReadOnlyList<DicomInstanceHeader> instances,
        IProgress<DicomStoreProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var results = new DicomStoreResult[instances.Count];
        int completed = 0;
        static DicomStoreResult ReadFailure(DicomInstanceHeader h, Exception e) =>
            new(h.Path, h.SopInstanceUid, DicomStatus.ProcessingFailure, "cannot read: " + e.Message);
        // Sends one instance: the file already read (small files read ahead), or read here from its path.
        async Task<DicomStoreResult> Store(DicomInstanceHeader h, DicomFile? opened)
        {
            try
            {
                var rsp = opened is null
                    ? await association.StoreFileAsync(h.Path, null, null, cancellationToken).ConfigureAwait(false)
                    : await association.StoreFileAsync(opened, null, null, cancellationToken).ConfigureAwait(false);
                return new DicomStoreResult(h.Path, h.SopInstanceUid, rsp.Status, rsp.ErrorComment);
            }
            catch (DicomNetworkException e) when (e.Reason == DicomNetworkErrorReason.NoPresentationContext)
            {
                return new DicomStoreResult(h.Path, h.SopInstanceUid, DicomStatus.SopClassNotSupported, e.Message);
            }
            catch (Exception e) when (e is DicomReadException or IOException)
            {
                return ReadFailure(h, e);
            }
        }
        void Complete(int i, DicomStoreResult r)
        {
            results[i] = r;
            progress?.Report(new DicomStoreProgress(Interlocked.Increment(ref completed), instances.Count, r));
        }
        async Task One(int i) => Complete(i, await Store(instances[i], null).ConfigureAwait(false));
        int window = association.InvokeWindow;
        if (window <= 1)
        {
            // One at a time: while the peer works on request i, the next small file is read, so reading overlaps the
            // round trip instead of adding to it (a larger file is read while it is sent).
            (DicomFile? File, Exception? Error) ReadAhead(int i)
            {
                if (i >= instances.Count) return (null, null);
                try
                {
                    return (DicomStorageOperations.OpenSmall(instances[i].Path), null);
                }
                catch (Exception e) when (e is DicomReadException or IOException or UnauthorizedAccessException)
                {
                    return (null, e);
                }
            }
            var next = ReadAhead(0);
            for (int i = 0; i < instances.Count; i++)
            {
                var (file, error) = next;
                var sending = error is null ? Store(instances[i], file) : Task.FromResult(ReadFailure(instances[i], error));
                next = ReadAhead(i + 1);
                Complete(i, await sending.ConfigureAwait(false));
            }
            return results;
        }
        // Keep up to `window` requests outstanding; the association's own window also bounds SendRequestAsync.
        var running = new List<Task>(window);
        for (int i = 0; i < instances.Count; i++)
        {
            if (running.Count >= window)
            {
                var finished = await Task.WhenAny(running).ConfigureAwait(false);
                running.Remove(finished);
                await finished.ConfigureAwait(false); // association failures propagate
            }
            running.Add(One(i));
        }
        await Task.WhenAll(running).ConfigureAwait(false);
        return results;
    }

    private sealed class CountingProgress(IProgress<DicomStoreProgress> inner, int offset, int total) : IProgress<DicomStoreProgress>
    {
        public void Report(DicomStoreProgress value) => inner.Report(new DicomStoreProgress(offset + value.Completed, total, value.Last));
    }
}
