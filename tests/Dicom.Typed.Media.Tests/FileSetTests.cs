using System.Text;
using Dicom.Typed.IO;

namespace Dicom.Typed.Media.Tests;

public class FileIdTests
{
    [Theory]
    [InlineData("DICOM\\IM000001")]
    [InlineData("A")]
    [InlineData("A\\B\\C\\D\\E\\F\\G\\H")]
    [InlineData("ABCDEFGH\\_0_9")]
    public void ValidFileIds(string text) => Assert.Equal(text, DicomFileId.Parse(text).ToString());

    [Theory]
    [InlineData("", "empty")]
    [InlineData("dicom\\im1", "character 'd'")]
    [InlineData("ABCDEFGHI", "9 characters")]
    [InlineData("A\\B\\C\\D\\E\\F\\G\\H\\I", "9 components")]
    [InlineData("DICOM\\..\\X", "leave the file-set root")]
    [InlineData("IM.DCM", "character '.'")]
    public void InvalidFileIds(string text, string reason)
    {
        Assert.False(DicomFileId.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void LinksOutOfTheRootAreRefused()
    {
        string root = TestEnvironment.TempDir();
        string outside = TestEnvironment.TempDir();
        Directory.CreateSymbolicLink(Path.Combine(root, "LINK"), outside);
        Assert.Throws<UnauthorizedAccessException>(() => DicomFileId.Parse("LINK\\IM1").ResolveUnder(root));
        Assert.EndsWith("/DICOM/IM1", DicomFileId.Parse("DICOM\\IM1").ResolveUnder(root));
    }

    [Fact]
    public async Task ReadRecordWithEscapingFileIdDoesNotOpenIt()
    {
        var rec = new DicomDirectoryRecord(new DicomDataset()
            .AddOrUpdate(DicomTag.DirectoryRecordType, "IMAGE")
            .AddOrUpdate(DicomTag.ReferencedFileID, "..", "etc", "passwd")) { FileSetRoot = "/tmp" };
        Assert.Null(rec.FileId);
        await Assert.ThrowsAsync<InvalidOperationException>(() => rec.OpenInstanceAsync());
    }
}

public class ProfileTests
{
    [Fact]
    public void StandardProfilesAreBuiltIn()
    {
        foreach (var name in new[] { "STD-GEN-CD", "STD-GEN-DVD-RAM", "STD-GEN-USB", "STD-GEN-DVD-JPEG", "STD-GEN-DVD-J2K", "STD-GEN-USB-JPEG", "STD-GEN-USB-J2K", "STD-CTMR-CD", "STD-CTMR-DVD" })
            Assert.NotNull(MediaApplicationProfile.Find(name));
        Assert.True(MediaApplicationProfile.GeneralPurposeCd.AllowsSopClass("1.2.840.10008.5.1.4.1.1.481.5"));
        Assert.False(MediaApplicationProfile.GeneralPurposeCd.AllowsSopClass("1.2.840.10008.1.1")); // Verification
        Assert.False(MediaApplicationProfile.CtMrCd.AllowsSopClass("1.2.840.10008.5.1.4.1.1.481.5"));
        Assert.True(MediaApplicationProfile.GeneralPurposeDvdJpeg.AllowsTransferSyntax("1.2.840.10008.1.2.4.50"));
        Assert.False(MediaApplicationProfile.GeneralPurposeCd.AllowsTransferSyntax("1.2.840.10008.1.2.4.50"));
    }

    [Fact]
    public void CompressedFileOutsideTheProfileIsAClearError()
    {
        var fs = DicomFileSet.Create(TestEnvironment.TempDir(), MediaApplicationProfile.GeneralPurposeCd);
        var e = Assert.Throws<MediaProfileException>(() => fs.Add(TestEnvironment.Sample("JPEG2000.dcm")));
        Assert.Contains("not allowed by STD-GEN-CD", e.Message);
        Assert.Empty(fs.Instances);
        // The same file fits STD-GEN-DVD-J2K.
        var j2k = DicomFileSet.Create(TestEnvironment.TempDir(), MediaApplicationProfile.GeneralPurposeDvdJ2k);
        j2k.Add(TestEnvironment.Sample("JPEG2000.dcm"));
        Assert.Single(j2k.Instances);
    }

    [Fact]
    public void SopClassOutsideTheProfileIsAClearError()
    {
        var fs = DicomFileSet.Create(TestEnvironment.TempDir(), MediaApplicationProfile.CtMrCd);
        fs.Add(TestEnvironment.Sample("CT_small.dcm"));
        var e = Assert.Throws<MediaProfileException>(() => fs.Add(TestEnvironment.Sample("rtplan.dcm")));
        Assert.Contains("RT Plan", e.Message);
    }

    [Fact]
    public void UncompressedSyntaxIsConvertedExplicitlyAndLogged()
    {
        string root = TestEnvironment.TempDir();
        var fs = DicomFileSet.Create(root, MediaApplicationProfile.GeneralPurposeCd);
        var rec = fs.Add(TestEnvironment.Sample("MR_small_implicit.dcm"));
        Assert.Equal("1.2.840.10008.1.2.1", rec.ReferencedTransferSyntaxUid);
        Assert.Contains(fs.Findings, f => f.Contains("converted from Implicit VR Little Endian"));
        fs.Commit();
        Assert.Equal("1.2.840.10008.1.2.1", DicomFile.Open(rec.ResolvePath()!).TransferSyntax.Uid.Value);
    }
}

public class FileSetTests
{
    // Real sample instances that cover several record types: IMAGE, RT DOSE, RT PLAN, RT STRUCTURE SET, SR DOCUMENT, WAVEFORM.
    internal static readonly string[] Samples =
        ["CT_small.dcm", "MR_small.dcm", "rtplan.dcm", "rtdose.dcm", "rtstruct.dcm", "test-SR.dcm", "waveform_ecg.dcm", "SC_rgb_small_odd.dcm"];

    internal static DicomFileSet BuildSampleFileSet(string root)
    {
        var fs = DicomFileSet.Create(root, MediaApplicationProfile.GeneralPurposeCd, "TYPED_TEST");
        foreach (var s in Samples) fs.Add(TestEnvironment.Sample(s));
        fs.Commit();
        return fs;
    }

    internal static string Listing(IEnumerable<DicomDirectoryRecord> roots)
    {
        var sb = new StringBuilder();
        void Walk(DicomDirectoryRecord r, int depth)
        {
            sb.Append(depth).Append('|').Append(r.RecordType).Append('|').Append(r.ReferencedFileIdText ?? "").Append('\n');
            foreach (var c in r.Children) Walk(c, depth + 1);
        }
        foreach (var r in roots) Walk(r, 0);
        return sb.ToString();
    }

    internal const string PydicomListing = """
import sys, pydicom
from pydicom.fileset import FileSet
fs = FileSet(pydicom.dcmread(sys.argv[1]))
def walk(node, depth):
    r = node._record
    fid = r.get('ReferencedFileID')
    if fid is None: fid = ''
    elif isinstance(fid, str): fid = fid
    else: fid = '\\'.join(fid)
    print(f"{depth}|{r.DirectoryRecordType}|{fid}")
    for c in node.children: walk(c, depth + 1)
for c in fs._tree.children: walk(c, 0)
""";

    [Fact]
    public void RecordsCoverTheSampleSopClasses()
    {
        var fs = BuildSampleFileSet(TestEnvironment.TempDir());
        var types = fs.Instances.Values.Select(r => r.RecordType).ToHashSet();
        foreach (var t in new[] { "IMAGE", "RT DOSE", "RT PLAN", "RT STRUCTURE SET", "SR DOCUMENT", "WAVEFORM" }) Assert.Contains(t, types);
        Assert.Equal(Samples.Length, fs.Instances.Count);
    }

    [Fact]
    public void DciodvfyHasNoErrorsAndDcdirdmpAcceptsTheOffsets()
    {
        string root = TestEnvironment.TempDir();
        BuildSampleFileSet(root);
        string dicomdir = Path.Combine(root, "DICOMDIR");
        var (rc, so, se) = TestEnvironment.Run(TestEnvironment.RequireProgram("dciodvfy"), [dicomdir]);
        string all = so + se;
        Assert.DoesNotContain("Error", all);
        Assert.True(rc == 0, all);
        var (rc2, so2, se2) = TestEnvironment.Run(TestEnvironment.RequireProgram("dcdirdmp"), [dicomdir]);
        Assert.True(rc2 == 0, so2 + se2);
        Assert.DoesNotContain("offset invalid", so2 + se2);
        Assert.Contains("DICOM\\ST000001\\SE000001\\IM000001", so2 + se2);
    }

    [Fact]
    public void PydicomFileSetReadsOurDicomDirWithTheSameRecords()
    {
        string root = TestEnvironment.TempDir();
        var fs = BuildSampleFileSet(root);
        string py = TestEnvironment.RunPython(PydicomListing, Path.Combine(root, "DICOMDIR"));
        Assert.Equal(Listing(fs.RootRecords), py);
        var ours = DicomDirectory.Open(Path.Combine(root, "DICOMDIR"));
        Assert.Empty(ours.Findings);
        Assert.Equal(py, Listing(ours.RootRecords));
    }

    [Fact]
    public async Task ReadingWalksRecordsAsyncAndOpensInstancesLazily()
    {
        string root = TestEnvironment.TempDir();
        BuildSampleFileSet(root);
        var dir = await DicomDirectory.OpenAsync(Path.Combine(root, "DICOMDIR"));
        int leaves = 0;
        await foreach (var r in dir.EnumerateRecordsAsync())
        {
            if (r.FileId == null) continue;
            leaves++;
            var f = await r.OpenInstanceAsync(new DicomReadOptions { StopBeforePixelData = true });
            Assert.Equal(r.ReferencedSopInstanceUid, f.Dataset.GetString(DicomTag.SOPInstanceUID));
        }
        Assert.Equal(Samples.Length, leaves);
    }

    [Fact]
    public async Task UpdateAddsAndRemovesWithoutRewritingUnchangedFiles()
    {
        string root = TestEnvironment.TempDir();
        var created = BuildSampleFileSet(root);
        var ct = created.Instances.Values.Single(r => r.ReferencedSopClassUid == "1.2.840.10008.5.1.4.1.1.2");
        var mr = created.Instances.Values.Single(r => r.ReferencedSopClassUid == "1.2.840.10008.5.1.4.1.1.4");
        string ctPath = ct.ResolvePath()!, mrPath = mr.ResolvePath()!;
        var ctTime = File.GetLastWriteTimeUtc(ctPath);
        var ctInode = new FileInfo(ctPath).Length;
        await Task.Delay(20);

        var fs = await DicomFileSet.OpenAsync(root, MediaApplicationProfile.GeneralPurposeCd);
        Assert.Equal(Samples.Length, fs.Instances.Count);
        Assert.True(fs.Remove(mr.ReferencedSopInstanceUid!));
        fs.Add(TestEnvironment.Sample("liver_1frame.dcm"));
        await fs.CommitAsync();

        Assert.False(File.Exists(mrPath));
        Assert.Equal(ctTime, File.GetLastWriteTimeUtc(ctPath));
        Assert.Equal(ctInode, new FileInfo(ctPath).Length);
        var dir = DicomDirectory.Open(Path.Combine(root, "DICOMDIR"));
        Assert.Empty(dir.Findings);
        var sops = dir.AllRecords.Where(r => r.FileId != null).Select(r => r.ReferencedSopInstanceUid).ToHashSet();
        Assert.Equal(Samples.Length, sops.Count);
        Assert.DoesNotContain(mr.ReferencedSopInstanceUid, sops);
        Assert.Equal(TestEnvironment.RunPython(PydicomListing, Path.Combine(root, "DICOMDIR")), Listing(dir.RootRecords));
        var (rc, so, se) = TestEnvironment.Run(TestEnvironment.RequireProgram("dcdirdmp"), [Path.Combine(root, "DICOMDIR")]);
        Assert.True(rc == 0, so + se);
    }

    [Fact]
    public async Task InterruptedWriteLeavesThePreviousDicomDirIntact()
    {
        string root = TestEnvironment.TempDir();
        BuildSampleFileSet(root);
        string dicomdir = Path.Combine(root, "DICOMDIR");
        byte[] before = File.ReadAllBytes(dicomdir);

        var fs = await DicomFileSet.OpenAsync(root, MediaApplicationProfile.GeneralPurposeCd);
        fs.Remove(fs.Instances.Keys.First());
        fs.Add(TestEnvironment.Sample("liver_1frame.dcm"));
        fs.BeforeDicomDirRename = tmp =>
        {
            Assert.True(File.Exists(tmp));
            throw new IOException("simulated power loss between temp write and rename");
        };
        Assert.Throws<IOException>(() => fs.Commit());

        Assert.Equal(before, File.ReadAllBytes(dicomdir));
        Assert.Empty(Directory.GetFiles(root, "*.tmp", SearchOption.AllDirectories));
        var dir = DicomDirectory.Open(dicomdir);
        Assert.Empty(dir.Findings);
        foreach (var r in dir.AllRecords.Where(r => r.FileId != null)) Assert.True(File.Exists(r.ResolvePath()), r.ToString());

        // The same staged changes commit once the fault is gone.
        fs.BeforeDicomDirRename = null;
        fs.Commit();
        Assert.NotEqual(before, File.ReadAllBytes(dicomdir));
    }

    [Fact]
    public void DicomDirOfFilesInPlaceReferencesThemWithoutCopying()
    {
        string root = TestEnvironment.TempDir();
        Directory.CreateDirectory(Path.Combine(root, "IMG"));
        File.Copy(TestEnvironment.Sample("CT_small.dcm"), Path.Combine(root, "IMG", "CT1"));
        var fs = DicomFileSet.Create(root, MediaApplicationProfile.GeneralPurposeCd);
        var rec = fs.Add(Path.Combine(root, "IMG", "CT1"));
        Assert.Equal("IMG\\CT1", rec.ReferencedFileIdText);
        fs.Commit();
        Assert.Equal(["CT1"], Directory.GetFiles(Path.Combine(root, "IMG")).Select(Path.GetFileName));
    }
}

public class ForeignDicomDirTests
{
    [Fact]
    public async Task DcmmkdirDicomDirIsReadWithTheSameRecords()
    {
        string root = TestEnvironment.TempDir();
        Directory.CreateDirectory(Path.Combine(root, "DICOM"));
        int n = 0;
        foreach (var s in new[] { "CT_small.dcm", "MR_small.dcm", "test-SR.dcm", "liver_1frame.dcm" })
            File.Copy(TestEnvironment.Sample(s), Path.Combine(root, "DICOM", $"IM{++n:D6}"));
        var (rc, so, se) = TestEnvironment.Run(TestEnvironment.RequireProgram("dcmmkdir"), ["-Pgp", "+I", "+r", "+id", ".", "DICOM"], workingDirectory: root);
        Assert.True(rc == 0, so + se);
        string dicomdir = Path.Combine(root, "DICOMDIR");
        var dir = DicomDirectory.Open(dicomdir);
        Assert.Empty(dir.Findings);
        Assert.Equal(TestEnvironment.RunPython(FileSetTests.PydicomListing, dicomdir), FileSetTests.Listing(dir.RootRecords));
        Assert.Equal(4, dir.AllRecords.Count(r => r.FileId != null));

        // and we can update it: remove one, add one, and dcdirdmp still accepts the offsets
        var fs = await DicomFileSet.OpenAsync(root, MediaApplicationProfile.GeneralPurposeCd);
        fs.Remove(fs.Instances.Keys.First());
        fs.Add(TestEnvironment.Sample("rtplan.dcm"));
        fs.Commit();
        var (rc2, so2, se2) = TestEnvironment.Run(TestEnvironment.RequireProgram("dcdirdmp"), [dicomdir]);
        Assert.True(rc2 == 0, so2 + se2);
        var (rc3, so3, se3) = TestEnvironment.Run(TestEnvironment.RequireProgram("dciodvfy"), [dicomdir]);
        Assert.True(rc3 == 0 && !(so3 + se3).Contains("Error"), so3 + se3);
    }

    [Theory]
    [InlineData("DICOMDIR")]
    [InlineData("DICOMDIR-implicit")]
    [InlineData("DICOMDIR-bigEnd")]
    [InlineData("DICOMDIR-reordered")]
    public void PydicomDicomDirsMatchPydicom(string name)
    {
        string path = Path.Combine(TestEnvironment.DicomDirTests, name);
        TestEnvironment.Require(path, "pydicom's dicomdirtests");
        var dir = DicomDirectory.Open(path);
        Assert.Equal(TestEnvironment.RunPython(FileSetTests.PydicomListing, path), FileSetTests.Listing(dir.RootRecords));
        Assert.True(dir.AllRecords.Count() > 10);
    }

    [Theory]
    [InlineData("DICOMDIR-nooffset")]
    [InlineData("DICOMDIR-nopatient")]
    [InlineData("DICOMDIR-empty.dcm")]
    public void OddDicomDirsAreToleratedWithFindings(string name)
    {
        string path = Path.Combine(TestEnvironment.DicomDirTests, name);
        TestEnvironment.Require(path, "pydicom's dicomdirtests");
        var dir = DicomDirectory.Open(path);
        _ = dir.AllRecords.Count();
        if (name == "DICOMDIR-nooffset")
        {
            Assert.NotEmpty(dir.Findings);
            var reference = DicomDirectory.Open(Path.Combine(TestEnvironment.DicomDirTests, "DICOMDIR"));
            Assert.Equal(reference.AllRecords.Count(r => r.FileId != null), dir.AllRecords.Count(r => r.FileId != null));
        }
    }

    [Fact]
    public async Task ReferencedFilesOfAVendorDicomDirOpen()
    {
        var dir = await DicomDirectory.OpenAsync(Path.Combine(TestEnvironment.DicomDirTests, "DICOMDIR"));
        int opened = 0;
        await foreach (var r in dir.EnumerateRecordsAsync())
        {
            if (r.FileId == null) continue;
            var f = await r.OpenInstanceAsync(new DicomReadOptions { StopBeforePixelData = true });
            Assert.Equal(r.ReferencedSopInstanceUid, f.Dataset.GetString(DicomTag.SOPInstanceUID));
            opened++;
        }
        Assert.True(opened > 10);
    }
}
