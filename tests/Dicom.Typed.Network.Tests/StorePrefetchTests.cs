using Dicom.Typed.Network;

namespace Dicom.Typed.Network.Tests;

/// <summary>One-at-a-time C-STORE (no asynchronous operations window) reads the next small file while the peer works on the
/// current request: the results must still be per file, in order, with read failures reported without ending the run.</summary>
public class StorePrefetchTests
{
    [Fact]
    public async Task SequentialStore_ReadsAhead_ButReportsEachFileInOrder_AndSurvivesAFileCorruptedAfterItsHeaderWasRead()
    {
        await using var scp = await TestScp.StartAsync();
        var src = Path.Combine(scp.Directory, "..", "src-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            string study = DicomUid.GenerateValue();
            var paths = new List<string>
            {
                TestData.Generate(src, "P0", study),
                TestData.Generate(src, "P1", study),           // corrupted below, after its header was read
                TestData.Generate(src, "P2", study, pixels: 64 * 8192), // 512 KiB: read while it is sent, not ahead
                TestData.Generate(src, "P3", study),
                TestData.Generate(src, "P4", study),
            };
            var headers = paths.Select(DicomInstanceHeader.Read).ToList();
            // a lying length: the Pixel Data element claims more bytes than the file holds
            var bytes = File.ReadAllBytes(paths[1]);
            File.WriteAllBytes(paths[1], bytes[..(bytes.Length - 1000)]);

            await using var a = await DicomClient.ConnectAsync(scp.Client(), DicomStorageOperations.BuildContexts(headers.Select(h => (h.SopClassUid, h.TransferSyntax))));
            Assert.Equal(1, a.InvokeWindow);
            var reports = new List<DicomStoreProgress>();
            var results = await DicomStorageScu.StoreAsync(a, headers, new SyncProgress<DicomStoreProgress>(reports.Add));
            await a.ReleaseAsync();

            Assert.Equal(headers.Select(h => h.SopInstanceUid), results.Select(r => r.SopInstanceUid));
            Assert.Equal([DicomStatus.Success, DicomStatus.ProcessingFailure, DicomStatus.Success, DicomStatus.Success, DicomStatus.Success],
                results.Select(r => r.Status));
            Assert.StartsWith("cannot read", results[1].Error);
            Assert.Equal([1, 2, 3, 4, 5], reports.Select(r => r.Completed));
            Assert.Equal(headers.Select(h => h.Path), reports.Select(r => r.Last.Path));
            // what was sent arrived whole; the unreadable file was never sent
            var stored = scp.StoredFiles().Select(f => DicomFile.Open(f).Dataset.GetString(DicomTag.SOPInstanceUID)).Order().ToList();
            Assert.Equal(new[] { 0, 2, 3, 4 }.Select(i => headers[i].SopInstanceUid).Order(), stored);
            var big = DicomFile.Open(Path.Combine(scp.Directory, headers[2].SopInstanceUid + ".dcm"));
            Assert.Equal(64 * 8192, big.Dataset.GetElement(DicomTag.PixelData)!.Bytes.Length);
            Assert.Empty(scp.TempFiles());
        }
        finally
        {
            if (Directory.Exists(src)) Directory.Delete(src, true);
        }
    }
}
