using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Dicom.Typed.Text;

namespace Dicom.Typed.Json;

/// <summary>
/// Reads DICOM JSON (PS3.18 F.2) in two passes: the UTF-8 input is parsed with <see cref="Utf8JsonReader"/> into
/// pending elements (values as text, numbers already converted), then the data sets are built, choosing for each data
/// set that has (or, at top level, lacks) a Specific Character Set the character set its text is encoded in.
/// </summary>
internal sealed class DicomJsonReader
{
    private readonly DicomJsonOptions _options;
    private readonly byte[] _input;
    private string _path = "";

    private DicomJsonReader(byte[] input, DicomJsonOptions options)
    {
        _input = input;
        _options = options;
    }

    private sealed class PendingDataset
    {
        public readonly List<PendingElement> Elements = [];
    }

    private sealed class PendingElement(DicomTag tag, DicomVR vr, string path, long offset)
    {
        public DicomTag Tag { get; } = tag;
        public DicomVR VR { get; } = vr;
        public string Path { get; } = path;
        public long Offset { get; } = offset;
        public string[]? Strings { get; set; }
        public DicomItem? Built { get; set; }
        public List<PendingDataset>? Items { get; set; }
    }

    public static DicomDataset ReadDataset(byte[] input, DicomJsonOptions options)
    {
        var r = new DicomJsonReader(input, options);
        var list = r.Run(array: false);
        return list[0];
    }

    public static IReadOnlyList<DicomDataset> ReadArray(byte[] input, DicomJsonOptions options) => new DicomJsonReader(input, options).Run(array: true);

    private List<DicomDataset> Run(bool array)
    {
        int start = _input.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        var reader = new Utf8JsonReader(_input.AsSpan(start), new JsonReaderOptions
        {
            MaxDepth = _options.MaxDepth > 0 ? _options.MaxDepth : 64,
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });
        var pending = new List<PendingDataset>();
        try
        {
            if (!reader.Read()) throw Fail(ref reader, "The input holds no JSON value", start);
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                pending.Add(ReadDataset(ref reader, "", start));
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                if (!array) throw Fail(ref reader, "Expected a JSON object (a data set), found an array; use DeserializeArray", start);
                while (Read(ref reader, start) != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartObject) throw Fail(ref reader, $"Expected a data set object in the array, found {reader.TokenType}", start);
                    pending.Add(ReadDataset(ref reader, $"[{pending.Count}]", start));
                }
            }
            else
            {
                throw Fail(ref reader, $"Expected a JSON object (a data set), found {reader.TokenType}", start);
            }
            _path = "";
            if (reader.Read()) throw Fail(ref reader, "Unexpected content after the end of the data set", start);
        }
        catch (JsonException e)
        {
            long line = (e.LineNumber ?? -1) + 1, col = (e.BytePositionInLine ?? -1) + 1;
            throw new DicomJsonException("Malformed JSON: " + e.Message, _path, line, col, OffsetOf(line, col), e);
        }
        catch (DicomJsonException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw Fail(ref reader, e.Message, start, e);
        }
        var result = new List<DicomDataset>(pending.Count);
        foreach (var p in pending) result.Add(Build(p, DicomCharacterSet.Default, own: true));
        return result;
    }

    private long OffsetOf(long line, long col)
    {
        if (line <= 0) return -1;
        long l = 1;
        for (int i = 0; i < _input.Length; i++)
        {
            if (l == line) return i + col - 1;
            if (_input[i] == (byte)'\n') l++;
        }
        return l == line ? _input.Length : -1;
    }

    private DicomJsonException Fail(ref Utf8JsonReader reader, string reason, int start, Exception? inner = null) =>
        FailAt(start + reader.TokenStartIndex, reason, _path, inner);

    private DicomJsonException FailAt(long offset, string reason, string path, Exception? inner = null)
    {
        long line = 1, lineStart = 0;
        long end = Math.Min(offset, _input.Length);
        for (int i = 0; i < end; i++)
        {
            if (_input[i] == (byte)'\n') { line++; lineStart = i + 1; }
        }
        return new DicomJsonException(reason, path, line, offset - lineStart + 1, offset, inner);
    }

    private JsonTokenType Read(ref Utf8JsonReader reader, int start)
    {
        if (!reader.Read()) throw Fail(ref reader, "Unexpected end of the JSON input", start);
        return reader.TokenType;
    }

    // ---- pass 1: parse ------------------------------------------------------------------------------------------

    private PendingDataset ReadDataset(ref Utf8JsonReader reader, string path, int start)
    {
        var ds = new PendingDataset();
        var seen = new HashSet<uint>();
        while (Read(ref reader, start) != JsonTokenType.EndObject)
        {
            _path = path;
            if (reader.TokenType != JsonTokenType.PropertyName) throw Fail(ref reader, $"Expected a tag key, found {reader.TokenType}", start);
            string key = reader.GetString()!;
            if (!TryParseKey(key, out var tag)) throw Fail(ref reader, $"Invalid tag key \"{key}\": expected 8 hexadecimal digits (ggggeeee)", start);
            string elementPath = path.Length == 0 ? tag.ToString() : path + "." + tag.ToString();
            _path = elementPath;
            if (!seen.Add(tag.Value)) throw Fail(ref reader, $"Duplicate tag key \"{key}\"", start);
            long offset = start + reader.TokenStartIndex;
            if (Read(ref reader, start) != JsonTokenType.StartObject) throw Fail(ref reader, $"Expected an attribute object {{\"vr\": …}}, found {reader.TokenType}", start);
            ds.Elements.Add(ReadAttribute(ref reader, tag, elementPath, offset, start));
            _path = path;
        }
        return ds;
    }

    private static bool TryParseKey(string key, out DicomTag tag)
    {
        tag = default;
        if (key.Length != 8) return false;
        foreach (char c in key) if (!char.IsAsciiHexDigit(c)) return false;
        tag = new DicomTag(uint.Parse(key, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        return true;
    }

    private PendingElement ReadAttribute(ref Utf8JsonReader reader, DicomTag tag, string path, long offset, int start)
    {
        // First pass over the attribute object: find "vr", whatever the member order (a second "vr" is ignored).
        var checkpoint = reader;
        DicomVR? vr = null;
        while (Read(ref reader, start) != JsonTokenType.EndObject)
        {
            string name = reader.GetString()!;
            Read(ref reader, start);
            if (name.Equals("vr", StringComparison.OrdinalIgnoreCase))
            {
                if (reader.TokenType != JsonTokenType.String) throw Fail(ref reader, $"\"vr\" must be a string, found {reader.TokenType}", start);
                string code = reader.GetString()!;
                if (!DicomVR.TryParse(code.ToUpperInvariant(), out vr)) throw Fail(ref reader, $"Unknown VR \"{code}\"", start);
                break; // "vr" usually comes first: nested values are then not scanned twice
            }
            else
            {
                reader.Skip();
            }
        }
        // Missing "vr": the dictionary VR (as dcm4che does); UN for unknown private elements.
        vr ??= DicomDictionary.Lookup(tag).VR;
        reader = checkpoint;
        var element = new PendingElement(tag, vr, path, offset);
        string? found = null;
        while (Read(ref reader, start) != JsonTokenType.EndObject)
        {
            string name = reader.GetString()!;
            Read(ref reader, start);
            string? kind = name.Equals("Value", StringComparison.OrdinalIgnoreCase) ? "Value"
                : name.Equals("InlineBinary", StringComparison.OrdinalIgnoreCase) ? "InlineBinary"
                : name.Equals("BulkDataURI", StringComparison.OrdinalIgnoreCase) || name.Equals("BulkDataUri", StringComparison.OrdinalIgnoreCase) ? "BulkDataURI"
                : null;
            if (kind == null)
            {
                reader.Skip(); // "vr" and unknown members (e.g. "keyword" hints some writers add)
                continue;
            }
            if (found != null) throw Fail(ref reader, $"An attribute may hold only one of Value, InlineBinary and BulkDataURI; found {found} and {kind}", start);
            found = kind;
            if (reader.TokenType == JsonTokenType.Null) continue; // tolerated: same as absent
            switch (kind)
            {
                case "Value":
                    ReadValue(ref reader, element, start);
                    break;
                case "InlineBinary":
                    ReadInlineBinary(ref reader, element, start);
                    break;
                default:
                    ReadBulkDataUri(ref reader, element, start);
                    break;
            }
        }
        if (found == null || element.Built == null && element.Strings == null && element.Items == null)
        {
            if (vr == DicomVR.SQ) element.Items = [];
            else if (vr.IsString) element.Strings = [];
            else element.Built = new DicomElement(tag, vr, DicomBuffer.Empty);
        }
        return element;
    }

    private void ReadInlineBinary(ref Utf8JsonReader reader, PendingElement e, int start)
    {
        if (reader.TokenType != JsonTokenType.String) throw Fail(ref reader, $"InlineBinary must be a base64 string, found {reader.TokenType}", start);
        if (e.VR == DicomVR.SQ) throw Fail(ref reader, "A sequence cannot have InlineBinary", start);
        if (!reader.TryGetBytesFromBase64(out var bytes)) throw Fail(ref reader, "InlineBinary is not valid base64", start);
        if (e.Tag.Value == 0x7FE00010u && (e.VR == DicomVR.OB || e.VR == DicomVR.OW) && TryParseFragments(e.Tag, e.VR, bytes) is { } fragments)
        {
            e.Built = fragments;
            return;
        }
        // Kept exactly (an odd length too): the Part 10 writer pads when it writes.
        e.Built = new DicomElement(e.Tag, e.VR, DicomBuffer.FromMemory(bytes));
    }

    /// <summary>Recognises the encapsulated item stream written for compressed Pixel Data (items FFFE,E000 back to back, optionally ending with FFFE,E0DD).</summary>
    private static DicomFragmentSequence? TryParseFragments(DicomTag tag, DicomVR vr, byte[] bytes)
    {
        if (bytes.Length < 8 || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != 0xE000FFFEu) return null;
        var items = new List<DicomBuffer>();
        int pos = 0;
        while (pos < bytes.Length)
        {
            if (bytes.Length - pos < 8) return null;
            uint t = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(pos));
            uint len = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(pos + 4));
            if (t == 0xE0DDFFFEu && len == 0 && pos + 8 == bytes.Length) break;
            if (t != 0xE000FFFEu || len > (uint)(bytes.Length - pos - 8)) return null;
            items.Add(DicomBuffer.FromMemory(bytes.AsMemory(pos + 8, (int)len)));
            pos += 8 + (int)len;
        }
        return new DicomFragmentSequence(tag, vr, items[0], items.Skip(1));
    }

    private void ReadBulkDataUri(ref Utf8JsonReader reader, PendingElement e, int start)
    {
        if (reader.TokenType != JsonTokenType.String) throw Fail(ref reader, $"BulkDataURI must be a string, found {reader.TokenType}", start);
        if (e.VR == DicomVR.SQ) throw Fail(ref reader, "A sequence cannot have a BulkDataURI", start);
        string uri = reader.GetString()!;
        DicomBuffer? buffer;
        try
        {
            buffer = _options.BulkDataResolver?.Invoke(uri);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw Fail(ref reader, $"Resolving BulkDataURI '{uri}' failed: {ex.Message}", start, ex);
        }
        if (buffer != null && e.Tag.Value == 0x7FE00010u && (e.VR == DicomVR.OB || e.VR == DicomVR.OW) && buffer.Length >= 8
            && TryParseFragments(e.Tag, e.VR, buffer.Memory.ToArray()) is { } fragments)
        {
            e.Built = fragments;
            return;
        }
        e.Built = new DicomElement(e.Tag, e.VR, buffer ?? new DicomBulkDataReference(uri));
    }

    private void ReadValue(ref Utf8JsonReader reader, PendingElement e, int start)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw Fail(ref reader, $"\"Value\" must be an array, found {reader.TokenType}", start);
        var vr = e.VR;
        if (vr == DicomVR.SQ)
        {
            var items = new List<PendingDataset>();
            while (Read(ref reader, start) != JsonTokenType.EndArray)
            {
                string itemPath = $"{e.Path}[{items.Count}]";
                if (reader.TokenType == JsonTokenType.Null) items.Add(new PendingDataset());
                else if (reader.TokenType == JsonTokenType.StartObject) items.Add(ReadDataset(ref reader, itemPath, start));
                else throw Fail(ref reader, $"A sequence item must be an object, found {reader.TokenType}", start);
                _path = e.Path;
            }
            e.Items = items;
            return;
        }
        if (vr == DicomVR.PN)
        {
            var names = new List<string>();
            while (Read(ref reader, start) != JsonTokenType.EndArray) names.Add(ReadPersonName(ref reader, start));
            e.Strings = [.. names];
            return;
        }
        if (vr.IsString)
        {
            var values = new List<string>();
            while (Read(ref reader, start) != JsonTokenType.EndArray)
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.Null:
                        values.Add("");
                        break;
                    case JsonTokenType.String:
                        values.Add(vr == DicomVR.DS || vr == DicomVR.IS ? CheckNumberString(ref reader, vr, reader.GetString()!.Trim(' '), start) : reader.GetString()!);
                        break;
                    case JsonTokenType.Number:
                        string text = Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
                        values.Add(vr == DicomVR.DS || vr == DicomVR.IS ? CheckNumberString(ref reader, vr, text, start) : text);
                        break;
                    default:
                        throw Fail(ref reader, $"A {vr} value must be a string{(vr == DicomVR.DS || vr == DicomVR.IS ? " or number" : "")}, found {reader.TokenType}", start);
                }
            }
            if (vr != DicomVR.DS && vr != DicomVR.IS)
            {
                foreach (var v in values)
                {
                    if (vr.IsMultiValuedString || vr == DicomVR.AE || vr == DicomVR.CS || vr == DicomVR.DA || vr == DicomVR.TM || vr == DicomVR.DT || vr == DicomVR.UI || vr == DicomVR.AS)
                    {
                        if (v.Contains('\\')) throw Fail(ref reader, $"A {vr} value must not contain a backslash (the value delimiter)", start);
                    }
                }
            }
            if (!vr.IsMultiValuedString && values.Count > 1 && (vr == DicomVR.ST || vr == DicomVR.LT || vr == DicomVR.UT || vr == DicomVR.UR))
                throw Fail(ref reader, $"VR {vr} holds a single value; found {values.Count}", start);
            e.Strings = [.. values];
            return;
        }
        if (vr == DicomVR.AT)
        {
            var tags = new List<DicomTag>();
            while (Read(ref reader, start) != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.String || !DicomTag.TryParse(reader.GetString(), out var t) || reader.GetString()!.Length > 11)
                    throw Fail(ref reader, "An AT value must be a string of 8 hexadecimal digits (ggggeeee)", start);
                tags.Add(t);
            }
            e.Built = DicomElement.FromTags(e.Tag, [.. tags]);
            return;
        }
        // binary numbers
        var numbers = new List<JsonNumber>();
        while (Read(ref reader, start) != JsonTokenType.EndArray)
        {
            // A binary number cannot be empty: null values (seen in the wild, e.g. pydicom's test1.json) are left out.
            if (reader.TokenType != JsonTokenType.Null) numbers.Add(ReadNumber(ref reader, vr, start));
        }
        e.Built = vr.Code switch
        {
            "US" or "OW" => Make(e, numbers, n => checked((ushort)n.Integer(0, ushort.MaxValue))),
            "SS" => Make(e, numbers, n => checked((short)n.Integer(short.MinValue, short.MaxValue))),
            "UL" or "OL" => Make(e, numbers, n => checked((uint)n.Integer(0, uint.MaxValue))),
            "SL" => Make(e, numbers, n => checked((int)n.Integer(int.MinValue, int.MaxValue))),
            "SV" => Make(e, numbers, n => n.Integer(long.MinValue, long.MaxValue)),
            "UV" or "OV" => Make(e, numbers, n => n.Unsigned()),
            "FL" or "OF" => Make(e, numbers, n => (float)n.Double),
            "FD" or "OD" => Make(e, numbers, n => n.Double),
            "OB" or "UN" => Make(e, numbers, n => checked((byte)n.Integer(0, 255))),
            _ => throw Fail(ref reader, $"VR {vr} cannot have a \"Value\"", start),
        };
    }

    private DicomElement Make<T>(PendingElement e, List<JsonNumber> numbers, Func<JsonNumber, T> convert) where T : unmanaged
    {
        var values = new T[numbers.Count];
        for (int i = 0; i < values.Length; i++)
        {
            try
            {
                values[i] = convert(numbers[i]);
            }
            catch (Exception ex) when (ex is OverflowException or FormatException)
            {
                throw FailAt(numbers[i].Offset, $"Value {numbers[i].Text} does not fit VR {e.VR}", e.Path, ex);
            }
        }
        return DicomElement.FromValues(e.Tag, e.VR, values);
    }

    private readonly record struct JsonNumber(string Text, long Offset)
    {
        public double Double => Text switch
        {
            "NaN" or "nan" or "NAN" => double.NaN,
            "Infinity" or "inf" or "+inf" or "+Infinity" or "INF" => double.PositiveInfinity,
            "-Infinity" or "-inf" or "-INF" => double.NegativeInfinity,
            _ => double.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture),
        };

        public long Integer(long min, long max)
        {
            long v;
            if (!long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out v))
            {
                double d = double.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);
                if (d != Math.Floor(d) || d < min || d > max) throw new OverflowException();
                v = (long)d;
            }
            if (v < min || v > max) throw new OverflowException();
            return v;
        }

        public ulong Unsigned()
        {
            if (ulong.TryParse(Text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v)) return v;
            double d = double.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (d != Math.Floor(d) || d < 0 || d > ulong.MaxValue) throw new OverflowException();
            return (ulong)d;
        }
    }

    private JsonNumber ReadNumber(ref Utf8JsonReader reader, DicomVR vr, int start)
    {
        long offset = start + reader.TokenStartIndex;
        string text;
        if (reader.TokenType == JsonTokenType.Number) text = Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
        else if (reader.TokenType == JsonTokenType.String) text = reader.GetString()!.Trim();
        else throw Fail(ref reader, $"A {vr} value must be a number, found {reader.TokenType}", start);
        var n = new JsonNumber(text, offset);
        try
        {
            _ = n.Double;
        }
        catch (FormatException ex)
        {
            throw Fail(ref reader, $"\"{text}\" is not a number", start, ex);
        }
        return n;
    }

    private string CheckNumberString(ref Utf8JsonReader reader, DicomVR vr, string text, int start)
    {
        if (text.Length == 0) return text;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || !double.IsFinite(d))
            throw Fail(ref reader, $"\"{text}\" is not a valid {vr} value", start);
        if (vr == DicomVR.IS)
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)) return text;
            if (d != Math.Floor(d) || Math.Abs(d) > long.MaxValue) throw Fail(ref reader, $"\"{text}\" is not an integer (IS)", start);
            return ((long)d).ToString(CultureInfo.InvariantCulture);
        }
        // DS holds at most 16 characters: keep the text when it fits, else reformat the number.
        return text.Length <= 16 ? text : DicomDecimalString.FromDouble(d).Text;
    }

    private static readonly string[] GroupNames = ["Alphabetic", "Ideographic", "Phonetic"];

    private string ReadPersonName(ref Utf8JsonReader reader, int start)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return "";
            case JsonTokenType.String:
                return reader.GetString()!; // tolerated: the PN in DICOM syntax (groups separated by '=')
            case JsonTokenType.StartObject:
                var groups = new string[3] { "", "", "" };
                while (Read(ref reader, start) != JsonTokenType.EndObject)
                {
                    string name = reader.GetString()!;
                    Read(ref reader, start);
                    int index = Array.FindIndex(GroupNames, g => g.Equals(name, StringComparison.OrdinalIgnoreCase));
                    if (index < 0)
                    {
                        reader.Skip();
                        continue;
                    }
                    if (reader.TokenType == JsonTokenType.Null) continue;
                    if (reader.TokenType != JsonTokenType.String) throw Fail(ref reader, $"PN component group \"{name}\" must be a string, found {reader.TokenType}", start);
                    groups[index] = reader.GetString()!;
                    if (groups[index].Contains('=') || groups[index].Contains('\\')) throw Fail(ref reader, $"PN component group \"{name}\" must not contain '=' or '\\'", start);
                }
                int count = groups[2].Length > 0 ? 3 : groups[1].Length > 0 ? 2 : 1;
                return string.Join('=', groups, 0, count);
            default:
                throw Fail(ref reader, $"A PN value must be an object {{\"Alphabetic\": …}}, a string or null, found {reader.TokenType}", start);
        }
    }

    // ---- pass 2: build ------------------------------------------------------------------------------------------

    private static readonly DicomTag SpecificCharacterSet = new(0x00080005u);

    /// <summary>
    /// Builds a data set. A data set with its own (0008,0005), and the top-level data set, chooses its character set:
    /// the one named by (0008,0005) when every text value of the data set (and its items that do not name their own)
    /// can be encoded in it, else ISO_IR 192 (UTF-8), whose name then replaces the value of (0008,0005); without
    /// (0008,0005) text that is not ASCII adds (0008,0005) ISO_IR 192 (as dcm2json does). Other items inherit.
    /// </summary>
    private DicomDataset Build(PendingDataset pd, DicomCharacterSet inherited, bool own)
    {
        var scs = pd.Elements.Find(e => e.Tag == SpecificCharacterSet);
        var cs = inherited;
        if (scs != null || own)
        {
            DicomCharacterSet requested = DicomCharacterSet.Default;
            if (scs?.Strings is { Length: > 0 } terms)
            {
                try
                {
                    requested = DicomCharacterSet.Parse(terms);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    requested = null!; // unsupported character set: use UTF-8
                }
            }
            if (requested == null || !Representable(pd, requested, top: true))
            {
                cs = DicomCharacterSet.Parse("ISO_IR 192");
                if (scs != null) scs.Strings = ["ISO_IR 192"];
                else pd.Elements.Add(new PendingElement(SpecificCharacterSet, DicomVR.CS, SpecificCharacterSet.ToString(), -1) { Strings = ["ISO_IR 192"] });
            }
            else
            {
                cs = requested;
            }
        }
        var ds = new DicomDataset();
        foreach (var e in pd.Elements)
        {
            try
            {
                DicomItem item;
                if (e.Items != null)
                {
                    var items = new List<DicomDataset>(e.Items.Count);
                    foreach (var i in e.Items) items.Add(Build(i, cs, own: false));
                    item = new DicomSequence(e.Tag, items);
                }
                else if (e.Strings != null)
                {
                    item = e.Strings.Length == 0
                        ? new DicomElement(e.Tag, e.VR, DicomBuffer.Empty, cs)
                        : DicomElement.FromStrings(e.Tag, e.VR, e.Tag == SpecificCharacterSet ? DicomCharacterSet.Default : cs, e.Strings);
                }
                else
                {
                    item = e.Built!;
                }
                ds.AddOrUpdate(item);
            }
            catch (DicomJsonException)
            {
                throw;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw e.Offset >= 0 ? FailAt(e.Offset, ex.Message, e.Path, ex) : new DicomJsonException(ex.Message, e.Path, 0, 0, -1, ex);
            }
        }
        return ds;
    }

    private static bool Representable(PendingDataset pd, DicomCharacterSet cs, bool top)
    {
        if (!top && pd.Elements.Exists(e => e.Tag == SpecificCharacterSet)) return true; // decides for itself
        foreach (var e in pd.Elements)
        {
            if (e.Items != null)
            {
                foreach (var i in e.Items) if (!Representable(i, cs, top: false)) return false;
            }
            else if (e.Strings is { Length: > 0 } values && e.VR.IsCharacterSetSensitive)
            {
                string joined = string.Join('\\', values);
                if (Ascii.IsValid(joined)) continue;
                if (cs.Terms.Count == 0) return false; // the default repertoire is ASCII
                try
                {
                    if (cs.Decode(cs.Encode(joined, e.VR.TextKind), e.VR.TextKind) != joined) return false;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    return false; // not encodable (the ISO 2022 implementation throws DicomEncodingException)
                }
            }
        }
        return true;
    }
}
