using System.Runtime.CompilerServices;
using Dicom.Typed.IO;

namespace Dicom.Typed.Media;

/// <summary>
/// A DICOMDIR read as a tree of typed records (PS3.3 F.3, PS3.10 8.5). Reading is tolerant: broken offsets,
/// unlinked or inactive records and invalid File IDs are reported in <see cref="Findings"/>, not thrown.
/// </summary>
public sealed class DicomDirectory
{
    private readonly List<DicomDirectoryRecord> _roots = [];
    private readonly List<string> _findings = [];

    private DicomDirectory(DicomFile file, string root)
    {
        File = file;
        FileSetRoot = root;
    }

    /// <summary>The DICOMDIR file.</summary>
    public DicomFile File { get; }

    /// <summary>The folder holding the DICOMDIR (File IDs are relative to it).</summary>
    public string FileSetRoot { get; }

    /// <summary>File-set ID (0004,1130).</summary>
    public string FileSetId => File.Dataset.GetStringOrDefault(DicomTag.FileSetID)?.Trim() ?? "";

    /// <summary>The root records (usually PATIENT).</summary>
    public IReadOnlyList<DicomDirectoryRecord> RootRecords => _roots;

    /// <summary>What was tolerated while reading (vendor quirks, broken links, invalid File IDs).</summary>
    public IReadOnlyList<string> Findings => _findings;

    /// <summary>All in-use records, depth first.</summary>
    public IEnumerable<DicomDirectoryRecord> AllRecords => _roots.SelectMany(r => new[] { r }.Concat(r.Descendants()));

    /// <summary>Reads a DICOMDIR.</summary>
    /// <param name="path">The DICOMDIR path.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="DicomReadException">The file is not readable DICOM at all.</exception>
    public static Task<DicomDirectory> OpenAsync(string path, CancellationToken cancellationToken = default) =>
        Task.Run(() => Open(path), cancellationToken);

    /// <summary>Reads a DICOMDIR synchronously.</summary>
    /// <param name="path">The DICOMDIR path.</param>
    public static DicomDirectory Open(string path)
    {
        var file = DicomFile.Open(path, new DicomReadOptions { LargeValueThreshold = null });
        var dir = new DicomDirectory(file, Path.GetDirectoryName(Path.GetFullPath(path))!);
        dir.Build();
        return dir;
    }

    /// <summary>Walks all in-use records depth first as they are needed.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    public async IAsyncEnumerable<DicomDirectoryRecord> EnumerateRecordsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var r in AllRecords)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return r;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private void Build()
    {
        var ds = File.Dataset;
        foreach (var w in File.Warnings) _findings.Add("reader: " + w);
        string? sopClass = File.FileMetaInformation.GetStringOrDefault(DicomTag.MediaStorageSOPClassUID);
        if (sopClass != "1.2.840.10008.1.3.10") _findings.Add($"Media Storage SOP Class UID is '{sopClass}', not Media Storage Directory Storage");
        var seq = ds.GetSequence(DicomTag.DirectoryRecordSequence);
        if (seq == null)
        {
            _findings.Add("no Directory Record Sequence (0004,1220)");
            return;
        }
        var items = seq.Items;
        var records = new DicomDirectoryRecord[items.Count];
        for (int i = 0; i < items.Count; i++) records[i] = new DicomDirectoryRecord(items[i]) { FileSetRoot = FileSetRoot };

        // Byte offsets of the items, recomputed from the encoded lengths as read.
        var byOffset = new Dictionary<long, int>();
        long? start = DatasetStart();
        if (start is long s)
        {
            var writer = new DicomDatasetWriter(Stream.Null, File.TransferSyntax);
            var prefix = new DicomDataset(ds.Where(e => e.Tag < DicomTag.DirectoryRecordSequence));
            long pos = s + writer.ComputeLength(prefix) + (File.TransferSyntax.IsExplicitVR ? 12 : 8);
            for (int i = 0; i < items.Count; i++)
            {
                records[i].Offset = pos;
                byOffset[pos] = i;
                pos += 8 + writer.ComputeLength(items[i]) + (items[i].UndefinedLength ? 8 : 0);
            }
        }
        else
        {
            _findings.Add("cannot compute record offsets (no File Meta Information group length)");
        }

        var used = new bool[items.Count];
        bool linksOk = byOffset.Count > 0;
        uint first = ds.GetValueOrDefault<uint>(DicomTag.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity, 0, 0);
        if (items.Count > 0 && linksOk)
        {
            if (!byOffset.TryGetValue(first, out int firstIndex))
            {
                _findings.Add($"offset of the first root record 0x{first:X} does not point to a record");
                linksOk = false;
            }
            else
            {
                linksOk = FollowChain(firstIndex, null, records, byOffset, used, 0);
            }
        }
        if (items.Count > 0 && !linksOk)
        {
            _findings.Add("records are placed by their order and type instead of their offsets");
            _roots.Clear();
            foreach (var r in records) r.ChildList.Clear();
            Array.Clear(used);
            BuildByOrder(records, used);
        }
        int unused = used.Count(u => !u);
        if (unused > 0) _findings.Add($"{unused} record(s) not reachable or not in use were left out");
        foreach (var r in AllRecords)
        {
            if (r.ReferencedFileIdText is { } f && !DicomFileId.TryParse(f, out _, out var err))
                _findings.Add($"{r.RecordType} record at 0x{r.Offset:X}: invalid File ID '{f}': {err}");
        }
    }

    private long? DatasetStart()
    {
        var meta = File.FileMetaInformation;
        if (!meta.TryGetValue<uint>(DicomTag.FileMetaInformationGroupLength, out var groupLength)) return null;
        return 128 + 4 + 12 + groupLength;
    }

    private bool FollowChain(int index, DicomDirectoryRecord? parent, DicomDirectoryRecord[] records, Dictionary<long, int> byOffset, bool[] used, int depth)
    {
        if (depth > 32)
        {
            _findings.Add("directory nesting deeper than 32 levels");
            return false;
        }
        int? current = index;
        while (current is int i)
        {
            if (used[i])
            {
                _findings.Add($"record at 0x{records[i].Offset:X} is linked twice (loop)");
                return false;
            }
            used[i] = true;
            var r = records[i];
            if (r.InUse)
            {
                r.Parent = parent;
                if (parent == null) _roots.Add(r); else parent.ChildList.Add(r);
            }
            else
            {
                _findings.Add($"{r.RecordType} record at 0x{r.Offset:X} is not in use (skipped)");
            }
            uint lower = r.Dataset.GetValueOrDefault<uint>(DicomTag.OffsetOfReferencedLowerLevelDirectoryEntity, 0, 0);
            if (lower != 0)
            {
                if (!byOffset.TryGetValue(lower, out int child))
                {
                    _findings.Add($"{r.RecordType} record at 0x{r.Offset:X}: lower-level offset 0x{lower:X} does not point to a record");
                    return false;
                }
                if (!FollowChain(child, r.InUse ? r : null, records, byOffset, used, depth + 1)) return false;
            }
            uint next = r.Dataset.GetValueOrDefault<uint>(DicomTag.OffsetOfTheNextDirectoryRecord, 0, 0);
            if (next == 0)
            {
                current = null;
            }
            else if (byOffset.TryGetValue(next, out int n))
            {
                current = n;
            }
            else
            {
                _findings.Add($"{r.RecordType} record at 0x{r.Offset:X}: next offset 0x{next:X} does not point to a record");
                return false;
            }
        }
        return true;
    }

    private void BuildByOrder(DicomDirectoryRecord[] records, bool[] used)
    {
        var stack = new DicomDirectoryRecord?[4];
        for (int i = 0; i < records.Length; i++)
        {
            var r = records[i];
            if (!r.InUse) continue;
            int level = DirectoryRecordTypes.Level(r.RecordType);
            DicomDirectoryRecord? parent = null;
            if (level > 0)
            {
                for (int l = Math.Min(level, 3) - 1; l >= 0 && parent == null; l--) parent = stack[l];
            }
            r.Parent = parent;
            if (parent == null) _roots.Add(r); else parent.ChildList.Add(r);
            used[i] = true;
            if (level is >= 0 and < 3)
            {
                stack[level] = r;
                for (int l = level + 1; l < 4; l++) stack[l] = null;
            }
        }
    }
}
