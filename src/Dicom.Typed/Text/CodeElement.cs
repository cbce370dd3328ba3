using System.Text;

namespace Dicom.Typed.Text;

/// <summary>
/// One ISO 2022 code element (a graphic character set designated into G0 or G1) as used by
/// DICOM (PS3.3 Tables C.12-3 and C.12-4). Tables are built lazily from the in-box
/// <see cref="CodePagesEncodingProvider"/> code pages, restricted to the standard repertoire
/// (vendor extensions and private-use mappings of the Windows code pages are removed) and
/// aligned with the Python codecs that pydicom uses where the two disagree.
/// </summary>
internal sealed class CodeElement
{
    /// <summary>Marker for an unassigned position in a decode table.</summary>
    internal const char Undefined = '\uFFFF';

    private readonly Func<CodeElement, (char[] Decode, Dictionary<char, ushort> Encode)>? _builder;
    private TableSet? _tables; // published once, read without locking (reference writes are atomic)
    private readonly object _lock = new();

    private sealed class TableSet(char[] decode, Dictionary<char, ushort> encode)
    {
        public readonly char[] Decode = decode;
        public readonly Dictionary<char, ushort> Encode = encode;
    }

    private CodeElement(string name, bool isG0, bool isMultiByte, bool isAsciiLike, byte[] escape,
        Func<CodeElement, (char[] Decode, Dictionary<char, ushort> Encode)>? builder)
    {
        Name = name;
        IsG0 = isG0;
        IsMultiByte = isMultiByte;
        IsAsciiLike = isAsciiLike;
        Escape = escape;
        _builder = builder;
    }

    /// <summary>Short descriptive name (e.g. "JIS X 0208").</summary>
    public string Name { get; }

    /// <summary>True when designated into G0 (invoked in GL, bytes 0x21-0x7E); false for G1 (GR, bytes 0xA0-0xFF).</summary>
    public bool IsG0 { get; }

    /// <summary>True for 94x94 double-byte sets.</summary>
    public bool IsMultiByte { get; }

    /// <summary>True for the G0 sets treated as ASCII (ISO IR 6 and, like pydicom, JIS X 0201 Romaji ISO IR 14).</summary>
    public bool IsAsciiLike { get; }

    /// <summary>The full designation escape sequence including the leading ESC.</summary>
    public byte[] Escape { get; }

    private TableSet Tables
    {
        get
        {
            var t = Volatile.Read(ref _tables);
            if (t != null) return t;
            lock (_lock)
            {
                if (_tables == null)
                {
                    var (decode, encode) = _builder!(this);
                    Volatile.Write(ref _tables, new TableSet(decode, encode));
                }
                return _tables!;
            }
        }
    }

    /// <summary>Decodes one GR byte (0x80-0xFF) of a single-byte G1 set; <see cref="Undefined"/> if unassigned.</summary>
    public char DecodeSingle(byte b) => Tables.Decode[b - 0x80];

    /// <summary>Decodes a double-byte character given as two 7-bit bytes 0x21-0x7E; <see cref="Undefined"/> if unassigned.</summary>
    public char DecodeDouble(int b1, int b2) => Tables.Decode[((b1 & 0x7F) - 0x21) * 94 + ((b2 & 0x7F) - 0x21)];

    /// <summary>Looks up the code for <paramref name="c"/>: the GR byte for single-byte sets, or (row&lt;&lt;8 | cell) with 7-bit row/cell for double-byte sets.</summary>
    public bool TryEncode(char c, out ushort code) => Tables.Encode.TryGetValue(c, out code);

    // ---------------------------------------------------------------- the code elements

    private static byte[] Esc(string s)
    {
        var b = new byte[s.Length + 1];
        b[0] = 0x1B;
        for (int i = 0; i < s.Length; i++) b[i + 1] = (byte)s[i];
        return b;
    }

    /// <summary>ISO IR 6 (ASCII) in G0: ESC ( B.</summary>
    public static readonly CodeElement Ascii = new("ISO IR 6", true, false, true, Esc("(B"), null);

    /// <summary>ISO IR 14 (JIS X 0201 Romaji) in G0: ESC ( J. Treated as ASCII (0x5C and 0x7E read as '\' and '~'), as pydicom and most toolkits do.</summary>
    public static readonly CodeElement Romaji = new("ISO IR 14", true, false, true, Esc("(J"), null);

    /// <summary>ISO IR 13 (JIS X 0201 Katakana) in G1: ESC ) I; 0xA1-0xDF map to U+FF61-U+FF9F.</summary>
    public static readonly CodeElement Katakana = new("ISO IR 13", false, false, false, Esc(")I"), _ =>
    {
        var dec = new char[128];
        Array.Fill(dec, Undefined);
        var enc = new Dictionary<char, ushort>(63);
        for (int b = 0xA1; b <= 0xDF; b++)
        {
            char c = (char)(0xFF61 + (b - 0xA1));
            dec[b - 0x80] = c;
            enc[c] = (ushort)b;
        }
        return (dec, enc);
    });

    /// <summary>ISO IR 100 (ISO 8859-1) in G1: ESC - A.</summary>
    public static readonly CodeElement Latin1 = SingleByte("ISO IR 100", "-A", 28591, null);
    /// <summary>ISO IR 101 (ISO 8859-2) in G1: ESC - B.</summary>
    public static readonly CodeElement Latin2 = SingleByte("ISO IR 101", "-B", 28592, null);
    /// <summary>ISO IR 109 (ISO 8859-3) in G1: ESC - C.</summary>
    public static readonly CodeElement Latin3 = SingleByte("ISO IR 109", "-C", 28593, null);
    /// <summary>ISO IR 110 (ISO 8859-4) in G1: ESC - D.</summary>
    public static readonly CodeElement Latin4 = SingleByte("ISO IR 110", "-D", 28594, null);
    /// <summary>ISO IR 144 (ISO 8859-5, Cyrillic) in G1: ESC - L.</summary>
    public static readonly CodeElement Cyrillic = SingleByte("ISO IR 144", "-L", 28595, null);
    /// <summary>ISO IR 127 (ISO 8859-6, Arabic) in G1: ESC - G.</summary>
    public static readonly CodeElement Arabic = SingleByte("ISO IR 127", "-G", 28596, null);
    /// <summary>ISO IR 126 (ISO 8859-7, Greek) in G1: ESC - F. Uses the ISO 8859-7:2003 mapping (as Python's codec) for 0xA1, 0xA2, 0xA4, 0xA5, 0xAA.</summary>
    public static readonly CodeElement Greek = SingleByte("ISO IR 126", "-F", 28597,
        [(0xA1, '\u2018'), (0xA2, '\u2019'), (0xA4, '\u20AC'), (0xA5, '\u20AF'), (0xAA, '\u037A')]);
    /// <summary>ISO IR 138 (ISO 8859-8, Hebrew) in G1: ESC - H. 0xAF is MACRON and 0xFD/0xFE are LRM/RLM (ISO 8859-8 / Python mapping).</summary>
    public static readonly CodeElement Hebrew = SingleByte("ISO IR 138", "-H", 28598,
        [(0xAF, '\u00AF'), (0xFD, '\u200E'), (0xFE, '\u200F')]);
    /// <summary>ISO IR 148 (ISO 8859-9, Latin 5) in G1: ESC - M.</summary>
    public static readonly CodeElement Latin5 = SingleByte("ISO IR 148", "-M", 28599, null);
    /// <summary>ISO IR 203 (ISO 8859-15, Latin 9) in G1: ESC - b.</summary>
    public static readonly CodeElement Latin9 = SingleByte("ISO IR 203", "-b", 28605, null);
    /// <summary>ISO IR 166 (TIS 620-2533, Thai) in G1: ESC - T. Only 0xA1-0xFB of windows-874 are used; 0x80-0x9F are C1 controls.</summary>
    public static readonly CodeElement Thai = SingleByte("ISO IR 166", "-T", 874, null, thai: true);

    /// <summary>ISO IR 87 (JIS X 0208) in G0: ESC $ B. Built from code page 20932 (EUC-JP: both bytes | 0x80); NEC row 13 is excluded.</summary>
    public static readonly CodeElement JisX0208 = DoubleByte("JIS X 0208", true, "$B", 20932, 0x80, 0x80,
        static (r, c) => r != 0x2D, null, null);

    /// <summary>
    /// ISO IR 159 (JIS X 0212) in G0: ESC $ ( D. Code page 20932 encodes JIS X 0212 as (row | 0x80, cell)
    /// (two bytes, not the 3-byte EUC-JP SS3 form, which .NET does not support). IBM rows 0x73+ are excluded;
    /// 0x2237 (TILDE) and 0x2271 (NUMERO SIGN), missing in 20932, are added for decoding as Python does.
    /// </summary>
    public static readonly CodeElement JisX0212 = DoubleByte("JIS X 0212", true, "$(D", 20932, 0x80, 0x00,
        static (r, c) => r < 0x73, [(0x2237, '\u007E'), (0x2271, '\u2116')], null);

    /// <summary>ISO IR 149 (KS X 1001) in G1: ESC $ ) C. Built from code page 949 restricted to 0xA1-0xFE pairs.</summary>
    public static readonly CodeElement KsX1001 = DoubleByte("KS X 1001", false, "$)C", 949, 0x80, 0x80,
        static (r, c) => true, null, null);

    /// <summary>
    /// ISO IR 58 (GB 2312) in G1: ESC $ ) A. Built from code page 936 restricted to GB 2312 (GBK additions in rows 2, 6, 8 removed);
    /// 0x2124/0x212A decode to U+30FB/U+2015 as in Python's gb2312 codec, and U+00B7/U+2014 are also accepted when encoding.
    /// </summary>
    public static readonly CodeElement Gb2312 = DoubleByte("GB 2312", false, "$)A", 936, 0x80, 0x80,
        static (r, c) => !(r == 0x22 && c <= 0x2A) && !(r == 0x26 && c >= 0x60 && c <= 0x75) && !(r == 0x28 && c >= 0x3B && c <= 0x40),
        [(0x2124, '\u30FB'), (0x212A, '\u2015')], [('\u00B7', 0x2124), ('\u2014', 0x212A)]);

    /// <summary>All elements that can be designated by an escape sequence, for decoding.</summary>
    private static readonly CodeElement[] s_all =
    [
        Ascii, Romaji, Katakana, Latin1, Latin2, Latin3, Latin4, Cyrillic, Arabic, Greek, Hebrew, Latin5, Latin9, Thai,
        JisX0208, JisX0212, KsX1001, Gb2312,
    ];

    /// <summary>All code elements that escape sequences can designate (for tests and diagnostics).</summary>
    internal static IReadOnlyList<CodeElement> All => s_all;

    /// <summary>
    /// Finds the element designated by the escape sequence <paramref name="sequence"/> (the bytes after ESC, i.e.
    /// intermediate bytes and final byte). Also accepts ESC $ @ (JIS C 6226-1978) as JIS X 0208.
    /// </summary>
    public static CodeElement? FromEscape(ReadOnlySpan<byte> sequence)
    {
        foreach (var e in s_all)
        {
            if (sequence.SequenceEqual(e.Escape.AsSpan(1))) return e;
        }
        if (sequence.Length == 2 && sequence[0] == (byte)'$' && sequence[1] == (byte)'@') return JisX0208;
        return null;
    }

    private static Encoding GetCodePage(int codePage)
    {
        var fallback = new DecoderReplacementFallback(Undefined.ToString());
        if (codePage == 28591) return Encoding.GetEncoding(28591, EncoderFallback.ExceptionFallback, fallback);
        return CodePagesEncodingProvider.Instance.GetEncoding(codePage, EncoderFallback.ExceptionFallback, fallback)
            ?? throw new InvalidOperationException($"Code page {codePage} is not available.");
    }

    private static bool IsPrivateUse(char c) => c >= '\uE000' && c <= '\uF8FF';

    private static CodeElement SingleByte(string name, string escape, int codePage, (int Byte, char Char)[]? overrides, bool thai = false)
        => new(name, false, false, false, Esc(escape), _ =>
        {
            var encoding = GetCodePage(codePage);
            var dec = new char[128];
            Span<char> chars = stackalloc char[4];
            Span<byte> one = stackalloc byte[1];
            for (int b = 0x80; b <= 0xFF; b++)
            {
                char c = Undefined;
                if (b < 0xA0 || (b == 0xA0 && thai))
                {
                    // C1 controls map to themselves (ISO 8859 and Python); TIS 620 has no NBSP.
                    c = thai && b == 0xA0 ? Undefined : (char)b;
                }
                else
                {
                    one[0] = (byte)b;
                    int n = encoding.GetChars(one, chars);
                    if (n == 1 && chars[0] != Undefined && !IsPrivateUse(chars[0])) c = chars[0];
                }
                dec[b - 0x80] = c;
            }
            if (overrides != null)
            {
                foreach (var (bb, cc) in overrides) dec[bb - 0x80] = cc;
            }
            var enc = new Dictionary<char, ushort>(128);
            for (int i = 0; i < 128; i++)
            {
                if (dec[i] != Undefined) enc.TryAdd(dec[i], (ushort)(i + 0x80));
            }
            return (dec, enc);
        });

    private static CodeElement DoubleByte(string name, bool isG0, string escape, int codePage, int mask1, int mask2,
        Func<int, int, bool> include, (int Code, char Char)[]? decodeExtras, (char Char, int Code)[]? encodeExtras)
        => new(name, isG0, true, false, Esc(escape), _ =>
        {
            var encoding = GetCodePage(codePage);
            var dec = new char[94 * 94];
            var enc = new Dictionary<char, ushort>(8000);
            Span<char> chars = stackalloc char[4];
            Span<byte> two = stackalloc byte[2];
            for (int r = 0x21; r <= 0x7E; r++)
            {
                for (int c = 0x21; c <= 0x7E; c++)
                {
                    char ch = Undefined;
                    if (include(r, c))
                    {
                        two[0] = (byte)(r | mask1);
                        two[1] = (byte)(c | mask2);
                        int n = encoding.GetChars(two, chars);
                        if (n == 1 && chars[0] != Undefined && chars[0] >= 0x80 && !IsPrivateUse(chars[0])) ch = chars[0];
                    }
                    dec[(r - 0x21) * 94 + (c - 0x21)] = ch;
                }
            }
            if (decodeExtras != null)
            {
                foreach (var (code, ch) in decodeExtras) dec[((code >> 8) - 0x21) * 94 + ((code & 0xFF) - 0x21)] = ch;
            }
            for (int i = 0; i < dec.Length; i++)
            {
                // Never encode ASCII through a double-byte set: ASCII always goes through G0 ASCII.
                if (dec[i] != Undefined && dec[i] >= 0x80) enc.TryAdd(dec[i], (ushort)(((i / 94 + 0x21) << 8) | (i % 94 + 0x21)));
            }
            if (encodeExtras != null)
            {
                foreach (var (ch, code) in encodeExtras) enc.TryAdd(ch, (ushort)code);
            }
            return (dec, enc);
        });

    /// <inheritdoc />
    public override string ToString() => Name;
}
