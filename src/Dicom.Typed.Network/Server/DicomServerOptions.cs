using Microsoft.Extensions.Logging;

namespace Dicom.Typed.Network;

/// <summary>Roles of a transfer capability (PS3.15 H.4.3: SCU or SCP).</summary>
[Flags]
public enum DicomTransferRole
{
    /// <summary>This AE acts as SCU of the SOP class (e.g. storage during C-GET).</summary>
    Scu = 1,
    /// <summary>This AE acts as SCP of the SOP class.</summary>
    Scp = 2,
}

/// <summary>A transfer capability (PS3.15 H.4.3): SOP class, role and accepted transfer syntaxes (in order of preference).</summary>
/// <param name="SopClassUid">SOP class UID.</param>
/// <param name="Role">Role(s).</param>
/// <param name="TransferSyntaxes">Transfer syntax UIDs.</param>
public sealed record DicomTransferCapability(string SopClassUid, DicomTransferRole Role, IReadOnlyList<string> TransferSyntaxes)
{
    /// <summary>Verification SCP, uncompressed syntaxes.</summary>
    public static IEnumerable<DicomTransferCapability> Verification() =>
        [new(DicomUid.Verification.Value, DicomTransferRole.Scp, DicomStorageOperations.UncompressedTransferSyntaxes)];

    /// <summary>Storage SCP (and SCU, for C-GET) for every registered storage SOP class with the given syntaxes
    /// (default: the uncompressed ones, then every encapsulated syntax, so files are stored as sent).</summary>
    /// <param name="transferSyntaxes">Transfer syntaxes, or null for the default.</param>
    public static IEnumerable<DicomTransferCapability> Storage(IReadOnlyList<string>? transferSyntaxes = null)
    {
        transferSyntaxes ??= [.. DicomStorageOperations.UncompressedTransferSyntaxes, DicomTransferSyntax.ExplicitVRBigEndian.Uid.Value,
            DicomTransferSyntax.DeflatedExplicitVRLittleEndian.Uid.Value,
            .. DicomTransferSyntax.KnownTransferSyntaxes.Where(t => t.IsEncapsulated).Select(t => t.Uid.Value)];
        return DicomStorageOperations.AllStorageSopClasses.Select(c => new DicomTransferCapability(c, DicomTransferRole.Scp | DicomTransferRole.Scu, transferSyntaxes));
    }

    /// <summary>Q/R SCP for Patient Root and Study Root FIND, MOVE and GET.</summary>
    public static IEnumerable<DicomTransferCapability> QueryRetrieve() =>
        new[] { QueryRetrieveModel.PatientRoot, QueryRetrieveModel.StudyRoot }
            .SelectMany(m => new[] { QueryRetrieveSopClasses.Find(m), QueryRetrieveSopClasses.Move(m), QueryRetrieveSopClasses.Get(m) })
            .Select(c => new DicomTransferCapability(c, DicomTransferRole.Scp, DicomStorageOperations.UncompressedTransferSyntaxes));
}

/// <summary>A network AE of the device (PS3.15 H.4.2).</summary>
public sealed class DicomApplicationEntity
{
    /// <summary>Creates the AE.</summary>
    /// <param name="aeTitle">AE title.</param>
    /// <param name="capabilities">Transfer capabilities.</param>
    public DicomApplicationEntity(string aeTitle, IEnumerable<DicomTransferCapability> capabilities)
    {
        AETitle = aeTitle;
        TransferCapabilities = [.. capabilities];
    }

    /// <summary>AE title.</summary>
    public string AETitle { get; }

    /// <summary>Transfer capabilities.</summary>
    public List<DicomTransferCapability> TransferCapabilities { get; }

    /// <summary>Calling AE titles allowed to associate (empty = any).</summary>
    public HashSet<string> AllowedCallingAEs { get; } = [];
}

/// <summary>A remote AE this device can connect to (C-MOVE destinations).</summary>
/// <param name="AETitle">AE title.</param>
/// <param name="Host">Host.</param>
/// <param name="Port">Port.</param>
/// <param name="Tls">TLS settings, or null.</param>
public sealed record DicomRemoteApplicationEntity(string AETitle, string Host, int Port, DicomTlsClientOptions? Tls = null);

/// <summary>The network connection of the device (PS3.15 H.4.4).</summary>
public sealed class DicomNetworkConnection
{
    /// <summary>Address to listen on (default 127.0.0.1).</summary>
    public string Hostname { get; set; } = "127.0.0.1";

    /// <summary>Port (0 = any free port; see <see cref="DicomServer.Port"/>).</summary>
    public int Port { get; set; }

    /// <summary>TLS, or null for plain TCP.</summary>
    public DicomTlsServerOptions? Tls { get; set; }
}

/// <summary>SCP host configuration, shaped like PS3.15 annex H: device → network AEs → connection → transfer capabilities.</summary>
public sealed class DicomServerOptions
{
    /// <summary>Device name.</summary>
    public string DeviceName { get; set; } = "DICOMTYPED";

    /// <summary>The connection.</summary>
    public DicomNetworkConnection Connection { get; set; } = new();

    /// <summary>Network AEs served on the connection.</summary>
    public List<DicomApplicationEntity> ApplicationEntities { get; } = [];

    /// <summary>Accept any called AE title (served by the first AE) instead of rejecting unknown ones.</summary>
    public bool AcceptAnyCalledAE { get; set; }

    /// <summary>Remote AEs known for C-MOVE destinations.</summary>
    public List<DicomRemoteApplicationEntity> RemoteApplicationEntities { get; } = [];

    /// <summary>Maximum concurrent associations (further ones are rejected, transient, local limit exceeded).</summary>
    public int MaxAssociations { get; set; } = 64;

    /// <summary>Timers and limits for accepted associations.</summary>
    public DicomAssociationOptions Association { get; set; } = new();

    /// <summary>Options for the associations this host opens (C-MOVE sub-operations).</summary>
    public DicomAssociationOptions OutgoingAssociation { get; set; } = new();

    /// <summary>Validates user identity negotiation; null accepts everyone. Return false to reject the association.</summary>
    public Func<UserIdentity, bool>? UserIdentityValidator { get; set; }

    /// <summary>The Server Response of the positive answer to a user identity that asked for one (PS3.7 D.3.3.7.2) and that
    /// <see cref="UserIdentityValidator"/> accepted: the Kerberos server ticket, the SAML response or the JWT. Null, or a null
    /// result, sends an empty response (what username and username/passcode identities get).</summary>
    public Func<UserIdentity, byte[]?>? UserIdentityServerResponse { get; set; }

    /// <summary>Answers a SOP Class Extended Negotiation sub-item of the request (PS3.7 D.3.3.5) for an accepted SOP class:
    /// return the Service-Class-Application-Information to send back (Storage: <see cref="DicomStorageApplicationInformation"/>,
    /// PS3.4 B.3.1; Query/Retrieve: <see cref="DicomQueryRetrieveApplicationInformation"/>, PS3.4 C.5), or null to send no
    /// answer, which tells the requestor that no extended feature is supported. Items for SOP classes without an accepted
    /// presentation context are not answered. Null (default): no answers.</summary>
    public Func<ExtendedNegotiation, byte[]?>? SopClassExtendedNegotiation { get; set; }

    /// <summary>Logging.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}

/// <summary>Handles C-ECHO.</summary>
public interface IDicomVerificationHandler
{
    /// <summary>Answers a C-ECHO-RQ.</summary>
    /// <param name="association">The association.</param>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    Task<DicomStatus> OnEchoAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken);
}

/// <summary>Handles C-STORE: the data set is streamed into the stream returned by <see cref="OpenDatasetStreamAsync"/> while it arrives.</summary>
public interface IDicomStorageHandler
{
    /// <summary>Called when a C-STORE-RQ command has arrived, before its data set: returns where the data set bytes go.
    /// The association disposes the stream if the transfer does not complete.</summary>
    /// <param name="association">The association.</param>
    /// <param name="request">The command (TransferSyntax set).</param>
    ValueTask<Stream> OpenDatasetStreamAsync(DicomAssociation association, DimseMessage request);

    /// <summary>Called when the data set is complete (<see cref="DimseMessage.DatasetStream"/> is the stream from <see cref="OpenDatasetStreamAsync"/>).</summary>
    /// <param name="association">The association.</param>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    Task<DicomStatus> OnStoreAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken);
}

/// <summary>Handles C-FIND.</summary>
public interface IDicomQueryHandler
{
    /// <summary>Yields the matches of a query (each becomes a pending C-FIND-RSP). Throw <see cref="DicomServiceException"/> for a failure status.</summary>
    /// <param name="association">The association.</param>
    /// <param name="request">The request (SOP class tells the model).</param>
    /// <param name="identifier">The query identifier.</param>
    /// <param name="cancellationToken">Cancelled by C-CANCEL-RQ or when the association ends.</param>
    IAsyncEnumerable<DicomDataset> OnFindAsync(DicomAssociation association, DimseMessage request, DicomDataset identifier, CancellationToken cancellationToken);
}

/// <summary>Handles C-MOVE and C-GET by naming the instances to send; the host runs the C-STORE sub-operations.</summary>
public interface IDicomRetrieveHandler
{
    /// <summary>Returns the Part 10 files matching a retrieve identifier.</summary>
    /// <param name="association">The association.</param>
    /// <param name="request">The C-MOVE-RQ or C-GET-RQ.</param>
    /// <param name="identifier">The identifier.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    Task<IReadOnlyList<string>> OnRetrieveAsync(DicomAssociation association, DimseMessage request, DicomDataset identifier, CancellationToken cancellationToken);
}

/// <summary>Handles DIMSE-N requests (N-EVENT-REPORT, N-GET, N-SET, N-ACTION, N-CREATE, N-DELETE) for some SOP classes.</summary>
public interface IDicomNormalServiceHandler
{
    /// <summary>SOP classes handled (also accepted in negotiation when listed as transfer capabilities).</summary>
    IEnumerable<string> SopClasses { get; }

    /// <summary>Answers one request with one response (use <see cref="DimseMessage.CreateResponse"/>).</summary>
    /// <param name="association">The association.</param>
    /// <param name="request">The request; its data set (if any) is in <see cref="DimseMessage.Dataset"/>.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    Task<DimseMessage> OnRequestAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken);
}
