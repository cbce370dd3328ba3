using System.Buffers.Binary;
using System.Net.Sockets;
using Dicom.Typed.Network;

namespace Dicom.Typed.Network.Tests;

/// <summary>An SCP on 127.0.0.1 (free port) backed by a DicomFileStore in a temporary folder.</summary>
public sealed class TestScp : IAsyncDisposable
{
    public const string AE = "TESTSCP";
    public DicomServer Server { get; }
    public DicomFileStore Store { get; }
    public string Directory { get; }
    public int Port => Server.Port;
    public List<Exception?> Ended { get; } = [];

    private TestScp(DicomServer server, DicomFileStore store, string dir)
    {
        Server = server;
        Store = store;
        Directory = dir;
        server.AssociationEnded += (_, e) => { lock (Ended) Ended.Add(e); };
    }

    public static async Task<TestScp> StartAsync(Action<DicomServerOptions>? configure = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "dtnet-" + Guid.NewGuid().ToString("N")[..8]);
        var options = new DicomServerOptions
        {
            Connection = { Hostname = "127.0.0.1", Port = 0 },
            Association = TestTimeouts.Short(),
        };
        options.ApplicationEntities.Add(new DicomApplicationEntity(AE,
            DicomTransferCapability.Verification().Concat(DicomTransferCapability.Storage()).Concat(DicomTransferCapability.QueryRetrieve())));
        configure?.Invoke(options);
        var store = new DicomFileStore(dir);
        var server = new DicomServer(options) { Storage = store, Query = store, Retrieve = store };
        await server.StartAsync();
        return new TestScp(server, store, dir);
    }

    /// <summary>An SCP that also accepts Storage Commitment, holding two stored Secondary Capture instances (their references).</summary>
    public static async Task<(TestScp Scp, List<DicomSopReference> Stored)> StartWithCommittableInstancesAsync()
    {
        var scp = await StartAsync(o => o.ApplicationEntities[0].TransferCapabilities.AddRange(DicomServiceCapabilities.StorageCommitment()));
        var data = Path.Combine(scp.Directory, "..", Path.GetFileName(scp.Directory) + "-src");
        var files = new[] { TestData.Generate(data, "SC1", DicomUid.GenerateValue()), TestData.Generate(data, "SC1", DicomUid.GenerateValue()) };
        var stored = await new DicomStorageScu(scp.Client()).StoreAsync(files);
        Assert.All(stored, r => Assert.True(r.Status.IsSuccess));
        System.IO.Directory.Delete(data, true);
        return (scp, stored.Select(r => new DicomSopReference(DicomUid.SecondaryCaptureImageStorage.Value, r.SopInstanceUid)).ToList());
    }

    /// <summary>A storage commitment service over this SCP's stored instances (<see cref="DicomFileStoreCommitmentHandler"/>), added to
    /// its server.</summary>
    public DicomStorageCommitmentService AddStorageCommitment(DicomStorageCommitmentServiceOptions? options = null)
    {
        var service = new DicomStorageCommitmentService(new DicomFileStoreCommitmentHandler(Store), options);
        Server.NormalServices.Add(service);
        return service;
    }

    public DicomClientOptions Client(string calledAE = AE) => new()
    {
        Host = "127.0.0.1", Port = Port, CallingAE = "TESTSCU", CalledAE = calledAE, Association = TestTimeouts.Short(),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    };

    public string[] StoredFiles() => System.IO.Directory.GetFiles(Directory, "*.dcm");

    public string[] TempFiles() => System.IO.Directory.Exists(Path.Combine(Directory, ".incoming"))
        ? System.IO.Directory.GetFiles(Path.Combine(Directory, ".incoming")) : [];

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync(TimeSpan.FromSeconds(2));
        try { System.IO.Directory.Delete(Directory, true); } catch (IOException) { }
    }
}

public static class TestTimeouts
{
    /// <summary>Generous timers for tests that are not about timers (the machine may be loaded).</summary>
    public static DicomAssociationOptions Short() => new()
    {
        ArtimTimeout = TimeSpan.FromSeconds(10),
        DimseTimeout = TimeSpan.FromSeconds(20),
        IdleTimeout = TimeSpan.FromSeconds(30),
        WriteTimeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>Short timers for fault tests that wait for a timer to expire.</summary>
    public static DicomAssociationOptions Fast() => new()
    {
        ArtimTimeout = TimeSpan.FromSeconds(2),
        DimseTimeout = TimeSpan.FromSeconds(3),
        IdleTimeout = TimeSpan.FromSeconds(5),
        WriteTimeout = TimeSpan.FromSeconds(5),
    };
}

/// <summary>A storage commitment handler that never decides: it signals <see cref="Entered"/> and waits until its token is
/// cancelled (the SCP stopped), so the accepted request stays pending on disk.</summary>
public sealed class StuckCommitmentHandler : IDicomStorageCommitmentHandler
{
    public readonly TaskCompletionSource Entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<(IReadOnlyList<DicomSopReference> Committed, IReadOnlyList<DicomCommitmentFailure> Failed)> CommitAsync(string requestorAE,
        string transactionUid, IReadOnlyList<DicomSopReference> references, CancellationToken cancellationToken)
    {
        Entered.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }
}

/// <summary>A loopback port that refuses connections for as long as this lives: a socket bound to it that never listens, so
/// no other process can listen there meanwhile (a fixed "unused" port such as 1 may have a listener on some machine).</summary>
public sealed class RefusingPort : IDisposable
{
    private readonly System.Net.Sockets.Socket _socket = new(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);

    public RefusingPort() => _socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));

    public int Port => ((System.Net.IPEndPoint)_socket.LocalEndPoint!).Port;

    public void Dispose() => _socket.Dispose();
}

public static class TestData
{
    public const string PydicomFiles = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    public static string File(string name)
    {
        var p = Path.Combine(PydicomFiles, name);
        if (!System.IO.File.Exists(p)) throw new InvalidOperationException($"{p} is missing. Run ./test.sh (tests/peers/install.sh installs python3-pydicom).");
        return p;
    }

    /// <summary>A small generated Secondary Capture file.</summary>
    public static string Generate(string dir, string patientId, string studyUid, string? seriesUid = null, int pixels = 64 * 64)
    {
        System.IO.Directory.CreateDirectory(dir);
        var inst = DicomUid.GenerateValue();
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTag.SpecificCharacterSet, "ISO_IR 100")
            .AddOrUpdate(DicomTag.SOPClassUID, DicomUid.SecondaryCaptureImageStorage.Value)
            .AddOrUpdate(DicomTag.SOPInstanceUID, inst)
            .AddOrUpdate(DicomTag.StudyDate, "20240101")
            .AddOrUpdate(DicomTag.Modality, "OT")
            .AddOrUpdate(DicomTag.PatientName, "Test^" + patientId)
            .AddOrUpdate(DicomTag.PatientID, patientId)
            .AddOrUpdate(DicomTag.StudyInstanceUID, studyUid)
            .AddOrUpdate(DicomTag.SeriesInstanceUID, seriesUid ?? studyUid + ".1")
            .AddOrUpdate(DicomTag.StudyID, "S1")
            .AddOrUpdate(DicomTag.SeriesNumber, "1")
            .AddOrUpdate(DicomTag.InstanceNumber, "1")
            .AddOrUpdate<ushort>(DicomTag.Rows, 64)
            .AddOrUpdate<ushort>(DicomTag.Columns, (ushort)(pixels / 64));
        var px = new byte[pixels];
        for (int i = 0; i < px.Length; i++) px[i] = (byte)(i * 7);
        ds.AddOrUpdate(new DicomElement(DicomTag.PixelData, DicomVR.OB, DicomBuffer.FromMemory(px)));
        var path = Path.Combine(dir, inst + ".dcm");
        new DicomFile(ds, DicomTransferSyntax.ExplicitVRLittleEndian).Save(path);
        return path;
    }
}

/// <summary>A raw TCP client for fault tests.</summary>
public sealed class RawClient : IDisposable
{
    private readonly TcpClient _tcp = new() { NoDelay = true };
    public NetworkStream Stream => _tcp.GetStream();

    public static async Task<RawClient> ConnectAsync(int port)
    {
        var c = new RawClient();
        await c._tcp.ConnectAsync("127.0.0.1", port);
        return c;
    }

    public Task SendAsync(byte[] bytes) => Stream.WriteAsync(bytes).AsTask();

    /// <summary>Reads until the peer closes (or timeout); returns everything received.</summary>
    public async Task<byte[]> ReadToCloseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var ms = new MemoryStream();
        var buf = new byte[4096];
        try
        {
            int n;
            while ((n = await Stream.ReadAsync(buf, cts.Token)) > 0) ms.Write(buf, 0, n);
        }
        catch (IOException) { }
        catch (OperationCanceledException) { throw new TimeoutException("the SCP did not close the connection in time"); }
        return ms.ToArray();
    }

    public void Dispose() => _tcp.Dispose();
}

/// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

/// <summary>Raw PDU helpers for tests that play a peer on a socket.</summary>
public static class RawPdu
{
    /// <summary>Reads one whole PDU (6-byte header + body).</summary>
    public static async Task<byte[]> ReadAsync(NetworkStream s)
    {
        var h = new byte[6];
        await s.ReadExactlyAsync(h);
        var b = new byte[BinaryPrimitives.ReadUInt32BigEndian(h.AsSpan(2))];
        await s.ReadExactlyAsync(b);
        return [.. h, .. b];
    }

    /// <summary>An A-ASSOCIATE-AC accepting every proposed context with its first transfer syntax.</summary>
    public static byte[] AcceptAll(byte[] rqPdu)
    {
        var rq = ((AssociateRequestPdu)PduCodec.Decode(PduType.AssociateRequest, rqPdu[6..])).Parameters;
        var ac = new AssociationParameters { CallingAE = rq.CallingAE, CalledAE = rq.CalledAE };
        foreach (var pc in rq.PresentationContexts)
            ac.PresentationContexts.Add(new PresentationContext(pc.Id, "", pc.TransferSyntaxes) { Result = PresentationContextResult.Acceptance, AcceptedTransferSyntax = pc.TransferSyntaxes[0] });
        return PduCodec.Encode(new AssociateAcceptPdu(ac));
    }
}
