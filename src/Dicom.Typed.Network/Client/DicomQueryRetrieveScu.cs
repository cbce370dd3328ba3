using System.Runtime.CompilerServices;

namespace Dicom.Typed.Network;

/// <summary>Query/Retrieve information models (PS3.4 annex C.6).</summary>
public enum QueryRetrieveModel
{
    /// <summary>Patient Root.</summary>
    PatientRoot,
    /// <summary>Study Root.</summary>
    StudyRoot,
}

/// <summary>SOP class UIDs of the Q/R information models.</summary>
public static class QueryRetrieveSopClasses
{
    /// <summary>The C-FIND SOP class of a model.</summary>
    /// <param name="model">The model.</param>
    public static string Find(QueryRetrieveModel model) => model == QueryRetrieveModel.PatientRoot
        ? DicomUid.PatientRootQueryRetrieveInformationModelFind.Value : DicomUid.StudyRootQueryRetrieveInformationModelFind.Value;

    /// <summary>The C-MOVE SOP class of a model.</summary>
    /// <param name="model">The model.</param>
    public static string Move(QueryRetrieveModel model) => model == QueryRetrieveModel.PatientRoot
        ? DicomUid.PatientRootQueryRetrieveInformationModelMove.Value : DicomUid.StudyRootQueryRetrieveInformationModelMove.Value;

    /// <summary>The C-GET SOP class of a model.</summary>
    /// <param name="model">The model.</param>
    public static string Get(QueryRetrieveModel model) => model == QueryRetrieveModel.PatientRoot
        ? DicomUid.PatientRootQueryRetrieveInformationModelGet.Value : DicomUid.StudyRootQueryRetrieveInformationModelGet.Value;
}

/// <summary>Outcome of a C-MOVE or C-GET.</summary>
/// <param name="Status">Final status.</param>
/// <param name="Completed">Completed sub-operations.</param>
/// <param name="Failed">Failed sub-operations.</param>
/// <param name="Warning">Sub-operations with warnings.</param>
/// <param name="Remaining">Remaining sub-operations (non-zero only when cancelled).</param>
/// <param name="ReceivedFiles">Files received (C-GET).</param>
public sealed record DicomRetrieveResult(DicomStatus Status, int Completed, int Failed, int Warning, int Remaining, IReadOnlyList<string> ReceivedFiles);

/// <summary>Query/Retrieve SCU: C-FIND, C-MOVE and C-GET (PS3.4 annex C).</summary>
/// <param name="options">Peer and timers.</param>
public sealed class DicomQueryRetrieveScu(DicomClientOptions options)
{
    /// <summary>Builds an identifier: QueryRetrieveLevel plus keys (empty value = return key, else matching key).</summary>
    /// <param name="level">PATIENT, STUDY, SERIES or IMAGE.</param>
    /// <param name="keys">Keys and values.</param>
    public static DicomDataset CreateIdentifier(string level, params (DicomTag Tag, string Value)[] keys)
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTag.QueryRetrieveLevel, level);
        foreach (var (tag, value) in keys)
        {
            if (value.Length == 0) ds.AddOrUpdate(tag, Array.Empty<string>());
            else ds.AddOrUpdate(tag, value);
        }
        return ds;
    }

    /// <summary>Runs a C-FIND and yields each matching identifier as it arrives. Breaking out of the loop or cancelling sends C-CANCEL-RQ.</summary>
    /// <param name="model">Information model.</param>
    /// <param name="identifier">The query identifier (with QueryRetrieveLevel).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="DicomServiceException">The final status is a failure.</exception>
    /// <exception cref="DicomNetworkException">Connection, negotiation, timeout or abort.</exception>
    public async IAsyncEnumerable<DicomDataset> FindAsync(QueryRetrieveModel model, DicomDataset identifier, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string cls = QueryRetrieveSopClasses.Find(model);
        await using var a = await DicomClient.ConnectAsync(options, [new PresentationContext(1, cls, DicomStorageOperations.UncompressedTransferSyntaxes)], null, cancellationToken).ConfigureAwait(false);
        var rq = DimseMessage.CreateRequest(DimseCommandField.CFindRequest, a.NextMessageId(), cls, null, identifier);
        DicomStatus final = DicomStatus.Success;
        string? comment = null;
        await foreach (var rsp in a.SendRequestAsync(rq, null, cancellationToken).ConfigureAwait(false))
        {
            if (rsp.Status.IsPending)
            {
                if (rsp.Dataset != null) yield return rsp.Dataset;
            }
            else
            {
                final = rsp.Status;
                comment = rsp.ErrorComment;
            }
        }
        await a.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        if (final.Category == DicomStatusCategory.Failure) throw new DicomServiceException(final, $"C-FIND failed{(comment != null ? ": " + comment : "")}");
    }

    /// <summary>Runs a C-MOVE to <paramref name="destinationAE"/> and waits for the final response.</summary>
    /// <param name="model">Information model.</param>
    /// <param name="identifier">The identifier (with QueryRetrieveLevel and unique keys).</param>
    /// <param name="destinationAE">Move destination AE title (must be known to the SCP).</param>
    /// <param name="progress">Pending responses (counts).</param>
    /// <param name="cancellationToken">Cancellation (sends C-CANCEL-RQ).</param>
    public async Task<DicomRetrieveResult> MoveAsync(QueryRetrieveModel model, DicomDataset identifier, string destinationAE,
        IProgress<DicomRetrieveResult>? progress = null, CancellationToken cancellationToken = default)
    {
        string cls = QueryRetrieveSopClasses.Move(model);
        await using var a = await DicomClient.ConnectAsync(options, [new PresentationContext(1, cls, DicomStorageOperations.UncompressedTransferSyntaxes)], null, cancellationToken).ConfigureAwait(false);
        var rq = DimseMessage.CreateRequest(DimseCommandField.CMoveRequest, a.NextMessageId(), cls, null, identifier);
        rq.MoveDestination = destinationAE;
        var result = await CollectAsync(a, rq, progress, [], cancellationToken).ConfigureAwait(false);
        await a.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    /// <summary>Runs a C-GET: the SCP sends the instances back as C-STORE sub-operations on the same association; they are
    /// streamed to <paramref name="outputDirectory"/> (temporary file + rename, named by SOP instance UID).</summary>
    /// <param name="model">Information model.</param>
    /// <param name="identifier">The identifier.</param>
    /// <param name="outputDirectory">Where received files go.</param>
    /// <param name="storageSopClasses">Storage SOP classes to accept (default <see cref="DicomStorageOperations.CommonStorageSopClasses"/>).</param>
    /// <param name="progress">Pending responses.</param>
    /// <param name="cancellationToken">Cancellation (sends C-CANCEL-RQ).</param>
    public async Task<DicomRetrieveResult> GetAsync(QueryRetrieveModel model, DicomDataset identifier, string outputDirectory,
        IEnumerable<string>? storageSopClasses = null, IProgress<DicomRetrieveResult>? progress = null, CancellationToken cancellationToken = default)
    {
        string cls = QueryRetrieveSopClasses.Get(model);
        var classes = (storageSopClasses ?? DicomStorageOperations.CommonStorageSopClasses).Distinct().Take(126).ToList();
        var contexts = new List<PresentationContext> { new(1, cls, DicomStorageOperations.UncompressedTransferSyntaxes) };
        byte id = 3;
        foreach (var c in classes)
        {
            contexts.Add(new PresentationContext(id, c, DicomStorageOperations.UncompressedTransferSyntaxes));
            id += 2;
        }
        var roles = classes.Select(c => new RoleSelection(c, false, true)).ToList();
        await using var a = await DicomClient.ConnectAsync(options, contexts, roles, cancellationToken).ConfigureAwait(false);
        var received = new List<string>();
        var store = new DicomStorageReceiver(outputDirectory);
        a.DatasetSinkFactory = store.CreateSink;
        a.RequestHandler = async (assoc, req, ct) =>
        {
            if (req.CommandField != DimseCommandField.CStoreRequest)
            {
                await assoc.SendResponseAsync(DimseMessage.CreateResponse(req, DicomStatus.UnrecognizedOperation), ct).ConfigureAwait(false);
                return;
            }
            var (status, path) = store.Commit(req);
            if (path != null) lock (received) received.Add(path);
            await assoc.SendResponseAsync(DimseMessage.CreateResponse(req, status), ct).ConfigureAwait(false);
        };
        var rq = DimseMessage.CreateRequest(DimseCommandField.CGetRequest, a.NextMessageId(), cls, null, identifier);
        var result = await CollectAsync(a, rq, progress, received, cancellationToken).ConfigureAwait(false);
        await a.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    private static async Task<DicomRetrieveResult> CollectAsync(DicomAssociation a, DimseMessage rq, IProgress<DicomRetrieveResult>? progress,
        List<string> received, CancellationToken ct)
    {
        DicomRetrieveResult? last = null;
        await foreach (var rsp in a.SendRequestAsync(rq, null, ct).ConfigureAwait(false))
        {
            List<string> files;
            lock (received) files = [.. received];
            last = new DicomRetrieveResult(rsp.Status, rsp.CompletedSuboperations ?? 0, rsp.FailedSuboperations ?? 0, rsp.WarningSuboperations ?? 0,
                rsp.RemainingSuboperations ?? 0, files);
            if (rsp.Status.IsPending) progress?.Report(last);
        }
        return last ?? throw new DicomNetworkException(DicomNetworkErrorReason.DimseProtocolError, "no final response");
    }
}

/// <summary>Receives C-STORE data sets into a folder as they arrive (used by the C-GET SCU and the file store).</summary>
/// <param name="directory">Target folder; temporary files go to its ".incoming" subfolder.</param>
public sealed class DicomStorageReceiver(string directory)
{
    /// <summary>The target folder.</summary>
    public string Directory { get; } = directory;

    /// <summary>Flush every committed instance and its folder to disk before <see cref="Commit"/> returns (default false: the
    /// operating system writes it back later, faster, but a power cut can lose instances already acknowledged).</summary>
    public bool FlushToDisk { get; set; }

    /// <summary>A <see cref="DicomAssociation.DatasetSinkFactory"/>: a <see cref="DicomStorageSink"/> for C-STORE-RQ, null (memory) otherwise.</summary>
    /// <param name="command">The command just received.</param>
    public ValueTask<Stream?> CreateSink(DimseMessage command)
    {
        if (command.CommandField != DimseCommandField.CStoreRequest || command.AffectedSopClassUid == null || command.AffectedSopInstanceUid == null)
            return ValueTask.FromResult<Stream?>(null);
        return ValueTask.FromResult<Stream?>(new DicomStorageSink(System.IO.Path.Combine(Directory, ".incoming"), command.AffectedSopClassUid,
            command.AffectedSopInstanceUid, command.TransferSyntax ?? DicomTransferSyntax.ImplicitVRLittleEndian));
    }

    /// <summary>The file name used for a SOP instance (UID characters only).</summary>
    /// <param name="sopInstanceUid">SOP instance UID.</param>
    public string PathFor(string sopInstanceUid)
    {
        var safe = new string(sopInstanceUid.Where(c => char.IsAsciiDigit(c) || c == '.').ToArray());
        if (safe.Length == 0) safe = Guid.NewGuid().ToString("N");
        return System.IO.Path.Combine(Directory, safe + ".dcm");
    }

    /// <summary>Commits a completely received instance: renames its temporary file into place. Without a sink (data set
    /// in memory), the data set is saved instead. Returns the status to answer and the final path.</summary>
    /// <param name="request">The C-STORE-RQ with its data set.</param>
    public (DicomStatus Status, string? Path) Commit(DimseMessage request)
    {
        string inst = request.AffectedSopInstanceUid ?? "";
        string path = PathFor(inst);
        try
        {
            if (request.DatasetStream is DicomStorageSink sink)
            {
                sink.Commit(path, FlushToDisk);
                return (DicomStatus.Success, path);
            }
            if (request.Dataset != null)
            {
                new DicomFile(request.Dataset, request.TransferSyntax).Save(path);
                if (FlushToDisk)
                {
                    using (var f = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read)) f.Flush(flushToDisk: true);
                    DurableFile.FlushDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
                }
                return (DicomStatus.Success, path);
            }
            return (DicomStatus.CannotUnderstand, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (DicomStatus.OutOfResources, null);
        }
    }
}

/// <summary>A DIMSE service returned (or a handler wants to return) a non-success status.</summary>
public sealed class DicomServiceException : DicomException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="status">The status.</param>
    /// <param name="message">Description (sent as Error Comment by the SCP, truncated to 64 characters).</param>
    public DicomServiceException(DicomStatus status, string message) : base(message) => Status = status;

    /// <summary>The status.</summary>
    public DicomStatus Status { get; }
}
