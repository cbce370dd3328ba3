using System.Buffers.Binary;
using System.IO.Compression;
using Dicom.Typed.Text;

namespace Dicom.Typed.IO;

/// <summary>Options for writing data sets and files.</summary>
public sealed class DicomWriteOptions
{
    /// <summary>Default options.</summary>
    public static DicomWriteOptions Default { get; } = new();

    /// <summary>Sequence and item length encoding: null keeps what each sequence/item says (as read, or undefined for new ones); true forces undefined lengths; false forces defined lengths.</summary>
    public bool? UndefinedLengthSequences { get; init; }

    /// <summary>Remove group length elements (gggg,0000) other than the file meta's; when false they are kept and recomputed.</summary>
    public bool RemoveGroupLengths { get; init; }

    /// <summary>Compression level for deflated transfer syntaxes.</summary>
    public CompressionLevel DeflateLevel { get; init; } = CompressionLevel.Optimal;
}

/// <summary>Writes data sets in a transfer syntax (PS3.5 chapter 7). Large lazy values are streamed, not loaded.</summary>
public sealed class DicomDatasetWriter
{
    private readonly Stream _out;
    private readonly bool _explicit;
    private readonly bool _bigEndian;
    private readonly DicomWriteOptions _options;
    private readonly byte[] _scratch = new byte[16];

    /// <summary>Creates a writer.</summary>
    /// <param name="output">The output stream (buffer it for speed).</param>
    /// <param name="syntax">The transfer syntax (deflate is applied by <see cref="DicomFile"/>, not here).</param>
    /// <param name="options">Options.</param>
    public DicomDatasetWriter(Stream output, DicomTransferSyntax syntax, DicomWriteOptions? options = null)
    {
        _out = output;
        _explicit = syntax.IsExplicitVR;
        _bigEndian = !syntax.IsLittleEndian;
        _options = options ?? DicomWriteOptions.Default;
    }

    /// <summary>Writes all elements of <paramref name="dataset"/>.</summary>
    /// <param name="dataset">The data set.</param>
    public void Write(DicomDataset dataset) => WriteItems(dataset, dataset.CharacterSet);

    /// <summary>Computes the encoded length of a data set in this writer's encoding.</summary>
    /// <param name="dataset">The data set.</param>
    public long ComputeLength(DicomDataset dataset) => ItemsLength(dataset, dataset.CharacterSet);

    private IEnumerable<DicomItem> Filter(DicomDataset ds) =>
        _options.RemoveGroupLengths ? ds.Where(i => !(i.Tag.Element == 0 && i.Tag.Group > 0x0002)) : ds;

    private void WriteItems(DicomDataset ds, DicomCharacterSet cs)
    {
        var items = Filter(ds).ToList();
        for (int i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Tag.Element == 0 && item is DicomElement)
            {
                long groupLength = 0;
                for (int j = i + 1; j < items.Count && items[j].Tag.Group == item.Tag.Group; j++) groupLength += ItemLength(items[j], cs);
                WriteHeader(item.Tag, DicomVR.UL, 4);
                WriteUInt32((uint)groupLength);
                continue;
            }
            WriteItem(item, cs);
        }
    }

    private void WriteItem(DicomItem item, DicomCharacterSet cs)
    {
        switch (item)
        {
            case DicomElement e:
                WriteElement(e, cs);
                break;
            case DicomSequence sq:
                WriteSequence(sq, cs);
                break;
            case DicomFragmentSequence f:
                WriteFragments(f);
                break;
        }
    }

    private static ReadOnlyMemory<byte> Transcode(DicomElement e, DicomCharacterSet cs)
    {
        if (!e.VR.IsCharacterSetSensitive || e.IsEmpty || e.CharacterSet.Equals(cs)) return default;
        string text = e.GetRawString().TrimEnd(' ');
        return DicomElement.Pad(cs.Encode(text, e.VR.TextKind), 0x20);
    }

    private static bool NeedsTranscode(DicomElement e, DicomCharacterSet cs) =>
        e.VR.IsCharacterSetSensitive && !e.IsEmpty && !e.CharacterSet.Equals(cs);

    private DicomVR EffectiveVR(DicomVR vr, long length) => _explicit && !vr.HasLongLength && length > 0xFFFF ? DicomVR.UN : vr;

    private void WriteElement(DicomElement e, DicomCharacterSet cs)
    {
        if (NeedsTranscode(e, cs))
        {
            var bytes = Transcode(e, cs);
            WriteHeader(e.Tag, EffectiveVR(e.VR, bytes.Length), (uint)bytes.Length);
            _out.Write(bytes.Span);
            return;
        }
        long len = e.Length;
        long padded = len + (len & 1);
        if (padded > uint.MaxValue - 1) throw new DicomException($"{e.Tag}: value of {len} bytes is too long for DICOM");
        WriteHeader(e.Tag, EffectiveVR(e.VR, padded), (uint)padded);
        int swap = _bigEndian && e.VR != DicomVR.OB && e.VR != DicomVR.UN && !e.VR.IsString ? e.VR.UnitSize : 1;
        if (swap > 1) WriteSwapped(e.Buffer, swap);
        else e.Buffer.CopyTo(_out);
        if ((len & 1) == 1) _out.WriteByte(e.VR.PaddingByte);
    }

    private void WriteSwapped(DicomBuffer buffer, int unit)
    {
        var chunk = new byte[Math.Min(1 << 16, Math.Max(unit, (int)Math.Min(buffer.Length, 1 << 16))) / unit * unit];
        if (buffer.IsLoaded || buffer.Length <= chunk.Length)
        {
            var span = buffer.Memory.Span;
            for (int off = 0; off < span.Length; off += chunk.Length)
            {
                int n = Math.Min(chunk.Length, span.Length - off);
                span.Slice(off, n).CopyTo(chunk);
                ByteSwap.Swap(chunk.AsSpan(0, n), unit);
                _out.Write(chunk, 0, n);
            }
            return;
        }
        using var s = buffer.OpenRead();
        int read;
        while ((read = s.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false)) > 0)
        {
            ByteSwap.Swap(chunk.AsSpan(0, read), unit);
            _out.Write(chunk, 0, read);
        }
    }

    private bool UseUndefined(bool own) => _options.UndefinedLengthSequences ?? own;

    private void WriteSequence(DicomSequence sq, DicomCharacterSet cs)
    {
        bool undefined = UseUndefined(sq.UndefinedLength);
        WriteHeader(sq.Tag, DicomVR.SQ, undefined ? 0xFFFFFFFFu : (uint)SequenceValueLength(sq, cs));
        foreach (var item in sq.Items)
        {
            var itemCs = ItemCharset(item, cs);
            bool itemUndefined = UseUndefined(item.UndefinedLength);
            WriteTagLength(0xFFFEE000u, itemUndefined ? 0xFFFFFFFFu : (uint)ItemsLength(item, itemCs));
            WriteItems(item, itemCs);
            if (itemUndefined) WriteTagLength(0xFFFEE00Du, 0);
        }
        if (undefined) WriteTagLength(0xFFFEE0DDu, 0);
    }

    private static DicomCharacterSet ItemCharset(DicomDataset item, DicomCharacterSet inherited) =>
        item.Contains(new DicomTag(0x00080005u)) ? item.CharacterSet : inherited;

    private void WriteFragments(DicomFragmentSequence f)
    {
        WriteHeader(f.Tag, f.VR, 0xFFFFFFFFu);
        WriteFragmentItem(f.OffsetTable);
        foreach (var frag in f.Fragments) WriteFragmentItem(frag);
        WriteTagLength(0xFFFEE0DDu, 0, littleEndian: true);
    }

    private void WriteFragmentItem(DicomBuffer buffer)
    {
        long len = buffer.Length;
        WriteTagLength(0xFFFEE000u, (uint)(len + (len & 1)), littleEndian: true);
        buffer.CopyTo(_out);
        if ((len & 1) == 1) _out.WriteByte(0);
    }

    // ---- lengths --------------------------------------------------------------------------------------------------

    private long ItemsLength(DicomDataset ds, DicomCharacterSet cs)
    {
        long total = 0;
        foreach (var item in Filter(ds)) total += ItemLength(item, cs);
        return total;
    }

    private long HeaderLength(DicomVR vr) => !_explicit ? 8 : vr.HasLongLength ? 12 : 8;

    private long ItemLength(DicomItem item, DicomCharacterSet cs)
    {
        switch (item)
        {
            case DicomElement e:
                if (e.Tag.Element == 0) return 12;
                long len = NeedsTranscode(e, cs) ? Transcode(e, cs).Length : e.Length + (e.Length & 1);
                return HeaderLength(EffectiveVR(e.VR, len)) + len;
            case DicomSequence sq:
                return HeaderLength(DicomVR.SQ) + SequenceValueLength(sq, cs) + (UseUndefined(sq.UndefinedLength) ? 8 : 0);
            case DicomFragmentSequence f:
                long t = HeaderLength(f.VR) + 8 + f.OffsetTable.Length + (f.OffsetTable.Length & 1) + 8;
                foreach (var frag in f.Fragments) t += 8 + frag.Length + (frag.Length & 1);
                return t;
            default:
                return 0;
        }
    }

    private long SequenceValueLength(DicomSequence sq, DicomCharacterSet cs)
    {
        long total = 0;
        foreach (var item in sq.Items)
        {
            total += 8 + ItemsLength(item, ItemCharset(item, cs));
            if (UseUndefined(item.UndefinedLength)) total += 8;
        }
        return total;
    }

    // ---- primitives -----------------------------------------------------------------------------------------------

    private void WriteHeader(DicomTag tag, DicomVR vr, uint length)
    {
        var b = _scratch.AsSpan();
        WriteU16(b, tag.Group);
        WriteU16(b[2..], tag.Element);
        if (!_explicit)
        {
            WriteU32(b[4..], length);
            _out.Write(b[..8]);
            return;
        }
        b[4] = (byte)vr.Code[0];
        b[5] = (byte)vr.Code[1];
        if (vr.HasLongLength)
        {
            b[6] = 0;
            b[7] = 0;
            WriteU32(b[8..], length);
            _out.Write(b[..12]);
        }
        else
        {
            WriteU16(b[6..], (ushort)length);
            _out.Write(b[..8]);
        }
    }

    private void WriteTagLength(uint tag, uint length, bool littleEndian = false)
    {
        var b = _scratch.AsSpan();
        bool be = _bigEndian && !littleEndian;
        if (be)
        {
            BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)(tag >> 16));
            BinaryPrimitives.WriteUInt16BigEndian(b[2..], (ushort)tag);
            BinaryPrimitives.WriteUInt32BigEndian(b[4..], length);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)(tag >> 16));
            BinaryPrimitives.WriteUInt16LittleEndian(b[2..], (ushort)tag);
            BinaryPrimitives.WriteUInt32LittleEndian(b[4..], length);
        }
        _out.Write(b[..8]);
    }

    private void WriteUInt32(uint v)
    {
        WriteU32(_scratch, v);
        _out.Write(_scratch, 0, 4);
    }

    private void WriteU16(Span<byte> b, ushort v)
    {
        if (_bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b, v); else BinaryPrimitives.WriteUInt16LittleEndian(b, v);
    }

    private void WriteU32(Span<byte> b, uint v)
    {
        if (_bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, v); else BinaryPrimitives.WriteUInt32LittleEndian(b, v);
    }
}
