using System.Text;
using System.Text.Json;
using Dicom.Typed.Json;
using Xunit;

namespace Dicom.Typed.Tests.Json;

/// <summary>Reading DICOM JSON: pydicom's JSON test files, tolerance, bulk data, character set choice.</summary>
public sealed class DicomJsonReaderTests
{
    private static readonly DicomTag PatientName = new(0x0010, 0x0010);
    private static readonly DicomTag SpecificCharacterSet = new(0x0008, 0x0005);

    [Fact]
    public void Test1Json_FromPydicom()
    {
        string path = JsonTestEnvironment.TestFile("test1.json");
        using var stream = File.OpenRead(path);
        var ds = DicomJson.Deserialize(stream);
        Assert.Equal("Prostate^Volunteer", ds.GetString(PatientName));
        Assert.Equal(714, ds.GetValue<int>(new DicomTag(0x0020, 0x1002)));
        Assert.Equal(87.09, ds.GetValue<double>(new DicomTag(0x0010, 0x1030)));
        Assert.Equal("1.2.840.10008.5.1.4.1.1.4", ds.GetString(new DicomTag(0x0008, 0x0016)));
        var pixel = Assert.IsType<DicomElement>(ds[new DicomTag(0x7FE0, 0x0010)]);
        Assert.Equal(DicomVR.OW, pixel.VR);
        Assert.Equal("", Assert.IsType<DicomBulkDataReference>(pixel.Buffer).Uri);
        var seq = ds.GetSequence(new DicomTag(0x0012, 0x0064))!;
        Assert.Equal("113100", seq.Items[0].GetString(new DicomTag(0x0008, 0x0100)));
        Assert.Contains(seq.Items, i => i.Count == 0); // {} items
        Assert.True(ds.GetElement(new DicomTag(0x0040, 0x2017))!.IsEmpty); // [""]: one empty value is an empty element

        // what we write back is the same document
        using var original = JsonDocument.Parse(File.ReadAllBytes(path));
        using var ours = JsonDocument.Parse(DicomJson.Serialize(ds));
        // except (0018,1310) US [128, 0, 0, 32, null]: a binary number cannot be empty, the null is left out
        var d = Assert.Single(JsonSemanticComparer.Compare(ours.RootElement, original.RootElement));
        Assert.Equal("00181310", d.Path);
        Assert.Equal([128, 0, 0, 32], ds.GetValues<ushort>(new DicomTag(0x0018, 0x1310)));
    }

    [Fact]
    public void TestPNJson_FromPydicom()
    {
        var ds = DicomJson.Deserialize(File.ReadAllText(JsonTestEnvironment.TestFile("test_PN.json")));
        Assert.Equal("Prostate^Volunteer", ds.GetString(PatientName));
        var inner = ds.GetSequence(new DicomTag(0x0400, 0x0561))!.Items[0].GetSequence(new DicomTag(0x0400, 0x0550))!.Items[0];
        Assert.Equal("051Y", inner.GetString(new DicomTag(0x0010, 0x1010)));
        Assert.Equal("M", inner.GetString(new DicomTag(0x0010, 0x0040)));
        Assert.Equal("", inner.GetString(PatientName));
    }

    [Fact]
    public void TolerantInput()
    {
        const string json = """
        {
          "0020000d": {"Value": ["1.2.3"], "vr": "ui"},
          "00100010": {"vr": "PN", "value": ["Yamada^Tarou=山田^太郎", null, {"alphabetic": "Doe^John", "Phonetic": null}]},
          "00280010": {"Value": ["512"]},
          "00280011": {"vr": "US", "Value": [512.0]},
          "00180050": {"vr": "DS", "Value": ["2.50", 1e-3, null]},
          "00201002": {"vr": "IS", "Value": [714.0, "12"]},
          "00080008": {"vr": "CS", "Value": ["ORIGINAL", null, "AXIAL"]},
          "00081030": {"vr": "LO", "keyword": "StudyDescription", "Value": ["Brain"]},
          "00091010": {"vr": "LO", "Value": ["private, no dictionary VR needed"]},
          "00200037": {"vr": "DS", "Value": [1, 0, 0, 0, 1, 0]},
          "00205000": {"vr": "AT", "Value": ["0010002a"]},
          "00080050": {"vr": "SH", "Value": null},
          "00081140": {"vr": "SQ", "Value": [null, {}]},
          // comments and trailing commas are tolerated
        }
        """;
        var ds = DicomJson.Deserialize(json);
        Assert.Equal(DicomVR.UI, ds[new DicomTag(0x0020, 0x000D)]!.VR);
        Assert.Equal(["Yamada^Tarou=山田^太郎", "", "Doe^John"], ds.GetStrings(PatientName));
        Assert.Equal(DicomVR.US, ds[new DicomTag(0x0028, 0x0010)]!.VR); // from the dictionary
        Assert.Equal(512, ds.GetValue<ushort>(new DicomTag(0x0028, 0x0010)));
        Assert.Equal(512, ds.GetValue<ushort>(new DicomTag(0x0028, 0x0011)));
        Assert.Equal(["2.50", "1e-3", ""], ds.GetStrings(new DicomTag(0x0018, 0x0050)));
        Assert.Equal(["714", "12"], ds.GetStrings(new DicomTag(0x0020, 0x1002)));
        Assert.Equal(["ORIGINAL", "", "AXIAL"], ds.GetStrings(new DicomTag(0x0008, 0x0008)));
        Assert.Equal("Brain", ds.GetString(new DicomTag(0x0008, 0x1030)));
        Assert.Equal(6, ds.GetElement(new DicomTag(0x0020, 0x0037))!.Count);
        Assert.Equal(new DicomTag(0x0010, 0x002A), ds.GetValue<DicomTag>(new DicomTag(0x0020, 0x5000)));
        Assert.True(ds.GetElement(new DicomTag(0x0008, 0x0050))!.IsEmpty);
        Assert.Equal(2, ds.GetSequence(new DicomTag(0x0008, 0x1140))!.Items.Count);
        Assert.Equal("ISO_IR 192", ds.GetString(SpecificCharacterSet)); // non-ASCII text, no Specific Character Set given
    }

    [Fact]
    public void MissingVrOfUnknownPrivateElementIsUN()
    {
        var ds = DicomJson.Deserialize("""{"00091010": {"InlineBinary": "AQI="}}""");
        var e = ds.GetElement(new DicomTag(0x0009, 0x1010))!;
        Assert.Equal(DicomVR.UN, e.VR);
        Assert.Equal(new byte[] { 1, 2 }, e.Bytes.ToArray());
    }

    [Fact]
    public void CharacterSet_KeptWhenRepresentable_ElseUtf8()
    {
        // ISO_IR 100 can hold "Jérôme": kept, bytes Latin-1
        var latin = DicomJson.Deserialize("""{"00080005": {"vr": "CS", "Value": ["ISO_IR 100"]}, "00100010": {"vr": "PN", "Value": [{"Alphabetic": "Buc^Jérôme"}]}}""");
        Assert.Equal("ISO_IR 100", latin.GetString(SpecificCharacterSet));
        var pn = latin.GetElement(PatientName)!;
        Assert.Equal(Encoding.Latin1.GetBytes("Buc^Jérôme"), pn.Bytes[..10].ToArray());
        Assert.Equal("Buc^Jérôme", pn.GetString());

        // ISO_IR 100 cannot hold 山田: UTF-8 and ISO_IR 192
        var cjk = DicomJson.Deserialize("""{"00080005": {"vr": "CS", "Value": ["ISO_IR 100"]}, "00100010": {"vr": "PN", "Value": [{"Alphabetic": "Yamada", "Ideographic": "山田"}]}}""");
        Assert.Equal("ISO_IR 192", cjk.GetString(SpecificCharacterSet));
        Assert.Equal("Yamada=山田", cjk.GetString(PatientName));
        Assert.Equal(Encoding.UTF8.GetBytes("Yamada=山田"), cjk.GetElement(PatientName)!.Bytes.ToArray().AsSpan(0, Encoding.UTF8.GetByteCount("Yamada=山田")).ToArray());

        // text in a nested item counts for the data set's choice
        var nested = DicomJson.Deserialize("""{"00081140": {"vr": "SQ", "Value": [{"00081030": {"vr": "LO", "Value": ["Ω"]}}]}}""");
        Assert.Equal("ISO_IR 192", nested.GetString(SpecificCharacterSet));
        Assert.Equal("Ω", nested.GetSequence(new DicomTag(0x0008, 0x1140))!.Items[0].GetString(new DicomTag(0x0008, 0x1030)));

        // ASCII only: nothing added
        Assert.False(DicomJson.Deserialize("""{"00100010": {"vr": "PN", "Value": ["Doe^John"]}}""").Contains(SpecificCharacterSet));
    }

    [Fact]
    public void BulkDataUri_ResolvedByTheCallback()
    {
        const string json = """{"7FE00010": {"vr": "OW", "BulkDataURI": "https://x/bulk/1"}, "00091010": {"vr": "OB", "BulkDataURI": "https://x/bulk/2"}}""";
        var requested = new List<string>();
        var ds = DicomJson.Deserialize(json, new DicomJsonOptions
        {
            BulkDataResolver = uri =>
            {
                requested.Add(uri);
                return uri.EndsWith('1') ? DicomBuffer.FromMemory(new byte[] { 1, 0, 2, 0 }) : null;
            },
        });
        Assert.Equal(["https://x/bulk/1", "https://x/bulk/2"], requested);
        Assert.Equal([1, 2], ds.GetValues<ushort>(new DicomTag(0x7FE0, 0x0010)));
        Assert.Equal("https://x/bulk/2", Assert.IsType<DicomBulkDataReference>(ds.GetElement(new DicomTag(0x0009, 0x1010))!.Buffer).Uri);
    }

    [Fact]
    public void EncapsulatedPixelDataInlineBinaryBecomesFragments()
    {
        byte[] stream = [0xFE, 0xFF, 0x00, 0xE0, 4, 0, 0, 0, 0, 0, 0, 0, 0xFE, 0xFF, 0x00, 0xE0, 2, 0, 0, 0, 0xAB, 0xCD];
        var ds = DicomJson.Deserialize("{\"7FE00010\": {\"vr\": \"OB\", \"InlineBinary\": \"" + Convert.ToBase64String(stream) + "\"}}");
        var f = Assert.IsType<DicomFragmentSequence>(ds[new DicomTag(0x7FE0, 0x0010)]);
        Assert.Equal([0u], f.GetOffsets());
        Assert.Equal(new byte[] { 0xAB, 0xCD }, f.Fragments.Single().Memory.ToArray());
        Assert.Contains(Convert.ToBase64String(stream), DicomJson.Serialize(ds));
    }

    [Fact]
    public void InputForms_StringBytesStreamAndBom()
    {
        const string json = """{"00100020": {"vr": "LO", "Value": ["ID"]}}""";
        byte[] withBom = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(json)];
        Assert.Equal("ID", DicomJson.Deserialize(withBom).GetString(new DicomTag(0x0010, 0x0020)));
        Assert.Equal("ID", DicomJson.Deserialize(new MemoryStream(withBom)).GetString(new DicomTag(0x0010, 0x0020)));
        Assert.Equal("ID", DicomJson.DeserializeArray(Encoding.UTF8.GetBytes("[" + json + "," + json + "]"))[1].GetString(new DicomTag(0x0010, 0x0020)));
    }
}
