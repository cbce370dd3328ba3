using Dicom.Typed.Network;

namespace Dicom.Typed.Network.Tests;

/// <summary>Asynchronous operations window (PS3.7 D.3.3.3): negotiation and real use by the storage SCU and the SCP.</summary>
public class AsyncWindowTests
{
    /// <summary>Holds each C-STORE until <c>gate</c> requests are being handled at the same time (or 10 s passed: failure status),
    /// so a window smaller than <c>gate</c> cannot pass.</summary>
    private sealed class GateStorage(DicomFileStore inner, int gate) : IDicomStorageHandler
    {
        private readonly Lock _lock = new();
        private TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _waiting, _concurrent;
        public int MaxConcurrent { get; private set; }
        public int GatesOpened { get; private set; }

        public ValueTask<Stream> OpenDatasetStreamAsync(DicomAssociation association, DimseMessage request) => inner.OpenDatasetStreamAsync(association, request);

        public async Task<DicomStatus> OnStoreAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
        {
            Task wait;
            lock (_lock)
            {
                _concurrent++;
                MaxConcurrent = Math.Max(MaxConcurrent, _concurrent);
                wait = _open.Task;
                if (++_waiting == gate)
                {
                    _waiting = 0;
                    GatesOpened++;
                    _open.SetResult();
                    _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
            try
            {
                await wait.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }
            catch (TimeoutException)
            {
                return DicomStatus.OutOfResources; // not enough requests outstanding
            }
            finally
            {
                lock (_lock) _concurrent--;
            }
            return await inner.OnStoreAsync(association, request, cancellationToken);
        }
    }

    private static async Task<(DicomServer Server, string Dir, List<DicomAssociation> Accepted)> StartAsync(int performed, Func<DicomFileStore, IDicomStorageHandler> storage)
    {
        var dir = Path.Combine(Path.GetTempPath(), "dtwin-" + Guid.NewGuid().ToString("N")[..8]);
        var options = new DicomServerOptions { Connection = { Hostname = "127.0.0.1", Port = 0 }, Association = TestTimeouts.Short() };
        options.Association.MaxOperationsPerformed = performed;
        options.ApplicationEntities.Add(new DicomApplicationEntity(TestScp.AE, DicomTransferCapability.Verification().Concat(DicomTransferCapability.Storage())));
        var server = new DicomServer(options) { Storage = storage(new DicomFileStore(dir)) };
        var accepted = new List<DicomAssociation>();
        server.AssociationEnded += (a, _) => { if (a != null) lock (accepted) accepted.Add(a); };
        await server.StartAsync();
        return (server, dir, accepted);
    }

    private static DicomClientOptions Client(int port, int invoked)
    {
        var o = new DicomClientOptions { Host = "127.0.0.1", Port = port, CallingAE = "TESTSCU", CalledAE = TestScp.AE, Association = TestTimeouts.Short() };
        o.Association.MaxOperationsInvoked = invoked;
        return o;
    }

    private static List<DicomInstanceHeader> Files(string dir, int n)
    {
        var study = DicomUid.GenerateValue();
        return Enumerable.Range(0, n).Select(i => DicomInstanceHeader.Read(TestData.Generate(dir, "WIN" + i, study))).ToList();
    }

    [Fact]
    public async Task Window_IsNegotiated_AsTheSmallerOfBothSides()
    {
        var (server, dir, accepted) = await StartAsync(performed: 4, f => f);
        try
        {
            await using var a = await DicomClient.ConnectAsync(Client(server.Port, 8), [new PresentationContext(1, DicomUid.Verification.Value, DicomStorageOperations.UncompressedTransferSyntaxes)]);
            Assert.Equal((ushort)8, a.Request.MaxOperationsInvoked);
            Assert.Equal((ushort)4, a.Accept.MaxOperationsInvoked);
            Assert.Equal(4, a.InvokeWindow);
            Assert.Equal(1, a.PerformWindow); // we proposed performing 1, the SCP then invokes one at a time
            await a.ReleaseAsync();
            await WaitForAsync(() => accepted.Count == 1);
            Assert.Equal(4, accepted[0].PerformWindow);
            Assert.Equal(1, accepted[0].InvokeWindow);

            // Not proposed: no sub-item in the AC, window 1 on both sides.
            await using var b = await DicomClient.ConnectAsync(Client(server.Port, 1), [new PresentationContext(1, DicomUid.Verification.Value, DicomStorageOperations.UncompressedTransferSyntaxes)]);
            Assert.Null(b.Request.MaxOperationsInvoked);
            Assert.Null(b.Accept.MaxOperationsInvoked);
            Assert.Equal(1, b.InvokeWindow);
        }
        finally
        {
            await server.StopAsync(TimeSpan.FromSeconds(2));
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task StorageScu_KeepsSeveralStoresOutstanding_AndScpPerformsThemConcurrently()
    {
        GateStorage? gate = null;
        var (server, dir, _) = await StartAsync(performed: 4, f => gate = new GateStorage(f, 4));
        var data = Path.Combine(dir, "src");
        try
        {
            var files = Files(data, 12);
            await using var a = await DicomClient.ConnectAsync(Client(server.Port, 4), DicomStorageOperations.BuildContexts(files.Select(h => (h.SopClassUid, h.TransferSyntax))));
            Assert.Equal(4, a.InvokeWindow);
            var results = await DicomStorageScu.StoreAsync(a, files);
            await a.ReleaseAsync();
            // Each C-STORE was held until 4 were in the SCP at once: possible only with 4 outstanding requests.
            Assert.All(results, r => Assert.Equal(DicomStatus.Success, r.Status));
            Assert.Equal(files.Select(f => f.SopInstanceUid), results.Select(r => r.SopInstanceUid)); // results in input order
            Assert.Equal(3, gate!.GatesOpened);
            Assert.Equal(4, gate.MaxConcurrent);
            Assert.Equal(4, a.PeakOutstandingRequests);
            Assert.Equal(12, Directory.GetFiles(dir, "*.dcm").Length);
        }
        finally
        {
            await server.StopAsync(TimeSpan.FromSeconds(2));
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task ScpGrantingOne_MakesTheScuSynchronous()
    {
        GateStorage? gate = null;
        var (server, dir, _) = await StartAsync(performed: 1, f => gate = new GateStorage(f, 1));
        var data = Path.Combine(dir, "src");
        try
        {
            var files = Files(data, 6);
            await using var a = await DicomClient.ConnectAsync(Client(server.Port, 8), DicomStorageOperations.BuildContexts(files.Select(h => (h.SopClassUid, h.TransferSyntax))));
            Assert.Equal((ushort)1, a.Accept.MaxOperationsInvoked);
            Assert.Equal(1, a.InvokeWindow);
            var results = await DicomStorageScu.StoreAsync(a, files);
            await a.ReleaseAsync();
            Assert.All(results, r => Assert.Equal(DicomStatus.Success, r.Status));
            Assert.Equal(1, a.PeakOutstandingRequests);
            Assert.Equal(1, gate!.MaxConcurrent);
        }
        finally
        {
            await server.StopAsync(TimeSpan.FromSeconds(2));
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task StorageScu_WithWindow_ThroughTheClientApi_StoresEverything()
    {
        var (server, dir, _) = await StartAsync(performed: 0, f => f); // unlimited on the SCP side
        var data = Path.Combine(dir, "src");
        try
        {
            var files = Files(data, 40);
            int reports = 0;
            var results = await new DicomStorageScu(Client(server.Port, 16)).StoreAsync(files.Select(f => f.Path), new SyncProgress<DicomStoreProgress>(_ => Interlocked.Increment(ref reports)));
            Assert.All(results, r => Assert.Equal(DicomStatus.Success, r.Status));
            Assert.Equal(40, reports);
            foreach (var h in files)
            {
                var got = Directory.GetFiles(dir, "*.dcm").Select(p => DicomFile.Open(p)).Single(f => f.Dataset.GetString(DicomTag.SOPInstanceUID) == h.SopInstanceUid);
                Assert.Empty(DicomDatasetComparer.Differences(DicomFile.Open(h.Path).Dataset, got.Dataset));
            }
        }
        finally
        {
            await server.StopAsync(TimeSpan.FromSeconds(2));
            Directory.Delete(dir, true);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++) await Task.Delay(25);
        Assert.True(condition());
    }
}
