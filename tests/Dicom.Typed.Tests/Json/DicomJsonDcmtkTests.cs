using System.Text.Json;
using Dicom.Typed.Json;
using Xunit;
using Xunit.Abstractions;

namespace Dicom.Typed.Tests.Json;

/// <summary>
/// Our DICOM JSON against DCMTK's <c>dcm2json</c> (3.6.7), compared semantically, and dcm2json's output read back.
/// </summary>
/// <remarks>
/// Known differences: dcm2json converts all text to UTF-8 and therefore writes (0008,0005) as <c>ISO_IR 192</c>
/// when the file has a Specific Character Set (we write the file's own value: our text is decoded from it, the
/// JSON itself is UTF-8 either way); dcm2json refuses encapsulated (compressed) Pixel Data ("JSON InlineBinary encoding
/// not supported for compressed pixel data"), so such files are not compared; dcm2json drops PN values made of
/// separators only (<c>^^^^</c>, no "Value"), we keep them (<c>{"Alphabetic": "^^^^"}</c>, as pydicom does).
/// Everything else must agree.
/// </remarks>
public sealed class DicomJsonDcmtkTests(ITestOutputHelper output)
{
    private static string Dcm2Json(string path) => JsonTestEnvironment.RunOrFail(JsonTestEnvironment.RequireProgram("dcm2json"), [path]);

    [Theory]
    [InlineData("test_files/CT_small.dcm")]
    [InlineData("test_files/MR_small.dcm")]
    [InlineData("test_files/rtplan.dcm")]
    [InlineData("test_files/rtstruct.dcm")]
    [InlineData("test_files/waveform_ecg.dcm")]
    [InlineData("test_files/ExplVR_BigEnd.dcm")]
    [InlineData("charset_files/chrFren.dcm")]
    [InlineData("charset_files/chrX1.dcm")]
    public void OurJsonMatchesDcm2json(string relative)
    {
        string path = JsonTestEnvironment.RequireFile(Path.Combine(JsonTestEnvironment.PydicomData, relative), "pydicom sample data");
        using var theirs = JsonDocument.Parse(Dcm2Json(path));
        var ds = DicomFile.Open(path).Dataset;
        using var ours = JsonDocument.Parse(DicomJson.Serialize(ds));
        var unexpected = new List<JsonDifference>();
        foreach (var d in JsonSemanticComparer.Compare(ours.RootElement, theirs.RootElement))
        {
            if (d.Path == "00080005" && d.Kind == "value" && d.Detail.EndsWith("vs [ISO_IR 192]", StringComparison.Ordinal))
            {
                output.WriteLine("known (dcm2json rewrites the Specific Character Set to ISO_IR 192): " + d);
                continue;
            }
            if (d.Vr == "PN" && d.Kind == "value" && d.Detail == "[] vs []")
            {
                output.WriteLine("known (dcm2json drops a PN value whose components are all empty, e.g. ^^^^; we keep it as written, like pydicom): " + d);
                continue;
            }
            unexpected.Add(d);
        }
        Assert.True(unexpected.Count == 0, $"{relative}: differences from dcm2json:\n{string.Join("\n", unexpected.Take(30))}");
    }

    [Theory]
    [InlineData("test_files/CT_small.dcm")]
    [InlineData("test_files/rtplan.dcm")]
    [InlineData("charset_files/chrFren.dcm")]
    public void Dcm2jsonOutputReadsBackToTheSameDataset(string relative)
    {
        string path = JsonTestEnvironment.RequireFile(Path.Combine(JsonTestEnvironment.PydicomData, relative), "pydicom sample data");
        var fromDcmtk = DicomJson.Deserialize(Dcm2Json(path));
        var original = DicomFile.Open(path).Dataset;
        // dcm2json says ISO_IR 192: the text is representable in it, so that value is kept; the decoded text is the same.
        original.Remove(new DicomTag(0x00080005u));
        // dcm2json drops PN values made of separators only (^^^^).
        original.RemoveAll(i => i is DicomElement { VR.Code: "PN" } e && e.GetStrings().All(v => v.Trim('^', '=', ' ').Length == 0));
        fromDcmtk.RemoveAll(i => i is DicomElement { VR.Code: "PN" } e && e.GetStrings().All(v => v.Trim('^', '=', ' ').Length == 0));
        fromDcmtk.Remove(new DicomTag(0x00080005u));
        DatasetAssert.Equal(original, fromDcmtk);
    }
}
