using System.Text.Json;
using Dicom.Typed.Json;
using Xunit;

namespace Dicom.Typed.Tests.Json;

/// <summary>Real files through DICOM JSON and back: the data set survives element by element and the JSON is stable.</summary>
public sealed class DicomJsonRoundTripTests
{
    public static TheoryData<string> Files() => DicomJsonPydicomTests.Files();

    private static string Resolve(string relative) =>
        JsonTestEnvironment.RequireFile(Path.Combine(JsonTestEnvironment.PydicomData, relative), "pydicom sample data");

    [Theory]
    [MemberData(nameof(Files))]
    public void FileToJsonToDataset_IsEqualElementByElement(string relative)
    {
        var original = DicomFile.Open(Resolve(relative)).Dataset;
        string json = DicomJson.Serialize(original);
        var back = DicomJson.Deserialize(json);
        DatasetAssert.Equal(original, back);
        Assert.Equal(json, DicomJson.Serialize(back));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void IndentedAndCompactOutputsAreTheSameDocument(string relative)
    {
        var ds = DicomFile.Open(Resolve(relative)).Dataset;
        string compact = DicomJson.Serialize(ds);
        string indented = DicomJson.Serialize(ds, new DicomJsonOptions { WriteIndented = true, EscapeNonAscii = true });
        using var a = JsonDocument.Parse(compact);
        using var b = JsonDocument.Parse(indented);
        Assert.Empty(JsonSemanticComparer.Compare(a.RootElement, b.RootElement));
        DatasetAssert.Equal(ds, DicomJson.Deserialize(indented));
    }

    [Theory]
    [InlineData("test_files/CT_small.dcm")]
    [InlineData("test_files/JPEG2000.dcm")]
    [InlineData("test_files/waveform_ecg.dcm")]
    [InlineData("test_files/rtdose.dcm")]
    public void BulkData_WrittenAsUris_ResolvedOrKeptAsReferences(string relative)
    {
        var ds = DicomFile.Open(Resolve(relative)).Dataset;
        var store = new Dictionary<string, byte[]>();
        var options = new DicomJsonOptions
        {
            BulkDataThreshold = 256,
            BulkDataUriProvider = (path, item) =>
            {
                string uri = "https://example.org/bulk/" + Uri.EscapeDataString(path);
                using var ms = new MemoryStream();
                if (item is DicomElement e) e.Buffer.CopyTo(ms);
                else
                {
                    // encapsulated: keep the item stream, as InlineBinary would
                    var fs = (DicomFragmentSequence)item;
                    foreach (var b in new[] { fs.OffsetTable }.Concat(fs.Fragments))
                    {
                        ms.Write([0xFE, 0xFF, 0x00, 0xE0]);
                        ms.Write(BitConverter.GetBytes((uint)b.Length));
                        b.CopyTo(ms);
                    }
                }
                store[uri] = ms.ToArray();
                return uri;
            },
        };
        string json = DicomJson.Serialize(ds, options);
        Assert.NotEmpty(store);
        Assert.Contains("\"BulkDataURI\"", json);

        // resolved: the data set is back
        var resolved = DicomJson.Deserialize(json, new DicomJsonOptions { BulkDataResolver = uri => DicomBuffer.FromMemory(store[uri]) });
        DatasetAssert.Equal(ds, resolved);

        // unresolved: references keep the URIs and are written back unchanged
        var kept = DicomJson.Deserialize(json);
        var refs = kept.OfType<DicomElement>().Where(e => e.Buffer is DicomBulkDataReference).ToList();
        Assert.NotEmpty(refs);
        Assert.All(refs, e => Assert.True(e.IsEmpty));
        Assert.Throws<DicomException>(() => refs[0].Buffer.Memory);
        Assert.Equal(json, DicomJson.Serialize(kept, options));
    }

    [Fact]
    public async Task AsyncStreams_RoundTrip()
    {
        var ds = DicomFile.Open(Resolve("test_files/rtstruct.dcm")).Dataset;
        using var one = new MemoryStream();
        await DicomJson.SerializeAsync(one, ds);
        one.Position = 0;
        DatasetAssert.Equal(ds, await DicomJson.DeserializeAsync(one));
        using var many = new MemoryStream();
        await DicomJson.SerializeArrayAsync(many, [ds, ds]);
        many.Position = 0;
        var back = await DicomJson.DeserializeArrayAsync(many);
        Assert.Equal(2, back.Count);
        DatasetAssert.Equal(ds, back[1]);
    }

    [Fact]
    public void ArrayForm_RoundTrips()
    {
        var a = DicomFile.Open(Resolve("test_files/CT_small.dcm")).Dataset;
        var b = DicomFile.Open(Resolve("test_files/rtplan.dcm")).Dataset;
        string json = DicomJson.SerializeArray([a, b]);
        Assert.StartsWith("[{", json);
        var back = DicomJson.DeserializeArray(json);
        Assert.Equal(2, back.Count);
        DatasetAssert.Equal(a, back[0]);
        DatasetAssert.Equal(b, back[1]);
        using var ms = new MemoryStream();
        DicomJson.SerializeArray(ms, [a, b]);
        ms.Position = 0;
        Assert.Equal(2, DicomJson.DeserializeArray(ms).Count);
        Assert.Single(DicomJson.DeserializeArray(DicomJson.Serialize(a))); // a single object is an array of one
        Assert.Empty(DicomJson.DeserializeArray("[]"));
    }
}
