using System.Text;
using Dicom.Typed.Text;
using Xunit;

namespace Dicom.Typed.Tests.Text;

public sealed class DicomCharacterSetTests
{
    /// <summary>Bytes from a string of chars U+0000-U+00FF (beware: C# "\xNNNN" escapes take up to 4 hex digits).</summary>
    internal static byte[] B(string latin1)
    {
        foreach (char c in latin1) Assert.True(c <= 0xFF, $"test vector contains U+{(int)c:X4}");
        return Encoding.Latin1.GetBytes(latin1);
    }

    private static string Hex(byte[] b) => Convert.ToHexString(b);

    // ------------------------------------------------------------------ parsing

    [Fact]
    public void Default_IsIsoIr6()
    {
        Assert.Empty(DicomCharacterSet.Default.Terms);
        Assert.Empty(DicomCharacterSet.Default.Warnings);
        Assert.Same(DicomCharacterSet.Default, DicomCharacterSet.Parse(""));
        Assert.Same(DicomCharacterSet.Default, DicomCharacterSet.Parse(Array.Empty<string>()));
        Assert.Same(DicomCharacterSet.Default, DicomCharacterSet.Parse(new[] { "" }));
        Assert.Equal(DicomCharacterSet.Default, DicomCharacterSet.Parse("ISO_IR 6"));
        Assert.False(DicomCharacterSet.Default.UsesCodeExtensions);
    }

    public static TheoryData<string> AllDefinedTerms() => new()
    {
        "ISO_IR 6", "ISO_IR 100", "ISO_IR 101", "ISO_IR 109", "ISO_IR 110", "ISO_IR 144", "ISO_IR 127", "ISO_IR 126", "ISO_IR 138",
        "ISO_IR 148", "ISO_IR 203", "ISO_IR 13", "ISO_IR 166",
        "ISO 2022 IR 6", "ISO 2022 IR 100", "ISO 2022 IR 101", "ISO 2022 IR 109", "ISO 2022 IR 110", "ISO 2022 IR 144",
        "ISO 2022 IR 127", "ISO 2022 IR 126", "ISO 2022 IR 138", "ISO 2022 IR 148", "ISO 2022 IR 203", "ISO 2022 IR 13",
        "ISO 2022 IR 166", "ISO 2022 IR 87", "ISO 2022 IR 159", "ISO 2022 IR 149", "ISO 2022 IR 58",
        "ISO_IR 192", "GB18030", "GBK",
    };

    [Theory]
    [MemberData(nameof(AllDefinedTerms))]
    public void DefinedTerm_ParsesWithoutWarnings_AndIsCached(string term)
    {
        var cs = DicomCharacterSet.Parse(term);
        Assert.Empty(cs.Warnings);
        Assert.Equal(new[] { term }, cs.Terms);
        Assert.Same(cs, DicomCharacterSet.Parse(term));
        Assert.Same(cs, DicomCharacterSet.Parse(new[] { term }));
        Assert.Equal("plain ASCII ^=\\", cs.Decode(B("plain ASCII ^=\\"), DicomTextKind.PersonName));
        Assert.Equal(B("plain ASCII ^=\\"), cs.Encode("plain ASCII ^=\\", DicomTextKind.PersonName));
    }

    [Theory]
    [InlineData("ISO-IR 100", "ISO_IR 100")]
    [InlineData("ISO IR 100", "ISO_IR 100")]
    [InlineData("ISO_IR100", "ISO_IR 100")]
    [InlineData("iso_ir 100", "ISO_IR 100")]
    [InlineData(" ISO_IR 100", "ISO_IR 100")]
    [InlineData("ISO 2022 IR100", "ISO 2022 IR 100")]
    [InlineData("ISO_2022_IR_87", "ISO 2022 IR 87")]
    [InlineData("ISO-2022-IR-149", "ISO 2022 IR 149")]
    [InlineData("ISO_IR 87", "ISO 2022 IR 87")]
    [InlineData("ISO 2022 IR 192", "ISO_IR 192")]
    [InlineData("UTF-8", "ISO_IR 192")]
    [InlineData("ISO 2022 GBK", "GBK")]
    [InlineData("ISO 2022 58", "ISO 2022 IR 58")]
    public void Misspelling_IsCorrected_WithWarning(string given, string expected)
    {
        var cs = DicomCharacterSet.Parse(given);
        Assert.Equal(new[] { expected }, cs.Terms);
        Assert.Single(cs.Warnings);
        Assert.Contains(given, cs.Warnings[0]);
        Assert.Equal(DicomCharacterSet.Parse(expected), cs);
    }

    [Fact]
    public void TrailingPadding_IsNotAWarning()
    {
        var cs = DicomCharacterSet.Parse("ISO_IR 100 ");
        Assert.Empty(cs.Warnings);
        Assert.Equal(new[] { "ISO_IR 100" }, cs.Terms);
        Assert.Equal(DicomCharacterSet.Parse("ISO_IR 100"), cs);
        Assert.Empty(DicomCharacterSet.Parse(new[] { "", "ISO 2022 IR 87\0" }).Warnings);
    }

    [Fact]
    public void UnknownValue1_FallsBackToDefault_WithWarning()
    {
        var cs = DicomCharacterSet.Parse("KLINGON");
        Assert.Single(cs.Warnings);
        Assert.Contains("KLINGON", cs.Warnings[0]);
        Assert.Empty(cs.Terms);
        Assert.Equal(DicomCharacterSet.Default, cs);
        Assert.Equal("Jérôme", cs.Decode(B("Jérôme"), DicomTextKind.PersonName)); // lenient Latin-1, like pydicom
        Assert.False(cs.TryDecode(B("Jérôme"), DicomTextKind.PersonName, out _));
        Assert.False(cs.CanEncode("Jérôme", DicomTextKind.PersonName));
    }

    [Fact]
    public void UnknownCodeExtension_IsIgnored_WithWarning()
    {
        var cs = DicomCharacterSet.Parse("\\ISO 2022 IR 999\\ISO 2022 IR 87");
        Assert.Equal(new[] { "", "ISO 2022 IR 87" }, cs.Terms);
        Assert.Single(cs.Warnings);
        Assert.Equal("山田", cs.Decode(B("\x1b$B;3ED\x1b(B"), DicomTextKind.PersonName));
    }

    [Fact]
    public void StandAloneValue1_IgnoresCodeExtensions_WithWarning()
    {
        var cs = DicomCharacterSet.Parse(new[] { "ISO_IR 192", "ISO 2022 IR 87" });
        Assert.Equal(new[] { "ISO_IR 192" }, cs.Terms);
        Assert.Single(cs.Warnings);
        Assert.True(cs.IsStandAlone);
        Assert.Equal("王", cs.Decode(B("\xe7\x8e\x8b"), DicomTextKind.PersonName));
    }

    [Fact]
    public void StandAloneAsCodeExtension_IsIgnored_WithWarning()
    {
        var cs = DicomCharacterSet.Parse(new[] { "", "GB18030", "ISO 2022 IR 149" });
        Assert.Equal(new[] { "", "ISO 2022 IR 149" }, cs.Terms);
        Assert.Single(cs.Warnings);
    }

    [Fact]
    public void NonExtensionTermInMultiValue_IsTreatedAsIso2022_WithWarning()
    {
        var cs = DicomCharacterSet.Parse(new[] { "ISO_IR 100", "ISO 2022 IR 144" });
        Assert.Equal(new[] { "ISO 2022 IR 100", "ISO 2022 IR 144" }, cs.Terms);
        Assert.Single(cs.Warnings);
        Assert.True(cs.UsesCodeExtensions);
    }

    [Fact]
    public void Iso2022TermWithoutEscapes_DecodesLikeTheSingleByteTerm()
    {
        var cs = DicomCharacterSet.Parse("ISO 2022 IR 100");
        Assert.Empty(cs.Warnings);
        Assert.Equal("Buc^Jérôme", cs.Decode(B("Buc^Jérôme"), DicomTextKind.PersonName));
        Assert.Equal(B("Buc^Jérôme"), cs.Encode("Buc^Jérôme", DicomTextKind.PersonName));
    }

    [Fact]
    public void Equality_UsesEffectiveTerms()
    {
        var a = DicomCharacterSet.Parse("\\ISO 2022 IR 87");
        var b = DicomCharacterSet.Parse(new[] { "", "ISO 2022 IR 87" });
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, DicomCharacterSet.Parse("ISO 2022 IR 6\\ISO 2022 IR 87"));
        Assert.NotEqual(DicomCharacterSet.Parse("ISO_IR 100"), DicomCharacterSet.Parse("ISO_IR 101"));
        Assert.False(a.Equals(null));
    }

    // ------------------------------------------------------------------ decoding edge cases

    [Fact]
    public void EmptyValue_DecodesToEmpty_AndEncodesToEmpty()
    {
        foreach (var cs in new[] { DicomCharacterSet.Default, DicomCharacterSet.Parse("\\ISO 2022 IR 87"), DicomCharacterSet.Parse("ISO_IR 192") })
        {
            Assert.Equal("", cs.Decode(ReadOnlySpan<byte>.Empty, DicomTextKind.PersonName));
            Assert.Empty(cs.Encode("", DicomTextKind.PersonName));
            Assert.True(cs.TryDecode(ReadOnlySpan<byte>.Empty, DicomTextKind.SingleValue, out var s));
            Assert.Equal("", s);
        }
    }

    /// <summary>Padding is the element reader's business: the decoder keeps trailing SPACE and NUL.</summary>
    [Fact]
    public void Padding_IsKept()
    {
        Assert.Equal("Abc ", DicomCharacterSet.Default.Decode(B("Abc "), DicomTextKind.MultiValue));
        Assert.Equal("Abc\0", DicomCharacterSet.Default.Decode(B("Abc\0"), DicomTextKind.MultiValue));
        var jp = DicomCharacterSet.Parse("\\ISO 2022 IR 87");
        Assert.Equal("やまだ ", jp.Decode(B("\x1b$B$d$^$@\x1b(B "), DicomTextKind.PersonName));
    }

    [Fact]
    public void UnknownEscapeSequence_BecomesReplacementCharacter()
    {
        var cs = DicomCharacterSet.Parse("\\ISO 2022 IR 87");
        byte[] bytes = B("abc\x1b%Gdef");
        Assert.Equal("abc\uFFFDdef", cs.Decode(bytes, DicomTextKind.SingleValue));
        Assert.False(cs.TryDecode(bytes, DicomTextKind.SingleValue, out var s));
        Assert.Equal("abc\uFFFDdef", s);
    }

    [Fact]
    public void TruncatedEscapeSequence_BecomesReplacementCharacter()
    {
        var cs = DicomCharacterSet.Parse("\\ISO 2022 IR 87");
        Assert.Equal("abc\uFFFD", cs.Decode(B("abc\x1b$"), DicomTextKind.SingleValue));
        Assert.Equal("abc\uFFFD", cs.Decode(B("abc\x1b"), DicomTextKind.SingleValue));
        Assert.False(cs.TryDecode(B("abc\x1b$"), DicomTextKind.SingleValue, out _));
    }

    [Fact]
    public void TruncatedDoubleByteCharacter_BecomesReplacementCharacter()
    {
        var cs = DicomCharacterSet.Parse("\\ISO 2022 IR 87");
        Assert.Equal("山\uFFFD", cs.Decode(B("\x1b$B;3E"), DicomTextKind.SingleValue));
        var kr = DicomCharacterSet.Parse("\\ISO 2022 IR 149");
        Assert.Equal("길\uFFFD", kr.Decode(B("\x1b$)C\xb1\xe6\xb5"), DicomTextKind.SingleValue));
    }

    [Fact]
    public void UndeclaredButKnownEscape_IsDecodedLeniently_ButNotStrictly()
    {
        var cs = DicomCharacterSet.Parse("\\ISO 2022 IR 87");
        byte[] bytes = B("\x1b$)C\xb1\xe6\xb5\xbf");
        Assert.Equal("길동", cs.Decode(bytes, DicomTextKind.SingleValue));
        Assert.False(cs.TryDecode(bytes, DicomTextKind.SingleValue, out _));
    }

    [Fact]
    public void InvalidBytes_BecomeReplacementCharacter()
    {
        var greek = DicomCharacterSet.Parse("ISO_IR 126");
        Assert.Equal("Δ\uFFFD", greek.Decode(B("\xc4\xae"), DicomTextKind.SingleValue)); // 0xAE is unassigned in ISO 8859-7
        Assert.False(greek.TryDecode(B("\xc4\xae"), DicomTextKind.SingleValue, out _));
        var utf8 = DicomCharacterSet.Parse("ISO_IR 192");
        Assert.Equal("a\uFFFDb", utf8.Decode(B("a\xff" + "b"), DicomTextKind.SingleValue));
        Assert.False(utf8.TryDecode(B("a\xff" + "b"), DicomTextKind.SingleValue, out _));
        Assert.True(utf8.TryDecode(B("\xe7\x8e\x8b"), DicomTextKind.SingleValue, out _));
        var gb = DicomCharacterSet.Parse("GB18030");
        Assert.False(gb.TryDecode(B("\xcd"), DicomTextKind.SingleValue, out var s));
        Assert.Equal("\uFFFD", s);
    }

    [Fact]
    public void Kind_DecidesWhereStateResets()
    {
        var kr = DicomCharacterSet.Parse("\\ISO 2022 IR 149");
        byte[] bytes = B("\x1b$)C\xb1\xe6^\xb5\xbf");
        // ST/LT/UT: '^' is an ordinary character, KS X 1001 stays designated.
        Assert.Equal("길^동", kr.Decode(bytes, DicomTextKind.SingleValue));
        Assert.Equal("길^동", kr.Decode(bytes, DicomTextKind.MultiValue));
        // PN: '^' resets G1 to value 1 (none), so the bytes after it are invalid (read as Latin-1, as pydicom).
        Assert.Equal("길^µ¿", kr.Decode(bytes, DicomTextKind.PersonName));
        Assert.False(kr.TryDecode(bytes, DicomTextKind.PersonName, out _));
        // CR LF resets for every kind.
        Assert.Equal("길\r\nµ¿", kr.Decode(B("\x1b$)C\xb1\xe6\r\n\xb5\xbf"), DicomTextKind.SingleValue));
    }

    [Fact]
    public void SingleByteKatakana_WithoutExtensions()
    {
        var cs = DicomCharacterSet.Parse("ISO_IR 13");
        Assert.Equal("ﾔﾏﾀﾞ^ﾀﾛｳ", cs.Decode(B("\xd4\xcf\xc0\xde^\xc0\xdb\xb3"), DicomTextKind.PersonName));
        Assert.Equal(B("\xd4\xcf\xc0\xde^\xc0\xdb\xb3"), cs.Encode("ﾔﾏﾀﾞ^ﾀﾛｳ", DicomTextKind.PersonName));
        Assert.False(cs.CanEncode("山", DicomTextKind.PersonName));
    }

    [Fact]
    public void LongValue_UsesPooledBuffer()
    {
        var cs = DicomCharacterSet.Parse("ISO_IR 100");
        string text = string.Concat(Enumerable.Repeat("Jérôme Äneas ", 100));
        byte[] bytes = cs.Encode(text, DicomTextKind.SingleValue);
        Assert.Equal(text.Length, bytes.Length);
        Assert.Equal(text, cs.Decode(bytes, DicomTextKind.SingleValue));
        var jp = DicomCharacterSet.Parse("\\ISO 2022 IR 87");
        string jtext = string.Concat(Enumerable.Repeat("山田^太郎=", 200));
        Assert.Equal(jtext, jp.Decode(jp.Encode(jtext, DicomTextKind.PersonName), DicomTextKind.PersonName));
    }

    [Fact]
    public void AsciiFastPath_AllocatesOnlyTheString()
    {
        var cs = DicomCharacterSet.Parse("\\ISO 2022 IR 87");
        byte[] bytes = B(new string('a', 1000));
        cs.Decode(bytes, DicomTextKind.PersonName); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        string s = cs.Decode(bytes, DicomTextKind.PersonName);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(1000, s.Length);
        Assert.True(allocated <= 2 * 1000 + 64, $"allocated {allocated} bytes");
    }

    // ------------------------------------------------------------------ encoding

    [Fact]
    public void MultiValuedPersonName_WithComponentGroups_ReturnsToAsciiBeforeEveryDelimiter()
    {
        var cs = DicomCharacterSet.Parse("\\ISO 2022 IR 87");
        string value = "Yamada^Tarou=山田^太郎\\Suzuki=鈴木";
        byte[] expected = B("Yamada^Tarou=\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B\\Suzuki=\x1b$BNkLZ\x1b(B");
        Assert.Equal(Hex(expected), Hex(cs.Encode(value, DicomTextKind.PersonName)));
        Assert.Equal(value, cs.Decode(expected, DicomTextKind.PersonName));
    }

    [Fact]
    public void MultiValuedLongString_ReturnsToAsciiBeforeBackslashOnly()
    {
        var cs = DicomCharacterSet.Parse("\\ISO 2022 IR 87");
        Assert.Equal(Hex(B("\x1b$B;3ED\x1b(B\\\x1b$BB@O:\x1b(B")), Hex(cs.Encode("山田\\太郎", DicomTextKind.MultiValue)));
        // In ST '^' does not force a return to ASCII, but '^' is ASCII so it does anyway.
        Assert.Equal(Hex(B("\x1b$B;3ED\x1b(B^\x1b$BB@O:\x1b(B")), Hex(cs.Encode("山田^太郎", DicomTextKind.SingleValue)));
    }

    [Fact]
    public void Korean_G1_IsKeptAcrossNonDelimiters_AndReDesignatedAfterDelimiters()
    {
        var cs = DicomCharacterSet.Parse("\\ISO 2022 IR 149");
        Assert.Equal(Hex(B("\x1b$)C\xb1\xe6 \xb5\xbf^\x1b$)C\xb1\xe6")), Hex(cs.Encode("길 동^길", DicomTextKind.PersonName)));
        Assert.Equal(Hex(B("\x1b$)C\xb1\xe6 \xb5\xbf^\xb1\xe6")), Hex(cs.Encode("길 동^길", DicomTextKind.SingleValue)));
    }

    [Fact]
    public void SeveralSingleByteExtensions_SwitchG1()
    {
        var cs = DicomCharacterSet.Parse("ISO 2022 IR 100\\ISO 2022 IR 144");
        byte[] bytes = cs.Encode("éЛé", DicomTextKind.SingleValue);
        Assert.Equal(Hex(B("\xe9\x1b-L\xbb\x1b-A\xe9")), Hex(bytes));
        Assert.Equal("éЛé", cs.Decode(bytes, DicomTextKind.SingleValue));
    }

    [Fact]
    public void UnencodableCharacter_Throws_WithCharacterAndIndex()
    {
        var ex = Assert.Throws<DicomEncodingException>(() => DicomCharacterSet.Parse("ISO_IR 100").Encode("Jérôme Łukasz", DicomTextKind.PersonName));
        Assert.Equal("Ł", ex.Character);
        Assert.Equal(7, ex.Index);
        Assert.Equal("ISO_IR 100", ex.CharacterSet);
        Assert.Contains("U+0141", ex.Message);

        ex = Assert.Throws<DicomEncodingException>(() => DicomCharacterSet.Default.Encode("abé", DicomTextKind.SingleValue));
        Assert.Equal(2, ex.Index);
        Assert.False(DicomCharacterSet.Default.CanEncode("abé", DicomTextKind.SingleValue));

        var jp = DicomCharacterSet.Parse("\\ISO 2022 IR 87");
        ex = Assert.Throws<DicomEncodingException>(() => jp.Encode("山田😀", DicomTextKind.PersonName));
        Assert.Equal("😀", ex.Character);
        Assert.Equal(2, ex.Index);
        Assert.False(jp.CanEncode("ﾔ", DicomTextKind.PersonName)); // half-width katakana needs ISO 2022 IR 13
    }

    [Fact]
    public void RawEscapeCharacter_IsNotEncodableWithCodeExtensions()
    {
        var jp = DicomCharacterSet.Parse("\\ISO 2022 IR 87");
        Assert.False(jp.CanEncode("a\u001b(Bb", DicomTextKind.SingleValue));
        Assert.Throws<DicomEncodingException>(() => jp.Encode("a\u001b(Bb", DicomTextKind.SingleValue));
    }

    [Fact]
    public void StandAloneEncodings_EncodeAndReportErrors()
    {
        var utf8 = DicomCharacterSet.Parse("ISO_IR 192");
        Assert.Equal("😀^王", utf8.Decode(utf8.Encode("😀^王", DicomTextKind.PersonName), DicomTextKind.PersonName));
        var ex = Assert.Throws<DicomEncodingException>(() => utf8.Encode("ab\ud800", DicomTextKind.SingleValue));
        Assert.Equal(2, ex.Index);
        Assert.False(utf8.CanEncode("\udc00", DicomTextKind.SingleValue));

        var gb18030 = DicomCharacterSet.Parse("GB18030");
        Assert.True(gb18030.CanEncode("😀", DicomTextKind.SingleValue));
        Assert.Equal("😀王", gb18030.Decode(gb18030.Encode("😀王", DicomTextKind.SingleValue), DicomTextKind.SingleValue));

        var gbk = DicomCharacterSet.Parse("GBK");
        Assert.Equal(Hex(B("\xcd\xf5")), Hex(gbk.Encode("王", DicomTextKind.SingleValue)));
        Assert.False(gbk.CanEncode("😀", DicomTextKind.SingleValue));
        ex = Assert.Throws<DicomEncodingException>(() => gbk.Encode("王😀", DicomTextKind.SingleValue));
        Assert.Equal(1, ex.Index);
        Assert.Equal("😀", ex.Character);
    }

    [Fact]
    public void SharedInstance_IsThreadSafe_WhileTablesAreBuilt()
    {
        var jp = DicomCharacterSet.Parse("ISO 2022 IR 13\\ISO 2022 IR 87\\ISO 2022 IR 159");
        Parallel.For(0, 64, i =>
        {
            string v = "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=丂" + i;
            Assert.Equal(v, jp.Decode(jp.Encode(v, DicomTextKind.PersonName), DicomTextKind.PersonName));
        });
    }
}
