using Dicom.Typed.IO;

namespace Dicom.Typed.Network;

/// <summary>What an SCU needs to know about a file before it proposes presentation contexts.</summary>
/// <param name="Path">The file.</param>
/// <param name="SopClassUid">SOP class UID.</param>
/// <param name="SopInstanceUid">SOP instance UID.</param>
/// <param name="TransferSyntax">The file's transfer syntax.</param>
public sealed record DicomInstanceHeader(string Path, string SopClassUid, string SopInstanceUid, DicomTransferSyntax TransferSyntax)
{
    /// <summary>Reads the File Meta Information (or the start of the data set when it lacks SOP class/instance).</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="DicomReadException">Not a DICOM file.</exception>
    public static DicomInstanceHeader Read(string path)
    {
        var f = DicomFile.Open(path, new DicomReadOptions { StopBeforeTag = new DicomTag(0x0008, 0x0020) });
        string? cls = f.FileMetaInformation.GetStringOrDefault(DicomTag.MediaStorageSOPClassUID) ?? f.Dataset.GetStringOrDefault(DicomTag.SOPClassUID);
        string? inst = f.FileMetaInformation.GetStringOrDefault(DicomTag.MediaStorageSOPInstanceUID) ?? f.Dataset.GetStringOrDefault(DicomTag.SOPInstanceUID);
        if (string.IsNullOrEmpty(cls) || string.IsNullOrEmpty(inst))
            throw new DicomReadException("no SOP Class UID / SOP Instance UID", 0, "");
        return new DicomInstanceHeader(path, cls.TrimEnd('\0', ' '), inst.TrimEnd('\0', ' '), f.TransferSyntax);
    }
}

/// <summary>Storage (C-STORE) helpers shared by the storage SCU and the C-MOVE/C-GET SCP.</summary>
public static class DicomStorageOperations
{
    /// <summary>The uncompressed transfer syntaxes proposed by default, most preferred first.</summary>
    public static IReadOnlyList<string> UncompressedTransferSyntaxes { get; } =
    [
        DicomTransferSyntax.ExplicitVRLittleEndian.Uid.Value,
        DicomTransferSyntax.ImplicitVRLittleEndian.Uid.Value,
    ];

    /// <summary>All registered storage SOP classes (keyword contains "Storage", excluding storage commitment/management).</summary>
    public static IReadOnlyList<string> AllStorageSopClasses { get; } = DicomUid.RegisteredUids
        .Where(u => u.Type == DicomUidType.SopClass && u.Keyword.Contains("Storage", StringComparison.Ordinal)
                    && !u.Keyword.Contains("Commitment", StringComparison.Ordinal) && !u.Keyword.Contains("StorageManagement", StringComparison.Ordinal))
        .Select(u => u.Value).OrderBy(u => u, StringComparer.Ordinal).ToList();

    /// <summary>Storage SOP classes a C-GET SCU proposes by default (common image and document classes; fits in one association).</summary>
    public static IReadOnlyList<string> CommonStorageSopClasses { get; } =
    [
        "1.2.840.10008.5.1.4.1.1.1", "1.2.840.10008.5.1.4.1.1.1.1", "1.2.840.10008.5.1.4.1.1.1.1.1", "1.2.840.10008.5.1.4.1.1.1.2",
        "1.2.840.10008.5.1.4.1.1.1.3", "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.2.1", "1.2.840.10008.5.1.4.1.1.3.1",
        "1.2.840.10008.5.1.4.1.1.4", "1.2.840.10008.5.1.4.1.1.4.1", "1.2.840.10008.5.1.4.1.1.6.1", "1.2.840.10008.5.1.4.1.1.7",
        "1.2.840.10008.5.1.4.1.1.7.1", "1.2.840.10008.5.1.4.1.1.7.2", "1.2.840.10008.5.1.4.1.1.7.3", "1.2.840.10008.5.1.4.1.1.7.4",
        "1.2.840.10008.5.1.4.1.1.12.1", "1.2.840.10008.5.1.4.1.1.12.2", "1.2.840.10008.5.1.4.1.1.20", "1.2.840.10008.5.1.4.1.1.128",
        "1.2.840.10008.5.1.4.1.1.481.1", "1.2.840.10008.5.1.4.1.1.481.2", "1.2.840.10008.5.1.4.1.1.481.3", "1.2.840.10008.5.1.4.1.1.481.5",
        "1.2.840.10008.5.1.4.1.1.88.11", "1.2.840.10008.5.1.4.1.1.88.22", "1.2.840.10008.5.1.4.1.1.88.33", "1.2.840.10008.5.1.4.1.1.104.1",
        "1.2.840.10008.5.1.4.1.1.9.1.1", "1.2.840.10008.5.1.4.1.1.66", "1.2.840.10008.5.1.4.1.1.11.1", "1.2.840.10008.5.1.4.1.1.77.1.4",
    ];

    /// <summary>Builds presentation contexts to store <paramref name="instances"/>: per SOP class and transfer syntax in use one
    /// context proposing exactly that syntax (so files go unchanged when the peer accepts it), plus per SOP class one context
    /// with the uncompressed syntaxes as a fallback for uncompressed files (conversion only between uncompressed syntaxes).</summary>
    /// <param name="instances">SOP class and transfer syntax of each instance.</param>
    /// <exception cref="DicomNetworkException">More than 128 presentation contexts would be needed.</exception>
    public static List<PresentationContext> BuildContexts(IEnumerable<(string SopClassUid, DicomTransferSyntax TransferSyntax)> instances)
    {
        var list = new List<PresentationContext>();
        var seen = new HashSet<(string, string)>();
        byte id = 1;
        void Add(string cls, List<string> tss)
        {
            if (!seen.Add((cls, string.Join(",", tss)))) return;
            if (list.Count >= 128) throw new DicomNetworkException(DicomNetworkErrorReason.NoPresentationContext, "more than 128 presentation contexts needed; store in several calls");
            list.Add(new PresentationContext(id, cls, tss));
            id += 2;
        }
        foreach (var (cls, ts) in instances)
        {
            Add(cls, [ts.Uid.Value]);
            if (!ts.IsEncapsulated) Add(cls, [.. UncompressedTransferSyntaxes]);
        }
        return list;
    }

    /// <summary>Sends one instance with C-STORE on an established association and returns the C-STORE-RSP.
    /// The presentation context is chosen by the file's transfer syntax; conversion happens only between uncompressed syntaxes.
    /// Large values stay on disk while they are sent.</summary>
    /// <param name="association">The association.</param>
    /// <param name="path">The Part 10 file.</param>
    /// <param name="moveOriginatorAE">Move originator (C-MOVE sub-operation), optional.</param>
    /// <param name="moveOriginatorMessageId">Move originator message ID, optional.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="DicomNetworkException">No suitable context (<see cref="DicomNetworkErrorReason.NoPresentationContext"/>), or the association failed.</exception>
    public static async Task<DimseMessage> StoreFileAsync(this DicomAssociation association, string path, string? moveOriginatorAE = null,
        ushort? moveOriginatorMessageId = null, CancellationToken cancellationToken = default)
    {
        // Small files are read inline (one read, no thread hop); large ones on a pool thread (their big values stay on disk).
        var file = OpenSmall(path) ?? await DicomFile.OpenAsync(path, null, cancellationToken).ConfigureAwait(false);
        return await StoreFileAsync(association, file, moveOriginatorAE, moveOriginatorMessageId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads a Part 10 file of at most 256 KiB whole (one read); null for a larger or missing file.</summary>
    internal static DicomFile? OpenSmall(string path) =>
        new FileInfo(path) is { Exists: true, Length: <= 256 * 1024 } ? DicomFile.Open(path) : null;

    /// <summary>Sends an opened Part 10 file with C-STORE (see <see cref="StoreFileAsync(DicomAssociation, string, string?, ushort?, CancellationToken)"/>).</summary>
    internal static async Task<DimseMessage> StoreFileAsync(this DicomAssociation association, DicomFile file, string? moveOriginatorAE,
        ushort? moveOriginatorMessageId, CancellationToken cancellationToken)
    {
        string cls = file.Dataset.GetStringOrDefault(DicomTag.SOPClassUID) ?? file.FileMetaInformation.GetString(DicomTag.MediaStorageSOPClassUID);
        string inst = file.Dataset.GetStringOrDefault(DicomTag.SOPInstanceUID) ?? file.FileMetaInformation.GetString(DicomTag.MediaStorageSOPInstanceUID);
        var pc = association.FindContext(cls, file.TransferSyntax)
                 ?? throw new DicomNetworkException(DicomNetworkErrorReason.NoPresentationContext,
                     $"no accepted presentation context for {DicomUid.Lookup(cls)?.Name ?? cls} in {file.TransferSyntax.Uid.Name} (or an uncompressed syntax it converts to)");
        var rq = DimseMessage.CreateRequest(DimseCommandField.CStoreRequest, association.NextMessageId(), cls, inst, file.Dataset);
        if (moveOriginatorAE != null)
        {
            rq.MoveOriginatorAE = moveOriginatorAE;
            rq.MoveOriginatorMessageId = moveOriginatorMessageId;
        }
        DimseMessage? last = null;
        await foreach (var rsp in association.SendRequestAsync(rq, pc, cancellationToken).ConfigureAwait(false)) last = rsp;
        return last ?? throw new DicomNetworkException(DicomNetworkErrorReason.DimseProtocolError, "no C-STORE-RSP");
    }
}
