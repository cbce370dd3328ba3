using System.IO.Compression;
using System.Text;
using Dicom.Typed.Text;

namespace Dicom.Typed.IO;

/// <summary>Parses data elements from a <see cref="ByteSource"/> (PS3.5 chapter 7).</summary>
internal sealed class DicomParser
{
    private const uint UndefinedLength = 0xFFFFFFFFu;
    private const uint ItemTag = 0xFFFEE000u;
    private const uint ItemDelimitation = 0xFFFEE00Du;
    private const uint SequenceDelimitation = 0xFFFEE0DDu;

    private ByteSource _src;
    private readonly DicomReadOptions _options;
    private readonly string? _path;
    private bool _explicit;
    private bool _bigEndian;
    private bool _lazyAllowed;
    private readonly List<(DicomTag Tag, int Item)> _stack = [];
    public List<string> Warnings { get; } = [];

    public DicomParser(ByteSource source, DicomReadOptions options, string? path)
    {
        _src = source;
        _options = options;
        _path = path;
        _lazyAllowed = path != null && !source.IsWholeInMemory;
    }

    public ByteSource Source => _src;

    public void SetEncoding(bool isExplicit, bool bigEndian)
    {
        _explicit = isExplicit;
        _bigEndian = bigEndian;
    }

    public void SwitchToDeflate()
    {
        var inflated = new DeflateStream(_src.RemainingAsStream(), CompressionMode.Decompress);
        _src = new ByteSource(inflated);
        _lazyAllowed = false;
    }

    public DicomReadException Error(string reason, long? offset = null, Exception? inner = null)
    {
        var sb = new StringBuilder();
        foreach (var (tag, item) in _stack)
        {
            if (sb.Length > 0) sb.Append('.');
            sb.Append(tag.ToString());
            if (item >= 0) sb.Append('[').Append(item).Append(']');
        }
        return new DicomReadException(reason, offset ?? _src.Position, sb.ToString(), inner);
    }

    /// <summary>Reads the File Meta Information group (always Explicit VR Little Endian).</summary>
    public DicomDataset ReadMeta()
    {
        var meta = new DicomDataset();
        bool e = _explicit, b = _bigEndian;
        _explicit = true;
        _bigEndian = false;
        while (_src.Ensure(4) && _src.Peek(2)[0] == 0x02 && _src.Peek(2)[1] == 0x00)
        {
            var item = ReadElement(meta, 0) ?? throw Error("Unexpected delimiter in File Meta Information");
            if (!meta.TryAppend(item)) meta.AddOrUpdate(item);
        }
        _explicit = e;
        _bigEndian = b;
        return meta;
    }

    /// <summary>Reads top-level elements to the end of input (or the stop tag).</summary>
    public void ReadDataset(DicomDataset ds)
    {
        uint stop = _options.StopBeforeTag?.Value ?? uint.MaxValue;
        while (_src.Ensure(4))
        {
            uint tag = PeekTag();
            if (tag >= stop && tag != ItemTag && tag != ItemDelimitation && tag != SequenceDelimitation) return;
            if (tag == ItemDelimitation || tag == SequenceDelimitation)
            {
                // Stray delimiter at top level (seen in some files): skip it.
                if (!_src.Ensure(8)) throw Error("Truncated delimiter");
                _src.Advance(8);
                Warnings.Add($"Stray delimiter {new DicomTag(tag)} at offset {_src.Position - 8} ignored");
                continue;
            }
            var item = ReadElement(ds, 0);
            if (item == null) continue;
            Append(ds, item);
        }
        if (_src.Available > 0)
        {
            Warnings.Add($"{_src.Available} trailing byte(s) after the last element ignored");
        }
    }

    private void Append(DicomDataset ds, DicomItem item)
    {
        if (!ds.TryAppend(item))
        {
            if (ds.Contains(item.Tag)) Warnings.Add($"Duplicate element {item.Tag}; the last one is kept");
            else Warnings.Add($"Element {item.Tag} out of order");
            ds.AddOrUpdate(item);
        }
    }

    private uint PeekTag()
    {
        var p = _src.Peek(4);
        return _bigEndian
            ? (uint)((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3])
            : (uint)((p[1] << 24) | (p[0] << 16) | (p[3] << 8) | p[2]);
    }

    /// <summary>Reads one element (header and value). Returns null for an element that is skipped.</summary>
    private DicomItem? ReadElement(DicomDataset owner, int depth)
    {
        long start = _src.Position;
        if (!_src.Ensure(8)) throw Error("Truncated element header (premature end of data)", start);
        ushort group = _src.ReadUInt16(_bigEndian);
        ushort element = _src.ReadUInt16(_bigEndian);
        var tag = new DicomTag(group, element);
        DicomVR vr;
        uint length;
        bool isExplicit = _explicit && group != 0xFFFE;
        if (isExplicit)
        {
            var vrBytes = _src.Peek(2);
            var known = DicomVR.FromBytes(vrBytes[0], vrBytes[1]);
            if (known != null)
            {
                vr = known;
                _src.Advance(2);
                if (vr.HasLongLength)
                {
                    if (!_src.Ensure(6)) throw Error("Truncated element header", start);
                    _src.Advance(2);
                    length = _src.ReadUInt32(_bigEndian);
                }
                else
                {
                    length = _src.ReadUInt16(_bigEndian);
                }
            }
            else if (IsUpperLetter(vrBytes[0]) && IsUpperLetter(vrBytes[1]))
            {
                // An unknown (future) VR: PS3.5 7.1.2 gives new VRs a 32-bit length; read it as UN.
                Warnings.Add($"Unknown VR '{(char)vrBytes[0]}{(char)vrBytes[1]}' for {tag} at offset {start}; read as UN");
                _src.Advance(2);
                if (!_src.Ensure(6)) throw Error("Truncated element header", start);
                _src.Advance(2);
                length = _src.ReadUInt32(_bigEndian);
                vr = DicomVR.UN;
            }
            else
            {
                // Not a VR at all: an implicit VR element inside an explicit VR stream (seen in broken files).
                Warnings.Add($"Element {tag} at offset {start} has no valid VR; read with Implicit VR");
                length = _src.ReadUInt32(_bigEndian);
                vr = ImplicitVR(owner, tag, length);
            }
        }
        else
        {
            length = _src.ReadUInt32(_bigEndian);
            vr = group == 0xFFFE ? DicomVR.UN : ImplicitVR(owner, tag, length);
        }

        if (group == 0xFFFE)
        {
            throw Error($"Unexpected {tag} where a data element was expected", start);
        }

        _stack.Add((tag, -1));
        try
        {
            bool unknownSequence = vr == DicomVR.UN && !IsPixelData(tag)
                && (length == UndefinedLength || (!tag.IsPrivate && DicomDictionary.TryLookup(tag)?.VR == DicomVR.SQ));
            if (vr == DicomVR.SQ || unknownSequence)
            {
                return ReadSequence(owner, tag, length, depth, vr == DicomVR.UN && isExplicit);
            }
            if (length == UndefinedLength)
            {
                if (vr == DicomVR.OB || vr == DicomVR.OW || vr == DicomVR.UN) return ReadFragments(tag, vr == DicomVR.UN ? DicomVR.OB : vr);
                throw Error($"Undefined length is not allowed for VR {vr}", start);
            }
            if (_src.Remaining is long remaining && length > remaining)
            {
                throw Error($"Value length {length} exceeds the {remaining} bytes left in the input", start);
            }
            if (length > _options.MaxValueLength && !(_lazyAllowed && _options.LargeValueThreshold.HasValue))
            {
                throw Error($"Value length {length} exceeds the configured maximum {_options.MaxValueLength}", start);
            }
            DicomBuffer buffer;
            int swap = _bigEndian ? SwapUnit(vr) : 1;
            if (_lazyAllowed && _options.LargeValueThreshold is long threshold && length >= threshold)
            {
                long valueOffset = _src.Position;
                if (!_src.Skip(length)) throw Error($"Value of {length} bytes truncated (premature end of data)", start);
                buffer = new FileBuffer(_path!, valueOffset, length, swap);
            }
            else
            {
                var mem = _src.ReadMemory(length) ?? throw Error($"Value of {length} bytes truncated (premature end of data)", start);
                if (swap > 1)
                {
                    var copy = mem.ToArray();
                    ByteSwap.Swap(copy, swap);
                    mem = copy;
                }
                buffer = DicomBuffer.FromMemory(mem);
            }
            if (vr == DicomVR.UN && !_bigEndian && !tag.IsPrivate && DicomDictionary.TryLookup(tag) is { ValueRepresentations.Count: > 0 } known)
            {
                // Like pydicom (replace_un_with_known_vr): a standard element sent as UN gets its dictionary VR.
                var kvr = known.ValueRepresentations.Count == 1 ? known.VR : ImplicitVR(owner, tag, length);
                if (kvr != DicomVR.SQ && kvr != DicomVR.UN && (kvr.HasLongLength || length <= 0xFFFF)) vr = kvr;
            }
            var cs = vr.IsCharacterSetSensitive ? owner.CharacterSet : DicomCharacterSet.Default;
            return new DicomElement(tag, vr, buffer, cs);
        }
        finally
        {
            _stack.RemoveAt(_stack.Count - 1);
        }
    }

    private static bool IsUpperLetter(byte b) => b >= (byte)'A' && b <= (byte)'Z';

    private static bool IsPixelData(DicomTag tag) => tag.Value == 0x7FE00010u;

    private static int SwapUnit(DicomVR vr) => vr == DicomVR.OB || vr == DicomVR.UN || vr.IsString ? 1 : vr.UnitSize;

    private static DicomVR ImplicitVR(DicomDataset owner, DicomTag tag, uint length)
    {
        if (tag.IsPrivateCreator) return DicomVR.LO;
        if (tag.Element == 0) return DicomVR.UL;
        var entry = DicomDictionary.TryLookup(tag);
        if (entry == null || entry.ValueRepresentations.Count == 0) return DicomVR.UN;
        var vrs = entry.ValueRepresentations;
        if (vrs.Count > 1)
        {
            // Ambiguous VRs (PS3.5 Annex A.1 c): OB or OW is OW in implicit VR, but encapsulated (undefined length) is OB;
            // US or SS follows Pixel Representation (0028,0103) when it is known.
            if (vrs.Contains(DicomVR.OB) || vrs.Contains(DicomVR.OW))
                return length == UndefinedLength ? DicomVR.OB : DicomVR.OW;
            if (vrs.Contains(DicomVR.SS) && vrs.Contains(DicomVR.US))
            {
                var pr = FindPixelRepresentation(owner);
                return pr == 1 ? DicomVR.SS : DicomVR.US;
            }
            return vrs[0];
        }
        return entry.VR;
    }

    private static int FindPixelRepresentation(DicomDataset ds)
    {
        for (var d = ds; d != null; d = d.ParentDataset)
        {
            if (d.GetElement(new DicomTag(0x00280103u)) is { Length: 2 } e) return e.Bytes[0] | (e.Bytes[1] << 8);
        }
        return 0;
    }

    private DicomSequence ReadSequence(DicomDataset owner, DicomTag tag, uint length, int depth, bool unknownAsImplicit)
    {
        if (depth + 1 > _options.MaxDepth) throw Error($"Sequence nesting deeper than {_options.MaxDepth}");
        bool e = _explicit, b = _bigEndian;
        if (unknownAsImplicit)
        {
            // PS3.5 6.2.2: a UN element of undefined length holds an Implicit VR Little Endian sequence.
            _explicit = false;
            _bigEndian = false;
        }
        var sq = new DicomSequence(tag) { UndefinedLength = length == UndefinedLength };
        long end = length == UndefinedLength ? long.MaxValue : _src.Position + length;
        if (length != UndefinedLength && _src.Remaining is long rem && length > rem)
        {
            // DCMTK and pydicom read such sequences to the end of the input; so do we, with a warning.
            Warnings.Add($"Sequence {tag} length {length} exceeds the {rem} bytes left; read to the end of the input");
            end = _src.Position + rem;
        }
        int index = 0;
        while (_src.Position < end)
        {
            if (!_src.Ensure(8))
            {
                throw Error("Sequence truncated (premature end of data)");
            }
            long itemStart = _src.Position;
            uint itemTag = (uint)(_src.ReadUInt16(_bigEndian) << 16) | _src.ReadUInt16(_bigEndian);
            uint itemLength = _src.ReadUInt32(_bigEndian);
            if (itemTag == SequenceDelimitation)
            {
                if (length != UndefinedLength) Warnings.Add($"Sequence delimiter inside defined-length sequence {tag}");
                break;
            }
            if (itemTag != ItemTag)
            {
                throw Error($"Expected an item (FFFE,E000) in sequence but found {new DicomTag(itemTag)}", itemStart);
            }
            _stack[^1] = (tag, index);
            var item = new DicomDataset { UndefinedLength = itemLength == UndefinedLength };
            sq.Add(item);
            item.ParentDataset = owner;
            ReadItem(item, itemLength, depth + 1);
            index++;
        }
        if (length != UndefinedLength && _src.Position > end)
            throw Error($"Sequence items overrun the sequence length {length}");
        _explicit = e;
        _bigEndian = b;
        return sq;
    }

    private void ReadItem(DicomDataset item, uint length, int depth)
    {
        long end = length == UndefinedLength ? long.MaxValue : _src.Position + length;
        if (length != UndefinedLength && _src.Remaining is long rem && length > rem)
        {
            Warnings.Add($"Item length {length} exceeds the {rem} bytes left; read to the end of the input");
            end = _src.Position + rem;
        }
        while (_src.Position < end)
        {
            if (!_src.Ensure(8)) throw Error("Item truncated (premature end of data)");
            uint tag = PeekTag();
            if (tag == ItemDelimitation)
            {
                _src.Advance(8);
                if (length != UndefinedLength) Warnings.Add("Item delimiter inside a defined-length item");
                return;
            }
            if (tag == SequenceDelimitation || tag == ItemTag)
            {
                if (length == UndefinedLength) throw Error($"Missing item delimiter before {new DicomTag(tag)}");
                throw Error($"Unexpected {new DicomTag(tag)} inside an item");
            }
            var element = ReadElement(item, depth);
            if (element != null) Append(item, element);
        }
        if (length != UndefinedLength && _src.Position > end) throw Error($"Item content overruns the item length {length}");
    }

    private DicomFragmentSequence ReadFragments(DicomTag tag, DicomVR vr)
    {
        DicomBuffer? offsetTable = null;
        var fragments = new List<DicomBuffer>();
        while (true)
        {
            if (!_src.Ensure(8)) throw Error("Encapsulated pixel data truncated (premature end of data)");
            long itemStart = _src.Position;
            // Items of encapsulated pixel data are always little endian (PS3.5 A.4).
            uint itemTag = (uint)(_src.ReadUInt16(false) << 16) | _src.ReadUInt16(false);
            uint len = _src.ReadUInt32(false);
            if (itemTag == SequenceDelimitation) break;
            if (itemTag != ItemTag) throw Error($"Expected a fragment item but found {new DicomTag(itemTag)}", itemStart);
            if (len == UndefinedLength) throw Error("Fragment with undefined length", itemStart);
            if (_src.Remaining is long rem && len > rem) throw Error($"Fragment length {len} exceeds the {rem} bytes left in the input", itemStart);
            DicomBuffer buf;
            if (_lazyAllowed && _options.LargeValueThreshold is long threshold && len >= threshold)
            {
                long off = _src.Position;
                if (!_src.Skip(len)) throw Error("Fragment truncated (premature end of data)", itemStart);
                buf = new FileBuffer(_path!, off, len);
            }
            else
            {
                buf = DicomBuffer.FromMemory(_src.ReadMemory(len) ?? throw Error("Fragment truncated (premature end of data)", itemStart));
            }
            if (offsetTable == null) offsetTable = buf; else fragments.Add(buf);
        }
        return new DicomFragmentSequence(tag, vr, offsetTable ?? DicomBuffer.Empty, fragments);
    }
}
