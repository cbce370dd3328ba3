using Dicom.Typed.Network;
using Dicom.Typed.Network.Tests;
using static Dicom.Typed.Interop.TestEnvironment;

namespace Dicom.Typed.Interop;

/// <summary>dcmjs-dimse as Storage Commitment SCU of our SCP with a pending folder: after the report was delivered and the
/// service restarted on the same folder, dcmjs-dimse's N-ACTION reusing the Transaction UID for another instance is refused
/// (the journal of delivered UIDs), and its identical retransmission is accepted and reported again.</summary>
public class DcmjsCommitmentJournalRestartTests
{
    [Fact]
    public async Task DcmjsScu_AfterOurScpRestarted_DeliveredUidForOtherInstanceRefused_RetransmissionReportedAgain()
    {
        var pending = TempDir("cmtjournal");
        try
        {
            await using var listener = new DicomStorageCommitmentListener("DCMJSCMT", association: TestTimeouts.Short());
            await listener.StartAsync();
            var reports = new List<DicomStorageCommitmentResult>();
            listener.ReportReceived += r => { lock (reports) reports.Add(r); };
            await using var scp = await TestScp.StartAsync(o => o.ApplicationEntities[0].TransferCapabilities.AddRange(DicomServiceCapabilities.StorageCommitment()));
            var src = TempDir("cmtjournal-src");
            string instance;
            try
            {
                var stored = await new DicomStorageScu(scp.Client()).StoreAsync([TestData.Generate(src, "CMTJ", DicomUid.GenerateValue())]);
                instance = Assert.Single(stored, r => r.Status.IsSuccess).SopInstanceUid;
            }
            finally
            {
                Directory.Delete(src, true);
            }
            DicomStorageCommitmentService Service() // a new service on the pending folder, added to the SCP (what a restart does)
            {
                var options = new DicomStorageCommitmentServiceOptions
                {
                    ReplyMode = DicomCommitmentReportMode.NewAssociation, PendingReportsDirectory = pending, OutgoingAssociation = TestTimeouts.Short(),
                };
                options.RemoteApplicationEntities.Add(new DicomRemoteApplicationEntity("DCMJSCMT", "127.0.0.1", listener.Port));
                return scp.AddStorageCommitment(options);
            }
            string tx = DicomUid.GenerateValue(), cls = DicomUid.SecondaryCaptureImageStorage.Value;

            var first = Service();
            var r1 = DcmjsDuplicateTransactionTests.Action(scp.Port, tx, cls, instance);
            Assert.True(r1.ExitCode == 0 && r1.StdOut.Contains("status 0x0 "), Describe(r1));
            Assert.True((await listener.WaitForReportAsync(tx, TimeSpan.FromSeconds(30))).AllCommitted);
            await first.WhenIdleAsync();
            Assert.Empty(Directory.GetFiles(pending, "*.stcmt.json"));

            // Restart: a new service on the same folder.
            scp.Server.NormalServices.Remove(first);
            await first.DisposeAsync();
            await using var second = Service();

            var other = DcmjsDuplicateTransactionTests.Action(scp.Port, tx, cls, DicomUid.GenerateValue());
            Assert.True(other.StdOut.Contains("status 0x110 "), Describe(other));
            Assert.Contains("duplicate Transaction UID (0131H)", other.StdOut);

            var again = DcmjsDuplicateTransactionTests.Action(scp.Port, tx, cls, instance);
            Assert.True(again.ExitCode == 0 && again.StdOut.Contains("status 0x0 "), Describe(again));
            // The report goes out in the background once the N-ACTION-RSP was sent; ReportReceived fires before the listener answers.
            for (int i = 0; i < 300 && reports.Count < 2; i++) await Task.Delay(100);
            await second.WhenIdleAsync();
            lock (reports)
            {
                Assert.Equal(2, reports.Count);
                Assert.All(reports, r => Assert.Equal([new DicomSopReference(cls, instance)], r.Committed));
            }
        }
        finally
        {
            if (Directory.Exists(pending)) Directory.Delete(pending, true);
        }
    }
}
