using Dicom.Typed.IO;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dicom.Typed.Network;

/// <summary>Handles Modality Worklist C-FIND (PS3.4 annex K). Set on <see cref="DicomServer.Worklist"/>.</summary>
public interface IDicomWorklistHandler
{
    /// <summary>Yields the worklist items matching the identifier, already reduced to the requested keys
    /// (see <see cref="DicomKeyMatching.Project"/>). Throw <see cref="DicomServiceException"/> for a failure status.</summary>
    /// <param name="association">The association.</param>
    /// <param name="request">The C-FIND-RQ.</param>
    /// <param name="identifier">The query identifier.</param>
    /// <param name="cancellationToken">Cancelled by C-CANCEL-RQ or when the association ends.</param>
    IAsyncEnumerable<DicomDataset> OnWorklistFindAsync(DicomAssociation association, DimseMessage request, DicomDataset identifier, CancellationToken cancellationToken);
}

/// <summary>A worklist served from a folder of worklist items (Part 10 files named <c>*.wl</c> or <c>*.dcm</c>, as DCMTK's
/// wlmscpfs keeps them). The folder is read on every query, so items added or removed take effect at once; unreadable
/// files are logged and skipped.</summary>
public sealed class DicomWorklistFolder : IDicomWorklistHandler
{
    private readonly ILogger _log;

    /// <summary>Serves the items in <paramref name="directory"/>.</summary>
    /// <param name="directory">The folder (created if missing).</param>
    /// <param name="logger">Logger.</param>
    public DicomWorklistFolder(string directory, ILogger? logger = null)
    {
        Directory.CreateDirectory(directory);
        RootDirectory = directory;
        _log = logger ?? NullLogger.Instance;
    }

    /// <summary>The folder.</summary>
    public string RootDirectory { get; }

    /// <summary>Maximum number of matches returned; more matches end the query with 0xA700 (out of resources). Default 1000.</summary>
    public int MaxMatches { get; set; } = 1000;

    /// <summary>Items larger than this are skipped (a worklist item is a few kilobytes). Default 4 MB.</summary>
    public long MaxItemBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Adds an item: saves it atomically (temporary file, then rename) as <c>name.wl</c>.</summary>
    /// <param name="name">File name without extension (letters, digits, '-', '_', '.').</param>
    /// <param name="item">The worklist item.</param>
    public string Add(string name, DicomDataset item)
    {
        if (name.Length == 0 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            throw new ArgumentException($"invalid item name '{name}'", nameof(name));
        string path = Path.Combine(RootDirectory, name + ".wl");
        string tmp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        new DicomFile(item, DicomTransferSyntax.ExplicitVRLittleEndian).Save(tmp);
        File.Move(tmp, path, overwrite: true);
        return path;
    }

    /// <summary>Reads every item of the folder (unreadable files are skipped).</summary>
    public IEnumerable<(string Path, DicomDataset Item)> ReadItems()
    {
        var files = Directory.EnumerateFiles(RootDirectory, "*.wl").Concat(Directory.EnumerateFiles(RootDirectory, "*.dcm")).OrderBy(p => p, StringComparer.Ordinal);
        foreach (var f in files)
        {
            DicomDataset? ds = null;
            try
            {
                var info = new FileInfo(f);
                if (info.Length > MaxItemBytes) throw new IOException($"larger than {MaxItemBytes} bytes");
                ds = DicomFile.Open(f, new DicomReadOptions { StopBeforePixelData = true }).Dataset;
            }
            catch (Exception e) when (e is DicomException or IOException or UnauthorizedAccessException)
            {
                _log.LogWarning("Skipping worklist item {File}: {Error}", f, e.Message);
            }
            if (ds != null) yield return (f, ds);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<DicomDataset> OnWorklistFindAsync(DicomAssociation association, DimseMessage request, DicomDataset identifier,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        int n = 0;
        foreach (var (_, item) in ReadItems())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!DicomKeyMatching.Matches(identifier, item)) continue;
            if (++n > MaxMatches) throw new DicomServiceException(DicomStatus.OutOfResources, $"more than {MaxMatches} matches");
            yield return DicomKeyMatching.Project(identifier, item);
            await Task.Yield();
        }
    }
}

/// <summary>Transfer capabilities of the services beyond verification, storage and Q/R (PS3.15 H.4.3 shape).</summary>
public static class DicomServiceCapabilities
{
    /// <summary>Modality Worklist Information Model – FIND, SCP.</summary>
    public static IEnumerable<DicomTransferCapability> ModalityWorklist() =>
        [new(DicomUid.ModalityWorklistInformationModelFind.Value, DicomTransferRole.Scp, DicomStorageOperations.UncompressedTransferSyntaxes)];

    /// <summary>Modality Performed Procedure Step, SCP.</summary>
    public static IEnumerable<DicomTransferCapability> ModalityPerformedProcedureStep() =>
        [new(DicomUid.ModalityPerformedProcedureStep.Value, DicomTransferRole.Scp, DicomStorageOperations.UncompressedTransferSyntaxes)];

    /// <summary>Storage Commitment Push Model: SCP (receives N-ACTION) and SCU (so that a peer may open an association
    /// with SCP role selection to deliver N-EVENT-REPORT, as Orthanc does).</summary>
    /// <param name="role">Roles this AE plays; default both.</param>
    public static IEnumerable<DicomTransferCapability> StorageCommitment(DicomTransferRole role = DicomTransferRole.Scp | DicomTransferRole.Scu) =>
        [new(DicomUid.StorageCommitmentPushModel.Value, role, DicomStorageOperations.UncompressedTransferSyntaxes)];
}
