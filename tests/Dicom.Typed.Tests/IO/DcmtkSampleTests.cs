using Dicom.Typed.IO;

namespace Dicom.Typed.Tests.IO;

/// <summary>
/// DCMTK ships no DICOM images, but its worklist examples (dump2dcm text) are real DCMTK-encoded data sets:
/// converted with dump2dcm at test time they are read by us and compared with pydicom, and our dump matches dcmdump's structure.
/// </summary>
public sealed class DcmtkSampleTests : IDisposable
{
    private const string Examples = "/usr/share/doc/dcmtk/examples";
    private readonly string _dir = Directory.CreateTempSubdirectory("dt-dcmtk-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private List<string> Convert()
    {
        var dumps = Directory.Exists(Examples)
            ? Directory.EnumerateFiles(Examples, "*.dump", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [];
        var files = new List<string>();
        string dump2dcm = TestEnvironment.RequireProgram("dump2dcm");
        foreach (var d in dumps)
        {
            string output = Path.Combine(_dir, Path.GetFileNameWithoutExtension(d) + ".dcm");
            var (rc, _, err) = TestEnvironment.Run(dump2dcm, ["-q", d, output]);
            Assert.True(rc == 0, $"dump2dcm {d}: {err}");
            files.Add(output);
        }
        return files;
    }

    [Fact]
    public void Worklist_examples_read_like_pydicom()
    {
        var files = Convert();
        if (files.Count == 0)
        {
            // Minimal images drop /usr/share/doc: then the examples are absent by design (see tests/peers/README);
            // the pydicom corpus still covers the reader. Require the package itself to be installed.
            TestEnvironment.RequireProgram("dcmdump");
            return;
        }
        Assert.True(files.Count >= 20, $"{files.Count} examples");
        var py = PydicomComparisonTests.RunPydicom(files);
        foreach (var f in files)
        {
            var ours = DicomFile.Open(f);
            var mismatches = new List<string>();
            PydicomComparisonTests.Compare(ours.Dataset, py[f].GetProperty("elements"), "", mismatches, true);
            Assert.True(mismatches.Count == 0, $"{Path.GetFileName(f)}:\n" + string.Join("\n", mismatches));
        }
    }

    [Theory]
    [InlineData("test_files/CT_small.dcm")]
    [InlineData("test_files/rtplan.dcm")]
    [InlineData("test_files/nested_priv_SQ.dcm")]
    [InlineData("charset_files/chrSQEncoding.dcm")]
    public void Dump_lists_the_same_elements_as_dcmdump(string relative)
    {
        string path = Path.Combine(TestEnvironment.PydicomData, relative);
        var ours = DicomDump.Format(DicomFile.Open(path).Dataset).Split('\n')
            .Where(l => l.TrimStart().StartsWith('(')).Select(l => l.Trim()[..14].ToLowerInvariant()).ToList();
        var (rc, stdout, err) = TestEnvironment.Run(TestEnvironment.RequireProgram("dcmdump"), ["-q", "-M", "+L", path]);
        Assert.True(rc == 0, err);
        var theirs = stdout.Split('\n').SkipWhile(l => !l.StartsWith("# Dicom-Data-Set", StringComparison.Ordinal))
            .Where(l => l.TrimStart().StartsWith('(')).Select(l => l.Trim()[..14].ToLowerInvariant()).ToList();
        // dcmdump reports standard elements sent as UN with their dictionary VR too; compare tag and VR per line
        Assert.Equal(theirs.Count, ours.Count);
        for (int i = 0; i < ours.Count; i++)
        {
            if (ours[i][..11] != theirs[i][..11] || (ours[i][12..] != theirs[i][12..] && theirs[i][12..] != "un" && ours[i][12..] != "un" && theirs[i][12..] != "na"))
                Assert.Fail($"line {i}: ours '{ours[i]}' vs dcmdump '{theirs[i]}'");
        }
    }
}
