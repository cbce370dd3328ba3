using Dicom.Typed.IO;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dicom.Typed.Media;

/// <summary>
/// A DICOM file-set on disk: File-set Creator and Updater (PS3.10 8, PS3.11). Changes are staged by
/// <see cref="Add(DicomFile, DicomFileId?)"/> and <see cref="Remove"/> and written by <see cref="Commit"/>: new files
/// first, then the DICOMDIR (temporary file, flush, rename), then removed files are deleted. An interrupted commit
/// therefore leaves the previous DICOMDIR intact and valid. Unchanged instance files are never rewritten.
/// </summary>
public sealed class DicomFileSet
{
    private const string DicomDirName = "DICOMDIR";
    private readonly List<DicomDirectoryRecord> _roots = [];
    private readonly Dictionary<string, DicomDirectoryRecord> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingWrite> _pendingWrites = new(StringComparer.Ordinal);
    private readonly List<string> _pendingDeletes = [];
    private readonly HashSet<string> _usedIds = new(StringComparer.Ordinal);
    private readonly Dictionary<DicomDirectoryRecord, string> _folders = new(ReferenceEqualityComparer.Instance);
    private readonly List<string> _findings = [];
    private readonly ILogger _logger;
    private string _instanceUid;

    private sealed record PendingWrite(DicomFileId Id, DicomFile? File, string? SourcePath);

    private DicomFileSet(string root, MediaApplicationProfile profile, string fileSetId, ILogger? logger)
    {
        Root = Path.GetFullPath(root);
        Profile = profile;
        FileSetId = fileSetId;
        _logger = logger ?? NullLogger.Instance;
        _instanceUid = DicomUid.GenerateValue();
    }

    /// <summary>The file-set root folder (holds the DICOMDIR).</summary>
    public string Root { get; }

    /// <summary>The application profile every instance must fit.</summary>
    public MediaApplicationProfile Profile { get; }

    /// <summary>File-set ID (0004,1130), at most 16 characters of A–Z 0–9 _ and space.</summary>
    public string FileSetId { get; }

    /// <summary>The root records (PATIENT and other top-level records kept from a read DICOMDIR).</summary>
    public IReadOnlyList<DicomDirectoryRecord> RootRecords => _roots;

    /// <summary>The instance records by SOP Instance UID.</summary>
    public IReadOnlyDictionary<string, DicomDirectoryRecord> Instances => _instances;

    /// <summary>Invented keys, conversions and tolerated problems of the DICOMDIR that was read.</summary>
    public IReadOnlyList<string> Findings => _findings;

    /// <summary>Fault injection for tests: called with the temporary DICOMDIR path right before the rename.</summary>
    internal Action<string>? BeforeDicomDirRename { get; set; }

    /// <summary>Starts a new, empty file-set in <paramref name="root"/> (nothing is written before <see cref="Commit"/>).</summary>
    /// <param name="root">The root folder (created on commit).</param>
    /// <param name="profile">The application profile.</param>
    /// <param name="fileSetId">The File-set ID (may be empty).</param>
    /// <param name="logger">Receives conversions and invented values.</param>
    public static DicomFileSet Create(string root, MediaApplicationProfile profile, string fileSetId = "", ILogger? logger = null)
    {
        if (fileSetId.Length > 16 || fileSetId.Any(c => !(c is >= 'A' and <= 'Z' or >= '0' and <= '9' or '_' or ' ')))
            throw new ArgumentException($"File-set ID '{fileSetId}' must have at most 16 characters of A-Z, 0-9, _ and space", nameof(fileSetId));
        if (File.Exists(Path.Combine(root, DicomDirName))) throw new IOException($"{root} already holds a DICOMDIR; use Open to update it");
        if ((profile.Roles & MediaRoles.FileSetCreator) == 0)
            throw new MediaProfileException($"{profile.Name} does not include the File-set Creator role ({profile.Roles}; {profile.Source})");
        return new DicomFileSet(root, profile, fileSetId, logger);
    }

    /// <summary>Opens an existing file-set for update (reads <c>root/DICOMDIR</c>).</summary>
    /// <param name="root">The root folder.</param>
    /// <param name="profile">The application profile for added instances.</param>
    /// <param name="logger">Receives conversions and findings.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public static async Task<DicomFileSet> OpenAsync(string root, MediaApplicationProfile profile, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        if ((profile.Roles & MediaRoles.FileSetUpdater) == 0)
            throw new MediaProfileException($"{profile.Name} does not include the File-set Updater role ({profile.Roles}; {profile.Source}); read it with DicomDirectory.OpenAsync");
        var dir = await DicomDirectory.OpenAsync(Path.Combine(root, DicomDirName), cancellationToken).ConfigureAwait(false);
        var fs = new DicomFileSet(root, profile, dir.FileSetId, logger);
        if (dir.File.FileMetaInformation.GetStringOrDefault(DicomTag.MediaStorageSOPInstanceUID) is { Length: > 0 } uid) fs._instanceUid = uid;
        fs._findings.AddRange(dir.Findings);
        foreach (var r in dir.RootRecords) fs._roots.Add(r);
        foreach (var r in dir.AllRecords)
        {
            r.FileSetRoot = fs.Root;
            if (r.ReferencedFileIdText is { } f) fs._usedIds.Add(f);
            if (r.ReferencedSopInstanceUid is { } sop && r.FileId != null) fs._instances.TryAdd(sop, r);
        }
        return fs;
    }

    /// <summary>Adds an instance from a file; a file already at a valid File ID under the root is referenced in place, others are copied on commit.</summary>
    /// <param name="path">The file.</param>
    /// <param name="fileId">The File ID to use; by default the file's own path when it is inside the root, else a generated one.</param>
    /// <exception cref="MediaProfileException">The file does not fit the profile.</exception>
    public DicomDirectoryRecord Add(string path, DicomFileId? fileId = null)
    {
        string full = Path.GetFullPath(path);
        return AddHeader(full, ReadHeader(full), fileId);
    }

    /// <summary>
    /// Adds many files (see <see cref="Add(string, DicomFileId?)"/>): headers are read in parallel, records are added
    /// in the given order. Stops at the first file that does not fit the profile.
    /// </summary>
    /// <param name="paths">The files.</param>
    /// <returns>The instance records, in order.</returns>
    public IReadOnlyList<DicomDirectoryRecord> AddRange(IEnumerable<string> paths)
    {
        var full = paths.Select(Path.GetFullPath).ToArray();
        var headers = new DicomFile[full.Length];
        Parallel.For(0, full.Length, i => headers[i] = ReadHeader(full[i]));
        var records = new List<DicomDirectoryRecord>(full.Length);
        for (int i = 0; i < full.Length; i++) records.Add(AddHeader(full[i], headers[i], null));
        return records;
    }

    private static DicomFile ReadHeader(string full) =>
        DicomFile.Open(full, new DicomReadOptions { StopBeforePixelData = true, LargeValueThreshold = null });

    private DicomDirectoryRecord AddHeader(string full, DicomFile header, DicomFileId? fileId)
    {
        string ts = header.TransferSyntax.Uid.Value;
        if (!Profile.AllowsTransferSyntax(ts))
        {
            // Needs a conversion: read it completely and add it as a data set.
            return Add(DicomFile.Open(full), fileId);
        }
        CheckSopClass(header);
        if (fileId == null && full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            var parts = Path.GetRelativePath(Root, full).Split(Path.DirectorySeparatorChar);
            if (DicomFileId.Validate(parts) == null)
            {
                var inPlace = DicomFileId.Create(parts);
                inPlace.ResolveUnder(Root);
                return Insert(header, inPlace, null, null);
            }
        }
        return Insert(header, fileId, null, full);
    }

    /// <summary>Adds an instance held in memory; it is written on commit.</summary>
    /// <param name="file">The instance.</param>
    /// <param name="fileId">The File ID, or null for a generated one.</param>
    /// <exception cref="MediaProfileException">The file does not fit the profile and cannot be converted losslessly.</exception>
    public DicomDirectoryRecord Add(DicomFile file, DicomFileId? fileId = null)
    {
        CheckSopClass(file);
        string ts = file.TransferSyntax.Uid.Value;
        if (!Profile.AllowsTransferSyntax(ts))
        {
            const string ele = "1.2.840.10008.1.2.1";
            bool uncompressed = !file.TransferSyntax.IsEncapsulated;
            if (uncompressed && Profile.AllowsTransferSyntax(ele))
            {
                string sop = file.Dataset.GetStringOrDefault(DicomTag.SOPInstanceUID) ?? "?";
                string msg = $"{sop}: converted from {file.TransferSyntax.Uid.Name} to Explicit VR Little Endian for {Profile.Name} (lossless, PS3.11)";
                _logger.LogInformation("{Message}", msg);
                _findings.Add(msg);
                file = new DicomFile(file.Dataset, DicomTransferSyntax.ExplicitVRLittleEndian) { FileMetaInformation = file.FileMetaInformation };
            }
            else
            {
                throw new MediaProfileException(
                    $"Transfer syntax {file.TransferSyntax.Uid} is not allowed by {Profile.Name} (allowed: {string.Join(", ", Profile.TransferSyntaxes)}); " +
                    "a lossless conversion is only possible from an uncompressed syntax");
            }
        }
        return Insert(file, fileId, file, null);
    }

    private void CheckSopClass(DicomFile file)
    {
        string sopClass = file.Dataset.GetStringOrDefault(DicomTag.SOPClassUID)
            ?? file.FileMetaInformation.GetStringOrDefault(DicomTag.MediaStorageSOPClassUID)
            ?? throw new MediaProfileException("The instance has no SOP Class UID");
        if (!Profile.AllowsSopClass(sopClass))
            throw new MediaProfileException($"SOP class {DicomUid.Lookup(sopClass)?.ToString() ?? sopClass} is not allowed by {Profile.Name}");
    }

    private DicomDirectoryRecord Insert(DicomFile file, DicomFileId? fileId, DicomFile? content, string? sourcePath)
    {
        var ds = file.Dataset;
        string sopInstance = ds.GetStringOrDefault(DicomTag.SOPInstanceUID) ?? throw new MediaProfileException("The instance has no SOP Instance UID");
        string sopClass = ds.GetStringOrDefault(DicomTag.SOPClassUID)!;
        if (_instances.ContainsKey(sopInstance)) throw new InvalidOperationException($"SOP instance {sopInstance} is already in the file-set");
        string study = ds.GetStringOrDefault(DicomTag.StudyInstanceUID) ?? throw new MediaProfileException($"{sopInstance}: no Study Instance UID");
        string series = ds.GetStringOrDefault(DicomTag.SeriesInstanceUID) ?? throw new MediaProfileException($"{sopInstance}: no Series Instance UID");
        string patientId = ds.GetStringOrDefault(DicomTag.PatientID)?.Trim() ?? "";
        string patientName = ds.GetStringOrDefault(DicomTag.PatientName)?.Trim() ?? "";

        var patient = _roots.FirstOrDefault(r => r.RecordType == DirectoryRecordTypes.Patient
            && (r.Dataset.GetStringOrDefault(DicomTag.PatientID)?.Trim() ?? "") == (patientId.Length > 0 ? patientId : InventedPatientId(patientName)));
        if (patient == null)
        {
            patient = new DicomDirectoryRecord(MakeRecord(DirectoryRecordTypes.Patient, ds, _roots.Count + 1, sopInstance)) { FileSetRoot = Root };
            _roots.Add(patient);
        }
        var studyRec = FindOrAdd(patient, DirectoryRecordTypes.Study, DicomTag.StudyInstanceUID, study, ds, sopInstance);
        var seriesRec = FindOrAdd(studyRec, DirectoryRecordTypes.Series, DicomTag.SeriesInstanceUID, series, ds, sopInstance);

        fileId ??= NewFileId(studyRec, seriesRec);
        string idText = fileId.ToString();
        fileId.ResolveUnder(Root);
        if (!_usedIds.Add(idText)) throw new InvalidOperationException($"File ID {idText} is already used in the file-set");

        string type = DirectoryRecordTypes.ForSopClass(sopClass);
        var rec = MakeRecord(type, ds, seriesRec.ChildList.Count + 1, sopInstance);
        rec.AddOrUpdate(DicomTag.ReferencedFileID, fileId.Components.ToArray());
        rec.AddOrUpdate(DicomTag.ReferencedSOPClassUIDInFile, sopClass);
        rec.AddOrUpdate(DicomTag.ReferencedSOPInstanceUIDInFile, sopInstance);
        rec.AddOrUpdate(DicomTag.ReferencedTransferSyntaxUIDInFile, (content ?? file).TransferSyntax.Uid.Value);
        var leaf = new DicomDirectoryRecord(rec) { Parent = seriesRec, FileSetRoot = Root };
        seriesRec.ChildList.Add(leaf);
        _instances[sopInstance] = leaf;
        if (content != null || sourcePath != null) _pendingWrites[idText] = new PendingWrite(fileId, content, sourcePath);
        return leaf;
    }

    private DicomDirectoryRecord FindOrAdd(DicomDirectoryRecord parent, string type, DicomTag key, string uid, DicomDataset ds, string sop)
    {
        var rec = parent.ChildList.FirstOrDefault(c => c.RecordType == type && c.Dataset.GetStringOrDefault(key) == uid);
        if (rec != null) return rec;
        rec = new DicomDirectoryRecord(MakeRecord(type, ds, parent.ChildList.Count + 1, sop)) { Parent = parent, FileSetRoot = Root };
        parent.ChildList.Add(rec);
        return rec;
    }

    private static string InventedPatientId(string name) =>
        "NOID" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..12];

    private DicomDataset MakeRecord(string type, DicomDataset source, int number, string sop)
    {
        var rec = new DicomDataset { UndefinedLength = false };
        if (source.GetElement(DicomTag.SpecificCharacterSet) is { IsEmpty: false } cs) rec.AddOrUpdate(cs);
        rec.AddOrUpdate(DicomTag.DirectoryRecordType, type);
        foreach (var (tag, keyType) in DirectoryRecordTypes.KeysFor(type))
        {
            var item = source[tag];
            if (tag == DicomTag.VerificationDateTime && item == null)
            {
                // F.5: the most recent Verification DateTime of the Verifying Observer Sequence, required when VERIFIED.
                var latest = source.GetSequence(DicomTag.VerifyingObserverSequence)?.Items
                    .Select(i => i.GetStringOrDefault(DicomTag.VerificationDateTime)).Where(v => !string.IsNullOrEmpty(v))
                    .OrderBy(v => v, StringComparer.Ordinal).LastOrDefault();
                if (latest != null) rec.AddOrUpdate(DicomTag.VerificationDateTime, latest);
                continue;
            }
            if (item is DicomElement { IsEmpty: false } e)
            {
                rec.AddOrUpdate(e);
            }
            else if (item is DicomSequence { Items.Count: > 0 } sq)
            {
                rec.AddOrUpdate(new DicomSequence(tag, sq.Items.Select(i => i.Clone())) { UndefinedLength = false });
            }
            else if (keyType == RecordKeyType.Required)
            {
                string? value = Invent(tag, number, source);
                if (value == null)
                {
                    rec.AddOrUpdate(new DicomSequence(tag) { UndefinedLength = false });
                }
                else
                {
                    rec.AddOrUpdate(tag, value);
                }
                string msg = $"{sop}: {type} record key {tag.DictionaryEntry.Keyword} missing in the instance; invented '{value}'";
                _logger.LogWarning("{Message}", msg);
                _findings.Add(msg);
            }
            else if (keyType == RecordKeyType.RequiredEmptyAllowed)
            {
                if (tag.DictionaryEntry.VR == DicomVR.SQ) rec.AddOrUpdate(new DicomSequence(tag) { UndefinedLength = false });
                else rec.AddOrUpdate(tag, Array.Empty<string>());
            }
        }
        return rec;
    }

    private static string? Invent(DicomTag tag, int number, DicomDataset source)
    {
        if (tag == DicomTag.PatientID) return InventedPatientId(source.GetStringOrDefault(DicomTag.PatientName) ?? "");
        if (tag == DicomTag.Modality) return "OT";
        if (tag == DicomTag.CompletionFlag) return "PARTIAL";
        if (tag == DicomTag.VerificationFlag) return "UNVERIFIED";
        if (tag == DicomTag.DoseSummationType) return "PLAN";
        if (tag == DicomTag.MIMETypeOfEncapsulatedDocument) return "application/octet-stream";
        var vr = tag.DictionaryEntry.VR;
        if (vr == DicomVR.SQ) return null;
        if (vr == DicomVR.DA) return source.GetStringOrDefault(DicomTag.StudyDate) is { Length: 8 } d ? d : "19000101";
        if (vr == DicomVR.TM) return source.GetStringOrDefault(DicomTag.StudyTime) is { Length: > 0 } t ? t : "000000";
        if (vr == DicomVR.IS || vr == DicomVR.SH) return number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "UNKNOWN";
    }

    private DicomFileId NewFileId(DicomDirectoryRecord study, DicomDirectoryRecord series)
    {
        string studyFolder = FolderFor(study, "ST", ["DICOM"]);
        string seriesFolder = FolderFor(series, "SE", ["DICOM", studyFolder]);
        for (int n = series.ChildList.Count + 1; ; n++)
        {
            var id = DicomFileId.Create("DICOM", studyFolder, seriesFolder, $"IM{n:D6}");
            if (!_usedIds.Contains(id.ToString()) && !File.Exists(id.ResolveUnder(Root))) return id;
        }
    }

    private string FolderFor(DicomDirectoryRecord rec, string prefix, string[] parents)
    {
        if (_folders.TryGetValue(rec, out var f)) return f;
        // Reuse the folder of existing instances below this record when they share one.
        var existing = rec.Descendants().Select(d => d.FileId).FirstOrDefault(id => id != null && id.Components.Count > parents.Length);
        if (existing != null && existing.Components.Take(parents.Length).SequenceEqual(parents))
        {
            return _folders[rec] = existing.Components[parents.Length];
        }
        var taken = new HashSet<string>(_folders.Values, StringComparer.Ordinal);
        for (int n = 1; ; n++)
        {
            string name = $"{prefix}{n:D6}";
            string dir = Path.Combine([Root, .. parents, name]);
            if (!taken.Contains(name) && !Directory.Exists(dir) && !_usedIds.Any(u => u.StartsWith(string.Join('\\', parents) + "\\" + name + "\\", StringComparison.Ordinal)))
                return _folders[rec] = name;
        }
    }

    /// <summary>Removes an instance: its record goes now, empty parent records with it; the file is deleted after the next commit wrote the DICOMDIR.</summary>
    /// <param name="sopInstanceUid">The SOP Instance UID.</param>
    /// <returns>False when the instance is not in the file-set.</returns>
    public bool Remove(string sopInstanceUid)
    {
        if (!_instances.Remove(sopInstanceUid, out var leaf)) return false;
        string? idText = leaf.ReferencedFileIdText;
        if (idText != null)
        {
            _usedIds.Remove(idText);
            if (!_pendingWrites.Remove(idText) && leaf.FileId is { } id) _pendingDeletes.Add(id.ResolveUnder(Root));
        }
        var node = leaf;
        while (node != null)
        {
            var parent = node.Parent;
            if (parent == null) _roots.Remove(node); else parent.ChildList.Remove(node);
            if (parent == null || parent.ChildList.Count > 0 || DirectoryRecordTypes.Level(parent.RecordType) is < 0 or > 2) break;
            node = parent;
        }
        return true;
    }

    /// <summary>Writes the staged changes: new instance files, then the DICOMDIR atomically, then deletes removed files.</summary>
    /// <param name="cancellationToken">Cancellation (checked before the DICOMDIR is replaced).</param>
    public Task CommitAsync(CancellationToken cancellationToken = default) => Task.Run(() => Commit(cancellationToken), cancellationToken);

    /// <summary>Writes the staged changes (see <see cref="CommitAsync"/>).</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    public void Commit(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Root);
        foreach (var w in _pendingWrites.Values.ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            string target = w.Id.ResolveUnder(Root);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (w.File != null)
            {
                WriteAtomic(target, s => w.File.Save(s), null);
            }
            else
            {
                WriteAtomic(target, s =>
                {
                    using var src = new FileStream(w.SourcePath!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                    src.CopyTo(s);
                }, null);
            }
            _pendingWrites.Remove(w.Id.ToString());
        }
        cancellationToken.ThrowIfCancellationRequested();
        var bytes = DicomDirectoryWriter.Encode(FileSetId, _instanceUid, _roots);
        WriteAtomic(Path.Combine(Root, DicomDirName), s => s.Write(bytes), BeforeDicomDirRename);
        foreach (var path in _pendingDeletes)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException e)
            {
                _logger.LogWarning("Could not delete removed file {Path}: {Error}", path, e.Message);
            }
        }
        _pendingDeletes.Clear();
    }

    private static void WriteAtomic(string target, Action<Stream> write, Action<string>? beforeRename)
    {
        string tmp = target + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            beforeRename?.Invoke(tmp);
            File.Move(tmp, target, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }
}
