using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Dicom.Typed.Network;

namespace Dicom.Typed.Network.Tests;

/// <summary>Bad input and faults: the association ends with a typed error in time, the SCP keeps serving, no partial file remains.</summary>
public class FaultTests
{
    private static readonly TimeSpan CloseWithin = TimeSpan.FromSeconds(8);

    private static byte[] AssociateRequest(params PresentationContext[] contexts)
    {
        var p = new AssociationParameters { CallingAE = "RAW", CalledAE = TestScp.AE, MaxPduLength = 16384 };
        p.PresentationContexts.AddRange(contexts.Length > 0 ? contexts :
            [new PresentationContext(1, DicomUid.Verification.Value, "1.2.840.10008.1.2"), new PresentationContext(3, DicomUid.SecondaryCaptureImageStorage.Value, "1.2.840.10008.1.2")]);
        return PduCodec.Encode(new AssociateRequestPdu(p));
    }

    private static async Task AssertStillServesAsync(TestScp scp) =>
        Assert.Equal(DicomStatus.Success, await new DicomVerificationScu(scp.Client()).EchoAsync());

    public static TheoryData<string, byte[]> Garbage => new()
    {
        { "HTTP request", "GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray() },
        { "unknown PDU type", [0x09, 0, 0, 0, 0, 4, 1, 2, 3, 4] },
        { "P-DATA before association", [0x04, 0, 0, 0, 0, 8, 0, 0, 0, 4, 1, 3, 0, 0] },
        { "A-ASSOCIATE-RQ with bad item lengths", [0x01, 0, 0, 0, 0, 70, 0, 1, 0, 0, .. new byte[32], .. new byte[32], 0x10, 0, 0xFF, 0xFF] },
        { "huge PDU length", [0x01, 0, 0x7F, 0xFF, 0xFF, 0xFF] },
        { "truncated header", [0x01, 0] },
        { "release request first", [0x05, 0, 0, 0, 0, 4, 0, 0, 0, 0] },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task Garbage_BeforeAssociation_ClosesConnection_AndScpKeepsServing(string what, byte[] bytes)
    {
        await using var scp = await TestScp.StartAsync(o => o.Association = TestTimeouts.Fast());
        using (var raw = await RawClient.ConnectAsync(scp.Port))
        {
            await raw.SendAsync(bytes);
            var reply = await raw.ReadToCloseAsync(CloseWithin);
            // Either nothing or an A-ABORT / A-ASSOCIATE-RJ: never an A-ASSOCIATE-AC.
            Assert.True(reply.Length == 0 || reply[0] is 0x07 or 0x03, $"{what}: unexpected reply");
        }
        await AssertStillServesAsync(scp);
    }

    [Fact]
    public async Task Silent_Client_IsDropped_ByArtim()
    {
        await using var scp = await TestScp.StartAsync(o => o.Association = TestTimeouts.Fast());
        using var raw = await RawClient.ConnectAsync(scp.Port);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        await raw.ReadToCloseAsync(CloseWithin);
        Assert.InRange(sw.Elapsed, TimeSpan.FromSeconds(1), CloseWithin);
        await LoopbackTests.WaitEndedAsync(scp, 1);
        var e = Assert.IsType<DicomNetworkException>(scp.Ended.Single());
        Assert.Equal(DicomNetworkErrorReason.Timeout, e.Reason);
        await AssertStillServesAsync(scp);
    }

    private static async Task<RawClient> AssociateRawAsync(TestScp scp)
    {
        var raw = await RawClient.ConnectAsync(scp.Port);
        await raw.SendAsync(AssociateRequest());
        var header = new byte[6];
        await raw.Stream.ReadExactlyAsync(header);
        Assert.Equal(0x02, header[0]);
        var body = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2))];
        await raw.Stream.ReadExactlyAsync(body);
        return raw;
    }

    private static byte[] Pdata(byte ctx, bool command, bool last, byte[] data) =>
        PduCodec.Encode(new DataTransferPdu([new PresentationDataValue(ctx, command, last, data)]));

    [Fact]
    public async Task Unexpected_PduAfterAssociation_IsAborted()
    {
        await using var scp = await TestScp.StartAsync(o => o.Association = TestTimeouts.Fast());
        using var raw = await AssociateRawAsync(scp);
        await raw.SendAsync(AssociateRequest()); // a second A-ASSOCIATE-RQ is unexpected in Sta6
        var reply = await raw.ReadToCloseAsync(CloseWithin);
        Assert.Equal(0x07, reply[0]);
        Assert.Equal((byte)AbortReason.UnexpectedPdu, reply[9]);
        await LoopbackTests.WaitEndedAsync(scp, 1);
        Assert.Equal(DicomNetworkErrorReason.UnexpectedPdu, Assert.IsType<DicomNetworkException>(scp.Ended.Single()).Reason);
        await AssertStillServesAsync(scp);
    }

    [Fact]
    public async Task Pdv_OnUnknownContext_IsAborted()
    {
        await using var scp = await TestScp.StartAsync(o => o.Association = TestTimeouts.Fast());
        using var raw = await AssociateRawAsync(scp);
        await raw.SendAsync(Pdata(99, true, true, [1, 2, 3]));
        var reply = await raw.ReadToCloseAsync(CloseWithin);
        Assert.Equal(0x07, reply[0]);
        await AssertStillServesAsync(scp);
    }

    [Fact]
    public async Task Garbage_CommandSet_IsAborted()
    {
        await using var scp = await TestScp.StartAsync(o => o.Association = TestTimeouts.Fast());
        using var raw = await AssociateRawAsync(scp);
        await raw.SendAsync(Pdata(1, true, true, [0x08, 0, 0x10, 0, 0xFF, 0xFF, 0, 0, 1]));
        var reply = await raw.ReadToCloseAsync(CloseWithin);
        Assert.Equal(0x07, reply[0]);
        await LoopbackTests.WaitEndedAsync(scp, 1);
        Assert.Equal(DicomNetworkErrorReason.DimseProtocolError, Assert.IsType<DicomNetworkException>(scp.Ended.Single()).Reason);
    }

    [Theory]
    [InlineData("disconnect")]
    [InlineData("abort")]
    [InlineData("silence")]
    public async Task Interrupted_Store_LeavesNoPartialFile(string how)
    {
        await using var scp = await TestScp.StartAsync(o => o.Association = TestTimeouts.Fast());
        using (var raw = await AssociateRawAsync(scp))
        {
            var rq = DimseMessage.CreateRequest(DimseCommandField.CStoreRequest, 1, DicomUid.SecondaryCaptureImageStorage.Value, "1.2.3.4.5", new DicomDataset());
            await raw.SendAsync(Pdata(3, true, true, rq.EncodeCommand()));
            var partial = new byte[1000];
            await raw.SendAsync(Pdata(3, false, false, [0x08, 0, 0x16, 0, 0x1A, 0, 0, 0, .. "1.2.840.10008.5.1.4.1.1.7"u8.ToArray(), 0]));
            await raw.SendAsync(Pdata(3, false, false, partial));
            for (int i = 0; i < 50 && scp.TempFiles().Length == 0; i++) await Task.Delay(20);
            Assert.Single(scp.TempFiles()); // being received
            if (how == "abort") await raw.SendAsync(PduCodec.Encode(new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified)));
            if (how != "silence") raw.Dispose();
            await LoopbackTests.WaitEndedAsync(scp, 1);
            if (how == "silence")
            {
                for (int i = 0; i < 400 && scp.Ended.Count == 0; i++) await Task.Delay(25); // idle timeout (5 s)
            }
        }
        Assert.NotEmpty(scp.Ended);
        Assert.IsAssignableFrom<DicomNetworkException>(scp.Ended[0]);
        Assert.Empty(scp.TempFiles());
        Assert.Empty(scp.StoredFiles());
        await AssertStillServesAsync(scp);
    }

    private sealed class SlowStorage(DicomFileStore inner) : IDicomStorageHandler
    {
        public ValueTask<Stream> OpenDatasetStreamAsync(DicomAssociation association, DimseMessage request) => inner.OpenDatasetStreamAsync(association, request);

        public async Task<DicomStatus> OnStoreAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
            return await inner.OnStoreAsync(association, request, cancellationToken);
        }
    }

    [Fact]
    public async Task Abort_WithCompleteStoresQueued_LeavesNoFile()
    {
        await using var scp = await TestScp.StartAsync(o => o.Association = TestTimeouts.Fast());
        scp.Server.Storage = new SlowStorage(scp.Store);
        using (var raw = await AssociateRawAsync(scp))
        {
            for (ushort id = 1; id <= 3; id++)
            {
                string uid = "1.2.3.4." + id;
                var ds = new DicomDataset().AddOrUpdate(DicomTag.SOPClassUID, DicomUid.SecondaryCaptureImageStorage.Value).AddOrUpdate(DicomTag.SOPInstanceUID, uid);
                var ms = new MemoryStream();
                new Dicom.Typed.IO.DicomDatasetWriter(ms, DicomTransferSyntax.ImplicitVRLittleEndian).Write(ds);
                var rq = DimseMessage.CreateRequest(DimseCommandField.CStoreRequest, id, DicomUid.SecondaryCaptureImageStorage.Value, uid, ds);
                await raw.SendAsync(Pdata(3, true, true, rq.EncodeCommand()));
                await raw.SendAsync(Pdata(3, false, true, ms.ToArray()));
            }
            for (int i = 0; i < 100 && scp.TempFiles().Length < 3; i++) await Task.Delay(20);
            Assert.Equal(3, scp.TempFiles().Length); // one being handled, two queued
            await raw.SendAsync(PduCodec.Encode(new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified)));
            await raw.ReadToCloseAsync(CloseWithin);
        }
        await LoopbackTests.WaitEndedAsync(scp, 1);
        for (int i = 0; i < 100 && scp.TempFiles().Length > 0; i++) await Task.Delay(20);
        Assert.Empty(scp.TempFiles());
        Assert.Empty(scp.StoredFiles());
    }

    [Fact]
    public async Task Store_OfUnparseableDataset_IsRefused_AndLeavesNoFile()
    {
        await using var scp = await TestScp.StartAsync(o => o.Association = TestTimeouts.Fast());
        using var raw = await AssociateRawAsync(scp);
        var rq = DimseMessage.CreateRequest(DimseCommandField.CStoreRequest, 1, DicomUid.SecondaryCaptureImageStorage.Value, "1.2.3.4.5", new DicomDataset());
        await raw.SendAsync(Pdata(3, true, true, rq.EncodeCommand()));
        await raw.SendAsync(Pdata(3, false, true, [0x08, 0, 0x18, 0, 0xFF, 0xFF, 0, 0, 1, 2]));
        var header = new byte[6];
        await raw.Stream.ReadExactlyAsync(header);
        Assert.Equal(0x04, header[0]);
        var body = new byte[BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2))];
        await raw.Stream.ReadExactlyAsync(body);
        var rsp = DimseMessage.DecodeCommand(body.AsMemory(6));
        Assert.Equal(DimseCommandField.CStoreResponse, rsp.CommandField);
        Assert.Equal(DicomStatusCategory.Failure, rsp.Status.Category);
        Assert.Empty(scp.StoredFiles());
        Assert.Empty(scp.TempFiles());
    }

    /// <summary>A fake SCP that accepts TCP connections and then behaves badly.</summary>
    private sealed class FakeScp : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> _accepted = [];
        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public FakeScp(Func<NetworkStream, Task> behaviour)
        {
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (true)
                {
                    Socket s;
                    try { s = await _listener.AcceptSocketAsync(); } catch (Exception) { return; }
                    s.NoDelay = true;
                    lock (_accepted) _accepted.Add(s);
                    _ = Task.Run(async () => { try { await behaviour(new NetworkStream(s)); } catch (Exception) { } });
                }
            });
        }

        public void Dispose()
        {
            _listener.Stop();
            lock (_accepted) foreach (var s in _accepted) s.Dispose();
        }
    }

    private static DicomClientOptions Client(int port) => new()
    {
        Host = "127.0.0.1", Port = port, CalledAE = "FAKE", Association = TestTimeouts.Fast(), ConnectTimeout = TimeSpan.FromSeconds(2),
    };

    [Fact]
    public async Task Scp_ThatNeverAnswersTheAssociateRequest_TimesOut()
    {
        using var fake = new FakeScp(async s => await Task.Delay(Timeout.Infinite));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var e = await Assert.ThrowsAnyAsync<DicomNetworkException>(() => new DicomVerificationScu(Client(fake.Port)).EchoAsync());
        Assert.Equal(DicomNetworkErrorReason.Timeout, e.Reason);
        Assert.InRange(sw.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Scp_ThatStopsAnsweringAfterAssociation_TimesOut()
    {
        using var fake = new FakeScp(async s =>
        {
            var rq = await RawPdu.ReadAsync(s);
            await s.WriteAsync(RawPdu.AcceptAll(rq));
            await Task.Delay(Timeout.Infinite);
        });
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var e = await Assert.ThrowsAnyAsync<DicomNetworkException>(() => new DicomVerificationScu(Client(fake.Port)).EchoAsync());
        Assert.Equal(DicomNetworkErrorReason.Timeout, e.Reason);
        Assert.Contains("no response to CEchoRequest", e.Message); // the DIMSE timeout (watchdog), not the transport closing
        Assert.InRange(sw.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(12));
    }

    [Fact]
    public async Task Scp_ThatAbortsDuringTheOperation_GivesAssociationException()
    {
        using var fake = new FakeScp(async s =>
        {
            var rq = await RawPdu.ReadAsync(s);
            await s.WriteAsync(RawPdu.AcceptAll(rq));
            await RawPdu.ReadAsync(s);
            await s.WriteAsync(PduCodec.Encode(new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified)));
        });
        var e = await Assert.ThrowsAsync<DicomAssociationException>(() => new DicomVerificationScu(Client(fake.Port)).EchoAsync());
        Assert.NotNull(e.Abort);
    }

    [Fact]
    public async Task Scp_ThatSendsGarbage_GivesMalformedPdu()
    {
        using var fake = new FakeScp(async s =>
        {
            await RawPdu.ReadAsync(s);
            await s.WriteAsync(new byte[] { 0x02, 0, 0, 0, 0, 3, 1, 2, 3 });
            await Task.Delay(5000);
        });
        var e = await Assert.ThrowsAnyAsync<DicomNetworkException>(() => new DicomVerificationScu(Client(fake.Port)).EchoAsync());
        Assert.Equal(DicomNetworkErrorReason.MalformedPdu, e.Reason);
    }

    [Fact]
    public async Task Scp_ThatClosesImmediately_GivesConnectionClosed()
    {
        using var fake = new FakeScp(s => { s.Socket.Close(); return Task.CompletedTask; });
        var e = await Assert.ThrowsAnyAsync<DicomNetworkException>(() => new DicomVerificationScu(Client(fake.Port)).EchoAsync());
        Assert.Equal(DicomNetworkErrorReason.ConnectionClosed, e.Reason);
    }

    [Fact]
    public async Task NoListener_GivesConnectionFailed()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        var e = await Assert.ThrowsAnyAsync<DicomNetworkException>(() => new DicomVerificationScu(Client(port)).EchoAsync());
        Assert.Equal(DicomNetworkErrorReason.ConnectionFailed, e.Reason);
    }

    [Fact]
    public async Task ReleaseCollision_IsResolved()
    {
        // The fake SCP answers our A-RELEASE-RQ with its own A-RELEASE-RQ first (collision), then A-RELEASE-RP after ours.
        using var fake = new FakeScp(async s =>
        {
            var rq = await RawPdu.ReadAsync(s);
            await s.WriteAsync(RawPdu.AcceptAll(rq));
            var rel = await RawPdu.ReadAsync(s);
            Assert.Equal(0x05, rel[0]);
            await s.WriteAsync(PduCodec.Encode(new ReleaseRequestPdu()));
            var rp = await RawPdu.ReadAsync(s); // requestor sends A-RELEASE-RP first (Sta9 -> Sta11)
            if (rp[0] == 0x06) await s.WriteAsync(PduCodec.Encode(new ReleaseResponsePdu()));
            await Task.Delay(500);
        });
        var a = await DicomClient.ConnectAsync(Client(fake.Port), [new PresentationContext(1, DicomUid.Verification.Value, "1.2.840.10008.1.2")]);
        await a.ReleaseAsync();
        Assert.Equal(AssociationState.Idle, a.State);
        Assert.Null(await a.Completion);
        await a.DisposeAsync();
    }

    [Fact]
    public async Task Server_StopsGracefully_AbortingIdleAssociations()
    {
        var scp = await TestScp.StartAsync(o => o.Association = TestTimeouts.Fast());
        var a = await DicomClient.ConnectAsync(scp.Client(), [new PresentationContext(1, DicomUid.Verification.Value, "1.2.840.10008.1.2")]);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        await scp.Server.StopAsync(TimeSpan.FromMilliseconds(300));
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(4));
        var fault = await a.Completion.WaitAsync(TimeSpan.FromSeconds(3));
        Assert.IsType<DicomAssociationException>(fault);
        await a.DisposeAsync();
        await scp.DisposeAsync();
    }
}
