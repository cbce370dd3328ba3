using Dicom.Typed.IO;

namespace Dicom.Typed.Media;

/// <summary>A directory record of a DICOMDIR (PS3.3 F.3.2.2) with its lower-level records.</summary>
public sealed class DicomDirectoryRecord
{
    private static readonly DicomTag[] LinkTags =
    [
        DicomTag.OffsetOfTheNextDirectoryRecord, DicomTag.RecordInUseFlag, DicomTag.OffsetOfReferencedLowerLevelDirectoryEntity,
    ];

    internal readonly List<DicomDirectoryRecord> ChildList = [];

    /// <summary>Creates a record from its data set (the keys; link elements are ignored and rewritten on save).</summary>
    /// <param name="dataset">The record's data set; must have Directory Record Type (0004,1430).</param>
    public DicomDirectoryRecord(DicomDataset dataset)
    {
        Dataset = dataset;
        RecordType = dataset.GetStringOrDefault(DicomTag.DirectoryRecordType)?.Trim() ?? "";
    }

    /// <summary>The record type, e.g. <c>PATIENT</c>, <c>IMAGE</c>, <c>SR DOCUMENT</c>.</summary>
    public string RecordType { get; }

    /// <summary>The record's data set (keys and, when read, the link elements as found).</summary>
    public DicomDataset Dataset { get; }

    /// <summary>Byte offset of the record's item in the DICOMDIR it was read from or last written to (0 if neither).</summary>
    public long Offset { get; internal set; }

    /// <summary>The parent record, or null at the root.</summary>
    public DicomDirectoryRecord? Parent { get; internal set; }

    /// <summary>The lower-level records.</summary>
    public IReadOnlyList<DicomDirectoryRecord> Children => ChildList;

    /// <summary>The file-set root used to open referenced files (null for records not attached to a file-set).</summary>
    public string? FileSetRoot { get; internal set; }

    /// <summary>Record In-use Flag (0004,1410): false when the record is marked inactive (0x0000).</summary>
    public bool InUse => Dataset.GetValueOrDefault<ushort>(DicomTag.RecordInUseFlag, 0, 0xFFFF) != 0;

    /// <summary>Referenced File ID (0004,1500) as text, or null.</summary>
    public string? ReferencedFileIdText =>
        Dataset.GetElement(DicomTag.ReferencedFileID) is { IsEmpty: false } e ? string.Join('\\', e.GetStrings()) : null;

    /// <summary>Referenced File ID (0004,1500) when present and valid.</summary>
    public DicomFileId? FileId => DicomFileId.TryParse(ReferencedFileIdText, out var id, out _) ? id : null;

    /// <summary>Referenced SOP Class UID in File (0004,1510).</summary>
    public string? ReferencedSopClassUid => Dataset.GetStringOrDefault(DicomTag.ReferencedSOPClassUIDInFile);

    /// <summary>Referenced SOP Instance UID in File (0004,1511).</summary>
    public string? ReferencedSopInstanceUid => Dataset.GetStringOrDefault(DicomTag.ReferencedSOPInstanceUIDInFile);

    /// <summary>Referenced Transfer Syntax UID in File (0004,1512).</summary>
    public string? ReferencedTransferSyntaxUid => Dataset.GetStringOrDefault(DicomTag.ReferencedTransferSyntaxUIDInFile);

    /// <summary>The full path of the referenced file (checked to stay under the file-set root), or null.</summary>
    /// <exception cref="UnauthorizedAccessException">The File ID would leave the file-set root.</exception>
    public string? ResolvePath() => FileSetRoot != null && FileId is { } id ? id.ResolveUnder(FileSetRoot) : null;

    /// <summary>Opens the referenced instance (read on demand; nothing is read before this call).</summary>
    /// <param name="options">Read options.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="InvalidOperationException">The record references no file.</exception>
    public Task<DicomFile> OpenInstanceAsync(DicomReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        string path = ResolvePath() ?? throw new InvalidOperationException($"{RecordType} record references no (valid) file: '{ReferencedFileIdText}'");
        return DicomFile.OpenAsync(path, options, cancellationToken);
    }

    /// <summary>All records below this one, depth first.</summary>
    public IEnumerable<DicomDirectoryRecord> Descendants()
    {
        foreach (var c in ChildList)
        {
            yield return c;
            foreach (var d in c.Descendants()) yield return d;
        }
    }

    internal DicomDataset KeysOnly()
    {
        var ds = Dataset.Clone();
        foreach (var t in LinkTags) ds.Remove(t);
        return ds;
    }

    /// <inheritdoc />
    public override string ToString() => ReferencedFileIdText is { } f ? $"{RecordType} -> {f}" : RecordType;
}
