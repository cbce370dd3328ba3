using System.Text;
using System.Text.Json;
using Dicom.Typed.Text;
using Xunit;

namespace Dicom.Typed.Tests.Text;

/// <summary>Loads pydicom's dump of its charset test files once per test class.</summary>
public sealed class PydicomCharsetDump
{
    public PydicomCharsetDump()
    {
        using var doc = PythonPeer.RunJson("dump_charset_files.py");
        PydicomVersion = doc.RootElement.GetProperty("pydicom").GetString()!;
        var list = new List<Element>();
        foreach (var e in doc.RootElement.GetProperty("elements").EnumerateArray())
        {
            var charset = new List<string>();
            foreach (var c in e.GetProperty("charset").EnumerateArray()) charset.Add(c.GetString()!);
            list.Add(new Element(
                e.GetProperty("file").GetString()!,
                e.GetProperty("path").GetString()!,
                e.GetProperty("vr").GetString()!,
                charset,
                Convert.FromHexString(e.GetProperty("raw").GetString()!),
                e.GetProperty("decoded").GetString()!));
        }
        Elements = list;
    }

    public string PydicomVersion { get; }

    public IReadOnlyList<Element> Elements { get; }

    public sealed record Element(string File, string Path, string Vr, IReadOnlyList<string> Charset, byte[] Raw, string Decoded)
    {
        public DicomTextKind Kind => Vr switch
        {
            "PN" => DicomTextKind.PersonName,
            "ST" or "LT" or "UT" => DicomTextKind.SingleValue,
            _ => DicomTextKind.MultiValue,
        };

        public override string ToString() => $"{File} {Path} {Vr} [{string.Join('\\', Charset)}]";
    }
}

/// <summary>
/// pydicom's charset_files (chrArab ... chrX2, chrSQEncoding*) must decode to the same strings as pydicom,
/// and encode -> decode must round-trip.
/// </summary>
public sealed class CharsetFilesTests : IClassFixture<PydicomCharsetDump>
{
    /// <summary>
    /// Values whose original bytes use escape sequences differently from our (canonical) encoder; they must still
    /// round-trip to the same string.
    /// </summary>
    private static readonly Dictionary<string, string> NonCanonical = new()
    {
        // Returns to G0 with ESC ( B although value 1 (ISO 2022 IR 13) makes ESC ( J the initial G0 (PS3.5 H.3.2 uses ESC ( J).
        ["chrSQEncoding.dcm 00321064/0/00100010"] = "ESC ( B instead of ESC ( J",
        ["chrSQEncoding1.dcm 00321064/0/00100010"] = "ESC ( B instead of ESC ( J",
        // 'ESC $ ) C ... ESC ( B': redundant ESC ( B (G0 was never changed) before the padding.
        ["chrKoreanMulti.dcm 00081070"] = "redundant ESC ( B",
        ["chrKoreanMulti.dcm 00100010"] = "redundant ESC ( B",
        ["chrKoreanMulti.dcm 00101001"] = "redundant ESC ( B",
        ["chrKoreanMulti.dcm 001021B0"] = "redundant ESC ( B",
    };

    private readonly PydicomCharsetDump _dump;

    public CharsetFilesTests(PydicomCharsetDump dump) => _dump = dump;

    /// <summary>Mirrors pydicom's value handling around the decoder: padding removal, value splitting, PN trailing '=' removal.</summary>
    internal static string AsPydicom(string decoded, string vr)
    {
        switch (vr)
        {
            case "PN":
            {
                var values = decoded.TrimEnd('\0', ' ').Split('\\');
                for (int i = 0; i < values.Length; i++) values[i] = values[i].TrimEnd('=');
                return string.Join('\\', values);
            }
            case "ST" or "LT" or "UT":
                return decoded.TrimEnd('\0', ' ');
            default:
            {
                var values = decoded.Split('\\');
                for (int i = 0; i < values.Length; i++) values[i] = values[i].TrimEnd('\0', ' ');
                return string.Join('\\', values);
            }
        }
    }

    private static byte[] TrimPadding(byte[] raw)
    {
        int n = raw.Length;
        while (n > 0 && (raw[n - 1] == 0x20 || raw[n - 1] == 0x00)) n--;
        return raw[..n];
    }

    [Fact]
    public void Dump_CoversAllCharsetFilesAndSequenceItems()
    {
        Assert.Equal("2.3.1", _dump.PydicomVersion);
        var files = new HashSet<string>();
        foreach (var e in _dump.Elements) files.Add(e.File);
        foreach (var f in new[] { "chrArab.dcm", "chrFren.dcm", "chrFrenMulti.dcm", "chrGerm.dcm", "chrGreek.dcm", "chrH31.dcm", "chrH32.dcm",
                     "chrHbrw.dcm", "chrI2.dcm", "chrJapMulti.dcm", "chrJapMultiExplicitIR6.dcm", "chrKoreanMulti.dcm", "chrRuss.dcm",
                     "chrSQEncoding.dcm", "chrSQEncoding1.dcm", "chrX1.dcm", "chrX2.dcm" })
        {
            Assert.Contains(f, files);
        }
        // chrSQEncoding: the sequence item has its own Specific Character Set.
        Assert.Contains(_dump.Elements, e => e.File == "chrSQEncoding.dcm" && e.Path.Contains('/') && e.Charset.Count == 2);
        Assert.True(_dump.Elements.Count >= 150, $"only {_dump.Elements.Count} elements");
    }

    [Fact]
    public void Decode_MatchesPydicom_ForEveryTextElement()
    {
        var failures = new StringBuilder();
        int nonAscii = 0;
        foreach (var e in _dump.Elements)
        {
            var cs = DicomCharacterSet.Parse(e.Charset);
            Assert.Empty(cs.Warnings);
            string ours = AsPydicom(cs.Decode(e.Raw, e.Kind), e.Vr);
            if (ours != e.Decoded) failures.AppendLine($"{e}: pydicom '{e.Decoded}', ours '{ours}'");
            bool valid = cs.TryDecode(e.Raw, e.Kind, out _);
            if (!valid) failures.AppendLine($"{e}: TryDecode reported invalid bytes");
            foreach (char c in e.Decoded) if (c > 0x7F) { nonAscii++; break; }
        }
        Assert.True(failures.Length == 0, failures.ToString());
        Assert.True(nonAscii >= 20, $"expected many non-ASCII values, got {nonAscii}");
    }

    [Fact]
    public void EncodeDecode_RoundTrips_AndIsByteIdenticalWhereCanonical()
    {
        var failures = new StringBuilder();
        int identical = 0;
        foreach (var e in _dump.Elements)
        {
            var cs = DicomCharacterSet.Parse(e.Charset);
            byte[] original = TrimPadding(e.Raw);
            string decoded = cs.Decode(original, e.Kind);
            Assert.True(cs.CanEncode(decoded, e.Kind), e.ToString());
            byte[] encoded = cs.Encode(decoded, e.Kind);
            string again = cs.Decode(encoded, e.Kind);
            if (again != decoded) failures.AppendLine($"{e}: round trip '{decoded}' -> '{again}'");
            bool same = encoded.AsSpan().SequenceEqual(original);
            string key = $"{e.File} {e.Path}";
            if (same)
            {
                identical++;
                if (NonCanonical.ContainsKey(key)) failures.AppendLine($"{e}: listed as non-canonical but bytes are identical");
            }
            else if (!NonCanonical.ContainsKey(key))
            {
                failures.AppendLine($"{e}: bytes differ\n  original {Convert.ToHexString(original)}\n  encoded  {Convert.ToHexString(encoded)}");
            }
        }
        Assert.True(failures.Length == 0, failures.ToString());
        Assert.Equal(_dump.Elements.Count - NonCanonical.Count, identical);
    }
}
