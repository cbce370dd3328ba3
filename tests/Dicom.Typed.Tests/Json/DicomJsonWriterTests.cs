using System.Text;
using System.Text.Json;
using Dicom.Typed.Json;
using Dicom.Typed.Text;
using Xunit;

namespace Dicom.Typed.Tests.Json;

/// <summary>The PS3.18 F.2 encoding rules of the writer, one by one.</summary>
public sealed class DicomJsonWriterTests
{
    private static JsonElement Attr(DicomDataset ds, string key, DicomJsonOptions? options = null)
    {
        using var doc = JsonDocument.Parse(DicomJson.Serialize(ds, options));
        return doc.RootElement.GetProperty(key).Clone();
    }

    private static string Raw(DicomDataset ds, string key, DicomJsonOptions? options = null) => Attr(ds, key, options).GetRawText();

    [Fact]
    public void KeysAreUpperCaseHexInTagOrder_EmptyElementsHaveNoValue()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomTag(0x0009, 0x10E6), DicomVR.SH, "05");
        ds.AddOrUpdate(new DicomTag(0x0009, 0x0010), DicomVR.LO, "GEMS_IDEN_01");
        ds.AddOrUpdate(new DicomTag(0x0008, 0x0050), DicomVR.SH);
        ds.AddOrUpdate(new DicomTag(0x0008, 0x0000), DicomVR.UL, "10");
        string json = DicomJson.Serialize(ds);
        Assert.Equal("{\"00080050\":{\"vr\":\"SH\"},\"00090010\":{\"vr\":\"LO\",\"Value\":[\"GEMS_IDEN_01\"]},\"000910E6\":{\"vr\":\"SH\",\"Value\":[\"05\"]}}", json);
        Assert.Contains("\"00080000\":{\"vr\":\"UL\",\"Value\":[10]}", DicomJson.Serialize(ds, new DicomJsonOptions { IncludeGroupLengths = true }));
    }

    [Fact]
    public void EmptyValuesInMultiValuedStringsAreNull()
    {
        var ds = new DicomDataset().AddOrUpdate(new DicomTag(0x0008, 0x0008), DicomVR.CS, "ORIGINAL", "", "AXIAL");
        Assert.Equal("[\"ORIGINAL\",null,\"AXIAL\"]", Attr(ds, "00080008").GetProperty("Value").GetRawText());
    }

    [Fact]
    public void PersonNameIsAnObjectWithNonEmptyGroups()
    {
        var ds = new DicomDataset().AddOrUpdate(new DicomTag(0x0008, 0x0005), DicomVR.CS, "ISO_IR 192");
        ds.AddOrUpdate(new DicomTag(0x0010, 0x0010), DicomVR.PN, "Yamada^Tarou=山田^太郎=やまだ^たろう", "", "=Wang^XiaoDong");
        Assert.Equal("[{\"Alphabetic\":\"Yamada^Tarou\",\"Ideographic\":\"山田^太郎\",\"Phonetic\":\"やまだ^たろう\"},null,{\"Ideographic\":\"Wang^XiaoDong\"}]",
            Attr(ds, "00100010").GetProperty("Value").GetRawText());
        // default: UTF-8 text as is; EscapeNonAscii: \uXXXX
        Assert.Contains("山田", DicomJson.Serialize(ds));
        Assert.Contains("\\u5C71\\u7530", DicomJson.Serialize(ds, new DicomJsonOptions { EscapeNonAscii = true }));
    }

    [Theory]
    [InlineData("1.50", "1.50")]
    [InlineData("-0.5e-3", "-0.5e-3")]
    [InlineData("1E+02", "1E+02")]
    [InlineData("+5", "5")]
    [InlineData(".5", "0.5")]
    [InlineData("-.5", "-0.5")]
    [InlineData("007", "7")]
    [InlineData("5.", "5")]
    [InlineData("abc", "\"abc\"")]
    [InlineData("1e", "\"1e\"")]
    public void DecimalStringsAreNumbersKeepingTheirText(string ds, string expected)
    {
        var d = new DicomDataset().AddOrUpdate(new DicomTag(0x0018, 0x0050), DicomVR.DS, ds);
        Assert.Equal($"[{expected}]", Attr(d, "00180050").GetProperty("Value").GetRawText());
        var asStrings = new DicomJsonOptions { NumberStringMode = DicomJsonNumberStringMode.String };
        Assert.Equal($"[\"{ds}\"]", Attr(d, "00180050", asStrings).GetProperty("Value").GetRawText());
    }

    [Fact]
    public void BinaryNumbers_AtAndVeryLong()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomElement.FromValues(new DicomTag(0x0028, 0x0010), DicomVR.US, (ushort)512, (ushort)65535));
        ds.AddOrUpdate(DicomElement.FromValues(new DicomTag(0x0028, 0x0106), DicomVR.SS, (short)-32768));
        ds.AddOrUpdate(DicomElement.FromValues(new DicomTag(0x0018, 0x9219), DicomVR.FD, 0.1, double.NaN, double.PositiveInfinity));
        ds.AddOrUpdate(DicomElement.FromValues(new DicomTag(0x0018, 0x9220), DicomVR.FL, 0.1f, float.NegativeInfinity));
        ds.AddOrUpdate(DicomElement.FromValues(new DicomTag(0x0009, 0x1001), DicomVR.SV, 42L, 1L << 60, -(1L << 60)));
        ds.AddOrUpdate(DicomElement.FromValues(new DicomTag(0x0009, 0x1002), DicomVR.UV, 9007199254740991UL, 9007199254740992UL));
        ds.AddOrUpdate(DicomElement.FromTags(new DicomTag(0x0020, 0x5000), new DicomTag(0x0010, 0x0010), new DicomTag(0x7FE0, 0x0010)));
        Assert.Equal("[512,65535]", Attr(ds, "00280010").GetProperty("Value").GetRawText());
        Assert.Equal("[-32768]", Attr(ds, "00280106").GetProperty("Value").GetRawText());
        Assert.Equal("[0.1,\"NaN\",\"Infinity\"]", Attr(ds, "00189219").GetProperty("Value").GetRawText());
        Assert.Equal("[0.1,\"-Infinity\"]", Attr(ds, "00189220").GetProperty("Value").GetRawText());
        Assert.Equal("[42,\"1152921504606846976\",\"-1152921504606846976\"]", Attr(ds, "00091001").GetProperty("Value").GetRawText());
        Assert.Equal("[9007199254740991,\"9007199254740992\"]", Attr(ds, "00091002").GetProperty("Value").GetRawText());
        Assert.Equal("[\"00100010\",\"7FE00010\"]", Attr(ds, "00205000").GetProperty("Value").GetRawText());

        // and back
        var back = DicomJson.Deserialize(DicomJson.Serialize(ds));
        Assert.Equal([42L, 1L << 60, -(1L << 60)], back.GetValues<long>(new DicomTag(0x0009, 0x1001)));
        Assert.Equal([9007199254740991UL, 9007199254740992UL], back.GetValues<ulong>(new DicomTag(0x0009, 0x1002)));
        var fd = back.GetValues<double>(new DicomTag(0x0018, 0x9219));
        Assert.Equal(0.1, fd[0]);
        Assert.True(double.IsNaN(fd[1]));
        Assert.Equal(double.PositiveInfinity, fd[2]);
        Assert.Equal([0.1f, float.NegativeInfinity], back.GetValues<float>(new DicomTag(0x0018, 0x9220)));
        DatasetAssert.Equal(ds, back);
    }

    [Fact]
    public void BinaryValuesAreInlineBinaryUnlessTheProviderGivesAUri()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x0009, 0x1010), DicomVR.OB, DicomBuffer.FromMemory(new byte[] { 1, 2, 3, 4 })));
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x7FE0, 0x0010), DicomVR.OW, DicomBuffer.FromMemory(new byte[2000])));
        ds.AddOrUpdate(new DicomElement(new DicomTag(0x0009, 0x1011), DicomVR.UN, DicomBuffer.FromMemory(new byte[] { 0xFF, 0xFE })));
        Assert.Equal("{\"vr\":\"OB\",\"InlineBinary\":\"AQIDBA==\"}", Raw(ds, "00091010"));
        Assert.Equal("{\"vr\":\"UN\",\"InlineBinary\":\"//4=\"}", Raw(ds, "00091011"));
        var paths = new List<string>();
        var options = new DicomJsonOptions { BulkDataThreshold = 1024, BulkDataUriProvider = (p, _) => { paths.Add(p); return "bulk/" + paths.Count; } };
        Assert.Equal("{\"vr\":\"OW\",\"BulkDataURI\":\"bulk/1\"}", Raw(ds, "7FE00010", options));
        Assert.Equal(["(7FE0,0010)"], paths); // small values never reach the provider
        var nullProvider = new DicomJsonOptions { BulkDataUriProvider = (_, _) => null };
        Assert.StartsWith("{\"vr\":\"OW\",\"InlineBinary\":", Raw(ds, "7FE00010", nullProvider));
    }

    [Fact]
    public void SequencesAreArraysOfObjects_ProviderSeesNestedPaths()
    {
        var item = new DicomDataset().AddOrUpdate(new DicomElement(new DicomTag(0x5400, 0x1010), DicomVR.OW, DicomBuffer.FromMemory(new byte[8])));
        var ds = new DicomDataset().AddOrUpdate(new DicomTag(0x5400, 0x0100), new DicomDataset(), item);
        ds.AddOrUpdate(new DicomSequence(new DicomTag(0x0008, 0x1140)));
        string? seen = null;
        string json = DicomJson.Serialize(ds, new DicomJsonOptions { BulkDataUriProvider = (p, _) => { seen = p; return "u"; } });
        Assert.Equal("{\"00081140\":{\"vr\":\"SQ\"},\"54000100\":{\"vr\":\"SQ\",\"Value\":[{},{\"54001010\":{\"vr\":\"OW\",\"BulkDataURI\":\"u\"}}]}}", json);
        Assert.Equal("(5400,0100)[1].(5400,1010)", seen);
    }

    [Fact]
    public void TextIsDecodedWithTheElementCharacterSet()
    {
        var latin1 = DicomCharacterSet.Parse("ISO_IR 100");
        var ds = new DicomDataset().AddOrUpdate(new DicomTag(0x0008, 0x0005), DicomVR.CS, "ISO_IR 100");
        ds.AddOrUpdate(DicomElement.FromStrings(new DicomTag(0x0010, 0x0010), DicomVR.PN, latin1, "Buc^Jérôme"));
        Assert.Equal(0xE9, ((DicomElement)ds[new DicomTag(0x0010, 0x0010)]!).Bytes[5]);
        Assert.Equal("{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Buc^Jérôme\"}]}", Raw(ds, "00100010"));
    }

    [Fact]
    public void WritesIntoACallersWriterAndStream()
    {
        var ds = new DicomDataset().AddOrUpdate(new DicomTag(0x0010, 0x0020), DicomVR.LO, "ID1");
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WritePropertyName("dataset");
            DicomJson.Serialize(w, ds);
            w.WriteEndObject();
        }
        Assert.Equal("{\"dataset\":{\"00100020\":{\"vr\":\"LO\",\"Value\":[\"ID1\"]}}}", Encoding.UTF8.GetString(ms.ToArray()));
        using var s = new MemoryStream();
        DicomJson.Serialize(s, ds);
        Assert.Equal(DicomJson.SerializeToUtf8Bytes(ds), s.ToArray());
        Assert.Contains("\n", DicomJson.Serialize(ds, new DicomJsonOptions { WriteIndented = true }));
    }
}
