namespace Dicom.Typed.Network;

/// <summary>Why a network operation failed.</summary>
public enum DicomNetworkErrorReason
{
    /// <summary>The TCP connection could not be opened.</summary>
    ConnectionFailed,
    /// <summary>The peer closed the connection unexpectedly.</summary>
    ConnectionClosed,
    /// <summary>A timer expired (ARTIM, DIMSE, read, write or release timeout).</summary>
    Timeout,
    /// <summary>A PDU was malformed (wrong lengths, truncated items, invalid values).</summary>
    MalformedPdu,
    /// <summary>A PDU of an unknown type was received.</summary>
    UnrecognizedPdu,
    /// <summary>A valid PDU arrived in a state where it is not allowed.</summary>
    UnexpectedPdu,
    /// <summary>A PDU was longer than the negotiated maximum.</summary>
    PduTooLarge,
    /// <summary>A DIMSE message violated PS3.7 (bad command set, unknown presentation context, ...).</summary>
    DimseProtocolError,
    /// <summary>The association was rejected by the peer.</summary>
    AssociationRejected,
    /// <summary>The association was aborted (by the peer or locally).</summary>
    Aborted,
    /// <summary>No presentation context was accepted for what was to be sent.</summary>
    NoPresentationContext,
    /// <summary>The TLS handshake failed.</summary>
    TlsFailed,
    /// <summary>The operation was cancelled.</summary>
    Cancelled,
}

/// <summary>A network-level failure; the association (if any) has ended.</summary>
public class DicomNetworkException : DicomException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">Why it failed.</param>
    /// <param name="message">Description.</param>
    /// <param name="inner">Underlying exception.</param>
    public DicomNetworkException(DicomNetworkErrorReason reason, string message, Exception? inner = null)
        : base($"{reason}: {message}", inner) => Reason = reason;

    /// <summary>Why it failed.</summary>
    public DicomNetworkErrorReason Reason { get; }
}

/// <summary>An association was rejected (A-ASSOCIATE-RJ) or aborted (A-ABORT / A-P-ABORT).</summary>
public sealed class DicomAssociationException : DicomNetworkException
{
    /// <summary>Creates the exception for a rejection.</summary>
    /// <param name="reject">The A-ASSOCIATE-RJ PDU.</param>
    public DicomAssociationException(AssociateRejectPdu reject)
        : base(DicomNetworkErrorReason.AssociationRejected, $"association rejected ({reject.Result}, {reject.Source}, {reject.DescribeReason()})") => Reject = reject;

    /// <summary>Creates the exception for an abort.</summary>
    /// <param name="abort">The A-ABORT PDU (received or sent).</param>
    /// <param name="received">True when the peer sent it.</param>
    public DicomAssociationException(AbortPdu abort, bool received)
        : base(DicomNetworkErrorReason.Aborted, $"association aborted {(received ? "by the peer" : "locally")} ({abort.Source}, {abort.Reason})") => Abort = abort;

    /// <summary>The rejection, when the association was rejected.</summary>
    public AssociateRejectPdu? Reject { get; }

    /// <summary>The abort, when the association was aborted.</summary>
    public AbortPdu? Abort { get; }
}
