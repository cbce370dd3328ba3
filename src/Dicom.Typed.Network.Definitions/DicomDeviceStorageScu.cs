using Dicom.Typed.Iod;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetContext = Dicom.Typed.Network.PresentationContext;

namespace Dicom.Typed.Network.Definitions;

/// <summary>The outcome of storing one typed instance.</summary>
/// <param name="SopClassUid">SOP Class UID of the instance.</param>
/// <param name="SopInstanceUid">SOP Instance UID of the instance.</param>
/// <param name="TransferSyntaxUid">The transfer syntax it was sent in (null when it was not sent).</param>
/// <param name="Status">The C-STORE-RSP status (or <see cref="DicomStatus.SopClassNotSupported"/> when the peer refused its context).</param>
/// <param name="Error">The error comment or the reason it was not sent.</param>
public sealed record DicomIodStoreResult(string SopClassUid, string SopInstanceUid, string? TransferSyntaxUid, DicomStatus Status, string? Error = null);

/// <summary>
/// Storage SCU (C-STORE) bound to a peer known from a device's network definitions, e.g.
/// <c>DicomDeviceStorageScu&lt;SyngoCtStorageScp&gt;</c>. It proposes only presentation contexts the peer accepts as SCP, and
/// refuses, before connecting, an instance whose SOP class (or a transfer syntax) the peer does not accept. Analyzer DT0007
/// reports the same at compile time for the type argument's <see cref="DicomAcceptedSopClassesAttribute"/> and
/// <see cref="DicomAcceptedTransferSyntaxesAttribute"/>.
/// </summary>
/// <typeparam name="TPeer">The generated peer description (one per device AE that accepts associations).</typeparam>
public sealed class DicomDeviceStorageScu<TPeer> where TPeer : IDicomPeerDefinition
{
    private readonly DicomClientOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the client.</summary>
    /// <param name="options">Address, AE titles and timers of the peer; <see cref="DicomClientOptions.LoggerFactory"/> is used for logging.</param>
    public DicomDeviceStorageScu(DicomClientOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = options.LoggerFactory?.CreateLogger("Dicom.Typed.Network.DeviceStorageScu") ?? NullLogger.Instance;
    }

    /// <summary>The transfer syntaxes this client can encode a data set in (uncompressed; typed IODs are built uncompressed).</summary>
    public static IReadOnlyList<string> EncodableTransferSyntaxes { get; } =
        [DicomTransferSyntax.ExplicitVRLittleEndian.Uid.Value, DicomTransferSyntax.ImplicitVRLittleEndian.Uid.Value, DicomTransferSyntax.ExplicitVRBigEndian.Uid.Value];

    /// <summary>Whether the peer accepts <paramref name="sopClassUid"/> (in <paramref name="transferSyntaxUid"/> if given), per its definitions.</summary>
    /// <param name="sopClassUid">SOP Class UID.</param>
    /// <param name="transferSyntaxUid">Transfer Syntax UID, or null for any.</param>
    public static DicomAcceptance Accepts(string sopClassUid, string? transferSyntaxUid = null)
    {
        var context = TPeer.AcceptedContexts.FirstOrDefault(c => c.SopClassUid == sopClassUid);
        string name = DicomUid.Lookup(sopClassUid)?.Name ?? sopClassUid;
        if (context == null)
            return new DicomAcceptance(false, $"{TPeer.ApplicationEntityName} of {TPeer.DeviceName} does not accept {name} ({sopClassUid}) as SCP; it accepts {TPeer.AcceptedContexts.Count} SOP classes ({typeof(TPeer).Name})");
        if (transferSyntaxUid != null && !context.TransferSyntaxes.Contains(transferSyntaxUid))
            return new DicomAcceptance(false, $"{TPeer.ApplicationEntityName} of {TPeer.DeviceName} accepts {name} only in {string.Join(", ", context.TransferSyntaxes)}, not {transferSyntaxUid} ({context.Provenance})");
        return new DicomAcceptance(true, $"{TPeer.ApplicationEntityName} of {TPeer.DeviceName} accepts {name} ({context.Provenance})");
    }

    /// <summary>Stores one typed instance: builds its data set with <see cref="IDicomIod.ToDataset"/> and sends it with C-STORE.</summary>
    /// <param name="iod">The typed instance.</param>
    /// <param name="transferSyntax">The transfer syntax to send it in (must be accepted by the peer for its SOP class and uncompressed), or null for the peer's preferred uncompressed syntax.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The outcome; a failure status from the peer is a result, not an exception.</returns>
    /// <exception cref="DicomDeviceConformanceException">The peer does not accept the SOP class or the transfer syntax (thrown before connecting).</exception>
    /// <exception cref="ArgumentException">The transfer syntax is compressed or unknown (this client sends uncompressed data sets only).</exception>
    /// <exception cref="DicomNetworkException">Connection, negotiation, timeout or abort.</exception>
    public async Task<DicomIodStoreResult> StoreAsync(IDicomIod iod, [DicomTransferSyntax] string? transferSyntax = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(iod);
        var results = await StoreAsync([iod], transferSyntax, null, cancellationToken).ConfigureAwait(false);
        return results[0];
    }

    /// <summary>Stores typed instances on one association (one presentation context per SOP class, only those the peer accepts).
    /// Every instance is checked against the peer before the association is opened; nothing is sent when one is not accepted.</summary>
    /// <param name="iods">The typed instances.</param>
    /// <param name="transferSyntax">The transfer syntax for all of them, or null for the peer's preferred uncompressed syntax per SOP class.</param>
    /// <param name="progress">Progress after each instance.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>One outcome per instance, in order.</returns>
    /// <exception cref="DicomDeviceConformanceException">The peer does not accept a SOP class or the transfer syntax (thrown before connecting).</exception>
    /// <exception cref="ArgumentException">The transfer syntax is compressed or unknown.</exception>
    /// <exception cref="DicomNetworkException">Connection, negotiation, timeout or abort.</exception>
    public async Task<IReadOnlyList<DicomIodStoreResult>> StoreAsync(IEnumerable<IDicomIod> iods, [DicomTransferSyntax] string? transferSyntax = null,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(iods);
        var list = iods.ToList();
        if (list.Count == 0) return [];
        if (transferSyntax != null && !EncodableTransferSyntaxes.Contains(transferSyntax))
            throw new ArgumentException($"transfer syntax {DicomTransferSyntax.Lookup(transferSyntax)?.Uid.Name ?? transferSyntax} cannot be produced from a typed IOD: "
                                        + $"this client sends uncompressed data sets ({string.Join(", ", EncodableTransferSyntaxes)})", nameof(transferSyntax));

        // Check everything against the peer's definitions before connecting.
        var contexts = new List<NetContext>();
        byte id = 1;
        foreach (var sop in list.Select(i => i.SopClassUid).Distinct())
        {
            var acceptance = Accepts(sop, transferSyntax);
            if (!acceptance.Accepted) throw new DicomDeviceConformanceException(acceptance.Reason);
            var accepted = TPeer.AcceptedContexts.First(c => c.SopClassUid == sop);
            var syntaxes = transferSyntax != null ? [transferSyntax] : accepted.TransferSyntaxes.Where(EncodableTransferSyntaxes.Contains).ToList();
            if (syntaxes.Count == 0)
                throw new DicomDeviceConformanceException($"{TPeer.ApplicationEntityName} of {TPeer.DeviceName} accepts {DicomUid.Lookup(sop)?.Name ?? sop} only in compressed transfer syntaxes "
                                                          + $"({string.Join(", ", accepted.TransferSyntaxes)}), which this client cannot produce");
            contexts.Add(new NetContext(id, sop, syntaxes));
            id += 2;
        }
        var datasets = list.Select(i => i.ToDataset()).ToList();

        _logger.LogDebug("storing {Count} typed instances to {Peer} ({Host}:{Port}, {CalledAE}) with {Contexts} presentation contexts",
            list.Count, typeof(TPeer).Name, _options.Host, _options.Port, _options.CalledAE, contexts.Count);
        var results = new List<DicomIodStoreResult>(list.Count);
        await using var association = await DicomClient.ConnectAsync(_options, contexts, null, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < list.Count; i++)
        {
            string sop = list[i].SopClassUid;
            string instance = datasets[i].GetStringOrDefault(DicomTag.SOPInstanceUID) ?? "";
            var pc = association.FindContext(sop);
            DicomIodStoreResult r;
            if (pc == null)
            {
                r = new DicomIodStoreResult(sop, instance, null, DicomStatus.SopClassNotSupported,
                    $"{_options.CalledAE} refused the presentation context for {DicomUid.Lookup(sop)?.Name ?? sop} although {typeof(TPeer).Name} lists it");
                _logger.LogWarning("{Reason}", r.Error);
            }
            else
            {
                var rq = DimseMessage.CreateRequest(DimseCommandField.CStoreRequest, association.NextMessageId(), sop, instance, datasets[i]);
                DimseMessage? last = null;
                await foreach (var rsp in association.SendRequestAsync(rq, pc, cancellationToken).ConfigureAwait(false)) last = rsp;
                if (last == null) throw new DicomNetworkException(DicomNetworkErrorReason.DimseProtocolError, "no C-STORE-RSP");
                r = new DicomIodStoreResult(sop, instance, pc.AcceptedTransferSyntax, last.Status, last.ErrorComment);
            }
            results.Add(r);
            progress?.Report(results.Count);
        }
        await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        return results;
    }
}
