using System.Text.RegularExpressions;
using Dicom.Typed.IO;

namespace Dicom.Typed.Tests.IO;

/// <summary>Read → write → read over every sample file; canonical files come back byte-identical; DCMTK and dicom3tools accept what we write.</summary>
public sealed class RoundTripTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("dt-roundtrip-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    public static IEnumerable<object[]> Files() => PydicomComparisonTests.Files();

    private static DicomFile? TryOpen(string path)
    {
        try
        {
            return DicomFile.Open(path, new DicomReadOptions { LargeValueThreshold = null });
        }
        catch (DicomReadException)
        {
            return null; // rejected files are checked against dcmdump in PydicomComparisonTests
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Write_then_read_gives_an_equal_dataset_and_dcmdump_parses_it(string relative)
    {
        string path = Path.Combine(TestEnvironment.PydicomData, relative);
        var file = TryOpen(path);
        if (file == null) return;
        string output = Path.Combine(_dir, "out.dcm");
        file.Save(output);
        var again = DicomFile.Open(output);
        var diffs = DicomDatasetComparer.Differences(file.Dataset, again.Dataset);
        Assert.True(diffs.Count == 0, $"{relative}: " + string.Join("\n", diffs));
        Assert.DoesNotContain(again.Warnings, w => !w.StartsWith("No preamble", StringComparison.Ordinal));

        // Our output is canonical: writing it again gives the same bytes.
        string output2 = Path.Combine(_dir, "out2.dcm");
        again.Save(output2);
        Assert.True(File.ReadAllBytes(output).AsSpan().SequenceEqual(File.ReadAllBytes(output2)), $"{relative}: second write differs");

        var (rc, _, err) = TestEnvironment.Run(TestEnvironment.RequireProgram("dcmdump"), ["-q", "-M", output]);
        Assert.True(rc == 0, $"dcmdump rejects our output of {relative}: {err}");
    }

    [Theory]
    [InlineData("test_files/CT_small.dcm")]
    [InlineData("test_files/MR_small.dcm")]
    [InlineData("test_files/test-SR.dcm")]
    [InlineData("test_files/waveform_ecg.dcm")]
    [InlineData("test_files/JPEG2000.dcm")]
    [InlineData("test_files/MR_small_bigendian.dcm")]
    [InlineData("test_files/ExplVR_BigEnd.dcm")]
    [InlineData("test_files/MR_small_implicit.dcm")]
    [InlineData("test_files/SC_rgb_rle.dcm")]
    [InlineData("test_files/liver_1frame.dcm")]
    [InlineData("test_files/reportsi.dcm")]
    [InlineData("charset_files/chrH31.dcm")]
    public void Canonical_files_come_back_byte_identical(string relative)
    {
        string path = Path.Combine(TestEnvironment.PydicomData, relative);
        var file = DicomFile.Open(path);
        using var ms = new MemoryStream();
        file.Save(ms);
        var original = File.ReadAllBytes(path);
        Assert.Equal(original.Length, ms.Length);
        Assert.True(original.AsSpan().SequenceEqual(ms.ToArray()), $"{relative} differs at byte {FirstDifference(original, ms.ToArray())}");
    }

    [Fact]
    public void File_meta_is_made_consistent_with_the_dataset()
    {
        // rtplan.dcm's meta names a SOP Instance UID other than the data set's; writing is always conformant.
        var file = DicomFile.Open(Path.Combine(TestEnvironment.PydicomData, "test_files/rtplan.dcm"));
        using var ms = new MemoryStream();
        file.Save(ms);
        var again = DicomFile.Open(ms.ToArray());
        Assert.Equal(again.Dataset.GetString(DicomTag.SOPInstanceUID), again.FileMetaInformation.GetString(DicomTag.MediaStorageSOPInstanceUID));
        Assert.Equal(again.Dataset.GetString(DicomTag.SOPClassUID), again.FileMetaInformation.GetString(DicomTag.MediaStorageSOPClassUID));
        var meta = again.FileMetaInformation;
        var writer = new DicomDatasetWriter(Stream.Null, DicomTransferSyntax.ExplicitVRLittleEndian);
        var rest = new DicomDataset(meta.Where(i => i.Tag.Element != 0));
        Assert.Equal((uint)writer.ComputeLength(rest), meta.GetValue<uint>(DicomTag.FileMetaInformationGroupLength));
    }

    private static int FirstDifference(byte[] a, byte[] b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++) if (a[i] != b[i]) return i;
        return n;
    }

    [Theory]
    [InlineData("test_files/CT_small.dcm")]
    [InlineData("test_files/MR_small.dcm")]
    [InlineData("test_files/rtplan.dcm")]
    [InlineData("test_files/rtdose.dcm")]
    [InlineData("test_files/test-SR.dcm")]
    [InlineData("test_files/JPEG2000.dcm")]
    [InlineData("test_files/MR_small_bigendian.dcm")]
    [InlineData("test_files/image_dfl.dcm")]
    [InlineData("test_files/waveform_ecg.dcm")]
    public void Dciodvfy_reports_no_new_errors(string relative)
    {
        string path = Path.Combine(TestEnvironment.PydicomData, relative);
        var file = DicomFile.Open(path);
        string output = Path.Combine(_dir, Path.GetFileName(path));
        file.Save(output);
        var before = Errors(path);
        var after = Errors(output);
        var added = after.Except(before).ToList();
        Assert.True(added.Count == 0, $"{relative}: new dciodvfy errors:\n" + string.Join("\n", added));
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2")]
    [InlineData("1.2.840.10008.1.2.1")]
    [InlineData("1.2.840.10008.1.2.2")]
    [InlineData("1.2.840.10008.1.2.1.99")]
    public void Converts_between_uncompressed_transfer_syntaxes(string uid)
    {
        string path = Path.Combine(TestEnvironment.PydicomData, "test_files/MR_small.dcm");
        var file = DicomFile.Open(path);
        file.TransferSyntax = DicomTransferSyntax.Parse(uid);
        string output = Path.Combine(_dir, "ts.dcm");
        file.Save(output);
        var again = DicomFile.Open(output);
        Assert.Equal(uid, again.TransferSyntax.Uid.Value);
        Assert.Empty(DicomDatasetComparer.Differences(file.Dataset, again.Dataset));
        var (rc, stdout, err) = TestEnvironment.Run(TestEnvironment.RequireProgram("dcmdump"), ["+P", "0010,0010", output]);
        Assert.True(rc == 0, err);
        Assert.Contains(file.Dataset.GetString(DicomTag.PatientName), stdout);
        // pydicom reads it to the same pixel values
        var (prc, pout, perr) = TestEnvironment.Run(TestEnvironment.Python, ["-c", PixelHash, output]);
        var (orc, oout, _) = TestEnvironment.Run(TestEnvironment.Python, ["-c", PixelHash, path]);
        Assert.True(prc == 0 && orc == 0, perr);
        Assert.Equal(oout, pout);
    }

    private const string PixelHash = "import sys,pydicom,hashlib,array; d=pydicom.dcmread(sys.argv[1]); a=array.array('H', d.PixelData); a.byteswap() if not d.is_little_endian else None; print(d.PatientName, hashlib.sha1(a.tobytes()).hexdigest())";

    private static HashSet<string> Errors(string path)
    {
        var (_, _, stderr) = TestEnvironment.Run(TestEnvironment.RequireProgram("dciodvfy"), [path]);
        return stderr.Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal))
            .Select(l => Regex.Replace(l, "offset [0-9a-fx]+", "")).ToHashSet();
    }
}
