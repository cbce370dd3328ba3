using System.Security.Cryptography;
using Dicom.Typed.IO;

namespace Dicom.Typed.Tests.IO;

/// <summary>A 100 MB multi-frame file is written by streaming and read with bounded memory (lazy values, header-only reads).</summary>
public sealed class LargeFileTests : IDisposable
{
    private const int Rows = 512, Columns = 512, Frames = 200; // 104,857,600 bytes of 16-bit pixels
    private readonly string _dir = Directory.CreateTempSubdirectory("dt-large-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string CreateLargeFile(out string pixelHash)
    {
        // Raw pixels in a scratch file, attached to the data set as a file-backed (lazy) value: never in memory.
        string raw = Path.Combine(_dir, "pixels.raw");
        using (var fs = new FileStream(raw, FileMode.Create))
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            var frame = new byte[Rows * Columns * 2];
            for (int f = 0; f < Frames; f++)
            {
                for (int i = 0; i < frame.Length; i += 2) { frame[i] = (byte)(i + f); frame[i + 1] = (byte)(f & 0x0F); }
                fs.Write(frame);
                sha.AppendData(frame);
            }
            pixelHash = Convert.ToHexString(sha.GetHashAndReset());
        }
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.SOPClassUID, DicomUid.MultiFrameGrayscaleWordSecondaryCaptureImageStorage.Value);
        ds.AddOrUpdate(DicomTag.SOPInstanceUID, DicomUid.GenerateValue());
        ds.AddOrUpdate(DicomTag.PatientName, "Large^File");
        ds.AddOrUpdate<ushort>(DicomTag.Rows, Rows);
        ds.AddOrUpdate<ushort>(DicomTag.Columns, Columns);
        ds.AddOrUpdate(DicomTag.NumberOfFrames, Frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ds.AddOrUpdate<ushort>(DicomTag.BitsAllocated, 16);
        ds.AddOrUpdate<ushort>(DicomTag.BitsStored, 16);
        ds.AddOrUpdate<ushort>(DicomTag.HighBit, 15);
        ds.AddOrUpdate<ushort>(DicomTag.PixelRepresentation, 0);
        ds.AddOrUpdate<ushort>(DicomTag.SamplesPerPixel, 1);
        ds.AddOrUpdate(DicomTag.PhotometricInterpretation, "MONOCHROME2");
        ds.AddOrUpdate(new DicomElement(DicomTag.PixelData, DicomVR.OW, new FileBuffer(raw, 0, (long)Rows * Columns * 2 * Frames)));
        string path = Path.Combine(_dir, "large.dcm");
        long before = GC.GetAllocatedBytesForCurrentThread();
        new DicomFile(ds).Save(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 4 << 20, $"writing allocated {allocated:N0} bytes");
        return path;
    }

    [Fact]
    public void Header_only_read_stops_before_pixel_data_with_bounded_memory()
    {
        string path = CreateLargeFile(out _);
        Assert.True(new FileInfo(path).Length > 100_000_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var file = DicomFile.Open(path, new DicomReadOptions { StopBeforePixelData = true });
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.False(file.Dataset.Contains(DicomTag.PixelData));
        Assert.Equal("Large^File", file.Dataset.GetString(DicomTag.PatientName));
        Assert.True(allocated < 1 << 20, $"header read allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Large_values_stay_on_the_file_and_are_streamed_when_written()
    {
        string path = CreateLargeFile(out string hash);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var file = DicomFile.Open(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var pixels = file.Dataset.GetElement(DicomTag.PixelData)!;
        Assert.False(pixels.Buffer.IsLoaded);
        Assert.Equal((long)Rows * Columns * 2 * Frames, pixels.Length);
        Assert.True(allocated < 2 << 20, $"lazy read allocated {allocated:N0} bytes");

        string copy = Path.Combine(_dir, "copy.dcm");
        before = GC.GetAllocatedBytesForCurrentThread();
        file.Save(copy);
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 4 << 20, $"streamed write allocated {allocated:N0} bytes");
        Assert.Equal(new FileInfo(path).Length, new FileInfo(copy).Length);

        using var s = DicomFile.Open(copy).Dataset.GetElement(DicomTag.PixelData)!.Buffer.OpenRead();
        Assert.Equal(hash, Convert.ToHexString(SHA256.HashData(s)));

        // Big endian output swaps the 16-bit words while streaming; reading it back gives the same values.
        string be = Path.Combine(_dir, "be.dcm");
        file.TransferSyntax = DicomTransferSyntax.ExplicitVRBigEndian;
        file.Save(be);
        using var s2 = DicomFile.Open(be).Dataset.GetElement(DicomTag.PixelData)!.Buffer.OpenRead();
        Assert.Equal(hash, Convert.ToHexString(SHA256.HashData(s2)));
        var (rc, _, err) = TestEnvironment.Run(TestEnvironment.RequireProgram("dcmdump"), ["-q", "-M", be]);
        Assert.True(rc == 0, err);
    }
}
