using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Dicom.Typed.Network;

/// <summary>
/// Reads the PDUs of one established association through one receive buffer: a receive asks for as much as fits, so
/// a PDU header usually arrives in the same <c>recv</c> as (the start of) its body and several small PDUs in one call,
/// where reading header and body separately costs two system calls per PDU. A P-DATA-TF that fits is decoded in place
/// (its PDVs point into the buffer and are valid until the next <see cref="ReadAsync"/>); a larger one and the
/// control PDUs get their own array. Reading the rest of a body never reads past it, so a large transfer is not copied
/// within the buffer.
/// </summary>
internal sealed class PduReader
{
    private readonly Stream _stream;
    private readonly uint _maxDataPduLength;
    private readonly byte[] _buf;
    private int _start;
    private int _end;

    /// <param name="stream">The transport stream (read only by this reader once the association is established).</param>
    /// <param name="maxDataPduLength">Largest P-DATA-TF length accepted (0 = no limit).</param>
    /// <param name="bufferLength">Receive buffer length: a P-DATA-TF body up to this length minus the header is decoded in place.</param>
    public PduReader(Stream stream, uint maxDataPduLength, int bufferLength)
    {
        _stream = stream;
        _maxDataPduLength = maxDataPduLength;
        _buf = new byte[Math.Max(bufferLength, 4096 + PduCodec.HeaderLength)];
    }

    /// <summary>Reads the next PDU; null when the stream ended cleanly between PDUs.</summary>
    /// <exception cref="DicomNetworkException">Malformed, unrecognized or too long PDU; connection closed inside a PDU.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<Pdu?> ReadAsync(CancellationToken cancellationToken)
    {
        if (_start == _end) _start = _end = 0;
        int got = await FillAsync(PduCodec.HeaderLength, greedy: true, cancellationToken).ConfigureAwait(false);
        if (got == 0) return null;
        if (got < PduCodec.HeaderLength)
            throw new DicomNetworkException(DicomNetworkErrorReason.ConnectionClosed, $"connection closed inside a PDU header ({got} of 6 bytes)");
        byte type = _buf[_start];
        uint length = BinaryPrimitives.ReadUInt32BigEndian(_buf.AsSpan(_start + 2));
        PduCodec.CheckHeader(type, length, _maxDataPduLength);
        if (type == (byte)PduType.DataTransfer && length <= _buf.Length - PduCodec.HeaderLength)
        {
            int total = PduCodec.HeaderLength + (int)length;
            got = await FillAsync(total, greedy: false, cancellationToken).ConfigureAwait(false);
            if (got < total)
                throw new DicomNetworkException(DicomNetworkErrorReason.ConnectionClosed, $"connection closed inside a {(PduType)type} PDU ({got - PduCodec.HeaderLength} of {length} bytes)");
            int bodyStart = _start + PduCodec.HeaderLength;
            _start += total;
            return PduCodec.DecodeDataTransfer(_buf, bodyStart, (int)length);
        }
        // Control PDU or a P-DATA-TF larger than the buffer: its own array (buffered bytes first, then the stream).
        var body = new byte[length];
        int have = Math.Min(_end - _start - PduCodec.HeaderLength, (int)length);
        _buf.AsSpan(_start + PduCodec.HeaderLength, have).CopyTo(body);
        _start += PduCodec.HeaderLength + have;
        while (have < body.Length)
        {
            int n = await _stream.ReadAsync(body.AsMemory(have), cancellationToken).ConfigureAwait(false);
            if (n == 0)
                throw new DicomNetworkException(DicomNetworkErrorReason.ConnectionClosed, $"connection closed inside a {(PduType)type} PDU ({have} of {length} bytes)");
            have += n;
        }
        return PduCodec.Decode((PduType)type, body);
    }

    /// <summary>Makes at least <paramref name="needed"/> bytes available from <c>_start</c>; returns how many are
    /// (fewer only at the end of the stream). Greedy: read as much as the buffer holds; otherwise only what is missing.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> FillAsync(int needed, bool greedy, CancellationToken ct)
    {
        if (_end - _start >= needed) return _end - _start;
        if (_buf.Length - _start < needed)
        {
            // Move the partial PDU to the front (only bytes read ahead by a greedy receive: at most one buffer).
            Buffer.BlockCopy(_buf, _start, _buf, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        while (_end - _start < needed)
        {
            int room = greedy ? _buf.Length - _end : _start + needed - _end;
            int n = await _stream.ReadAsync(_buf.AsMemory(_end, room), ct).ConfigureAwait(false);
            if (n == 0) break;
            _end += n;
        }
        return _end - _start;
    }
}
