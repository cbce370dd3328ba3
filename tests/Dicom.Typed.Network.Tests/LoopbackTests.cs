using Dicom.Typed.Network;

namespace Dicom.Typed.Network.Tests;

/// <summary>Our SCUs against our SCP on 127.0.0.1.</summary>
public class LoopbackTests
{
    [Fact]
    public async Task Echo_Succeeds()
    {
        await using var scp = await TestScp.StartAsync();
        Assert.Equal(DicomStatus.Success, await new DicomVerificationScu(scp.Client()).EchoAsync());
        await WaitEndedAsync(scp, 1);
        Assert.Null(scp.Ended.Single());
    }

    [Fact]
    public async Task UnknownCalledAE_IsRejected()
    {
        await using var scp = await TestScp.StartAsync();
        var e = await Assert.ThrowsAsync<DicomAssociationException>(() => new DicomVerificationScu(scp.Client("NOBODY")).EchoAsync());
        Assert.Equal(AssociateRejectPdu.ReasonCalledAENotRecognized, e.Reject!.Reason);
    }

    [Fact]
    public async Task UserIdentity_IsValidated()
    {
        await using var scp = await TestScp.StartAsync(o => o.UserIdentityValidator = id => System.Text.Encoding.UTF8.GetString(id.PrimaryField) == "good");
        var ok = scp.Client();
        ok.UserIdentity = UserIdentity.FromUsername("good", "pw", true);
        Assert.Equal(DicomStatus.Success, await new DicomVerificationScu(ok).EchoAsync());
        var bad = scp.Client();
        bad.UserIdentity = UserIdentity.FromUsername("bad");
        await Assert.ThrowsAsync<DicomAssociationException>(() => new DicomVerificationScu(bad).EchoAsync());
    }

    [Fact]
    public async Task Store_ManyFiles_OnOneAssociation_WithProgress_AndConversion()
    {
        await using var scp = await TestScp.StartAsync();
        var files = new[] { TestData.File("CT_small.dcm"), TestData.File("rtplan.dcm"), TestData.File("JPEG2000.dcm"),
            TestData.File("MR_small_bigendian.dcm"), TestData.File("image_dfl.dcm") };
        var reports = new List<DicomStoreProgress>();
        var results = await new DicomStorageScu(scp.Client()).StoreAsync(files, new SyncProgress<DicomStoreProgress>(reports.Add));
        Assert.All(results, r => Assert.Equal(DicomStatus.Success, r.Status));
        Assert.Equal(files.Length, reports.Count);
        Assert.Equal(files.Select(f => DicomFile.Open(f).Dataset.GetString(DicomTag.SOPInstanceUID)).Distinct().Count(), scp.StoredFiles().Length);
        Assert.Empty(scp.TempFiles());
        foreach (var f in files)
        {
            var original = DicomFile.Open(f);
            var stored = DicomFile.Open(Path.Combine(scp.Directory, original.Dataset.GetString(DicomTag.SOPInstanceUID) + ".dcm"));
            Assert.Equal(original.TransferSyntax, stored.TransferSyntax);
            Assert.Empty(DicomDatasetComparer.Differences(original.Dataset, stored.Dataset));
        }
        await WaitEndedAsync(scp, 1);
        Assert.Single(scp.Ended); // one association for all files
    }

    [Fact]
    public async Task Store_ConvertsBetweenUncompressedSyntaxes_OnlyWhenNeeded()
    {
        // The SCP accepts Implicit VR Little Endian only: an explicit file must be converted.
        await using var scp = await TestScp.StartAsync(o =>
        {
            o.ApplicationEntities.Clear();
            o.ApplicationEntities.Add(new DicomApplicationEntity(TestScp.AE, DicomTransferCapability.Storage([DicomTransferSyntax.ImplicitVRLittleEndian.Uid.Value])));
        });
        var ct = TestData.File("CT_small.dcm");
        var jpeg = TestData.File("JPEG2000.dcm");
        var results = await new DicomStorageScu(scp.Client()).StoreAsync([ct, jpeg]);
        Assert.Equal(DicomStatus.Success, results[0].Status);
        Assert.Equal(DicomStatus.SopClassNotSupported, results[1].Status); // no decompression
        var stored = DicomFile.Open(scp.StoredFiles().Single());
        Assert.Equal(DicomTransferSyntax.ImplicitVRLittleEndian, stored.TransferSyntax);
        var original = DicomFile.Open(ct).Dataset;
        foreach (var tag in new[] { DicomTag.SOPInstanceUID, DicomTag.PatientName, DicomTag.StudyInstanceUID, DicomTag.ImagePositionPatient })
            Assert.Equal(original.GetString(tag), stored.Dataset.GetString(tag));
        Assert.Equal(original.GetElement(DicomTag.PixelData)!.Bytes.ToArray(), stored.Dataset.GetElement(DicomTag.PixelData)!.Bytes.ToArray());
    }

    [Fact]
    public async Task Find_Move_Get_BetweenTwoOfOurScps()
    {
        await using var dest = await TestScp.StartAsync(o => o.AcceptAnyCalledAE = true);
        await using var source = await TestScp.StartAsync(o => o.RemoteApplicationEntities.Add(new DicomRemoteApplicationEntity("DEST", "127.0.0.1", dest.Port)));
        var data = Path.Combine(source.Directory, "..", "gen-" + Guid.NewGuid().ToString("N")[..6]);
        string study1 = DicomUid.GenerateValue(), study2 = DicomUid.GenerateValue();
        var files = new[] { TestData.Generate(data, "P1", study1), TestData.Generate(data, "P1", study1), TestData.Generate(data, "P2", study2) };
        await new DicomStorageScu(source.Client()).StoreAsync(files);
        Directory.Delete(data, true);

        var qr = new DicomQueryRetrieveScu(source.Client());
        var studies = new List<DicomDataset>();
        await foreach (var m in qr.FindAsync(QueryRetrieveModel.StudyRoot, DicomQueryRetrieveScu.CreateIdentifier("STUDY", (DicomTag.PatientID, "P1"), (DicomTag.StudyInstanceUID, ""), (DicomTag.PatientName, ""))))
            studies.Add(m);
        Assert.Equal(study1, Assert.Single(studies).GetString(DicomTag.StudyInstanceUID));
        Assert.Equal("Test^P1", studies[0].GetString(DicomTag.PatientName));

        var patients = new List<DicomDataset>();
        await foreach (var m in qr.FindAsync(QueryRetrieveModel.PatientRoot, DicomQueryRetrieveScu.CreateIdentifier("PATIENT", (DicomTag.PatientID, "P*"))))
            patients.Add(m);
        Assert.Equal(2, patients.Count);

        // C-GET into a folder
        var got = Path.Combine(source.Directory, "..", "got-" + Guid.NewGuid().ToString("N")[..6]);
        var get = await qr.GetAsync(QueryRetrieveModel.StudyRoot, DicomQueryRetrieveScu.CreateIdentifier("STUDY", (DicomTag.StudyInstanceUID, study1)), got);
        Assert.Equal(DicomStatus.Success, get.Status);
        Assert.Equal(2, get.Completed);
        Assert.Equal(2, Directory.GetFiles(got, "*.dcm").Length);
        Directory.Delete(got, true);

        // C-MOVE to the second SCP
        var move = await qr.MoveAsync(QueryRetrieveModel.StudyRoot,
            DicomQueryRetrieveScu.CreateIdentifier("STUDY", (DicomTag.StudyInstanceUID, study2)), "DEST");
        Assert.Equal(DicomStatus.Success, move.Status);
        Assert.Equal(1, move.Completed);
        Assert.Single(dest.StoredFiles());

        var unknown = await qr.MoveAsync(QueryRetrieveModel.StudyRoot,
            DicomQueryRetrieveScu.CreateIdentifier("STUDY", (DicomTag.StudyInstanceUID, study2)), "NOWHERE");
        Assert.Equal(DicomStatus.MoveDestinationUnknown, unknown.Status);
    }

    [Fact]
    public async Task Concurrent_Associations_AreServed()
    {
        await using var scp = await TestScp.StartAsync();
        var tasks = Enumerable.Range(0, 8).Select(_ => new DicomVerificationScu(scp.Client()).EchoAsync()).ToArray();
        var statuses = await Task.WhenAll(tasks);
        Assert.All(statuses, s => Assert.Equal(DicomStatus.Success, s));
    }

    [Fact]
    public async Task NMessages_AreDispatchedToHandlers()
    {
        var handler = new EchoNHandler();
        await using var scp = await TestScp.StartAsync(o => o.ApplicationEntities[0].TransferCapabilities.Add(
            new DicomTransferCapability(EchoNHandler.SopClass, DicomTransferRole.Scp, DicomStorageOperations.UncompressedTransferSyntaxes)));
        scp.Server.NormalServices.Add(handler);
        await using var a = await DicomClient.ConnectAsync(scp.Client(), [new PresentationContext(1, EchoNHandler.SopClass, DicomStorageOperations.UncompressedTransferSyntaxes)]);
        foreach (var field in new[] { DimseCommandField.NCreateRequest, DimseCommandField.NSetRequest, DimseCommandField.NGetRequest, DimseCommandField.NActionRequest, DimseCommandField.NEventReportRequest, DimseCommandField.NDeleteRequest })
        {
            var data = field is DimseCommandField.NGetRequest or DimseCommandField.NDeleteRequest ? null : new DicomDataset().AddOrUpdate(DicomTag.PatientID, "N");
            var rq = DimseMessage.CreateRequest(field, a.NextMessageId(), EchoNHandler.SopClass, "1.2.3.4", data);
            if (field == DimseCommandField.NActionRequest) rq.ActionTypeId = 1;
            if (field == DimseCommandField.NEventReportRequest) rq.EventTypeId = 1;
            var rsp = await SingleAsync(a.SendRequestAsync(rq));
            Assert.Equal((DimseCommandField)((ushort)field | 0x8000), rsp.CommandField);
            Assert.Equal(DicomStatus.Success, rsp.Status);
            Assert.Equal("1.2.3.4", rsp.AffectedSopInstanceUid);
        }
        Assert.Equal(6, handler.Count);
        await a.ReleaseAsync();
    }

    private sealed class EchoNHandler : IDicomNormalServiceHandler
    {
        public const string SopClass = "1.2.840.10008.3.1.2.3.3"; // MPPS
        public int Count;
        public IEnumerable<string> SopClasses => [SopClass];
        public Task<DimseMessage> OnRequestAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Count);
            return Task.FromResult(DimseMessage.CreateResponse(request, DicomStatus.Success, request.Dataset));
        }
    }

    internal static async Task<DimseMessage> SingleAsync(IAsyncEnumerable<DimseMessage> e)
    {
        DimseMessage? last = null;
        await foreach (var m in e) last = m;
        return last!;
    }

    internal static async Task WaitEndedAsync(TestScp scp, int count)
    {
        for (int i = 0; i < 200 && scp.Ended.Count < count; i++) await Task.Delay(25);
    }
}

public class LoopbackLimitsTests
{
    [Fact]
    public async Task MaxAssociations_RejectsTheExtraOne_Transiently()
    {
        await using var scp = await TestScp.StartAsync(o => o.MaxAssociations = 1);
        await using var first = await DicomClient.ConnectAsync(scp.Client(), [new PresentationContext(1, DicomUid.Verification.Value, "1.2.840.10008.1.2")]);
        var e = await Assert.ThrowsAsync<DicomAssociationException>(() => new DicomVerificationScu(scp.Client()).EchoAsync());
        Assert.Equal(RejectResult.Transient, e.Reject!.Result);
        Assert.Equal(AssociateRejectPdu.ReasonLocalLimitExceeded, e.Reject.Reason);
        Assert.Equal(DicomStatus.Success, await DicomVerificationScu.EchoAsync(first));
    }

    [Fact]
    public async Task LargeInstance_IsStreamed_InManyPdus()
    {
        await using var scp = await TestScp.StartAsync();
        var dir = Path.Combine(Path.GetTempPath(), "dtbig-" + Guid.NewGuid().ToString("N")[..6]);
        var file = TestData.Generate(dir, "BIG", DicomUid.GenerateValue(), pixels: 64 * 65000);
        var options = scp.Client();
        options.Association.MaxSendPduLength = 16384;
        var r = await new DicomStorageScu(options).StoreAsync([file]);
        Assert.Equal(DicomStatus.Success, Assert.Single(r).Status);
        var stored = DicomFile.Open(Assert.Single(scp.StoredFiles()));
        Assert.Equal(DicomFile.Open(file).Dataset.GetElement(DicomTag.PixelData)!.Bytes.ToArray(), stored.Dataset.GetElement(DicomTag.PixelData)!.Bytes.ToArray());
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task BreakingOutOfFind_SendsCancel_AndTheAssociationStaysUsable()
    {
        await using var scp = await TestScp.StartAsync();
        var dir = Path.Combine(Path.GetTempPath(), "dtfind-" + Guid.NewGuid().ToString("N")[..6]);
        for (int i = 0; i < 30; i++) scp.Store.TryIndex(CopyInto(TestData.Generate(dir, "C" + i, DicomUid.GenerateValue()), scp.Directory));
        await using var a = await DicomClient.ConnectAsync(scp.Client(), [new PresentationContext(1, DicomUid.StudyRootQueryRetrieveInformationModelFind.Value, "1.2.840.10008.1.2")]);
        var rq = DimseMessage.CreateRequest(DimseCommandField.CFindRequest, a.NextMessageId(), DicomUid.StudyRootQueryRetrieveInformationModelFind.Value, null,
            DicomQueryRetrieveScu.CreateIdentifier("STUDY", (DicomTag.StudyInstanceUID, "")));
        int n = 0;
        await foreach (var _ in a.SendRequestAsync(rq))
            if (++n == 2) break;
        // A new request on the same association still works.
        var rq2 = DimseMessage.CreateRequest(DimseCommandField.CFindRequest, a.NextMessageId(), DicomUid.StudyRootQueryRetrieveInformationModelFind.Value, null,
            DicomQueryRetrieveScu.CreateIdentifier("STUDY", (DicomTag.PatientID, "C7"), (DicomTag.StudyInstanceUID, "")));
        var all = new List<DimseMessage>();
        await foreach (var m in a.SendRequestAsync(rq2)) all.Add(m);
        Assert.Equal(DicomStatus.Success, all[^1].Status);
        Assert.Equal(2, all.Count);
        await a.ReleaseAsync();
        Directory.Delete(dir, true);
    }

    private static string CopyInto(string f, string dir)
    {
        var p = Path.Combine(dir, Path.GetFileName(f));
        File.Copy(f, p);
        return p;
    }
}

public class LongOperationTests
{
    private sealed class SlowQuery : IDicomQueryHandler
    {
        public async IAsyncEnumerable<DicomDataset> OnFindAsync(DicomAssociation association, DimseMessage request, DicomDataset identifier,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            for (int i = 0; i < 4; i++)
            {
                await Task.Delay(900, cancellationToken);
                yield return new DicomDataset().AddOrUpdate(DicomTag.PatientID, "P" + i);
            }
        }
    }

    [Fact]
    public async Task Operation_LongerThanTheIdleTimeout_IsNotAborted()
    {
        await using var scp = await TestScp.StartAsync(o => o.Association.IdleTimeout = TimeSpan.FromSeconds(1.5));
        scp.Server.Query = new SlowQuery();
        var client = scp.Client();
        client.Association.IdleTimeout = TimeSpan.FromSeconds(1.5);
        var results = new List<DicomDataset>();
        await foreach (var m in new DicomQueryRetrieveScu(client).FindAsync(QueryRetrieveModel.StudyRoot, DicomQueryRetrieveScu.CreateIdentifier("PATIENT")))
            results.Add(m);
        Assert.Equal(4, results.Count);
    }

    [Fact]
    public async Task IdleAssociation_IsAbortedByTheIdleTimeout()
    {
        await using var scp = await TestScp.StartAsync(o => o.Association.IdleTimeout = TimeSpan.FromSeconds(1));
        var a = await DicomClient.ConnectAsync(scp.Client(), [new PresentationContext(1, DicomUid.Verification.Value, "1.2.840.10008.1.2")]);
        var fault = await a.Completion.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.IsType<DicomAssociationException>(fault); // the SCP aborted
        await LoopbackTests.WaitEndedAsync(scp, 1);
        Assert.Equal(DicomNetworkErrorReason.Timeout, Assert.IsType<DicomNetworkException>(scp.Ended.Single()).Reason);
        await a.DisposeAsync();
    }
}
