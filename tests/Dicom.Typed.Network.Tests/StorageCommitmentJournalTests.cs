using Dicom.Typed.Network;

namespace Dicom.Typed.Network.Tests;

/// <summary>Storage commitment SCP: the journal of delivered Transaction UIDs in the pending folder (duplicate detection
/// across a restart, torn tail, bound) and the directory flush of the durable file helper.</summary>
public class StorageCommitmentJournalTests
{
    private const string JournalName = "delivered.stcmt.log";

    private static DicomStorageCommitmentServiceOptions Options(string dir, int remembered = 10_000, ListLoggerFactory? log = null) => new()
    {
        ReplyMode = DicomCommitmentReportMode.SameAssociation, RetrieveAETitle = TestScp.AE, OutgoingAssociation = TestTimeouts.Short(),
        PendingReportsDirectory = dir, RememberedTransactions = remembered, LoggerFactory = log,
    };

    /// <summary>Replaces the service of <paramref name="scp"/> by a new one on the same folder (what a process restart does).</summary>
    private static async Task<DicomStorageCommitmentService> RestartAsync(TestScp scp, DicomStorageCommitmentService old, DicomStorageCommitmentServiceOptions options)
    {
        scp.Server.NormalServices.Remove(old);
        await old.DisposeAsync();
        return scp.AddStorageCommitment(options);
    }

    private static string TempDir() => Path.Combine(Path.GetTempPath(), "dtstcmtj-" + Guid.NewGuid().ToString("N")[..8]);

    private static string[] JournalLines(string dir) => File.ReadAllText(Path.Combine(dir, JournalName)).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task DeliveredTransactionUid_SurvivesARestart_OtherInstancesRefused_RetransmissionReportedAgain()
    {
        var dir = TempDir();
        try
        {
            var (scp, stored) = await TestScp.StartWithCommittableInstancesAsync();
            await using var _s = scp;
            var service = scp.AddStorageCommitment(Options(dir));
            var scu = new DicomStorageCommitmentScu(scp.Client()) { ReportTimeout = TimeSpan.FromSeconds(20) };
            string tx = DicomUid.GenerateValue();
            Assert.True((await scu.CommitAsync([stored[0]], tx)).AllCommitted);
            await service.WhenIdleAsync();
            Assert.Empty(Directory.GetFiles(dir, "*.stcmt.json"));
            var line = Assert.Single(JournalLines(dir));
            Assert.Contains(tx, line);
            Assert.Contains("TESTSCU", line);

            service = await RestartAsync(scp, service, Options(dir));
            Assert.Empty(service.PendingTransactions);

            // The delivered UID for other instances, after the restart: refused like before it.
            var e = await Assert.ThrowsAsync<DicomServiceException>(() => scu.CommitAsync([stored[1]], tx));
            Assert.Equal(DicomStatus.ProcessingFailure, e.Status);
            Assert.Contains("0131H", e.Message);
            // Same instances from another AE: refused too.
            var other = scp.Client();
            other.CallingAE = "OTHERSCU";
            var e2 = await Assert.ThrowsAsync<DicomServiceException>(() =>
                new DicomStorageCommitmentScu(other) { ReportTimeout = TimeSpan.FromSeconds(20) }.CommitAsync([stored[0]], tx));
            Assert.Contains("0131H", e2.Message);
            // The identical request (same AE, same instances): a retransmission, evaluated and reported again.
            var again = await scu.CommitAsync([stored[0]], tx);
            Assert.Equal([stored[0]], again.Committed);
            await service.WhenIdleAsync();
            Assert.Empty(service.PendingTransactions);
            Assert.Equal(2, JournalLines(dir).Count(l => l.Contains(tx)));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Journal_TruncatedLastLineAndGarbage_AreReportedAndSkipped_ValidEntriesStillCount()
    {
        var dir = TempDir();
        try
        {
            var (scp, stored) = await TestScp.StartWithCommittableInstancesAsync();
            await using var _s = scp;
            var service = scp.AddStorageCommitment(Options(dir));
            var scu = new DicomStorageCommitmentScu(scp.Client()) { ReportTimeout = TimeSpan.FromSeconds(20) };
            string tx1 = DicomUid.GenerateValue(), tx2 = DicomUid.GenerateValue();
            Assert.True((await scu.CommitAsync([stored[0]], tx1)).AllCommitted);
            Assert.True((await scu.CommitAsync([stored[1]], tx2)).AllCommitted);
            await service.WhenIdleAsync();
            var journal = Path.Combine(dir, JournalName);
            var lines = JournalLines(dir);
            Assert.Equal(2, lines.Length);
            // A crash in the middle of the second append: its line is cut; a garbage line before it.
            File.WriteAllText(journal, lines[0] + "\n" + "not a journal line\n" + lines[1][..(lines[1].Length / 2)]);

            var log = new ListLoggerFactory();
            service = await RestartAsync(scp, service, Options(dir, log: log));
            var warnings = log.Lines.Where(l => l.Contains(JournalName)).ToList();
            Assert.Contains(warnings, w => w.Contains("line 2") && w.Contains("Warning"));
            Assert.Contains(warnings, w => w.Contains("line 3") && w.Contains("truncated"));

            // tx1 (intact line) is still known; tx2 (cut line) is not: it counts as new, so other instances are accepted.
            var e = await Assert.ThrowsAsync<DicomServiceException>(() => scu.CommitAsync([stored[1]], tx1));
            Assert.Contains("0131H", e.Message);
            Assert.True((await scu.CommitAsync([stored[0]], tx2)).AllCommitted);
            await service.WhenIdleAsync();

            // The journal was rewritten without the bad lines, and the next append starts on a line of its own.
            var after = File.ReadAllText(journal);
            Assert.EndsWith("\n", after);
            Assert.DoesNotContain("not a journal line", after);
            var kept = JournalLines(dir);
            Assert.Equal(2, kept.Length);
            Assert.Contains(tx1, kept[0]);
            Assert.Contains(tx2, kept[1]);
            Assert.Equal(kept[0].Split('\t').Length, kept[1].Split('\t').Length);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Journal_IsCompactedToTheNewestRememberedTransactions()
    {
        var dir = TempDir();
        try
        {
            const int remembered = 3;
            var (scp, stored) = await TestScp.StartWithCommittableInstancesAsync();
            await using var _s = scp;
            var service = scp.AddStorageCommitment(Options(dir, remembered));
            var scu = new DicomStorageCommitmentScu(scp.Client()) { ReportTimeout = TimeSpan.FromSeconds(20) };
            var txs = Enumerable.Range(0, 8).Select(_ => DicomUid.GenerateValue()).ToList();
            int longest = 0;
            foreach (var tx in txs)
            {
                Assert.True((await scu.CommitAsync([stored[0]], tx)).AllCommitted);
                await service.WhenIdleAsync();
                longest = Math.Max(longest, JournalLines(dir).Length);
            }
            // Never more than twice the bound on disk; the newest are there.
            Assert.InRange(longest, remembered + 1, 2 * remembered);
            var lines = JournalLines(dir);
            Assert.InRange(lines.Length, remembered, 2 * remembered);
            Assert.Contains(txs[^1], lines[^1]);

            service = await RestartAsync(scp, service, Options(dir, remembered));
            // After the restart, the oldest UID is forgotten (reusable) and the newest is still taken.
            Assert.True((await scu.CommitAsync([stored[1]], txs[0])).AllCommitted);
            var e = await Assert.ThrowsAsync<DicomServiceException>(() => scu.CommitAsync([stored[1]], txs[^1]));
            Assert.Contains("0131H", e.Message);
            await service.WhenIdleAsync();
            Assert.InRange(JournalLines(dir).Length, 1, 2 * remembered);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task RetransmittedUid_IsForgottenOnlyWhenItsNewestReportIs_BeforeAndAfterARestart()
    {
        var dir = TempDir();
        try
        {
            var (scp, stored) = await TestScp.StartWithCommittableInstancesAsync();
            await using var _s = scp;
            var service = scp.AddStorageCommitment(Options(dir, remembered: 2));
            var scu = new DicomStorageCommitmentScu(scp.Client()) { ReportTimeout = TimeSpan.FromSeconds(20) };
            string a = DicomUid.GenerateValue(), b = DicomUid.GenerateValue();
            Assert.True((await scu.CommitAsync([stored[0]], a)).AllCommitted);
            Assert.True((await scu.CommitAsync([stored[0]], a)).AllCommitted); // retransmission: A reported twice
            Assert.True((await scu.CommitAsync([stored[0]], b)).AllCommitted);
            // Remembered: the 2 newest reports are A (2nd) and B, so A is still taken.
            var e = await Assert.ThrowsAsync<DicomServiceException>(() => scu.CommitAsync([stored[1]], a));
            Assert.Contains("0131H", e.Message);

            service = await RestartAsync(scp, service, Options(dir, remembered: 2));
            var e2 = await Assert.ThrowsAsync<DicomServiceException>(() => scu.CommitAsync([stored[1]], a));
            Assert.Contains("0131H", e2.Message);
            var e3 = await Assert.ThrowsAsync<DicomServiceException>(() => scu.CommitAsync([stored[1]], b));
            Assert.Contains("0131H", e3.Message);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task FileStore_FlushToDisk_StoresDurably_AndCommitmentReportsTheInstances()
    {
        await using var scp = await TestScp.StartAsync(o => o.ApplicationEntities[0].TransferCapabilities.AddRange(DicomServiceCapabilities.StorageCommitment()));
        scp.Store.FlushToDisk = true;
        var data = Path.Combine(scp.Directory, "..", Path.GetFileName(scp.Directory) + "-src");
        var files = new[] { TestData.Generate(data, "SC1", DicomUid.GenerateValue()), TestData.Generate(data, "SC1", DicomUid.GenerateValue()) };
        try
        {
            var stored = await new DicomStorageScu(scp.Client()).StoreAsync(files);
            Assert.All(stored, r => Assert.True(r.Status.IsSuccess));
            var uids = stored.Select(r => r.SopInstanceUid).ToList();
            // In place with the data set that was sent, no temporary file left.
            foreach (var file in files)
            {
                var sent = DicomFile.Open(file).Dataset;
                Assert.True(scp.Store.TryGetInstance(sent.GetStringOrDefault(DicomTag.SOPInstanceUID)!, out var path, out _));
                var kept = DicomFile.Open(path).Dataset;
                Assert.Equal(sent.GetStringOrDefault(DicomTag.SOPInstanceUID), kept.GetStringOrDefault(DicomTag.SOPInstanceUID));
                Assert.Equal(sent.GetStringOrDefault(DicomTag.StudyInstanceUID), kept.GetStringOrDefault(DicomTag.StudyInstanceUID));
            }
            Assert.Empty(Directory.GetFiles(Path.Combine(scp.Directory, ".incoming")));
            scp.AddStorageCommitment();
            var refs = uids.Select(u => new DicomSopReference(DicomUid.SecondaryCaptureImageStorage.Value, u)).ToList();
            var result = await new DicomStorageCommitmentScu(scp.Client()) { ReportTimeout = TimeSpan.FromSeconds(20) }.CommitAsync(refs);
            Assert.True(result.AllCommitted);
        }
        finally
        {
            Directory.Delete(data, true);
        }
    }

    [Fact]
    public void DurableFile_ReplaceAndDelete_FlushTheDirectory_AndAMissingDirectoryIsATypedError()
    {
        var dir = TempDir();
        Directory.CreateDirectory(dir);
        try
        {
            var tmp = Path.Combine(dir, "a.tmp");
            var final = Path.Combine(dir, "a.json");
            File.WriteAllText(final, "old");
            File.WriteAllText(tmp, "new");
            DurableFile.Replace(tmp, final);
            Assert.Equal("new", File.ReadAllText(final));
            Assert.False(File.Exists(tmp));
            DurableFile.Delete(final);
            Assert.False(File.Exists(final));
            DurableFile.Delete(final); // already gone: nothing to do

            if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            {
                // The directory really is opened and fsync'ed: a directory that does not exist is reported with its path.
                var missing = Path.Combine(dir, "nope");
                var e = Assert.ThrowsAny<IOException>(() => DurableFile.FlushDirectory(missing));
                Assert.Contains(missing, e.Message);
            }
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
