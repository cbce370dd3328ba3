using System.Text;
using Dicom.Typed.Json;
using Xunit;

namespace Dicom.Typed.Tests.Json;

/// <summary>Malformed input raises <see cref="DicomJsonException"/> with tag path and position, never another exception type.</summary>
public sealed class DicomJsonMalformedTests
{
    private static DicomJsonException Fails(string json, bool array = false)
    {
        var ex = Record.Exception(() =>
        {
            if (array) DicomJson.DeserializeArray(json);
            else DicomJson.Deserialize(json);
        });
        Assert.NotNull(ex);
        return Assert.IsType<DicomJsonException>(ex);
    }

    [Theory]
    // syntax
    [InlineData("", "", "Malformed JSON")]
    [InlineData("{", "", "Malformed JSON")]
    [InlineData("{\"00100010\": }", "(0010,0010)", "Malformed JSON")]
    [InlineData("{\"00100010\": {\"vr\": \"PN\"}} x", "", "Malformed JSON")]
    [InlineData("{} {}", "", "Malformed JSON")]
    [InlineData("[{}]", "", "found an array")]
    [InlineData("42", "", "found Number")]
    // keys and attribute objects
    [InlineData("{\"0010001\": {\"vr\": \"PN\"}}", "", "Invalid tag key")]
    [InlineData("{\"0010001G\": {\"vr\": \"PN\"}}", "", "Invalid tag key")]
    [InlineData("{\"PatientName\": {\"vr\": \"PN\"}}", "", "Invalid tag key")]
    [InlineData("{\"00100010\": {\"vr\": \"PN\"}, \"00100010\": {\"vr\": \"PN\"}}", "(0010,0010)", "Duplicate")]
    [InlineData("{\"00100010\": \"Doe\"}", "(0010,0010)", "attribute object")]
    [InlineData("{\"00100010\": {\"vr\": \"XX\"}}", "(0010,0010)", "Unknown VR")]
    [InlineData("{\"00100010\": {\"vr\": 5}}", "(0010,0010)", "must be a string")]
    [InlineData("{\"00100010\": {\"vr\": \"PN\", \"Value\": \"Doe\"}}", "(0010,0010)", "must be an array")]
    [InlineData("{\"00280010\": {\"vr\": \"US\", \"Value\": [1], \"InlineBinary\": \"AQA=\"}}", "(0028,0010)", "only one of")]
    // wrong value types
    [InlineData("{\"00280010\": {\"vr\": \"US\", \"Value\": [\"abc\"]}}", "(0028,0010)", "not a number")]
    [InlineData("{\"00280010\": {\"vr\": \"US\", \"Value\": [70000]}}", "(0028,0010)", "does not fit")]
    [InlineData("{\"00280010\": {\"vr\": \"US\", \"Value\": [1.5]}}", "(0028,0010)", "does not fit")]
    [InlineData("{\"00280106\": {\"vr\": \"SS\", \"Value\": [true]}}", "(0028,0106)", "must be a number")]
    [InlineData("{\"00180050\": {\"vr\": \"DS\", \"Value\": [\"thick\"]}}", "(0018,0050)", "not a valid DS")]
    [InlineData("{\"00201002\": {\"vr\": \"IS\", \"Value\": [1.5]}}", "(0020,1002)", "not an integer")]
    [InlineData("{\"00081030\": {\"vr\": \"LO\", \"Value\": [true]}}", "(0008,1030)", "must be a string")]
    [InlineData("{\"00081030\": {\"vr\": \"LO\", \"Value\": [{}]}}", "(0008,1030)", "must be a string")]
    [InlineData("{\"00080008\": {\"vr\": \"CS\", \"Value\": [\"A\\\\B\"]}}", "(0008,0008)", "backslash")]
    [InlineData("{\"00100010\": {\"vr\": \"PN\", \"Value\": [42]}}", "(0010,0010)", "PN value")]
    [InlineData("{\"00100010\": {\"vr\": \"PN\", \"Value\": [{\"Alphabetic\": 42}]}}", "(0010,0010)", "must be a string")]
    [InlineData("{\"00205000\": {\"vr\": \"AT\", \"Value\": [\"xyz\"]}}", "(0020,5000)", "AT value")]
    [InlineData("{\"00205000\": {\"vr\": \"AT\", \"Value\": [1048592]}}", "(0020,5000)", "AT value")]
    [InlineData("{\"00081140\": {\"vr\": \"SQ\", \"Value\": [5]}}", "(0008,1140)", "item must be an object")]
    [InlineData("{\"00081140\": {\"vr\": \"SQ\", \"InlineBinary\": \"AA==\"}}", "(0008,1140)", "sequence cannot")]
    [InlineData("{\"00080016\": {\"vr\": \"UI\", \"Value\": [\"1.2\\u4E00\"]}}", "(0008,0016)", "outside")]
    // binary
    [InlineData("{\"7FE00010\": {\"vr\": \"OW\", \"InlineBinary\": \"@@@@\"}}", "(7FE0,0010)", "not valid base64")]
    [InlineData("{\"7FE00010\": {\"vr\": \"OW\", \"InlineBinary\": \"AQI\"}}", "(7FE0,0010)", "not valid base64")]
    [InlineData("{\"7FE00010\": {\"vr\": \"OW\", \"InlineBinary\": 12}}", "(7FE0,0010)", "base64 string")]
    [InlineData("{\"7FE00010\": {\"vr\": \"OW\", \"BulkDataURI\": 12}}", "(7FE0,0010)", "must be a string")]
    // nested paths
    [InlineData("{\"00081140\": {\"vr\": \"SQ\", \"Value\": [{}, {\"00081150\": {\"vr\": \"UI\", \"Value\": [1, 2, {}]}}]}}", "(0008,1140)[1].(0008,1150)", "must be a string")]
    [InlineData("{\"00081140\": {\"vr\": \"SQ\", \"Value\": [{\"0008115\": {}}]}}", "(0008,1140)[0]", "Invalid tag key")]
    public void MalformedInput(string json, string path, string reason)
    {
        var ex = Fails(json);
        Assert.Contains(reason, ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(path, ex.TagPath);
        Assert.True(ex.LineNumber >= 1, ex.Message);
        Assert.True(ex.BytePositionInLine >= 1, ex.Message);
    }

    [Fact]
    public void PositionIsLineAndByte()
    {
        string json = "{\n  \"00100010\": {\"vr\": \"PN\"},\n  \"00280010\": {\"vr\": \"US\", \"Value\": [\"x\"]}\n}";
        var ex = Fails(json);
        Assert.Equal(3, ex.LineNumber);
        Assert.Equal(json.Split('\n')[2].IndexOf("\"x\"", StringComparison.Ordinal) + 1, ex.BytePositionInLine);
        Assert.Equal(Encoding.UTF8.GetBytes(json).AsSpan().IndexOf("\"x\""u8), ex.ByteOffset);
        Assert.Contains("(0028,0010)", ex.Message);
        Assert.Contains("line 3", ex.Message);

        var syntax = Fails("{\n  \"00100010\": {\"vr\": \"PN\",,}\n}");
        Assert.Equal(2, syntax.LineNumber);
        Assert.Equal("(0010,0010)", syntax.TagPath);
        Assert.IsAssignableFrom<DicomException>(syntax);
    }

    [Fact]
    public void ArrayFormErrorsNameTheDataSet()
    {
        var ex = Fails("[{}, {\"00100010\": {\"vr\": \"PN\", \"Value\": [1]}}]", array: true);
        Assert.Equal("[1].(0010,0010)", ex.TagPath);
        Assert.Contains("data set object", Fails("[{}, 5]", array: true).Message);
    }

    [Fact]
    public void DeepNestingIsRejected()
    {
        var sb = new StringBuilder();
        const int depth = 200;
        for (int i = 0; i < depth; i++) sb.Append("{\"00081140\": {\"vr\": \"SQ\", \"Value\": [");
        sb.Append("{}");
        for (int i = 0; i < depth; i++) sb.Append("]}}");
        var ex = Fails(sb.ToString());
        Assert.Contains("depth", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("(0008,1140)[0].(0008,1140)", ex.TagPath);

        // allowed when the limit is raised
        var ds = DicomJson.Deserialize(sb.ToString(), new DicomJsonOptions { MaxDepth = 3 * depth + 10 });
        Assert.Single(ds.GetSequence(new DicomTag(0x0008, 0x1140))!.Items);
    }

    [Fact]
    public void ResolverFailureIsReportedWithThePath()
    {
        var ex = Record.Exception(() => DicomJson.Deserialize("{\"7FE00010\": {\"vr\": \"OW\", \"BulkDataURI\": \"u\"}}",
            new DicomJsonOptions { BulkDataResolver = _ => throw new IOException("offline") }));
        var dj = Assert.IsType<DicomJsonException>(ex);
        Assert.Equal("(7FE0,0010)", dj.TagPath);
        Assert.IsType<IOException>(dj.InnerException);
    }

    [Fact]
    public void GarbageNeverEscapesAsAnotherExceptionType()
    {
        var rng = new Random(1234);
        string valid = DicomJson.Serialize(DicomFile.Open(JsonTestEnvironment.TestFile("rtplan.dcm")).Dataset);
        for (int n = 0; n < 300; n++)
        {
            var chars = valid.ToCharArray();
            for (int k = 0; k < 3; k++)
            {
                int i = rng.Next(chars.Length);
                chars[i] = "{}[]\",:0aZ-. \\nulltrue"[rng.Next(22)];
            }
            var ex = Record.Exception(() => DicomJson.Deserialize(new string(chars)));
            if (ex != null) Assert.IsType<DicomJsonException>(ex);
        }
    }
}
