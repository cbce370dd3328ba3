using BenchmarkDotNet.Attributes;
using Dicom.Typed.IO;

namespace Dicom.Typed.Benchmarks;

/// <summary>Parsing the pydicom sample files from memory, a header-only read of a generated 100 MB file, and writing.</summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private const string PydicomData = "/usr/lib/python3/dist-packages/pydicom/data";
    private List<byte[]> _files = [];
    private long _bytes;
    private string _large = "";
    private DicomFile _ct = null!;

    [GlobalSetup]
    public void Setup()
    {
        foreach (var f in Directory.EnumerateFiles(PydicomData, "*.dcm", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(f);
            try
            {
                DicomFile.Open(bytes);
                _files.Add(bytes);
                _bytes += bytes.Length;
            }
            catch (DicomReadException)
            {
                // truncated samples are not part of the throughput figure
            }
        }
        _large = LargeFile.Create(Path.Combine(Path.GetTempPath(), "dicom-typed-bench-100mb.dcm"));
        _ct = DicomFile.Open(Path.Combine(PydicomData, "test_files", "CT_small.dcm"));
        Console.WriteLine($"// {_files.Count} sample files, {_bytes:N0} bytes");
    }

    /// <summary>All readable pydicom sample files, parsed from memory (values are slices, not copies).</summary>
    [Benchmark]
    public int ParseSampleFiles()
    {
        int n = 0;
        foreach (var b in _files) n += DicomFile.Open(b).Dataset.Count;
        return n;
    }

    /// <summary>All sample files parsed and every string value decoded.</summary>
    [Benchmark]
    public int ParseAndDecodeSampleFiles()
    {
        int n = 0;
        foreach (var b in _files)
        {
            foreach (var item in DicomFile.Open(b).Dataset)
            {
                if (item is DicomElement { VR.IsString: true } e) n += e.GetString().Length;
            }
        }
        return n;
    }

    /// <summary>Header-only read of the 100 MB file (stops before Pixel Data).</summary>
    [Benchmark]
    public int HeaderOnly100MB() => DicomFile.Open(_large, new DicomReadOptions { StopBeforePixelData = true }).Dataset.Count;

    /// <summary>Full read of the 100 MB file with Pixel Data left on disk (lazy).</summary>
    [Benchmark]
    public int Lazy100MB() => DicomFile.Open(_large).Dataset.Count;

    /// <summary>Writing CT_small.dcm to memory.</summary>
    [Benchmark]
    public long WriteCtSmall()
    {
        using var ms = new MemoryStream();
        _ct.Save(ms);
        return ms.Length;
    }
}

/// <summary>Creates the 100 MB multi-frame test file by streaming (no 100 MB buffer).</summary>
public static class LargeFile
{
    /// <summary>Creates (once) a 512×512×200 16-bit Multi-frame Grayscale Word SC file.</summary>
    public static string Create(string path)
    {
        if (File.Exists(path) && new FileInfo(path).Length > 100_000_000) return path;
        string raw = path + ".raw";
        using (var fs = new FileStream(raw, FileMode.Create))
        {
            var frame = new byte[512 * 512 * 2];
            for (int f = 0; f < 200; f++)
            {
                Random.Shared.NextBytes(frame);
                fs.Write(frame);
            }
        }
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.SOPClassUID, DicomUid.MultiFrameGrayscaleWordSecondaryCaptureImageStorage.Value);
        ds.AddOrUpdate(DicomTag.SOPInstanceUID, DicomUid.GenerateValue());
        ds.AddOrUpdate(DicomTag.PatientName, "Bench^Large");
        ds.AddOrUpdate(DicomTag.PatientID, "BENCH100MB");
        ds.AddOrUpdate(DicomTag.Modality, "OT");
        ds.AddOrUpdate<ushort>(DicomTag.Rows, 512);
        ds.AddOrUpdate<ushort>(DicomTag.Columns, 512);
        ds.AddOrUpdate(DicomTag.NumberOfFrames, "200");
        ds.AddOrUpdate<ushort>(DicomTag.BitsAllocated, 16);
        ds.AddOrUpdate<ushort>(DicomTag.BitsStored, 16);
        ds.AddOrUpdate<ushort>(DicomTag.HighBit, 15);
        ds.AddOrUpdate<ushort>(DicomTag.PixelRepresentation, 0);
        ds.AddOrUpdate<ushort>(DicomTag.SamplesPerPixel, 1);
        ds.AddOrUpdate(DicomTag.PhotometricInterpretation, "MONOCHROME2");
        ds.AddOrUpdate(new DicomElement(DicomTag.PixelData, DicomVR.OW, new FileBuffer(raw, 0, 512L * 512 * 2 * 200)));
        new DicomFile(ds).Save(path);
        File.Delete(raw);
        return path;
    }
}
