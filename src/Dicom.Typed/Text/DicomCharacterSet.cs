using System.Buffers;
using System.Collections.Concurrent;
using System.Text;

namespace Dicom.Typed.Text;

/// <summary>
/// A parsed Specific Character Set (0008,0005): decodes and encodes the values of the text VRs
/// whose repertoire it replaces or extends (SH, LO, UC, ST, LT, UT, PN), including ISO 2022 code
/// extensions with escape sequences (PS3.3 C.12.1.1.2, PS3.5 6.1).
/// </summary>
/// <remarks>
/// <para>Instances are immutable and thread-safe; <see cref="Parse(IReadOnlyList{string})"/> caches them.</para>
/// <para>Values are decoded exactly as given: trailing padding (SPACE, or NUL for some VRs) is not removed here,
/// that is the business of the element reader.</para>
/// <para>Decoding never throws: invalid bytes, unassigned codes and unknown escape sequences become U+FFFD
/// (bytes 0x80-0xFF without a designated G1 set are read as ISO 8859-1, as pydicom does).
/// <see cref="TryDecode"/> reports whether that happened.</para>
/// <para>Multiple values must be split on <c>'\'</c> <em>after</em> decoding: in JIS X 0208/0212 (G0) and in GBK/GB18030
/// the byte 0x5C can be part of a double-byte character. The decoder only treats 0x5C, '^' and '=' as delimiters while
/// a single-byte G0 set is invoked.</para>
/// <para>Known simplifications: JIS X 0201 Romaji (ESC ( J) is treated as ASCII (0x5C and 0x7E read as '\' and '~', not
/// YEN SIGN and OVERLINE), as pydicom does; the 8-byte Hangul composition sequences of KS X 1001 Annex 3 are not composed;
/// escape sequences of sets not defined by DICOM are unknown (U+FFFD).</para>
/// </remarks>
public sealed class DicomCharacterSet : IEquatable<DicomCharacterSet>
{
    private enum StandAlone { None, Utf8, Gb18030, Gbk }

    private sealed record TermInfo(string Term, bool Extensions, CodeElement? G0, CodeElement? G1, StandAlone StandAlone);

    private static readonly Dictionary<string, TermInfo> s_terms = BuildTerms();
    private static readonly ConcurrentDictionary<string, DicomCharacterSet> s_cache = new(StringComparer.Ordinal);
    private const int MaxCacheEntries = 512;

    private static readonly UTF8Encoding s_utf8Strict = new(false, true);
    private static readonly UTF8Encoding s_utf8Lenient = new(false, false);
    private static readonly Lazy<(Encoding Lenient, Encoding Strict)> s_gb18030 = new(() => CodePage(54936));
    private static readonly Lazy<(Encoding Lenient, Encoding Strict)> s_gbk = new(() => CodePage(936));

    private readonly string[] _terms;
    private readonly string[] _warnings;
    private readonly string _key;
    private readonly StandAlone _standAlone;
    private readonly CodeElement _g0Init;
    private readonly CodeElement? _g1Init;
    private readonly CodeElement[] _elements; // declared non-ASCII code elements, in term order (encoding candidates)
    private readonly bool _extensions;

    /// <summary>The default character repertoire ISO_IR 6 (Specific Character Set absent or empty).</summary>
    public static DicomCharacterSet Default { get; } = new([], [], "ISO_IR 6", StandAlone.None, CodeElement.Ascii, null, [], false);

    private DicomCharacterSet(string[] terms, string[] warnings, string key, StandAlone standAlone,
        CodeElement g0Init, CodeElement? g1Init, CodeElement[] elements, bool extensions)
    {
        _terms = terms;
        _warnings = warnings;
        _key = key;
        _standAlone = standAlone;
        _g0Init = g0Init;
        _g1Init = g1Init;
        _elements = elements;
        _extensions = extensions;
    }

    /// <summary>
    /// The effective, canonical defined terms (after correcting misspellings and dropping unusable values);
    /// an empty value 1 is kept as <c>""</c>. Empty for <see cref="Default"/>.
    /// </summary>
    public IReadOnlyList<string> Terms => _terms;

    /// <summary>Problems found while parsing (misspelled, unknown, misplaced or illegal terms), in order. Empty if the value was valid.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>True when ISO 2022 code extensions (escape sequences) are in use (a multi-valued or "ISO 2022 IR n" value).</summary>
    public bool UsesCodeExtensions => _extensions;

    /// <summary>True for ISO_IR 192 (UTF-8), GB18030 and GBK, which do not allow code extensions.</summary>
    public bool IsStandAlone => _standAlone != StandAlone.None;

    // ================================================================== parsing

    /// <summary>Parses a backslash separated Specific Character Set value, e.g. <c>"\ISO 2022 IR 87"</c>.</summary>
    /// <param name="backslashSeparatedValue">The raw value of (0008,0005); null or empty means the default repertoire.</param>
    /// <returns>The (cached) character set; never null. Unknown terms are reported in <see cref="Warnings"/>.</returns>
    public static DicomCharacterSet Parse(string? backslashSeparatedValue)
    {
        if (string.IsNullOrEmpty(backslashSeparatedValue)) return Default;
        if (s_cache.TryGetValue(backslashSeparatedValue, out var cached)) return cached;
        return ParseAndCache(backslashSeparatedValue, backslashSeparatedValue.Split('\\'));
    }

    /// <summary>Parses the values of Specific Character Set (0008,0005).</summary>
    /// <param name="specificCharacterSetValues">The values (value 1 may be empty); null or no values means the default repertoire.</param>
    /// <returns>The (cached) character set; never null and never throws for unknown terms: they fall back to the default
    /// repertoire (value 1) or are ignored (other values), and are reported in <see cref="Warnings"/>.</returns>
    public static DicomCharacterSet Parse(IReadOnlyList<string> specificCharacterSetValues)
    {
        if (specificCharacterSetValues is null || specificCharacterSetValues.Count == 0) return Default;
        string key;
        if (specificCharacterSetValues.Count == 1)
        {
            key = specificCharacterSetValues[0] ?? "";
        }
        else
        {
            var sb = new StringBuilder();
            for (int i = 0; i < specificCharacterSetValues.Count; i++)
            {
                if (i > 0) sb.Append('\\');
                sb.Append(specificCharacterSetValues[i]);
            }
            key = sb.ToString();
        }
        if (key.Length == 0) return Default;
        if (s_cache.TryGetValue(key, out var cached)) return cached;
        var values = new string[specificCharacterSetValues.Count];
        for (int i = 0; i < values.Length; i++) values[i] = specificCharacterSetValues[i] ?? "";
        return ParseAndCache(key, values);
    }

    private static DicomCharacterSet ParseAndCache(string key, string[] values)
    {
        var result = Create(values);
        if (s_cache.Count < MaxCacheEntries) s_cache.TryAdd(key, result);
        return result;
    }

    private static DicomCharacterSet Create(string[] values)
    {
        var warnings = new List<string>();
        bool multi = values.Length > 1;
        var infos = new List<TermInfo?>(values.Length);
        for (int i = 0; i < values.Length; i++)
        {
            string raw = values[i];
            string trimmed = raw.TrimEnd(' ', '\0');
            if (trimmed.Length == 0)
            {
                if (i == 0) infos.Add(null);
                else warnings.Add($"Empty value {i + 1} of Specific Character Set ignored.");
                continue;
            }
            var info = Lookup(trimmed, warnings);
            if (info is null)
            {
                if (i == 0)
                {
                    warnings.Add($"Unknown Specific Character Set term '{raw}' - using the default repertoire (ISO_IR 6) instead.");
                    infos.Add(null);
                }
                else
                {
                    warnings.Add($"Unknown Specific Character Set term '{raw}' - ignored.");
                }
                continue;
            }
            if (info.StandAlone != StandAlone.None && multi)
            {
                if (i == 0)
                {
                    warnings.Add($"Specific Character Set '{info.Term}' does not allow code extensions - ignoring the other values.");
                    infos.Clear();
                    infos.Add(info);
                    break;
                }
                warnings.Add($"Specific Character Set '{info.Term}' cannot be used as a code extension - ignored.");
                continue;
            }
            if (multi && !info.Extensions)
            {
                var ext = s_terms["ISO 2022 " + info.Term.Substring(4)];
                warnings.Add($"Specific Character Set '{info.Term}' used with code extensions - assuming '{ext.Term}'.");
                info = ext;
            }
            bool duplicate = false;
            foreach (var existing in infos)
            {
                if (ReferenceEquals(existing, info)) duplicate = true;
            }
            if (duplicate)
            {
                warnings.Add($"Duplicate Specific Character Set term '{info.Term}' ignored.");
                continue;
            }
            infos.Add(info);
        }

        // Nothing but the default repertoire left.
        if (infos.Count == 0 || (infos.Count == 1 && (infos[0] is null || infos[0]!.Term == "ISO_IR 6")))
        {
            if (warnings.Count == 0 && infos.Count == 1 && infos[0] is not null)
                return new DicomCharacterSet(["ISO_IR 6"], [], "ISO_IR 6", StandAlone.None, CodeElement.Ascii, null, [], false);
            return warnings.Count == 0 ? Default
                : new DicomCharacterSet([], warnings.ToArray(), "ISO_IR 6", StandAlone.None, CodeElement.Ascii, null, [], false);
        }

        var first = infos[0];
        bool extensions = infos.Count > 1 || (first?.Extensions ?? false);
        var terms = new string[infos.Count];
        for (int i = 0; i < infos.Count; i++) terms[i] = infos[i]?.Term ?? "";
        string key = string.Join('\\', terms);
        if (first is { StandAlone: not StandAlone.None })
            return new DicomCharacterSet(terms, warnings.ToArray(), key, first.StandAlone, CodeElement.Ascii, null, [], false);

        // Initial state from value 1: its G0 if it is an ASCII-like set, else ASCII (a multi-byte G0 set as value 1,
        // e.g. "ISO 2022 IR 87" alone, is then only reachable by escape sequences, as with Python's iso2022_jp);
        // its G1 (single- or double-byte, e.g. "ISO 2022 IR 149" alone acts like EUC-KR, as in pydicom).
        CodeElement g0Init = first?.G0 is { IsAsciiLike: true } g0 ? g0 : CodeElement.Ascii;
        CodeElement? g1Init = first?.G1;
        var elements = new List<CodeElement>();
        foreach (var info in infos)
        {
            if (info is null) continue;
            if (info.G0 is { IsAsciiLike: false } mb0 && !elements.Contains(mb0)) elements.Add(mb0);
            if (info.G1 is { } e1 && !elements.Contains(e1)) elements.Add(e1);
        }
        return new DicomCharacterSet(terms, warnings.ToArray(), key, StandAlone.None, g0Init, g1Init, elements.ToArray(), extensions);
    }

    private static TermInfo? Lookup(string term, List<string> warnings)
    {
        if (s_terms.TryGetValue(term, out var info)) return info;
        string? patched = Correct(term);
        if (patched != null && s_terms.TryGetValue(patched, out info))
        {
            warnings.Add($"Incorrect value for Specific Character Set '{term}' - assuming '{info.Term}'.");
            return info;
        }
        return null;
    }

    /// <summary>Corrects common misspellings: separators ('-', '_', ' ', none) and case in "ISO_IR n" / "ISO 2022 IR n", surrounding blanks, a few aliases.</summary>
    private static string? Correct(string term)
    {
        string t = term.Trim().ToUpperInvariant();
        if (t.Length == 0) return null;
        switch (t)
        {
            case "UTF-8": case "UTF8": case "ISO 2022 IR 192": return "ISO_IR 192";
            case "ISO 2022 GBK": return "GBK";           // CP 1234 examples, as pydicom
            case "ISO 2022 58": case "GB2312": return "ISO 2022 IR 58";
        }
        if (s_terms.ContainsKey(t)) return t;
        // Remove all separators and parse "ISOIR<n>" or "ISO2022IR<n>".
        var sb = new StringBuilder(t.Length);
        foreach (char c in t)
        {
            if (c != ' ' && c != '_' && c != '-' && c != '.') sb.Append(c);
        }
        string compact = sb.ToString();
        string? number = null;
        bool ext = false;
        if (compact.StartsWith("ISO2022IR", StringComparison.Ordinal)) { number = compact.Substring(9); ext = true; }
        else if (compact.StartsWith("ISOIR", StringComparison.Ordinal)) number = compact.Substring(5);
        if (number is null || number.Length == 0) return null;
        foreach (char c in number) if (c < '0' || c > '9') return null;
        string candidate = (ext ? "ISO 2022 IR " : "ISO_IR ") + number;
        if (s_terms.ContainsKey(candidate)) return candidate;
        // Multi-byte sets only exist with extensions, UTF-8 only without.
        candidate = (ext ? "ISO_IR " : "ISO 2022 IR ") + number;
        return s_terms.ContainsKey(candidate) ? candidate : null;
    }

    private static Dictionary<string, TermInfo> BuildTerms()
    {
        var d = new Dictionary<string, TermInfo>(StringComparer.Ordinal);
        void SingleByte(string ir, CodeElement g1)
        {
            d["ISO_IR " + ir] = new TermInfo("ISO_IR " + ir, false, CodeElement.Ascii, g1, StandAlone.None);
            d["ISO 2022 IR " + ir] = new TermInfo("ISO 2022 IR " + ir, true, CodeElement.Ascii, g1, StandAlone.None);
        }
        d["ISO_IR 6"] = new TermInfo("ISO_IR 6", false, CodeElement.Ascii, null, StandAlone.None);
        d["ISO 2022 IR 6"] = new TermInfo("ISO 2022 IR 6", true, CodeElement.Ascii, null, StandAlone.None);
        SingleByte("100", CodeElement.Latin1);
        SingleByte("101", CodeElement.Latin2);
        SingleByte("109", CodeElement.Latin3);
        SingleByte("110", CodeElement.Latin4);
        SingleByte("144", CodeElement.Cyrillic);
        SingleByte("127", CodeElement.Arabic);
        SingleByte("126", CodeElement.Greek);
        SingleByte("138", CodeElement.Hebrew);
        SingleByte("148", CodeElement.Latin5);
        SingleByte("203", CodeElement.Latin9);
        SingleByte("166", CodeElement.Thai);
        d["ISO_IR 13"] = new TermInfo("ISO_IR 13", false, CodeElement.Romaji, CodeElement.Katakana, StandAlone.None);
        d["ISO 2022 IR 13"] = new TermInfo("ISO 2022 IR 13", true, CodeElement.Romaji, CodeElement.Katakana, StandAlone.None);
        d["ISO 2022 IR 87"] = new TermInfo("ISO 2022 IR 87", true, CodeElement.JisX0208, null, StandAlone.None);
        d["ISO 2022 IR 159"] = new TermInfo("ISO 2022 IR 159", true, CodeElement.JisX0212, null, StandAlone.None);
        d["ISO 2022 IR 149"] = new TermInfo("ISO 2022 IR 149", true, null, CodeElement.KsX1001, StandAlone.None);
        d["ISO 2022 IR 58"] = new TermInfo("ISO 2022 IR 58", true, null, CodeElement.Gb2312, StandAlone.None);
        d["ISO_IR 192"] = new TermInfo("ISO_IR 192", false, null, null, StandAlone.Utf8);
        d["GB18030"] = new TermInfo("GB18030", false, null, null, StandAlone.Gb18030);
        d["GBK"] = new TermInfo("GBK", false, null, null, StandAlone.Gbk);
        return d;
    }

    private static (Encoding Lenient, Encoding Strict) CodePage(int codePage)
    {
        var p = CodePagesEncodingProvider.Instance;
        var lenient = p.GetEncoding(codePage, EncoderFallback.ExceptionFallback, new DecoderReplacementFallback("\uFFFD"))
            ?? throw new InvalidOperationException($"Code page {codePage} is not available.");
        var strict = p.GetEncoding(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)!;
        return (lenient, strict);
    }

    // ================================================================== decoding

    /// <summary>Decodes a text value. Never throws; undecodable bytes become U+FFFD.</summary>
    /// <param name="value">The raw value bytes (one or several values including their delimiters; padding is not removed).</param>
    /// <param name="kind">Which delimiters reset the ISO 2022 state.</param>
    /// <returns>The decoded string.</returns>
    public string Decode(ReadOnlySpan<byte> value, DicomTextKind kind)
    {
        bool ok = true;
        return DecodeCore(value, kind, ref ok);
    }

    /// <summary>Decodes a text value and reports whether it was valid for this character set.</summary>
    /// <param name="value">The raw value bytes.</param>
    /// <param name="kind">Which delimiters reset the ISO 2022 state.</param>
    /// <param name="result">The decoded string, with U+FFFD for undecodable bytes (same as <see cref="Decode"/>).</param>
    /// <returns>False if any byte was invalid or unassigned, an escape sequence was unknown or designated a set not declared,
    /// or a byte 0x80-0xFF occurred with no G1 set designated.</returns>
    public bool TryDecode(ReadOnlySpan<byte> value, DicomTextKind kind, out string result)
    {
        bool ok = true;
        result = DecodeCore(value, kind, ref ok);
        return ok;
    }

    private string DecodeCore(ReadOnlySpan<byte> value, DicomTextKind kind, ref bool ok)
    {
        if (value.IsEmpty) return string.Empty;
        if (System.Text.Ascii.IsValid(value) && value.IndexOf((byte)0x1B) < 0)
            return Encoding.ASCII.GetString(value);
        switch (_standAlone)
        {
            case StandAlone.Utf8: return DecodeWith(s_utf8Lenient, s_utf8Strict, value, ref ok);
            case StandAlone.Gb18030: return DecodeWith(s_gb18030.Value.Lenient, s_gb18030.Value.Strict, value, ref ok);
            case StandAlone.Gbk: return DecodeWith(s_gbk.Value.Lenient, s_gbk.Value.Strict, value, ref ok);
        }
        char[]? rented = null;
        Span<char> buffer = value.Length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(value.Length));
        try
        {
            int n = DecodeIso2022(value, kind, buffer, ref ok);
            return new string(buffer.Slice(0, n));
        }
        finally
        {
            if (rented != null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static string DecodeWith(Encoding lenient, Encoding strict, ReadOnlySpan<byte> value, ref bool ok)
    {
        string s = lenient.GetString(value);
        if (ok && s.Contains('\uFFFD'))
        {
            try { strict.GetCharCount(value); }
            catch (DecoderFallbackException) { ok = false; }
        }
        return s;
    }

    private static bool IsDelimiter(byte b, DicomTextKind kind) => b switch
    {
        0x0D or 0x0A or 0x0C or 0x09 => true,
        (byte)'\\' => kind != DicomTextKind.SingleValue,
        (byte)'^' or (byte)'=' => kind == DicomTextKind.PersonName,
        _ => false,
    };

    private bool IsDeclared(CodeElement e)
    {
        if (ReferenceEquals(e, _g0Init) || ReferenceEquals(e, _g1Init)) return true;
        if (e.IsAsciiLike) return true; // returning to ASCII / Romaji G0 is always tolerated
        foreach (var d in _elements) if (ReferenceEquals(d, e)) return true;
        return false;
    }

    private int DecodeIso2022(ReadOnlySpan<byte> v, DicomTextKind kind, Span<char> buf, ref bool ok)
    {
        CodeElement g0 = _g0Init;
        CodeElement? g1 = _g1Init;
        int n = 0, i = 0, len = v.Length;
        while (i < len)
        {
            byte b = v[i];
            if (b == 0x1B)
            {
                // ESC I* F: intermediate bytes 0x20-0x2F, final byte 0x30-0x7E (ISO 2022 / ECMA-35).
                int j = i + 1;
                while (j < len && v[j] >= 0x20 && v[j] <= 0x2F) j++;
                if (j < len && j > i + 1 && v[j] >= 0x30 && v[j] <= 0x7E)
                {
                    var element = CodeElement.FromEscape(v.Slice(i + 1, j - i));
                    if (element != null)
                    {
                        if (element.IsG0) g0 = element; else g1 = element;
                        if (!IsDeclared(element)) ok = false;
                    }
                    else
                    {
                        buf[n++] = '\uFFFD';
                        ok = false;
                    }
                    i = j + 1;
                }
                else
                {
                    // Malformed or truncated escape sequence: drop ESC and intermediates.
                    buf[n++] = '\uFFFD';
                    ok = false;
                    i = j;
                }
                continue;
            }
            if (b < 0x80)
            {
                if (g0.IsMultiByte && b >= 0x21 && b <= 0x7E)
                {
                    if (i + 1 < len && v[i + 1] >= 0x21 && v[i + 1] <= 0x7E)
                    {
                        char c = g0.DecodeDouble(b, v[i + 1]);
                        if (c == CodeElement.Undefined) { c = '\uFFFD'; ok = false; }
                        buf[n++] = c;
                        i += 2;
                    }
                    else
                    {
                        buf[n++] = '\uFFFD';
                        ok = false;
                        i++;
                    }
                    continue;
                }
                buf[n++] = (char)b;
                i++;
                if (IsDelimiter(b, kind))
                {
                    g0 = _g0Init;
                    g1 = _g1Init;
                }
                continue;
            }
            if (g1 is null)
            {
                buf[n++] = (char)b; // ISO 8859-1, like pydicom for the default repertoire
                ok = false;
                i++;
                continue;
            }
            if (g1.IsMultiByte)
            {
                if (b >= 0xA1 && b <= 0xFE && i + 1 < len && v[i + 1] >= 0xA1 && v[i + 1] <= 0xFE)
                {
                    char c = g1.DecodeDouble(b, v[i + 1]);
                    if (c == CodeElement.Undefined) { c = '\uFFFD'; ok = false; }
                    buf[n++] = c;
                    i += 2;
                }
                else
                {
                    buf[n++] = '\uFFFD';
                    ok = false;
                    i++;
                }
                continue;
            }
            char sc = g1.DecodeSingle(b);
            if (sc == CodeElement.Undefined) { sc = '\uFFFD'; ok = false; }
            buf[n++] = sc;
            i++;
        }
        return n;
    }

    // ================================================================== encoding

    /// <summary>
    /// Encodes a text value, choosing for each character the current code element if it can represent it, else the first
    /// declared code element that can, emitting escape sequences as needed and returning to the initial code element of
    /// value 1 before each delimiter of <paramref name="kind"/> and at the end of the value (PS3.5 6.1.2.5.3).
    /// </summary>
    /// <param name="value">The value (one or several values including their delimiters).</param>
    /// <param name="kind">Which delimiters require a return to the initial code element.</param>
    /// <returns>The encoded bytes (not padded).</returns>
    /// <exception cref="DicomEncodingException">A character cannot be represented by the declared character sets.</exception>
    public byte[] Encode(string value, DicomTextKind kind)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0) return [];
        if (System.Text.Ascii.IsValid(value) && (_standAlone != StandAlone.None || value.IndexOf('\u001B') < 0))
            return Encoding.ASCII.GetBytes(value);
        switch (_standAlone)
        {
            case StandAlone.Utf8: return EncodeWith(s_utf8Strict, value);
            case StandAlone.Gb18030: return EncodeWith(s_gb18030.Value.Lenient, value);
            case StandAlone.Gbk: return EncodeWith(s_gbk.Value.Lenient, value);
        }
        var output = new ArrayBufferWriter<byte>(value.Length * 2 + 8);
        int failed = EncodeIso2022(value, kind, output);
        if (failed >= 0) throw Unencodable(value, failed, null);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Returns whether <see cref="Encode"/> would succeed for <paramref name="value"/>.</summary>
    /// <param name="value">The value to test.</param>
    /// <param name="kind">The kind of value.</param>
    /// <returns>True if every character can be represented by the declared character sets.</returns>
    public bool CanEncode(string value, DicomTextKind kind)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0) return true;
        if (System.Text.Ascii.IsValid(value) && (_standAlone != StandAlone.None || value.IndexOf('\u001B') < 0)) return true;
        switch (_standAlone)
        {
            case StandAlone.Utf8:
            case StandAlone.Gb18030:
                return FirstInvalidUtf16(value) < 0; // every Unicode scalar value is representable
            case StandAlone.Gbk:
                try { s_gbk.Value.Lenient.GetByteCount(value); return true; }
                catch (EncoderFallbackException) { return false; }
        }
        return EncodeIso2022(value, kind, null) < 0;
    }

    private DicomEncodingException Unencodable(string value, int index, Exception? inner)
    {
        int length = char.IsHighSurrogate(value[index]) && index + 1 < value.Length && char.IsLowSurrogate(value[index + 1]) ? 2 : 1;
        return new DicomEncodingException(value.Substring(index, length), index, string.Join('\\', _terms), inner);
    }

    private byte[] EncodeWith(Encoding encoding, string value)
    {
        try
        {
            return encoding.GetBytes(value);
        }
        catch (EncoderFallbackException ex)
        {
            int index = ex.Index >= 0 && ex.Index < value.Length ? ex.Index : Math.Max(0, FirstInvalidUtf16(value));
            throw Unencodable(value, index, ex);
        }
    }

    private static int FirstInvalidUtf16(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { i++; continue; }
                return i;
            }
            if (char.IsLowSurrogate(c)) return i;
        }
        return -1;
    }

    /// <summary>Encodes with ISO 2022 code extensions; returns -1 on success, else the index of the first unencodable char. <paramref name="output"/> null: only check.</summary>
    private int EncodeIso2022(string value, DicomTextKind kind, IBufferWriter<byte>? output)
    {
        CodeElement g0 = _g0Init;
        CodeElement? g1 = _g1Init;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c < 0x80)
            {
                if (c == '\u001B') return i; // a raw ESC would be read as an escape sequence
                bool delimiter = IsDelimiter((byte)c, kind);
                if (delimiter ? !ReferenceEquals(g0, _g0Init) : !g0.IsAsciiLike)
                {
                    g0 = _g0Init;
                    Write(output, g0.Escape);
                }
                WriteByte(output, (byte)c);
                if (delimiter) g1 = _g1Init;
                continue;
            }
            ushort code;
            if (g1 != null && g1.TryEncode(c, out code))
            {
                WriteCode(output, g1, code);
                continue;
            }
            if (g0.IsMultiByte && g0.TryEncode(c, out code))
            {
                WriteCode(output, g0, code);
                continue;
            }
            CodeElement? found = null;
            code = 0;
            foreach (var e in _elements)
            {
                if (e.TryEncode(c, out code)) { found = e; break; }
            }
            if (found is null) return i;
            if (found.IsG0) g0 = found; else g1 = found;
            Write(output, found.Escape);
            WriteCode(output, found, code);
        }
        if (!ReferenceEquals(g0, _g0Init)) Write(output, _g0Init.Escape);
        return -1;
    }

    private static void WriteCode(IBufferWriter<byte>? output, CodeElement e, ushort code)
    {
        if (output is null) return;
        if (!e.IsMultiByte)
        {
            WriteByte(output, (byte)code);
            return;
        }
        var span = output.GetSpan(2);
        byte high = e.IsG0 ? (byte)0 : (byte)0x80;
        span[0] = (byte)((code >> 8) | high);
        span[1] = (byte)((code & 0xFF) | high);
        output.Advance(2);
    }

    private static void WriteByte(IBufferWriter<byte>? output, byte b)
    {
        if (output is null) return;
        output.GetSpan(1)[0] = b;
        output.Advance(1);
    }

    private static void Write(IBufferWriter<byte>? output, byte[] bytes)
    {
        output?.Write(bytes);
    }

    // ================================================================== equality

    /// <inheritdoc />
    public bool Equals(DicomCharacterSet? other) => other is not null && string.Equals(_key, other._key, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DicomCharacterSet);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_key);

    /// <summary>The effective terms, backslash separated ("ISO_IR 6" for the default repertoire).</summary>
    /// <returns>A display string.</returns>
    public override string ToString() => _key;
}
