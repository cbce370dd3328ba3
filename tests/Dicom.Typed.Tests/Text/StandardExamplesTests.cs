using Dicom.Typed.Text;
using Xunit;

namespace Dicom.Typed.Tests.Text;

/// <summary>Byte-exact examples of PS3.5 Annex H (Japanese), I (Korean) and J/K (Chinese): decode and encode.</summary>
public sealed class StandardExamplesTests
{
    private static byte[] B(string latin1) => DicomCharacterSetTests.B(latin1);

    public static TheoryData<string, string, string> PersonNames() => new()
    {
        // PS3.5 H.3.1: value 1 empty (ISO 2022 IR 6), ISO 2022 IR 87.
        { "\\ISO 2022 IR 87", "Yamada^Tarou=山田^太郎=やまだ^たろう",
          "Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B=\x1b$B$d$^$@\x1b(B^\x1b$B$?$m$&\x1b(B" },
        // PS3.5 H.3.2: ISO 2022 IR 13 (JIS X 0201 in G0/G1) with ISO 2022 IR 87; returns to G0 with ESC ( J.
        { "ISO 2022 IR 13\\ISO 2022 IR 87", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう",
          "\xd4\xcf\xc0\xde^\xc0\xdb\xb3=\x1b$B;3ED\x1b(J^\x1b$BB@O:\x1b(J=\x1b$B$d$^$@\x1b(J^\x1b$B$?$m$&\x1b(J" },
        // PS3.5 I.2: ISO 2022 IR 149 (KS X 1001 in G1), re-designated after each delimiter.
        { "\\ISO 2022 IR 149", "Hong^Gildong=洪^吉洞=홍^길동",
          "Hong^Gildong=\x1b$)C\xfb\xf3^\x1b$)C\xd1\xce\xd4\xd7=\x1b$)C\xc8\xab^\x1b$)C\xb1\xe6\xb5\xbf" },
        // PS3.5 J (K in recent editions) ISO 2022 IR 58 (GB 2312 in G1).
        { "\\ISO 2022 IR 58", "Zhang^XiaoDong=张^小东=",
          "Zhang^XiaoDong=\x1b$)A\xd5\xc5^\x1b$)A\xd0\xa1\xb6\xab=" },
        // PS3.5 J: GB18030.
        { "GB18030", "Wang^XiaoDong=王^小东=", "Wang^XiaoDong=\xcd\xf5^\xd0\xa1\xb6\xab=" },
        // PS3.5 J: ISO_IR 192 (UTF-8).
        { "ISO_IR 192", "Wang^XiaoDong=王^小東=", "Wang^XiaoDong=\xe7\x8e\x8b^\xe5\xb0\x8f\xe6\x9d\xb1=" },
    };

    [Theory]
    [MemberData(nameof(PersonNames))]
    public void PersonName_DecodesAndEncodesByteExact(string specificCharacterSet, string text, string bytesAsLatin1)
    {
        var cs = DicomCharacterSet.Parse(specificCharacterSet);
        Assert.Empty(cs.Warnings);
        byte[] bytes = B(bytesAsLatin1);
        Assert.Equal(text, cs.Decode(bytes, DicomTextKind.PersonName));
        Assert.True(cs.TryDecode(bytes, DicomTextKind.PersonName, out var strict));
        Assert.Equal(text, strict);
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(cs.Encode(text, DicomTextKind.PersonName)));
        Assert.True(cs.CanEncode(text, DicomTextKind.PersonName));
    }

    /// <summary>PS3.5 I.1 style text: ISO 2022 IR 149 in a multi-line LT; CR LF resets G1, so each line re-designates.</summary>
    [Fact]
    public void KoreanText_ReDesignatesAfterLineBreak()
    {
        var cs = DicomCharacterSet.Parse("\\ISO 2022 IR 149");
        string text = "The 1st line includes 길동.\r\nThe 2nd line includes 길동, too.\r\nThe 3rd line.";
        byte[] expected = B("The 1st line includes \x1b$)C\xb1\xe6\xb5\xbf.\r\nThe 2nd line includes \x1b$)C\xb1\xe6\xb5\xbf, too.\r\nThe 3rd line.");
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(cs.Encode(text, DicomTextKind.SingleValue)));
        Assert.Equal(text, cs.Decode(expected, DicomTextKind.SingleValue));
    }

    /// <summary>JIS X 0212 (ISO 2022 IR 159) through code page 20932's two-byte form.</summary>
    [Fact]
    public void JisX0212_DecodesAndEncodes()
    {
        var cs = DicomCharacterSet.Parse("\\ISO 2022 IR 87\\ISO 2022 IR 159");
        // 丂 U+4E02 is JIS X 0212 0x3021 (not in JIS X 0208); 山 is JIS X 0208 0x3B33.
        byte[] bytes = B("a\x1b$(D\x30\x21\x1b$B\x3b\x33\x1b(B^b");
        Assert.Equal("a丂山^b", cs.Decode(bytes, DicomTextKind.PersonName));
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(cs.Encode("a丂山^b", DicomTextKind.PersonName)));
    }
}
