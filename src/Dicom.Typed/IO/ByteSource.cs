using System.Buffers.Binary;

namespace Dicom.Typed.IO;

/// <summary>
/// Buffered forward reader over a stream or a byte array, tracking the absolute position. When the whole input is
/// in memory, values are returned as slices of it without copying.
/// </summary>
internal sealed class ByteSource
{
    private const int ChunkSize = 1 << 16;
    private readonly Stream? _stream;
    private byte[] _buf;
    private int _pos;
    private int _len;
    private long _bufStart;
    private readonly bool _wholeInMemory;
    private readonly long? _length;

    public ByteSource(byte[] data, int offset, int count)
    {
        _buf = data;
        _pos = offset;
        _len = offset + count;
        _bufStart = -offset;
        _wholeInMemory = true;
        _length = count;
    }

    public ByteSource(Stream stream, long basePosition = 0)
    {
        _stream = stream;
        _buf = new byte[ChunkSize];
        _bufStart = basePosition;
        try
        {
            _length = stream.CanSeek ? stream.Length - stream.Position + basePosition : null;
        }
        catch (NotSupportedException)
        {
            _length = null;
        }
    }

    /// <summary>Absolute position of the next byte.</summary>
    public long Position => _bufStart + _pos;

    /// <summary>Total length when known.</summary>
    public long? Length => _length;

    /// <summary>Bytes left when the length is known, else null.</summary>
    public long? Remaining => _length.HasValue ? _length.Value - Position : null;

    public bool IsWholeInMemory => _wholeInMemory;

    /// <summary>Makes <paramref name="n"/> bytes available in the buffer; false at end of input.</summary>
    public bool Ensure(int n)
    {
        if (_len - _pos >= n) return true;
        if (_stream == null) return false;
        if (_buf.Length < n) Array.Resize(ref _buf, Math.Max(n, _buf.Length * 2));
        if (_pos > 0)
        {
            int keep = _len - _pos;
            Buffer.BlockCopy(_buf, _pos, _buf, 0, keep);
            _bufStart += _pos;
            _len = keep;
            _pos = 0;
        }
        while (_len < n)
        {
            int read = _stream.Read(_buf, _len, _buf.Length - _len);
            if (read <= 0) return false;
            _len += read;
        }
        return true;
    }

    public bool AtEnd => !Ensure(1);

    public ReadOnlySpan<byte> Peek(int n) => _buf.AsSpan(_pos, n);

    public int Available => _len - _pos;

    public ushort ReadUInt16(bool bigEndian)
    {
        ushort v = bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(_buf.AsSpan(_pos)) : BinaryPrimitives.ReadUInt16LittleEndian(_buf.AsSpan(_pos));
        _pos += 2;
        return v;
    }

    public uint ReadUInt32(bool bigEndian)
    {
        uint v = bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(_buf.AsSpan(_pos)) : BinaryPrimitives.ReadUInt32LittleEndian(_buf.AsSpan(_pos));
        _pos += 4;
        return v;
    }

    public void Advance(int n) => _pos += n;

    /// <summary>Reads <paramref name="length"/> bytes; returns null at premature end of input.</summary>
    public ReadOnlyMemory<byte>? ReadMemory(long length)
    {
        if (_wholeInMemory)
        {
            if (_len - _pos < length) return null;
            var m = new ReadOnlyMemory<byte>(_buf, _pos, (int)length);
            _pos += (int)length;
            return m;
        }
        if (length > Array.MaxLength) return null;
        // Allocate progressively when the input length is unknown, so a lying length field cannot make us
        // allocate more than twice what the input really holds.
        byte[] result = new byte[_length.HasValue || length <= 1 << 24 ? length : 1 << 24];
        long done = 0;
        while (done < length)
        {
            int avail = _len - _pos;
            if (avail == 0)
            {
                if (!Ensure(1)) return null;
                avail = _len - _pos;
            }
            int n = (int)Math.Min(avail, length - done);
            if (done + n > result.Length) Array.Resize(ref result, (int)Math.Min(length, Math.Max(result.Length * 2L, done + n)));
            Buffer.BlockCopy(_buf, _pos, result, (int)done, n);
            _pos += n;
            done += n;
        }
        return result;
    }

    /// <summary>Skips <paramref name="length"/> bytes; false at premature end of input.</summary>
    public bool Skip(long length)
    {
        long inBuf = _len - _pos;
        if (length <= inBuf)
        {
            _pos += (int)length;
            return true;
        }
        if (_stream == null) return false;
        long rest = length - inBuf;
        _bufStart += _len;
        _pos = 0;
        _len = 0;
        if (_stream.CanSeek)
        {
            long target = _stream.Position + rest;
            if (target > _stream.Length) return false;
            _stream.Position = target;
            _bufStart += rest;
            return true;
        }
        while (rest > 0)
        {
            int read = _stream.Read(_buf, 0, (int)Math.Min(_buf.Length, rest));
            if (read <= 0) return false;
            rest -= read;
            _bufStart += read;
        }
        return true;
    }

    /// <summary>Returns the unread buffered bytes followed by the rest of the stream, for switching to an inflating stream.</summary>
    public Stream RemainingAsStream()
    {
        var head = new MemoryStream(_buf, _pos, _len - _pos, false);
        _pos = _len;
        return _stream == null ? head : new ConcatStream(head, _stream);
    }
}

internal sealed class ConcatStream(Stream first, Stream second) : Stream
{
    private bool _firstDone;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (!_firstDone)
        {
            int n = first.Read(buffer);
            if (n > 0) return n;
            _firstDone = true;
        }
        return second.Read(buffer);
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
