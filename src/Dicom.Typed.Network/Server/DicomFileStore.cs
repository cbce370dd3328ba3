using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Dicom.Typed.IO;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dicom.Typed.Network;

/// <summary>
/// A folder of Part 10 files served over DICOM: storage (streamed to a temporary file, renamed when complete, so no
/// partial file is ever visible), and C-FIND / C-MOVE / C-GET over the stored instances (Patient Root and Study Root,
/// hierarchical matching: single value, wildcards, UID lists, date/time ranges, universal matching).
/// </summary>
public sealed class DicomFileStore : IDicomStorageHandler, IDicomQueryHandler, IDicomRetrieveHandler
{
    private readonly DicomStorageReceiver _receiver;
    private readonly ILogger _log;
    private readonly Dictionary<string, (string Path, DicomDataset Keys)> _index = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <summary>Opens (and indexes) a storage folder.</summary>
    /// <param name="directory">The folder (created if missing). Leftover temporary files from a crash are deleted.</param>
    /// <param name="logger">Logger.</param>
    public DicomFileStore(string directory, ILogger? logger = null)
    {
        Directory.CreateDirectory(directory);
        RootDirectory = directory;
        _receiver = new DicomStorageReceiver(directory);
        _log = logger ?? NullLogger.Instance;
        var incoming = Path.Combine(directory, ".incoming");
        if (Directory.Exists(incoming))
            foreach (var f in Directory.EnumerateFiles(incoming, "*.part")) File.Delete(f);
        foreach (var f in Directory.EnumerateFiles(directory, "*.dcm")) TryIndex(f);
    }

    /// <summary>The storage folder.</summary>
    public string RootDirectory { get; }

    /// <summary>Flush every received instance and the folder to disk before the C-STORE-RSP (fsync of the file, rename, fsync
    /// of the folder on Linux/macOS). Default false: faster, but an instance acknowledged (or reported committed by storage
    /// commitment) just before a power cut can be lost. Set it when storage commitment relies on this store.</summary>
    public bool FlushToDisk
    {
        get => _receiver.FlushToDisk;
        set => _receiver.FlushToDisk = value;
    }

    /// <summary>Number of indexed instances.</summary>
    public int Count
    {
        get
        {
            lock (_lock) return _index.Count;
        }
    }

    /// <summary>Indexes a file (or re-indexes it). Returns false when it cannot be read.</summary>
    /// <param name="path">The file.</param>
    public bool TryIndex(string path)
    {
        try
        {
            var f = DicomFile.Open(path, new DicomReadOptions { StopBeforePixelData = true });
            string? uid = f.Dataset.GetStringOrDefault(DicomTag.SOPInstanceUID);
            if (string.IsNullOrEmpty(uid)) return false;
            lock (_lock) _index[uid] = (path, f.Dataset);
            return true;
        }
        catch (Exception e) when (e is DicomException or IOException)
        {
            _log.LogWarning("Cannot index {File}: {Error}", path, e.Message);
            return false;
        }
    }

    /// <summary>Looks up an indexed instance (used by storage commitment).</summary>
    /// <param name="sopInstanceUid">SOP instance UID.</param>
    /// <param name="path">Its file.</param>
    /// <param name="sopClassUid">Its SOP class UID.</param>
    public bool TryGetInstance(string sopInstanceUid, out string path, out string sopClassUid)
    {
        lock (_lock)
        {
            if (_index.TryGetValue(sopInstanceUid, out var e))
            {
                path = e.Path;
                sopClassUid = e.Keys.GetStringOrDefault(DicomTag.SOPClassUID)?.Trim(' ', '\0') ?? "";
                return true;
            }
        }
        path = sopClassUid = "";
        return false;
    }

    // ---- storage --------------------------------------------------------------------------------------------------

    /// <inheritdoc />
    public ValueTask<Stream> OpenDatasetStreamAsync(DicomAssociation association, DimseMessage request) =>
        ValueTask.FromResult<Stream>(new DicomStorageSink(Path.Combine(RootDirectory, ".incoming"), request.AffectedSopClassUid ?? "",
            request.AffectedSopInstanceUid ?? "", request.TransferSyntax ?? DicomTransferSyntax.ImplicitVRLittleEndian, association.CallingAE));

    /// <inheritdoc />
    public Task<DicomStatus> OnStoreAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
    {
        if (request.DatasetStream is not DicomStorageSink sink) return Task.FromResult(DicomStatus.CannotUnderstand);
        // Validate before publishing: the data set must parse and carry the instance UID of the command.
        try
        {
            using var check = File.OpenRead(sink.TempPath);
            var f = DicomFile.Open(check, new DicomReadOptions { StopBeforePixelData = true });
            var uid = f.Dataset.GetStringOrDefault(DicomTag.SOPInstanceUID)?.TrimEnd('\0', ' ');
            if (uid != request.AffectedSopInstanceUid)
            {
                _log.LogWarning("C-STORE: SOP Instance UID {Uid} in the data set differs from {Cmd} in the command", uid, request.AffectedSopInstanceUid);
                sink.Dispose();
                return Task.FromResult(DicomStatus.DatasetDoesNotMatchSopClassError);
            }
        }
        catch (DicomException e)
        {
            _log.LogWarning("C-STORE: data set of {Uid} cannot be parsed: {Error}", request.AffectedSopInstanceUid, e.Message);
            sink.Dispose();
            return Task.FromResult(DicomStatus.CannotUnderstand);
        }
        var (status, path) = _receiver.Commit(request);
        if (path != null) TryIndex(path);
        return Task.FromResult(status);
    }

    // ---- query ----------------------------------------------------------------------------------------------------

    private static readonly DicomTag[] LevelKeys = [DicomTag.PatientID, DicomTag.StudyInstanceUID, DicomTag.SeriesInstanceUID, DicomTag.SOPInstanceUID];

    private static int LevelIndex(string? level) => level?.Trim().ToUpperInvariant() switch
    {
        "PATIENT" => 0,
        "STUDY" => 1,
        "SERIES" => 2,
        "IMAGE" => 3,
        _ => -1,
    };

    private List<(string Path, DicomDataset Keys)> Match(DicomDataset identifier, int level)
    {
        List<(string, DicomDataset)> all;
        lock (_lock) all = [.. _index.Values];
        var keys = identifier.Where(i => i.Tag != DicomTag.QueryRetrieveLevel && i.Tag != DicomTag.SpecificCharacterSet && i.Tag.Group != 0x0000)
            .OfType<DicomElement>().Where(e => !e.IsEmpty).ToList();
        return all.Where(x => keys.All(k => Matches(k, x.Item2))).ToList();
    }

    private static bool Matches(DicomElement key, DicomDataset ds)
    {
        string pattern = key.GetString().Trim();
        if (pattern.Length == 0 || pattern == "*") return true;
        var el = ds.GetElement(key.Tag);
        if (el == null) return false;
        string value = el.GetString().Trim();
        if (key.VR == DicomVR.UI) return pattern.Split('\\').Any(p => p.Trim() == value);
        if ((key.VR == DicomVR.DA || key.VR == DicomVR.TM || key.VR == DicomVR.DT) && pattern.Contains('-'))
        {
            var parts = pattern.Split('-');
            string lo = parts[0].Trim(), hi = parts.Length > 1 ? parts[1].Trim() : "";
            return (lo.Length == 0 || string.CompareOrdinal(value, lo) >= 0) && (hi.Length == 0 || string.CompareOrdinal(value, hi) <= 0);
        }
        if (pattern.Contains('*') || pattern.Contains('?'))
        {
            var rx = "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$";
            return Regex.IsMatch(value, rx, key.VR == DicomVR.PN ? RegexOptions.IgnoreCase : RegexOptions.None);
        }
        if (pattern.Contains('\\') && key.VR != DicomVR.PN) return pattern.Split('\\').Any(p => p.Trim() == value);
        return key.VR == DicomVR.PN ? string.Equals(value, pattern, StringComparison.OrdinalIgnoreCase) : value == pattern;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DicomDataset> OnFindAsync(DicomAssociation association, DimseMessage request, DicomDataset identifier,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        int level = LevelIndex(identifier.GetStringOrDefault(DicomTag.QueryRetrieveLevel));
        if (level < 0) throw new DicomServiceException(DicomStatus.IdentifierDoesNotMatchSopClass, "missing or invalid QueryRetrieveLevel");
        bool patientRoot = request.SopClassUid == DicomUid.PatientRootQueryRetrieveInformationModelFind.Value;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var matches = Match(identifier, level);
        foreach (var (_, ds) in matches.OrderBy(m => m.Path, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            string key = ds.GetStringOrDefault(LevelKeys[level]) ?? "";
            if (!seen.Add(key)) continue;
            var rsp = new DicomDataset();
            foreach (var item in identifier)
            {
                if (item.Tag == DicomTag.QueryRetrieveLevel) continue;
                if (item.Tag == DicomTag.SpecificCharacterSet) continue;
                var have = ds[item.Tag];
                rsp.AddOrUpdate(have ?? item);
            }
            if (ds[DicomTag.SpecificCharacterSet] is { } cs) rsp.AddOrUpdate(cs);
            rsp.AddOrUpdate(DicomTag.QueryRetrieveLevel, identifier.GetString(DicomTag.QueryRetrieveLevel).Trim());
            // Unique keys of the levels above (hierarchical model) are always returned.
            for (int i = patientRoot ? 0 : 1; i <= level; i++)
                if (ds[LevelKeys[i]] is { } uk) rsp.AddOrUpdate(uk);
            rsp.AddOrUpdate(DicomTag.RetrieveAETitle, association.CalledAE);
            yield return rsp;
            await Task.Yield();
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> OnRetrieveAsync(DicomAssociation association, DimseMessage request, DicomDataset identifier, CancellationToken cancellationToken)
    {
        int level = LevelIndex(identifier.GetStringOrDefault(DicomTag.QueryRetrieveLevel));
        if (level < 0) throw new DicomServiceException(DicomStatus.IdentifierDoesNotMatchSopClass, "missing or invalid QueryRetrieveLevel");
        IReadOnlyList<string> files = Match(identifier, level).Select(m => m.Path).OrderBy(p => p, StringComparer.Ordinal).ToList();
        return Task.FromResult(files);
    }
}
