using System.IO.Compression;
using Dicom.Typed.IO;
using Dicom.Typed.Text;

namespace Dicom.Typed;

/// <summary>A DICOM Part 10 file (PS3.10 7.1): preamble, File Meta Information and data set.</summary>
public sealed class DicomFile
{
    /// <summary>The Implementation Class UID written by Dicom.Typed.</summary>
    public const string ImplementationClassUid = "2.25.211380542637408357478374939962476655416";

    /// <summary>The Implementation Version Name written by Dicom.Typed.</summary>
    public const string ImplementationVersionName = "DICOM_TYPED_01";

    /// <summary>Creates a file for a data set.</summary>
    /// <param name="dataset">The data set.</param>
    /// <param name="transferSyntax">The transfer syntax to write (default Explicit VR Little Endian).</param>
    public DicomFile(DicomDataset dataset, DicomTransferSyntax? transferSyntax = null)
    {
        Dataset = dataset;
        TransferSyntax = transferSyntax ?? DicomTransferSyntax.ExplicitVRLittleEndian;
    }

    /// <summary>The 128-byte preamble as read (null when the input had none; zeros are written then).</summary>
    public byte[]? Preamble { get; set; }

    /// <summary>The File Meta Information (group 0002) as read or set; completed and normalized on write.</summary>
    public DicomDataset FileMetaInformation { get; set; } = new();

    /// <summary>The data set.</summary>
    public DicomDataset Dataset { get; set; }

    /// <summary>The transfer syntax of <see cref="Dataset"/>.</summary>
    public DicomTransferSyntax TransferSyntax { get; set; }

    /// <summary>How the input was recognized (e.g. no preamble, no meta, guessed transfer syntax) and tolerated problems.</summary>
    public IReadOnlyList<string> Warnings { get; private set; } = [];

    /// <summary>The path the file was read from, if any.</summary>
    public string? Path { get; private set; }

    // ---- reading --------------------------------------------------------------------------------------------------

    /// <summary>Reads a file. Large values may stay on the file (see <see cref="DicomReadOptions.LargeValueThreshold"/>).</summary>
    /// <param name="path">The file path.</param>
    /// <param name="options">Read options.</param>
    /// <exception cref="DicomReadException">The file is not valid DICOM; the exception gives offset and tag path.</exception>
    public static DicomFile Open(string path, DicomReadOptions? options = null)
    {
        options ??= DicomReadOptions.Default;
        DicomFile file;
        // The usual small file: open, length, one positioned read (no FileStream, no read-ahead advice: fewer system
        // calls per file when thousands are sent or dumped).
        using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            long length = RandomAccess.GetLength(handle);
            if (length <= options.WholeFileThreshold)
            {
                var bytes = new byte[length];
                int got = 0;
                while (got < bytes.Length)
                {
                    int n = RandomAccess.Read(handle, bytes.AsSpan(got), got);
                    if (n <= 0) throw new EndOfStreamException($"{path}: the file ended after {got} of {length} bytes (changed while read)");
                    got += n;
                }
                file = Read(new ByteSource(bytes, 0, bytes.Length), options, path);
                file.Path = path;
                return file;
            }
        }
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        file = Read(new ByteSource(fs), options, path);
        file.Path = path;
        return file;
    }

    /// <summary>Reads a file asynchronously (the file is read into memory or streamed on a worker thread).</summary>
    /// <param name="path">The file path.</param>
    /// <param name="options">Read options.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public static Task<DicomFile> OpenAsync(string path, DicomReadOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => Open(path, options), cancellationToken);

    /// <summary>Reads from a stream (values are loaded; nothing stays lazy).</summary>
    /// <param name="stream">The stream, positioned at the start of the file.</param>
    /// <param name="options">Read options.</param>
    /// <exception cref="DicomReadException">The stream is not valid DICOM.</exception>
    public static DicomFile Open(Stream stream, DicomReadOptions? options = null) =>
        Read(new ByteSource(stream, 0), options ?? DicomReadOptions.Default, null);

    /// <summary>Reads from bytes in memory (values are slices of <paramref name="data"/>, not copies).</summary>
    /// <param name="data">The file content.</param>
    /// <param name="options">Read options.</param>
    public static DicomFile Open(byte[] data, DicomReadOptions? options = null) =>
        Read(new ByteSource(data, 0, data.Length), options ?? DicomReadOptions.Default, null);

    private static DicomFile Read(ByteSource source, DicomReadOptions options, string? path)
    {
        var parser = new DicomParser(source, options, path);
        var file = new DicomFile(new DicomDataset());
        try
        {
            ReadContent(parser, file);
        }
        catch (DicomReadException)
        {
            throw;
        }
        catch (InvalidDataException e)
        {
            throw parser.Error("Corrupt deflated data: " + e.Message, null, e);
        }
        catch (IOException e)
        {
            throw parser.Error("I/O error: " + e.Message, null, e);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or DicomException)
        {
            throw parser.Error("Invalid data: " + e.Message, null, e);
        }
        file.Warnings = parser.Warnings;
        return file;
    }

    private static void ReadContent(DicomParser parser, DicomFile file)
    {
        var src = parser.Source;
        bool hasPreamble = src.Ensure(132) && src.Peek(132)[128..132].SequenceEqual("DICM"u8);
        if (hasPreamble)
        {
            file.Preamble = src.Peek(128).ToArray();
            src.Advance(132);
        }
        else if (src.Ensure(4) && src.Peek(4).SequenceEqual("DICM"u8))
        {
            parser.Warnings.Add("No preamble; file starts with 'DICM'");
            src.Advance(4);
        }
        else
        {
            parser.Warnings.Add("No preamble and 'DICM' prefix");
        }

        if (src.Ensure(6) && src.Peek(2)[0] == 0x02 && src.Peek(2)[1] == 0x00)
        {
            file.FileMetaInformation = parser.ReadMeta();
        }
        else if (hasPreamble)
        {
            parser.Warnings.Add("No File Meta Information after the preamble");
        }

        string? tsUid = file.FileMetaInformation.GetStringOrDefault(DicomTag.TransferSyntaxUID);
        DicomTransferSyntax ts;
        if (string.IsNullOrEmpty(tsUid))
        {
            ts = GuessTransferSyntax(src);
            parser.Warnings.Add($"No Transfer Syntax UID; guessed {ts.Uid.Name}");
        }
        else
        {
            ts = DicomTransferSyntax.Parse(tsUid);
        }

        if (ts.IsDeflated)
        {
            parser.SwitchToDeflate();
        }
        else if (src.Ensure(6))
        {
            // Some writers label implicit data sets as explicit (and vice versa): trust the bytes, like dcmtk and pydicom.
            var head = src.Peek(6);
            bool looksExplicit = IsVRLike(head[4], head[5]);
            if (looksExplicit != ts.IsExplicitVR && !ts.IsEncapsulated)
            {
                var actual = looksExplicit
                    ? (ts.IsLittleEndian ? DicomTransferSyntax.ExplicitVRLittleEndian : DicomTransferSyntax.ExplicitVRBigEndian)
                    : DicomTransferSyntax.ImplicitVRLittleEndian;
                parser.Warnings.Add($"Transfer Syntax says {ts.Uid.Name} but the data set is {actual.Uid.Name}");
                parser.SetEncoding(looksExplicit, !ts.IsLittleEndian && looksExplicit);
                file.TransferSyntax = ts;
                parser.ReadDataset(file.Dataset);
                return;
            }
        }
        file.TransferSyntax = ts;
        parser.SetEncoding(ts.IsExplicitVR, !ts.IsLittleEndian);
        parser.ReadDataset(file.Dataset);
    }

    private static bool IsVRLike(byte a, byte b) => DicomVR.FromBytes(a, b) != null || (a is >= (byte)'A' and <= (byte)'Z' && b is >= (byte)'A' and <= (byte)'Z');

    private static DicomTransferSyntax GuessTransferSyntax(ByteSource src)
    {
        if (!src.Ensure(6)) return DicomTransferSyntax.ImplicitVRLittleEndian;
        var h = src.Peek(6);
        bool explicitVR = IsVRLike(h[4], h[5]);
        // A big-endian group 0008 reads as 0x0800 in little endian.
        bool bigEndian = h[0] == 0x00 && h[1] != 0x00;
        if (bigEndian) return DicomTransferSyntax.ExplicitVRBigEndian;
        return explicitVR ? DicomTransferSyntax.ExplicitVRLittleEndian : DicomTransferSyntax.ImplicitVRLittleEndian;
    }

    // ---- writing --------------------------------------------------------------------------------------------------

    /// <summary>Writes the file: preamble, normalized File Meta Information (group length recomputed) and the data set.</summary>
    /// <param name="path">Target path; written to a temporary file first and renamed, so a failure leaves no partial file.</param>
    /// <param name="options">Write options.</param>
    public void Save(string path, DicomWriteOptions? options = null)
    {
        string full = System.IO.Path.GetFullPath(path);
        string tmp = full + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                Save(fs, options);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }

    /// <summary>Writes the file asynchronously.</summary>
    /// <param name="path">Target path.</param>
    /// <param name="options">Write options.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public Task SaveAsync(string path, DicomWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => Save(path, options), cancellationToken);

    /// <summary>Writes the file to a stream.</summary>
    /// <param name="stream">Target stream.</param>
    /// <param name="options">Write options.</param>
    public void Save(Stream stream, DicomWriteOptions? options = null)
    {
        options ??= DicomWriteOptions.Default;
        var buffered = stream as BufferedStream ?? new BufferedStream(stream, 1 << 16);
        var preamble = Preamble is { Length: 128 } p ? p : new byte[128];
        buffered.Write(preamble);
        buffered.Write("DICM"u8);
        var meta = BuildMeta();
        new DicomDatasetWriter(buffered, DicomTransferSyntax.ExplicitVRLittleEndian, options).Write(meta);
        if (TransferSyntax.IsDeflated)
        {
            buffered.Flush();
            using (var deflate = new DeflateStream(stream, options.DeflateLevel, leaveOpen: true))
            using (var inner = new BufferedStream(deflate, 1 << 16))
            {
                new DicomDatasetWriter(inner, TransferSyntax, options).Write(Dataset);
            }
        }
        else
        {
            new DicomDatasetWriter(buffered, TransferSyntax, options).Write(Dataset);
            buffered.Flush();
        }
        stream.Flush();
    }

    /// <summary>The File Meta Information as it will be written: existing elements kept, required ones completed, group length computed.</summary>
    public DicomDataset BuildMeta()
    {
        var meta = new DicomDataset();
        foreach (var item in FileMetaInformation)
        {
            if (item.Tag.Group == 0x0002 && item.Tag.Element != 0) meta.AddOrUpdate(item);
        }
        var cs = DicomCharacterSet.Default;
        if (!meta.Contains(DicomTag.FileMetaInformationVersion))
            meta.AddOrUpdate(DicomElement.FromValues(DicomTag.FileMetaInformationVersion, DicomVR.OB, (byte)0, (byte)1));
        SetUid(meta, DicomTag.MediaStorageSOPClassUID, Dataset.GetStringOrDefault(DicomTag.SOPClassUID));
        SetUid(meta, DicomTag.MediaStorageSOPInstanceUID, Dataset.GetStringOrDefault(DicomTag.SOPInstanceUID));
        SetUid(meta, DicomTag.TransferSyntaxUID, TransferSyntax.Uid.Value);
        if (!meta.Contains(DicomTag.ImplementationClassUID))
        {
            meta.AddOrUpdate(DicomElement.FromStrings(DicomTag.ImplementationClassUID, DicomVR.UI, cs, ImplementationClassUid));
            meta.AddOrUpdate(DicomElement.FromStrings(DicomTag.ImplementationVersionName, DicomVR.SH, cs, ImplementationVersionName));
        }
        var writer = new DicomDatasetWriter(Stream.Null, DicomTransferSyntax.ExplicitVRLittleEndian);
        uint groupLength = (uint)writer.ComputeLength(meta);
        meta.AddOrUpdate(DicomElement.FromValues(DicomTag.FileMetaInformationGroupLength, DicomVR.UL, groupLength));
        return meta;
    }

    private static void SetUid(DicomDataset meta, DicomTag tag, string? value)
    {
        if (value == null)
        {
            return;
        }
        if (meta.GetStringOrDefault(tag) != value)
            meta.AddOrUpdate(DicomElement.FromStrings(tag, DicomVR.UI, DicomCharacterSet.Default, value));
    }
}
