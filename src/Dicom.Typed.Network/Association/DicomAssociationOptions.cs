using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Dicom.Typed.Network;

/// <summary>States of the DICOM upper layer state machine (PS3.8 section 9.2, Sta1..Sta13).</summary>
public enum AssociationState
{
    /// <summary>Sta1: idle (no association, no transport).</summary>
    Idle = 1,
    /// <summary>Sta2: transport open, awaiting A-ASSOCIATE-RQ (acceptor; ARTIM running).</summary>
    AwaitingAssociateRequest = 2,
    /// <summary>Sta3: awaiting the local A-ASSOCIATE response primitive (acceptor negotiating).</summary>
    AwaitingLocalAssociateResponse = 3,
    /// <summary>Sta4: awaiting transport connection opening (requestor).</summary>
    AwaitingTransportOpen = 4,
    /// <summary>Sta5: awaiting A-ASSOCIATE-AC or -RJ (requestor; ARTIM running).</summary>
    AwaitingAssociateResponse = 5,
    /// <summary>Sta6: association established, ready for data transfer.</summary>
    Established = 6,
    /// <summary>Sta7: awaiting A-RELEASE-RP.</summary>
    AwaitingReleaseResponse = 7,
    /// <summary>Sta8: awaiting the local A-RELEASE response primitive.</summary>
    AwaitingLocalReleaseResponse = 8,
    /// <summary>Sta9: release collision, requestor side: awaiting the local release response.</summary>
    ReleaseCollisionRequestor = 9,
    /// <summary>Sta10: release collision, acceptor side: awaiting A-RELEASE-RP.</summary>
    ReleaseCollisionAcceptor = 10,
    /// <summary>Sta11: release collision, requestor side: awaiting A-RELEASE-RP.</summary>
    ReleaseCollisionRequestorAwaitingResponse = 11,
    /// <summary>Sta12: release collision, acceptor side: awaiting the local release response.</summary>
    ReleaseCollisionAcceptorAwaitingLocalResponse = 12,
    /// <summary>Sta13: awaiting transport close (ARTIM running).</summary>
    AwaitingTransportClose = 13,
}

/// <summary>Timers and limits of one association (both roles).</summary>
public sealed class DicomAssociationOptions
{
    /// <summary>ARTIM timer (PS3.8 9.1.5): waiting for A-ASSOCIATE-RQ/AC/RJ, A-RELEASE-RP and for the transport to close. Default 10 s.</summary>
    public TimeSpan ArtimTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Maximum wait for each DIMSE response (each pending response restarts it). Default 30 s.</summary>
    public TimeSpan DimseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Maximum time without any PDU from the peer while established; the association is then aborted. Default 60 s.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Maximum time for writing one PDU to the transport. Default 30 s.</summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Maximum P-DATA-TF length we receive (sent to the peer as our Maximum Length). Default 64 KiB.</summary>
    public uint MaxPduLength { get; set; } = 65536;

    /// <summary>Upper bound on the P-DATA-TF length we send (the peer's maximum applies when smaller). Default 64 KiB.</summary>
    public uint MaxSendPduLength { get; set; } = 65536;

    /// <summary>Asynchronous operations window (PS3.7 D.3.3.3): how many requests this side may have outstanding at once.
    /// As requestor it is proposed as Maximum Number Operations Invoked; as acceptor it bounds what we grant as Maximum Number
    /// Operations Performed. 1 (default) means synchronous and is not negotiated; 0 means unlimited.</summary>
    public int MaxOperationsInvoked { get; set; } = 1;

    /// <summary>Asynchronous operations window: how many requests from the peer this side processes concurrently. As acceptor it
    /// bounds what we grant as Maximum Number Operations Invoked (the requestor's window); as requestor it is proposed as Maximum
    /// Number Operations Performed. 1 (default) means one at a time; 0 means unlimited.</summary>
    public int MaxOperationsPerformed { get; set; } = 1;
}

/// <summary>TLS settings for an SCU (PS3.15 annex B.1: TLS 1.2 or 1.3).</summary>
public sealed class DicomTlsClientOptions
{
    /// <summary>Server name to validate the certificate against (default: the host).</summary>
    public string? TargetHost { get; set; }

    /// <summary>Client certificates offered to the server.</summary>
    public X509CertificateCollection ClientCertificates { get; } = [];

    /// <summary>Protocols (default TLS 1.2 and 1.3).</summary>
    public SslProtocols EnabledProtocols { get; set; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>Custom server certificate validation (e.g. a private CA); null uses the system's.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }
}

/// <summary>TLS settings for an SCP.</summary>
public sealed class DicomTlsServerOptions
{
    /// <summary>Creates the options.</summary>
    /// <param name="serverCertificate">The server certificate with its private key.</param>
    public DicomTlsServerOptions(X509Certificate2 serverCertificate) => ServerCertificate = serverCertificate;

    /// <summary>The server certificate with its private key.</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>Require a client certificate.</summary>
    public bool RequireClientCertificate { get; set; }

    /// <summary>Protocols (default TLS 1.2 and 1.3).</summary>
    public SslProtocols EnabledProtocols { get; set; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>Custom client certificate validation; null uses the system's.</summary>
    public RemoteCertificateValidationCallback? ClientCertificateValidation { get; set; }
}
