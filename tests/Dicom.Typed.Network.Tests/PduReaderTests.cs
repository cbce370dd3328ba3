using Dicom.Typed.Network;

namespace Dicom.Typed.Network.Tests;

/// <summary>The association's buffered PDU reader: PDUs split and packed arbitrarily by the transport come out whole
/// and in order, a P-DATA-TF larger than the buffer and control PDUs get their own arrays, bad input is a typed error.</summary>
public class PduReaderTests
{
    /// <summary>Returns at most <c>chunk</c> bytes per read, like a transport delivering in pieces.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data, false)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, chunk)]);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }

    private static byte[] Data(byte id, bool command, bool last, int length, int seed) =>
        PduCodec.Encode(new DataTransferPdu([new PresentationDataValue(id, command, last, Enumerable.Range(seed, length).Select(i => (byte)(i * 7)).ToArray())]));

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(7)]
    [InlineData(4096)]
    [InlineData(1 << 20)]
    public async Task PdusSplitAndPackedAnyWay_ComeOutWholeAndInOrder(int chunk)
    {
        // small command PDU, a data PDU that fits the 8 KiB buffer, one larger than the buffer, a release request
        var wire = Data(1, true, true, 90, 1).Concat(Data(1, false, false, 5000, 2)).Concat(Data(1, false, true, 20000, 3))
            .Concat(PduCodec.Encode(new ReleaseRequestPdu())).ToArray();
        var reader = new PduReader(new TrickleStream(wire, chunk), 16384, 8192);

        var a = Assert.IsType<DataTransferPdu>(await reader.ReadAsync(default));
        Assert.True(a.Values[0].IsCommand);
        Assert.Equal(Enumerable.Range(1, 90).Select(i => (byte)(i * 7)), a.Values[0].Data.ToArray());
        var b = Assert.IsType<DataTransferPdu>(await reader.ReadAsync(default));
        Assert.False(b.Values[0].IsLast);
        Assert.Equal(Enumerable.Range(2, 5000).Select(i => (byte)(i * 7)), b.Values[0].Data.ToArray());
        var c = Assert.IsType<DataTransferPdu>(await reader.ReadAsync(default));
        Assert.True(c.Values[0].IsLast);
        Assert.Equal(Enumerable.Range(3, 20000).Select(i => (byte)(i * 7)), c.Values[0].Data.ToArray());
        Assert.IsType<ReleaseRequestPdu>(await reader.ReadAsync(default));
        Assert.Null(await reader.ReadAsync(default)); // clean end between PDUs
    }

    [Fact]
    public async Task TruncatedHeaderOrBody_IsConnectionClosed_AndBadType_IsUnrecognized()
    {
        var pdu = Data(1, false, true, 100, 0);
        var e1 = await Assert.ThrowsAsync<DicomNetworkException>(async () => await new PduReader(new MemoryStream(pdu[..4]), 16384, 8192).ReadAsync(default));
        Assert.Equal(DicomNetworkErrorReason.ConnectionClosed, e1.Reason);
        var e2 = await Assert.ThrowsAsync<DicomNetworkException>(async () => await new PduReader(new MemoryStream(pdu[..50]), 16384, 8192).ReadAsync(default));
        Assert.Equal(DicomNetworkErrorReason.ConnectionClosed, e2.Reason);
        Assert.Contains("44 of 106 bytes", e2.Message);
        var e3 = await Assert.ThrowsAsync<DicomNetworkException>(async () => await new PduReader(new MemoryStream([0x09, 0, 0, 0, 0, 4, 0, 0, 0, 0]), 16384, 8192).ReadAsync(default));
        Assert.Equal(DicomNetworkErrorReason.UnrecognizedPdu, e3.Reason);
        var big = Data(1, false, true, 40000, 0);
        var e4 = await Assert.ThrowsAsync<DicomNetworkException>(async () => await new PduReader(new MemoryStream(big), 16384, 8192).ReadAsync(default));
        Assert.Equal(DicomNetworkErrorReason.PduTooLarge, e4.Reason);
    }
}
