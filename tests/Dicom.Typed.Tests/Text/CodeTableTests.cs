using System.Text;
using Dicom.Typed.Text;
using Xunit;

namespace Dicom.Typed.Tests.Text;

/// <summary>
/// Cross-checks every code table built from the .NET code pages against the Python codecs that pydicom uses,
/// and round-trips every assigned position through the public API.
/// </summary>
public sealed class CodeTableTests
{
    /// <summary>Positions where we deliberately differ from Python, with the reason.</summary>
    private static readonly Dictionary<(string Element, int Code), string> KnownDifferences = new()
    {
        // KS X 1001 0x2454 is HANGUL FILLER; Python's euc_kr treats A4 D4 as the start of an 8-byte
        // KS X 1001:1998 Annex 3 composition sequence and rejects it alone. Code page 949 maps it to U+3164.
        [("KS X 1001", 0x2454)] = "HANGUL FILLER",
    };

    [Fact]
    public void Tables_MatchPythonCodecs()
    {
        using var doc = PythonPeer.RunJson("dump_codec_tables.py");
        var failures = new StringBuilder();
        int checkedElements = 0;
        foreach (var element in CodeElement.All)
        {
            if (element.IsAsciiLike) continue;
            var expected = doc.RootElement.GetProperty(element.Name);
            int index = 0;
            foreach (var item in expected.EnumerateArray())
            {
                int py = item.GetInt32();
                int code;
                char ours;
                if (element.IsMultiByte)
                {
                    code = ((index / 94 + 0x21) << 8) | (index % 94 + 0x21);
                    ours = element.DecodeDouble(code >> 8, code & 0xFF);
                }
                else
                {
                    code = 0x80 + index;
                    ours = element.DecodeSingle((byte)code);
                }
                int oursValue = ours == CodeElement.Undefined ? -1 : ours;
                if (oursValue != py && !KnownDifferences.ContainsKey((element.Name, code)))
                    failures.AppendLine($"{element.Name} 0x{code:X4}: python {py:X4}, ours {oursValue:X4}");
                index++;
            }
            Assert.Equal(element.IsMultiByte ? 94 * 94 : 128, index);
            checkedElements++;
        }
        Assert.Equal(16, checkedElements);
        Assert.True(failures.Length == 0, failures.ToString());
    }

    public static TheoryData<string> Iso2022Terms() => new()
    {
        "ISO 2022 IR 100", "ISO 2022 IR 101", "ISO 2022 IR 109", "ISO 2022 IR 110", "ISO 2022 IR 144", "ISO 2022 IR 127",
        "ISO 2022 IR 126", "ISO 2022 IR 138", "ISO 2022 IR 148", "ISO 2022 IR 203", "ISO 2022 IR 166", "ISO 2022 IR 13",
        "ISO 2022 IR 87", "ISO 2022 IR 159", "ISO 2022 IR 149", "ISO 2022 IR 58",
    };

    /// <summary>Every assigned character of every code element encodes (as value 2, after an escape) and decodes back.</summary>
    [Theory]
    [MemberData(nameof(Iso2022Terms))]
    public void EveryCharacter_RoundTrips_AsCodeExtension(string term)
    {
        var cs = DicomCharacterSet.Parse(new[] { "", term });
        Assert.Empty(cs.Warnings);
        // Collect the repertoire through the public decoder: decode every position after the escape sequence.
        string repertoire = Repertoire(cs, term);
        Assert.True(repertoire.Length >= 50, $"{term}: only {repertoire.Length} characters");
        foreach (var kind in new[] { DicomTextKind.SingleValue, DicomTextKind.PersonName })
        {
            string value = "A^" + repertoire + "=b\\" + repertoire + "\r\nz";
            byte[] bytes = cs.Encode(value, kind);
            Assert.Equal(value, cs.Decode(bytes, kind));
            Assert.True(cs.TryDecode(bytes, kind, out _));
        }
    }

    private static string Repertoire(DicomCharacterSet cs, string term)
    {
        CodeElement element = term switch
        {
            "ISO 2022 IR 13" => CodeElement.Katakana,
            "ISO 2022 IR 87" => CodeElement.JisX0208,
            "ISO 2022 IR 159" => CodeElement.JisX0212,
            "ISO 2022 IR 149" => CodeElement.KsX1001,
            "ISO 2022 IR 58" => CodeElement.Gb2312,
            _ => FindSingleByte(term),
        };
        var sb = new StringBuilder();
        var bytes = new List<byte>(element.Escape);
        if (element.IsMultiByte)
        {
            byte high = element.IsG0 ? (byte)0 : (byte)0x80;
            for (int r = 0x21; r <= 0x7E; r++)
                for (int c = 0x21; c <= 0x7E; c++)
                {
                    char ch = element.DecodeDouble(r, c);
                    if (ch == CodeElement.Undefined || ch < 0x80) continue;
                    bytes.Add((byte)(r | high));
                    bytes.Add((byte)(c | high));
                    sb.Append(ch);
                }
        }
        else
        {
            for (int b = 0xA0; b <= 0xFF; b++)
            {
                char ch = element.DecodeSingle((byte)b);
                if (ch == CodeElement.Undefined) continue;
                bytes.Add((byte)b);
                sb.Append(ch);
            }
        }
        // The public decoder must agree with the table.
        Assert.Equal(sb.ToString(), cs.Decode(bytes.ToArray(), DicomTextKind.SingleValue));
        return sb.ToString();
    }

    private static CodeElement FindSingleByte(string term)
    {
        string name = "ISO IR " + term.Substring("ISO 2022 IR ".Length);
        foreach (var e in CodeElement.All) if (e.Name == name) return e;
        throw new InvalidOperationException(name);
    }
}
