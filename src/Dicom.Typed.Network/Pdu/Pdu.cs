namespace Dicom.Typed.Network;

/// <summary>PDU types (PS3.8 section 9.3).</summary>
public enum PduType : byte
{
    /// <summary>A-ASSOCIATE-RQ.</summary>
    AssociateRequest = 0x01,
    /// <summary>A-ASSOCIATE-AC.</summary>
    AssociateAccept = 0x02,
    /// <summary>A-ASSOCIATE-RJ.</summary>
    AssociateReject = 0x03,
    /// <summary>P-DATA-TF.</summary>
    DataTransfer = 0x04,
    /// <summary>A-RELEASE-RQ.</summary>
    ReleaseRequest = 0x05,
    /// <summary>A-RELEASE-RP.</summary>
    ReleaseResponse = 0x06,
    /// <summary>A-ABORT.</summary>
    Abort = 0x07,
}

/// <summary>Result of a presentation context negotiation (PS3.8 table 9-18).</summary>
public enum PresentationContextResult : byte
{
    /// <summary>Accepted.</summary>
    Acceptance = 0,
    /// <summary>Rejected by the user.</summary>
    UserRejection = 1,
    /// <summary>Rejected by the provider, no reason.</summary>
    NoReason = 2,
    /// <summary>Abstract syntax not supported.</summary>
    AbstractSyntaxNotSupported = 3,
    /// <summary>None of the proposed transfer syntaxes is supported.</summary>
    TransferSyntaxesNotSupported = 4,
    /// <summary>Not negotiated yet (local value, never sent).</summary>
    Proposed = 0xFF,
}

/// <summary>A presentation context: proposed (abstract syntax + transfer syntaxes) and, after negotiation, its result.</summary>
public sealed class PresentationContext
{
    /// <summary>Creates a presentation context.</summary>
    /// <param name="id">Odd identifier 1..255.</param>
    /// <param name="abstractSyntax">The SOP class UID.</param>
    /// <param name="transferSyntaxes">Proposed transfer syntax UIDs, in order of preference.</param>
    public PresentationContext(byte id, string abstractSyntax, params IEnumerable<string> transferSyntaxes)
    {
        Id = id;
        AbstractSyntax = abstractSyntax;
        TransferSyntaxes = [.. transferSyntaxes];
    }

    /// <summary>Presentation context ID (odd, 1..255).</summary>
    public byte Id { get; }

    /// <summary>Abstract syntax (SOP class UID). Empty in an A-ASSOCIATE-AC item until matched with the request.</summary>
    public string AbstractSyntax { get; internal set; }

    /// <summary>Proposed transfer syntaxes (the accepted one only, in an A-ASSOCIATE-AC).</summary>
    public List<string> TransferSyntaxes { get; }

    /// <summary>Negotiation result.</summary>
    public PresentationContextResult Result { get; set; } = PresentationContextResult.Proposed;

    /// <summary>The accepted transfer syntax UID, when accepted.</summary>
    public string? AcceptedTransferSyntax { get; set; }

    /// <summary>True when accepted.</summary>
    public bool IsAccepted => Result == PresentationContextResult.Acceptance && AcceptedTransferSyntax != null;

    /// <summary>The accepted transfer syntax as a <see cref="DicomTransferSyntax"/>.</summary>
    public DicomTransferSyntax TransferSyntax => DicomTransferSyntax.Parse(AcceptedTransferSyntax ?? throw new InvalidOperationException($"Presentation context {Id} not accepted"));

    /// <inheritdoc />
    public override string ToString() => $"[{Id}] {AbstractSyntax} {Result} {AcceptedTransferSyntax ?? string.Join(",", TransferSyntaxes)}";
}

/// <summary>SCP/SCU role selection sub-item (PS3.7 D.3.3.4).</summary>
/// <param name="SopClassUid">The SOP class.</param>
/// <param name="ScuRole">Requestor (in an RQ) may act as SCU / acceptor agrees (in an AC).</param>
/// <param name="ScpRole">Requestor may act as SCP / acceptor agrees.</param>
public sealed record RoleSelection(string SopClassUid, bool ScuRole, bool ScpRole);

/// <summary>SOP class extended negotiation sub-item (PS3.7 D.3.3.5).</summary>
/// <param name="SopClassUid">The SOP class.</param>
/// <param name="ServiceClassApplicationInformation">Service-specific bytes (e.g. relational queries for Q/R).</param>
public sealed record ExtendedNegotiation(string SopClassUid, byte[] ServiceClassApplicationInformation);

/// <summary>SOP class common extended negotiation sub-item (PS3.7 D.3.3.6).</summary>
/// <param name="SopClassUid">The SOP class.</param>
/// <param name="ServiceClassUid">The service class.</param>
/// <param name="RelatedGeneralSopClasses">Related general SOP class UIDs.</param>
public sealed record CommonExtendedNegotiation(string SopClassUid, string ServiceClassUid, IReadOnlyList<string> RelatedGeneralSopClasses);

/// <summary>User identity types (PS3.7 D.3.3.7).</summary>
public enum UserIdentityType : byte
{
    /// <summary>Username.</summary>
    Username = 1,
    /// <summary>Username and passcode.</summary>
    UsernameAndPasscode = 2,
    /// <summary>Kerberos service ticket.</summary>
    Kerberos = 3,
    /// <summary>SAML assertion.</summary>
    Saml = 4,
    /// <summary>JSON web token.</summary>
    Jwt = 5,
}

/// <summary>User identity negotiation request (PS3.7 D.3.3.7.1).</summary>
/// <param name="Type">Identity type.</param>
/// <param name="PositiveResponseRequested">Ask the acceptor to confirm.</param>
/// <param name="PrimaryField">Username, ticket, assertion or token.</param>
/// <param name="SecondaryField">Passcode (type 2 only).</param>
public sealed record UserIdentity(UserIdentityType Type, bool PositiveResponseRequested, byte[] PrimaryField, byte[] SecondaryField)
{
    /// <summary>A username/passcode identity.</summary>
    /// <param name="user">User name.</param>
    /// <param name="passcode">Passcode; null for a username only.</param>
    /// <param name="positiveResponseRequested">Ask the acceptor to confirm.</param>
    public static UserIdentity FromUsername(string user, string? passcode = null, bool positiveResponseRequested = false) =>
        new(passcode == null ? UserIdentityType.Username : UserIdentityType.UsernameAndPasscode, positiveResponseRequested,
            System.Text.Encoding.UTF8.GetBytes(user), passcode == null ? [] : System.Text.Encoding.UTF8.GetBytes(passcode));
}

/// <summary>The content of an A-ASSOCIATE-RQ or A-ASSOCIATE-AC (PS3.8 9.3.2/9.3.3 with the PS3.7 annex D user information).</summary>
public sealed class AssociationParameters
{
    /// <summary>The DICOM application context name.</summary>
    public const string DicomApplicationContext = "1.2.840.10008.3.1.1.1";

    /// <summary>Protocol version (1).</summary>
    public ushort ProtocolVersion { get; set; } = 1;

    /// <summary>Calling AE title (the requestor).</summary>
    public string CallingAE { get; set; } = "";

    /// <summary>Called AE title (the acceptor).</summary>
    public string CalledAE { get; set; } = "";

    /// <summary>Application context name.</summary>
    public string ApplicationContext { get; set; } = DicomApplicationContext;

    /// <summary>Presentation contexts (proposed in an RQ, results in an AC).</summary>
    public List<PresentationContext> PresentationContexts { get; } = [];

    /// <summary>Maximum length of a P-DATA-TF PDU the sender of this PDU can receive (0 = unlimited).</summary>
    public uint MaxPduLength { get; set; } = 16384;

    /// <summary>Implementation class UID of the sender.</summary>
    public string ImplementationClassUid { get; set; } = DicomFile.ImplementationClassUid;

    /// <summary>Implementation version name of the sender (optional).</summary>
    public string? ImplementationVersionName { get; set; } = DicomFile.ImplementationVersionName;

    /// <summary>Asynchronous operations window: maximum number of operations invoked (null = not negotiated).</summary>
    public ushort? MaxOperationsInvoked { get; set; }

    /// <summary>Asynchronous operations window: maximum number of operations performed.</summary>
    public ushort? MaxOperationsPerformed { get; set; }

    /// <summary>SCP/SCU role selection items.</summary>
    public List<RoleSelection> RoleSelections { get; } = [];

    /// <summary>SOP class extended negotiation items.</summary>
    public List<ExtendedNegotiation> ExtendedNegotiations { get; } = [];

    /// <summary>SOP class common extended negotiation items (RQ only).</summary>
    public List<CommonExtendedNegotiation> CommonExtendedNegotiations { get; } = [];

    /// <summary>User identity (RQ only).</summary>
    public UserIdentity? UserIdentity { get; set; }

    /// <summary>User identity server response (AC only; empty when positive response without content).</summary>
    public byte[]? UserIdentityServerResponse { get; set; }

    /// <summary>Finds a presentation context by ID.</summary>
    /// <param name="id">The ID.</param>
    public PresentationContext? FindContext(byte id)
    {
        // Called for every received PDV: a loop, no delegate or closure per call.
        foreach (var c in PresentationContexts)
            if (c.Id == id) return c;
        return null;
    }
}

/// <summary>A protocol data unit (PS3.8 section 9.3).</summary>
public abstract record Pdu
{
    /// <summary>The PDU type.</summary>
    public abstract PduType Type { get; }
}

/// <summary>A-ASSOCIATE-RQ.</summary>
/// <param name="Parameters">The request.</param>
public sealed record AssociateRequestPdu(AssociationParameters Parameters) : Pdu
{
    /// <inheritdoc />
    public override PduType Type => PduType.AssociateRequest;
}

/// <summary>A-ASSOCIATE-AC.</summary>
/// <param name="Parameters">The accepted parameters.</param>
public sealed record AssociateAcceptPdu(AssociationParameters Parameters) : Pdu
{
    /// <inheritdoc />
    public override PduType Type => PduType.AssociateAccept;
}

/// <summary>A-ASSOCIATE-RJ result.</summary>
public enum RejectResult : byte
{
    /// <summary>Permanent.</summary>
    Permanent = 1,
    /// <summary>Transient.</summary>
    Transient = 2,
}

/// <summary>A-ASSOCIATE-RJ source.</summary>
public enum RejectSource : byte
{
    /// <summary>DICOM UL service-user.</summary>
    ServiceUser = 1,
    /// <summary>DICOM UL service-provider (ACSE related).</summary>
    ServiceProviderAcse = 2,
    /// <summary>DICOM UL service-provider (presentation related).</summary>
    ServiceProviderPresentation = 3,
}

/// <summary>A-ASSOCIATE-RJ (PS3.8 9.3.4).</summary>
/// <param name="Result">Permanent or transient.</param>
/// <param name="Source">Who rejected.</param>
/// <param name="Reason">Reason code; its meaning depends on <paramref name="Source"/>.</param>
public sealed record AssociateRejectPdu(RejectResult Result, RejectSource Source, byte Reason) : Pdu
{
    /// <summary>Service-user reason: no reason given.</summary>
    public const byte ReasonNoReasonGiven = 1;
    /// <summary>Service-user reason: application context name not supported.</summary>
    public const byte ReasonApplicationContextNotSupported = 2;
    /// <summary>Service-user reason: calling AE title not recognized.</summary>
    public const byte ReasonCallingAENotRecognized = 3;
    /// <summary>Service-user reason: called AE title not recognized.</summary>
    public const byte ReasonCalledAENotRecognized = 7;
    /// <summary>ACSE provider reason: protocol version not supported.</summary>
    public const byte ReasonProtocolVersionNotSupported = 2;
    /// <summary>Presentation provider reason: temporary congestion.</summary>
    public const byte ReasonTemporaryCongestion = 1;
    /// <summary>Presentation provider reason: local limit exceeded.</summary>
    public const byte ReasonLocalLimitExceeded = 2;

    /// <inheritdoc />
    public override PduType Type => PduType.AssociateReject;

    /// <summary>Describes the reason in words.</summary>
    public string DescribeReason() => (Source, Reason) switch
    {
        (RejectSource.ServiceUser, 1) => "no reason given",
        (RejectSource.ServiceUser, 2) => "application context name not supported",
        (RejectSource.ServiceUser, 3) => "calling AE title not recognized",
        (RejectSource.ServiceUser, 7) => "called AE title not recognized",
        (RejectSource.ServiceProviderAcse, 1) => "no reason given",
        (RejectSource.ServiceProviderAcse, 2) => "protocol version not supported",
        (RejectSource.ServiceProviderPresentation, 1) => "temporary congestion",
        (RejectSource.ServiceProviderPresentation, 2) => "local limit exceeded",
        _ => $"reason {Reason}",
    };
}

/// <summary>One presentation data value: a fragment of a command or data set (PS3.8 9.3.5.1, annex E).</summary>
/// <param name="PresentationContextId">Presentation context.</param>
/// <param name="IsCommand">Command (true) or data set (false) fragment.</param>
/// <param name="IsLast">Last fragment of the command or data set.</param>
/// <param name="Data">The fragment.</param>
public readonly record struct PresentationDataValue(byte PresentationContextId, bool IsCommand, bool IsLast, ReadOnlyMemory<byte> Data);

/// <summary>P-DATA-TF (PS3.8 9.3.5).</summary>
/// <param name="Values">The presentation data values.</param>
public sealed record DataTransferPdu(IReadOnlyList<PresentationDataValue> Values) : Pdu
{
    /// <inheritdoc />
    public override PduType Type => PduType.DataTransfer;
}

/// <summary>A-RELEASE-RQ.</summary>
public sealed record ReleaseRequestPdu : Pdu
{
    /// <inheritdoc />
    public override PduType Type => PduType.ReleaseRequest;
}

/// <summary>A-RELEASE-RP.</summary>
public sealed record ReleaseResponsePdu : Pdu
{
    /// <inheritdoc />
    public override PduType Type => PduType.ReleaseResponse;
}

/// <summary>A-ABORT source.</summary>
public enum AbortSource : byte
{
    /// <summary>Service-user initiated abort.</summary>
    ServiceUser = 0,
    /// <summary>Reserved.</summary>
    Reserved = 1,
    /// <summary>Service-provider initiated abort (A-P-ABORT).</summary>
    ServiceProvider = 2,
}

/// <summary>A-ABORT reason (meaningful when the source is the service provider).</summary>
public enum AbortReason : byte
{
    /// <summary>Not specified.</summary>
    NotSpecified = 0,
    /// <summary>Unrecognized PDU.</summary>
    UnrecognizedPdu = 1,
    /// <summary>Unexpected PDU.</summary>
    UnexpectedPdu = 2,
    /// <summary>Reserved.</summary>
    Reserved = 3,
    /// <summary>Unrecognized PDU parameter.</summary>
    UnrecognizedPduParameter = 4,
    /// <summary>Unexpected PDU parameter.</summary>
    UnexpectedPduParameter = 5,
    /// <summary>Invalid PDU parameter value.</summary>
    InvalidPduParameterValue = 6,
}

/// <summary>A-ABORT (PS3.8 9.3.8).</summary>
/// <param name="Source">Who aborted.</param>
/// <param name="Reason">Why.</param>
public sealed record AbortPdu(AbortSource Source, AbortReason Reason) : Pdu
{
    /// <inheritdoc />
    public override PduType Type => PduType.Abort;
}
