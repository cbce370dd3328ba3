using Dicom.Typed.Network;
using Dicom.Typed.Network.Tests;
using static Dicom.Typed.Interop.TestEnvironment;

namespace Dicom.Typed.Interop;

/// <summary>Asynchronous operations window against DCMTK storescp (11273), which does not grant one: our SCU falls back to one
/// outstanding request.</summary>
public class AsyncWindowInteropTests
{
    [Fact]
    public async Task OurScu_ProposingWindow8_ToStorescp_FallsBackToOne()
    {
        const int port = 11273;
        var work = TempDir("asyncwin");
        Peer(null, "storescp", port.ToString(), work);
        try
        {
            var data = Path.Combine(work, "data");
            var study = DicomUid.GenerateValue();
            var files = Enumerable.Range(0, 10).Select(i => DicomInstanceHeader.Read(TestData.Generate(data, "AW" + i, study))).ToList();
            var options = new DicomClientOptions { Host = "127.0.0.1", Port = port, CallingAE = "OURSCU", CalledAE = "STORESCP" };
            options.Association.MaxOperationsInvoked = 8;
            await using var a = await DicomClient.ConnectAsync(options, DicomStorageOperations.BuildContexts(files.Select(h => (h.SopClassUid, h.TransferSyntax))));
            Assert.Equal((ushort)8, a.Request.MaxOperationsInvoked);
            Assert.Null(a.Accept.MaxOperationsInvoked); // storescp answers without the sub-item
            Assert.Equal(1, a.InvokeWindow);
            var results = await DicomStorageScu.StoreAsync(a, files);
            await a.ReleaseAsync();
            Assert.All(results, r => Assert.Equal(DicomStatus.Success, r.Status));
            Assert.Equal(1, a.PeakOutstandingRequests);
            var stored = Directory.GetFiles(Path.Combine(work, $"storescp-{port}"));
            Assert.All(files, h => Assert.Contains(stored, p => p.EndsWith("." + h.SopInstanceUid, StringComparison.Ordinal)));
        }
        finally
        {
            try { Peer(null, "--stop", "storescp", port.ToString(), work); } catch (InvalidOperationException) { }
            try { Directory.Delete(work, true); } catch (IOException) { }
        }
    }
}
