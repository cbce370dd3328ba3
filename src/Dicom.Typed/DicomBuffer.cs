namespace Dicom.Typed;

/// <summary>
/// The bytes of a value. Values are held in little-endian byte order in memory whatever the transfer syntax they
/// were read from. A buffer is either in memory or left on its file (lazy) and read on first use.
/// </summary>
public abstract class DicomBuffer
{
    /// <summary>Length in bytes.</summary>
    public abstract long Length { get; }

    /// <summary>True when the bytes are in memory.</summary>
    public abstract bool IsLoaded { get; }

    /// <summary>The bytes; a lazy buffer reads them from its source on first access.</summary>
    public abstract ReadOnlyMemory<byte> Memory { get; }

    /// <summary>Writes the bytes to <paramref name="destination"/>, streaming lazy buffers in chunks.</summary>
    /// <param name="destination">The target stream.</param>
    public abstract void CopyTo(Stream destination);

    /// <summary>Opens a read-only stream over the bytes (streams lazy buffers from their file).</summary>
    public virtual Stream OpenRead() => new MemoryStream(Memory.ToArray(), writable: false);

    /// <summary>An empty buffer.</summary>
    public static DicomBuffer Empty { get; } = new MemoryBuffer(ReadOnlyMemory<byte>.Empty);

    /// <summary>Wraps bytes in memory (no copy).</summary>
    /// <param name="bytes">The bytes.</param>
    public static DicomBuffer FromMemory(ReadOnlyMemory<byte> bytes) => bytes.IsEmpty ? Empty : new MemoryBuffer(bytes);
}

/// <summary>Bytes held in memory.</summary>
public sealed class MemoryBuffer : DicomBuffer
{
    private readonly ReadOnlyMemory<byte> _bytes;

    /// <summary>Wraps bytes (no copy).</summary>
    /// <param name="bytes">The bytes.</param>
    public MemoryBuffer(ReadOnlyMemory<byte> bytes) => _bytes = bytes;

    /// <inheritdoc />
    public override long Length => _bytes.Length;

    /// <inheritdoc />
    public override bool IsLoaded => true;

    /// <inheritdoc />
    public override ReadOnlyMemory<byte> Memory => _bytes;

    /// <inheritdoc />
    public override void CopyTo(Stream destination) => destination.Write(_bytes.Span);
}

/// <summary>
/// A value left in its file: offset and length are recorded while reading and the bytes are read when needed.
/// Big-endian values are swapped to little endian when loaded.
/// </summary>
public sealed class FileBuffer : DicomBuffer
{
    private readonly string _path;
    private readonly long _offset;
    private readonly long _length;
    private readonly int _swapUnit;
    private ReadOnlyMemory<byte>? _loaded;

    /// <summary>Describes a value in a file.</summary>
    /// <param name="path">File path.</param>
    /// <param name="offset">Offset of the first value byte.</param>
    /// <param name="length">Length in bytes.</param>
    /// <param name="swapUnit">Byte-swap unit when the file is big endian (1 for none).</param>
    public FileBuffer(string path, long offset, long length, int swapUnit = 1)
    {
        _path = path;
        _offset = offset;
        _length = length;
        _swapUnit = swapUnit;
    }

    /// <summary>The file path.</summary>
    public string Path => _path;

    /// <summary>Offset of the first byte in the file.</summary>
    public long Offset => _offset;

    /// <inheritdoc />
    public override long Length => _length;

    /// <inheritdoc />
    public override bool IsLoaded => _loaded.HasValue;

    /// <inheritdoc />
    public override ReadOnlyMemory<byte> Memory
    {
        get
        {
            if (_loaded is { } m) return m;
            if (_length > Array.MaxLength) throw new DicomException($"Value of {_length} bytes in '{_path}' is too large to load into memory; stream it with OpenRead()");
            var bytes = new byte[_length];
            using (var fs = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess))
            {
                fs.Position = _offset;
                fs.ReadExactly(bytes);
            }
            if (_swapUnit > 1) ByteSwap.Swap(bytes, _swapUnit);
            _loaded = bytes;
            return bytes;
        }
    }

    /// <inheritdoc />
    public override void CopyTo(Stream destination)
    {
        if (_loaded is { } m) { destination.Write(m.Span); return; }
        using var s = OpenRead();
        s.CopyTo(destination, 1 << 16);
    }

    /// <inheritdoc />
    public override Stream OpenRead()
    {
        if (_loaded is { } m) return new MemoryStream(m.ToArray(), false);
        var fs = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        fs.Position = _offset;
        Stream slice = new SubStream(fs, _length);
        return _swapUnit > 1 ? new SwappingStream(slice, _swapUnit) : slice;
    }
}

internal static class ByteSwap
{
    public static void Swap(Span<byte> bytes, int unit)
    {
        switch (unit)
        {
            case 2:
                for (int i = 0; i + 1 < bytes.Length; i += 2) (bytes[i], bytes[i + 1]) = (bytes[i + 1], bytes[i]);
                break;
            case 4:
            case 8:
                for (int i = 0; i + unit <= bytes.Length; i += unit) bytes.Slice(i, unit).Reverse();
                break;
        }
    }
}

/// <summary>A read-only window of a stream; disposes the inner stream.</summary>
internal sealed class SubStream(Stream inner, long length) : Stream
{
    private readonly long _length = length;
    private long _remaining = length;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _length;
    public override long Position { get => _length - _remaining; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_remaining <= 0) return 0;
        if (buffer.Length > _remaining) buffer = buffer[..(int)_remaining];
        int n = inner.Read(buffer);
        if (n == 0) throw new EndOfStreamException("The file ended before the end of the value");
        _remaining -= n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>Swaps byte order in fixed units while reading.</summary>
internal sealed class SwappingStream(Stream inner, int unit) : Stream
{
    private readonly byte[] _pending = new byte[8];
    private int _pendingCount;
    private int _pendingPos;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_pendingPos < _pendingCount)
        {
            int n = Math.Min(buffer.Length, _pendingCount - _pendingPos);
            _pending.AsSpan(_pendingPos, n).CopyTo(buffer);
            _pendingPos += n;
            return n;
        }
        int whole = buffer.Length / unit * unit;
        if (whole == 0)
        {
            _pendingCount = inner.ReadAtLeast(_pending.AsSpan(0, unit), unit, throwOnEndOfStream: false);
            _pendingPos = 0;
            ByteSwap.Swap(_pending.AsSpan(0, _pendingCount), unit);
            return _pendingCount == 0 ? 0 : Read(buffer);
        }
        int read = inner.ReadAtLeast(buffer[..whole], unit, throwOnEndOfStream: false);
        int aligned = read / unit * unit;
        if (aligned < read)
        {
            // complete the partial unit
            int extra = inner.ReadAtLeast(buffer.Slice(read, aligned + unit - read), aligned + unit - read, throwOnEndOfStream: false);
            read += extra;
            aligned = read / unit * unit;
        }
        ByteSwap.Swap(buffer[..aligned], unit);
        return read;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
