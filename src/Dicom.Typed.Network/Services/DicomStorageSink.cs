using Dicom.Typed.IO;

namespace Dicom.Typed.Network;

/// <summary>
/// Receives one instance as it arrives from the network: writes the Part 10 header (preamble, File Meta Information)
/// and then the data set bytes unchanged to a temporary file. <see cref="Commit(string)"/> renames it into place; disposing
/// without committing deletes it, so a failed or aborted transfer never leaves a partial file.
/// </summary>
public sealed class DicomStorageSink : Stream
{
    private readonly FileStream _file;
    private readonly string _tempPath;
    private bool _committed;
    private bool _disposed;

    /// <summary>Creates the temporary file and writes the Part 10 header.</summary>
    /// <param name="tempDirectory">Folder for the temporary file (same file system as the final folder, for an atomic rename).</param>
    /// <param name="sopClassUid">SOP class (Media Storage SOP Class UID).</param>
    /// <param name="sopInstanceUid">SOP instance (Media Storage SOP Instance UID).</param>
    /// <param name="transferSyntax">Transfer syntax the data set arrives in.</param>
    /// <param name="sourceAE">Source Application Entity Title (0002,0016), optional.</param>
    public DicomStorageSink(string tempDirectory, string sopClassUid, string sopInstanceUid, DicomTransferSyntax transferSyntax, string? sourceAE = null)
    {
        Directory.CreateDirectory(tempDirectory);
        _tempPath = System.IO.Path.Combine(tempDirectory, Guid.NewGuid().ToString("N") + ".part");
        SopClassUid = sopClassUid;
        SopInstanceUid = sopInstanceUid;
        TransferSyntax = transferSyntax;
        _file = new FileStream(_tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous);
        try
        {
            var header = new DicomFile(new DicomDataset()
                .AddOrUpdate(DicomTag.SOPClassUID, sopClassUid)
                .AddOrUpdate(DicomTag.SOPInstanceUID, sopInstanceUid), transferSyntax);
            if (!string.IsNullOrEmpty(sourceAE)) header.FileMetaInformation.AddOrUpdate(DicomTag.SourceApplicationEntityTitle, sourceAE);
            var meta = header.BuildMeta();
            _file.Write(new byte[128]);
            _file.Write("DICM"u8);
            new DicomDatasetWriter(_file, DicomTransferSyntax.ExplicitVRLittleEndian).Write(meta);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>SOP class UID.</summary>
    public string SopClassUid { get; }

    /// <summary>SOP instance UID.</summary>
    public string SopInstanceUid { get; }

    /// <summary>Transfer syntax of the data set.</summary>
    public DicomTransferSyntax TransferSyntax { get; }

    /// <summary>The temporary file (deleted on dispose unless committed).</summary>
    public string TempPath => _tempPath;

    /// <summary>Data set bytes received so far.</summary>
    public long DatasetBytes { get; private set; }

    /// <summary>Flushes, closes and atomically moves the file to <paramref name="finalPath"/> (replacing an older file).</summary>
    /// <param name="finalPath">Destination.</param>
    public void Commit(string finalPath) => Commit(finalPath, flushToDisk: false);

    /// <summary>Like <see cref="Commit(string)"/>; with <paramref name="flushToDisk"/>, the file's content is flushed to disk
    /// before the rename and its folder after it (fsync on Linux/macOS), so the instance survives a power cut once this returns.</summary>
    /// <param name="finalPath">Destination.</param>
    /// <param name="flushToDisk">Flush the file and the folder to disk.</param>
    public void Commit(string finalPath, bool flushToDisk)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _file.Flush(flushToDisk);
        _file.Dispose();
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(finalPath))!);
        if (flushToDisk) DurableFile.Replace(_tempPath, finalPath);
        else File.Move(_tempPath, finalPath, overwrite: true);
        _committed = true;
        _disposed = true;
    }

    /// <inheritdoc />
    public override bool CanRead => false;
    /// <inheritdoc />
    public override bool CanSeek => false;
    /// <inheritdoc />
    public override bool CanWrite => true;
    /// <inheritdoc />
    public override long Length => _file.Length;
    /// <inheritdoc />
    public override long Position { get => _file.Position; set => throw new NotSupportedException(); }
    /// <inheritdoc />
    public override void Flush() => _file.Flush();
    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => _file.FlushAsync(cancellationToken);
    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count)
    {
        _file.Write(buffer, offset, count);
        DatasetBytes += count;
    }

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _file.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        DatasetBytes += buffer.Length;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _file.Dispose();
            if (!_committed)
            {
                try
                {
                    File.Delete(_tempPath);
                }
                catch (IOException)
                {
                }
            }
        }
        base.Dispose(disposing);
    }
}
