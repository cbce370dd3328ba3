using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Dicom.Typed.Network;

namespace Dicom.Typed.Network.Tests;

/// <summary>What our requestor puts on the wire for a C-STORE: the command PDV shares the first P-DATA-TF PDU with the
/// first data-set PDV (PS3.8 9.3.5), command and data set stay in separate PDVs, and no PDU exceeds the peer's maximum.</summary>
public class PDataBatchingTests
{
    private static List<(byte Context, byte Flags, int Length)> Pdvs(byte[] pdu)
    {
        var list = new List<(byte, byte, int)>();
        for (int at = 6; at < pdu.Length;)
        {
            int len = (int)BinaryPrimitives.ReadUInt32BigEndian(pdu.AsSpan(at));
            list.Add((pdu[at + 4], pdu[at + 5], len - 2));
            at += 4 + len;
        }
        return list;
    }

    [Fact]
    public async Task CStore_SendsCommandAndFirstDataPdvInOnePdu_WithinThePeersMaximum()
    {
        const uint peerMax = 16384;
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var pdus = new List<byte[]>();
        var captured = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            socket.NoDelay = true;
            using var s = new NetworkStream(socket);
            var rqPdu = await RawPdu.ReadAsync(s);
            var rq = ((AssociateRequestPdu)PduCodec.Decode(PduType.AssociateRequest, rqPdu[6..])).Parameters;
            var ac = new AssociationParameters { CallingAE = rq.CallingAE, CalledAE = rq.CalledAE, MaxPduLength = peerMax };
            foreach (var pc in rq.PresentationContexts)
                ac.PresentationContexts.Add(new PresentationContext(pc.Id, "", pc.TransferSyntaxes) { Result = PresentationContextResult.Acceptance, AcceptedTransferSyntax = pc.TransferSyntaxes[0] });
            await s.WriteAsync(PduCodec.Encode(new AssociateAcceptPdu(ac)));
            while (true) // until the last data-set fragment
            {
                var pdu = await RawPdu.ReadAsync(s);
                pdus.Add(pdu);
                if (pdu[0] != (byte)PduType.DataTransfer || Pdvs(pdu).Any(p => (p.Flags & 3) == 2)) break;
            }
            await s.WriteAsync(PduCodec.Encode(new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified)));
        });
        try
        {
            var file = TestData.File("CT_small.dcm");
            var h = DicomInstanceHeader.Read(file);
            var options = new DicomClientOptions
            {
                Host = "127.0.0.1", Port = ((IPEndPoint)listener.LocalEndpoint).Port, CalledAE = "RAW", Association = TestTimeouts.Fast(),
            };
            await using var a = await DicomClient.ConnectAsync(options, DicomStorageOperations.BuildContexts([(h.SopClassUid, h.TransferSyntax)]));
            await Assert.ThrowsAnyAsync<DicomNetworkException>(() => a.StoreFileAsync(file));
            await captured.WaitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            listener.Stop();
        }

        Assert.True(pdus.Count >= 3, $"CT_small.dcm needs several {peerMax}-byte PDUs, got {pdus.Count}");
        Assert.All(pdus, p => Assert.Equal((byte)PduType.DataTransfer, p[0]));
        Assert.All(pdus, p => Assert.InRange(p.Length - 6, 1, (int)peerMax));
        var first = Pdvs(pdus[0]);
        Assert.Equal(2, first.Count);
        Assert.Equal(3, first[0].Flags);            // the whole command, last fragment
        Assert.Equal(0, first[1].Flags);            // the first data-set fragment, more to come
        Assert.Equal(first[0].Context, first[1].Context);
        Assert.Equal((int)peerMax, pdus[0].Length - 6); // the first PDU is filled up to the peer's maximum
        var rest = pdus.Skip(1).Select(Pdvs).ToList();
        Assert.All(rest, p => Assert.Single(p));
        Assert.All(rest.SkipLast(1), p => Assert.Equal(0, p[0].Flags));
        Assert.Equal(2, rest[^1][0].Flags);
        long dataBytes = first[1].Length + rest.Sum(p => (long)p[0].Length);
        long fileBytes = new FileInfo(TestData.File("CT_small.dcm")).Length;
        Assert.InRange(dataBytes, fileBytes - 2048, fileBytes); // the data set: the file less its preamble and meta header
    }
}
