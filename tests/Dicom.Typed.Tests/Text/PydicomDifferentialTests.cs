using System.Text;
using System.Text.Json;
using Dicom.Typed.Text;
using Xunit;

namespace Dicom.Typed.Tests.Text;

/// <summary>
/// Differential tests against pydicom's charset module: crafted vectors where we agree, the documented cases where we
/// deliberately differ, and interoperability (pydicom decodes what we encode).
/// </summary>
public sealed class PydicomDifferentialTests
{
    private static byte[] B(string latin1) => DicomCharacterSetTests.B(latin1);

    private static List<string> PydicomDecode(IEnumerable<(string Charset, byte[] Bytes, DicomTextKind Kind)> items)
    {
        var sb = new StringBuilder("[");
        foreach (var (charset, bytes, kind) in items)
        {
            if (sb.Length > 1) sb.Append(',');
            sb.Append(JsonSerializer.Serialize(new { charset = charset.Split('\\'), hex = Convert.ToHexString(bytes), kind = kind.ToString() }));
        }
        sb.Append(']');
        using var doc = PythonPeer.RunJson("pydicom_decode.py", sb.ToString());
        var result = new List<string>();
        foreach (var e in doc.RootElement.EnumerateArray()) result.Add(e.GetString()!);
        return result;
    }

    public static TheoryData<string, string, DicomTextKind> Agreed() => new()
    {
        { "\\ISO 2022 IR 149", "\x1b$)C\xb1\xe6^\xb5\xbf", DicomTextKind.PersonName },   // '^' resets G1
        { "\\ISO 2022 IR 149", "\x1b$)C\xb1\xe6^\xb5\xbf", DicomTextKind.SingleValue },  // '^' does not reset in ST
        { "ISO 2022 IR 100\\ISO 2022 IR 144", "\xe9\x1b-L\xbb\x1b-A\xe9", DicomTextKind.SingleValue },
        { "\\ISO 2022 IR 87", "\x1b$B;3ED", DicomTextKind.PersonName },                   // missing final ESC ( B
        { "\\ISO 2022 IR 159", "a\x1b$(D\x30\x21\x1b(B", DicomTextKind.PersonName },       // JIS X 0212
        { "\\ISO 2022 IR 87", "\x1b$B;3ED\x1b(B\\\x1b$BB@O:\x1b(B", DicomTextKind.MultiValue },
        { "ISO_IR 192", "a\xff" + "b", DicomTextKind.SingleValue },                       // invalid UTF-8
        { "ISO_IR 126", "\xc4\xae", DicomTextKind.SingleValue },                          // unassigned in ISO 8859-7
        { "", "J\xe9r\xf4me", DicomTextKind.PersonName },                                 // default repertoire: Latin-1 leniency
        { "ISO 2022 IR 149", "\xb1\xe6\xb5\xbf", DicomTextKind.PersonName },              // IR 149 as value 1 acts as EUC-KR
        { "ISO 2022 IR 13\\ISO 2022 IR 87", "\xd4^\x1b$B;3\x1b(J^\xd4", DicomTextKind.PersonName },
    };

    [Theory]
    [MemberData(nameof(Agreed))]
    public void Decode_AgreesWithPydicom(string charset, string bytes, DicomTextKind kind)
    {
        string expected = PydicomDecode([(charset, B(bytes), kind)])[0];
        Assert.Equal(expected, DicomCharacterSet.Parse(charset).Decode(B(bytes), kind));
    }

    /// <summary>Where we deliberately differ from pydicom 2.3.1; asserts both sides so a change on either is noticed.</summary>
    [Theory]
    // ESC ( B designates G0 only; the G1 set (here JIS X 0201 katakana from value 1) stays invoked in GR.
    // pydicom decodes the whole fragment after ESC ( B as Latin-1.
    [InlineData("ISO 2022 IR 13\\ISO 2022 IR 87", "\x1b$B;3\x1b(B\xd4", "山Ô", "山ﾔ")]
    [InlineData("ISO 2022 IR 100\\ISO 2022 IR 144", "\x1b-L\xbb\x1b(B\xbb", "Л»", "ЛЛ")]
    // Unknown escape sequence: pydicom keeps ESC and the sequence as characters; we replace the sequence by U+FFFD.
    [InlineData("\\ISO 2022 IR 87", "abc\x1b%Gdef", "abc\x1b%Gdef", "abc\uFFFDdef")]
    // A known escape sequence for a set that is not declared: pydicom treats it as unknown (Latin-1 with ESC kept);
    // we honour the designation (TryDecode reports it).
    [InlineData("\\ISO 2022 IR 87", "x\x1b$)C\xb1\xe6", "x\x1b$)C±æ", "x길")]
    // pydicom 2.3.1 bug: ISO 2022 IR 58 is in its "handled_encodings" (escape left for Python to strip) but Python's
    // iso_ir_58/gb2312 codec does not know ESC $ ) A, so the escape sequence stays in the text (PS3.5 J/K example).
    [InlineData("\\ISO 2022 IR 58", "Zhang^XiaoDong=\x1b$)A\xd5\xc5^\x1b$)A\xd0\xa1\xb6\xab=",
        "Zhang^XiaoDong=\x1b$)A张^\x1b$)A小东=", "Zhang^XiaoDong=张^小东=")]
    public void Decode_DiffersFromPydicom_AsDocumented(string charset, string bytes, string pydicom, string ours)
    {
        Assert.Equal(pydicom, PydicomDecode([(charset, B(bytes), DicomTextKind.PersonName)])[0]);
        Assert.Equal(ours, DicomCharacterSet.Parse(charset).Decode(B(bytes), DicomTextKind.PersonName));
    }

    /// <summary>pydicom decodes everything we encode to the original string.</summary>
    [Fact]
    public void PydicomDecodes_WhatWeEncode()
    {
        var cases = new List<(string Charset, string Text, DicomTextKind Kind)>
        {
            ("\\ISO 2022 IR 87", "Yamada^Tarou=山田^太郎=やまだ^たろう", DicomTextKind.PersonName),
            ("ISO 2022 IR 13\\ISO 2022 IR 87", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう\\ﾔﾏﾀﾞ", DicomTextKind.PersonName),
            ("\\ISO 2022 IR 87\\ISO 2022 IR 159", "丂山^a丂=b", DicomTextKind.PersonName),
            ("\\ISO 2022 IR 149", "Hong^Gildong=洪^吉洞=홍^길동", DicomTextKind.PersonName),
            ("\\ISO 2022 IR 149", "길 동\r\n길동 x", DicomTextKind.SingleValue),
            ("ISO 2022 IR 100\\ISO 2022 IR 144\\ISO 2022 IR 126", "Jérôme Люк Διονυσιος é", DicomTextKind.SingleValue),
            ("ISO 2022 IR 100\\ISO 2022 IR 144", "éЛ\\Лé", DicomTextKind.MultiValue),
            ("ISO 2022 IR 6\\ISO 2022 IR 166\\ISO 2022 IR 138", "ภาษาไทย שרון", DicomTextKind.SingleValue),
            ("ISO_IR 148", "İstanbul Şişli", DicomTextKind.PersonName),
            ("ISO_IR 127", "قباني^لنزار", DicomTextKind.PersonName),
            ("ISO_IR 192", "Wang^XiaoDong=王^小東=😀", DicomTextKind.PersonName),
            ("GB18030", "Wang^XiaoDong=王^小东=", DicomTextKind.PersonName),
            ("GBK", "王小东", DicomTextKind.SingleValue),
        };
        var encoded = new List<(string, byte[], DicomTextKind)>();
        foreach (var (charset, text, kind) in cases) encoded.Add((charset, DicomCharacterSet.Parse(charset).Encode(text, kind), kind));
        var decoded = PydicomDecode(encoded);
        for (int i = 0; i < cases.Count; i++) Assert.Equal(cases[i].Text, decoded[i]);
    }
}
