using Dicom.Typed.Network;

namespace Dicom.Typed.Network.Tests;

/// <summary>Modality Worklist, MPPS and Storage Commitment: our SCUs against our SCP on 127.0.0.1.</summary>
public class ServiceTests
{
    private static Task<TestScp> StartAsync() => TestScp.StartAsync(o => o.ApplicationEntities[0].TransferCapabilities.AddRange(
        DicomServiceCapabilities.ModalityWorklist().Concat(DicomServiceCapabilities.ModalityPerformedProcedureStep()).Concat(DicomServiceCapabilities.StorageCommitment())));

    internal static DicomDataset WorklistItem(string patientId, string name, string accession, string modality, string date, string station)
    {
        var step = new DicomDataset()
            .AddOrUpdate(DicomTag.Modality, modality)
            .AddOrUpdate(DicomTag.ScheduledStationAETitle, station)
            .AddOrUpdate(DicomTag.ScheduledProcedureStepStartDate, date)
            .AddOrUpdate(DicomTag.ScheduledProcedureStepStartTime, "093000")
            .AddOrUpdate(DicomTag.ScheduledPerformingPhysicianName, "Doe^Jane")
            .AddOrUpdate(DicomTag.ScheduledProcedureStepDescription, "Angio " + accession)
            .AddOrUpdate(DicomTag.ScheduledProcedureStepID, "SPS-" + accession);
        return new DicomDataset()
            .AddOrUpdate(DicomTag.SpecificCharacterSet, "ISO_IR 100")
            .AddOrUpdate(DicomTag.AccessionNumber, accession)
            .AddOrUpdate(DicomTag.ReferringPhysicianName, "Ref^Doc")
            .AddOrUpdate(DicomTag.PatientName, name)
            .AddOrUpdate(DicomTag.PatientID, patientId)
            .AddOrUpdate(DicomTag.PatientBirthDate, "19600102")
            .AddOrUpdate(DicomTag.PatientSex, "F")
            .AddOrUpdate(DicomTag.StudyInstanceUID, DicomUid.GenerateValue())
            .AddOrUpdate(DicomTag.RequestedProcedureDescription, "XA study")
            .AddOrUpdate(DicomTag.RequestedProcedureID, "RP-" + accession)
            .AddOrUpdate(DicomTag.ScheduledProcedureStepSequence, step);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var i in items) list.Add(i);
        return list;
    }

    // ---- Modality Worklist ----------------------------------------------------------------------------------------

    [Fact]
    public async Task Worklist_TypedQuery_MatchesByModalityDateAndName()
    {
        await using var scp = await StartAsync();
        var folder = new DicomWorklistFolder(Path.Combine(scp.Directory, "wl"));
        folder.Add("a1", WorklistItem("P1", "Suzuki^Taro", "A1", "XA", "20240105", "TRINIAS"));
        folder.Add("a2", WorklistItem("P2", "Sato^Hanako", "A2", "XA", "20240220", "TRINIAS"));
        folder.Add("a3", WorklistItem("P3", "Suzuki^Jiro", "A3", "CT", "20240106", "CT1"));
        File.WriteAllText(Path.Combine(folder.RootDirectory, "broken.wl"), "not dicom");
        scp.Server.Worklist = folder;
        var scu = new DicomWorklistScu(scp.Client());

        var xaJanuary = await ToListAsync(scu.FindAsync(new DicomWorklistQuery { Modality = "XA", ScheduledFrom = new DateOnly(2024, 1, 1), ScheduledTo = new DateOnly(2024, 1, 31) }));
        var item = Assert.Single(xaJanuary);
        Assert.Equal("P1", item.PatientId);
        Assert.Equal("Suzuki^Taro", item.PatientName);
        Assert.Equal(new DateOnly(1960, 1, 2), item.PatientBirthDate);
        Assert.Equal("RP-A1", item.RequestedProcedureId);
        var step = Assert.Single(item.ScheduledProcedureSteps);
        Assert.Equal("XA", step.Modality);
        Assert.Equal("TRINIAS", step.ScheduledStationAETitle);
        Assert.Equal(new DateOnly(2024, 1, 5), step.StartDate);
        Assert.Equal("SPS-A1", step.StepId);
        // Only requested keys come back: the item's Referring Physician is asked for, Patient's Sex too; nothing else.
        Assert.False(item.Dataset.Contains(DicomTag.ScheduledProcedureStepLocation));

        var suzuki = await ToListAsync(scu.FindAsync(new DicomWorklistQuery { PatientName = "suzuki*" }));
        Assert.Equal(new[] { "A1", "A3" }, suzuki.Select(i => i.AccessionNumber ?? "").Order().ToArray());
        Assert.Empty(await ToListAsync(scu.FindAsync(new DicomWorklistQuery { ScheduledStationAETitle = "NOBODY" })));
        Assert.Equal(3, (await ToListAsync(scu.FindAsync(new DicomWorklistQuery()))).Count);
    }

    [Fact]
    public async Task Worklist_TemplateQuery_ReturnsOnlyTemplateKeys()
    {
        await using var scp = await StartAsync();
        var folder = new DicomWorklistFolder(Path.Combine(scp.Directory, "wl"));
        folder.Add("a1", WorklistItem("P1", "Suzuki^Taro", "A1", "XA", "20240105", "TRINIAS"));
        scp.Server.Worklist = folder;
        var template = new DicomDataset()
            .AddOrUpdate(DicomTag.PatientID, Array.Empty<string>())
            .AddOrUpdate(DicomTag.ScheduledProcedureStepSequence, new DicomDataset().AddOrUpdate(DicomTag.Modality, Array.Empty<string>()));
        var items = await ToListAsync(new DicomWorklistScu(scp.Client()).FindAsync(new DicomWorklistQuery(template) { AccessionNumber = "A1" }));
        var ds = Assert.Single(items).Dataset;
        Assert.Equal("P1", ds.GetString(DicomTag.PatientID));
        Assert.Equal("A1", ds.GetString(DicomTag.AccessionNumber));
        Assert.False(ds.Contains(DicomTag.PatientName));
        var step = Assert.Single(ds.GetSequence(DicomTag.ScheduledProcedureStepSequence)!.Items);
        Assert.Equal("XA", step.GetString(DicomTag.Modality));
        Assert.False(step.Contains(DicomTag.ScheduledStationAETitle));
    }

    [Fact]
    public async Task Worklist_WithoutHandler_FailsWithTypedStatus()
    {
        await using var scp = await StartAsync();
        scp.Server.Query = null;
        var e = await Assert.ThrowsAsync<DicomServiceException>(() => ToListAsync(new DicomWorklistScu(scp.Client()).FindAsync(new DicomWorklistQuery())));
        Assert.Equal(DicomStatus.SopClassNotSupported, e.Status);
    }

    // ---- MPPS -----------------------------------------------------------------------------------------------------

    private static DicomMppsCreate Create(string? uid = null) => new()
    {
        SopInstanceUid = uid,
        PerformedProcedureStepId = "PPS1",
        PerformedStationAETitle = "TRINIAS",
        StartDateTime = new DateTime(2024, 1, 5, 9, 30, 0),
        Modality = "XA",
        PatientName = "Suzuki^Taro",
        PatientId = "P1",
        AccessionNumber = "A1",
    };

    [Fact]
    public async Task Mpps_Create_Complete_ThenFurtherSetFails()
    {
        await using var scp = await StartAsync();
        var store = new DicomMppsStore();
        scp.Server.NormalServices.Add(new DicomMppsService(store));
        var scu = new DicomMppsScu(scp.Client());

        var created = await scu.CreateAsync(Create());
        Assert.Equal(DicomMppsStatus.InProgress, store.GetStatus(created.SopInstanceUid));
        Assert.Equal("Suzuki^Taro", store.Get(created.SopInstanceUid)!.GetString(DicomTag.PatientName));

        var series = new DicomMppsPerformedSeries
        {
            SeriesInstanceUid = DicomUid.GenerateValue(), ProtocolName = "Cardiac",
            Images = [new DicomSopReference(DicomUid.XRayAngiographicImageStorage.Value, DicomUid.GenerateValue())],
        };
        await scu.SetAsync(created.SopInstanceUid, new DicomMppsSet { Status = DicomMppsStatus.Completed, PerformedSeries = [series] });
        Assert.Equal(DicomMppsStatus.Completed, store.GetStatus(created.SopInstanceUid));
        var kept = store.Get(created.SopInstanceUid)!;
        Assert.Equal(series.SeriesInstanceUid, kept.GetSequence(DicomTag.PerformedSeriesSequence)!.Items[0].GetString(DicomTag.SeriesInstanceUID));
        Assert.False(kept.GetElement(DicomTag.PerformedProcedureStepEndDate)!.IsEmpty);

        // A completed step may no longer be updated: 0110H with Error ID A710H, and the stored state is unchanged.
        await using var a = await scu.ConnectAsync();
        var rq = DimseMessage.CreateRequest(DimseCommandField.NSetRequest, a.NextMessageId(), DicomMppsScu.SopClassUid, created.SopInstanceUid,
            new DicomMppsSet { Status = DicomMppsStatus.Discontinued }.ToDataset());
        DimseMessage? rsp = null;
        await foreach (var m in a.SendRequestAsync(rq)) rsp = m;
        Assert.Equal(DicomStatus.ProcessingFailure, rsp!.Status);
        Assert.Equal(DicomMppsStore.ErrorIdMayNoLongerBeUpdated, rsp.Command.GetValue<ushort>(DicomTag.ErrorID));
        var e = await Assert.ThrowsAsync<DicomServiceException>(() => DicomMppsScu.SetAsync(a, created.SopInstanceUid, new DicomMppsSet { Status = DicomMppsStatus.InProgress }));
        Assert.Equal(DicomStatus.ProcessingFailure, e.Status);
        await a.ReleaseAsync();
        Assert.Equal(DicomMppsStatus.Completed, store.GetStatus(created.SopInstanceUid));
    }

    [Fact]
    public async Task Mpps_Discontinued_Duplicate_Unknown_AndInvalidCreate()
    {
        await using var scp = await StartAsync();
        var store = new DicomMppsStore();
        scp.Server.NormalServices.Add(new DicomMppsService(store));
        var scu = new DicomMppsScu(scp.Client());
        string uid = DicomUid.GenerateValue();
        await scu.CreateAsync(Create(uid));
        var dup = await Assert.ThrowsAsync<DicomServiceException>(() => scu.CreateAsync(Create(uid)));
        Assert.Equal((ushort)0x0111, dup.Status.Code);
        var unknown = await Assert.ThrowsAsync<DicomServiceException>(() => scu.SetAsync(DicomUid.GenerateValue(), new DicomMppsSet { Status = DicomMppsStatus.Completed }));
        Assert.Equal(DicomStatus.NoSuchObjectInstance, unknown.Status);
        var changeId = await Assert.ThrowsAsync<DicomServiceException>(() => scu.SetAsync(uid, new DicomMppsSet { Status = DicomMppsStatus.InProgress,
            Additional = new DicomDataset().AddOrUpdate(DicomTag.PatientID, "OTHER") }));
        Assert.Equal((ushort)0x0106, changeId.Status.Code);
        Assert.Equal("P1", store.Get(uid)!.GetString(DicomTag.PatientID).Trim());
        await scu.SetAsync(uid, new DicomMppsSet { Status = DicomMppsStatus.Discontinued, DiscontinuationReason = ("110514", "DCM", "Incorrect worklist entry selected") });
        Assert.Equal(DicomMppsStatus.Discontinued, store.GetStatus(uid));

        // N-CREATE with a status other than IN PROGRESS, or without a Type 1 attribute, is refused and nothing is kept.
        var bad = new DicomMppsCreate { PerformedProcedureStepId = "X", PerformedStationAETitle = "S", StartDateTime = DateTime.Now, Modality = "XA",
            Additional = new DicomDataset().AddOrUpdate(DicomTag.PerformedProcedureStepStatus, "COMPLETED") };
        var e1 = await Assert.ThrowsAsync<DicomServiceException>(() => scu.CreateAsync(bad));
        Assert.Equal((ushort)0x0106, e1.Status.Code);
        var noModality = new DicomMppsCreate { PerformedProcedureStepId = "X", PerformedStationAETitle = "S", StartDateTime = DateTime.Now, Modality = "XA",
            Additional = new DicomDataset().AddOrUpdate(DicomTag.Modality, Array.Empty<string>()) };
        var e2 = await Assert.ThrowsAsync<DicomServiceException>(() => scu.CreateAsync(noModality));
        Assert.Equal((ushort)0x0121, e2.Status.Code);
        Assert.Single(store.Instances);
    }

    [Fact]
    public async Task Mpps_PersistedSteps_SurviveARestart()
    {
        await using var scp = await StartAsync();
        var dir = Path.Combine(scp.Directory, "mpps");
        var service = new DicomMppsService(new DicomMppsStore(dir));
        scp.Server.NormalServices.Add(service);
        var scu = new DicomMppsScu(scp.Client());
        var created = await scu.CreateAsync(Create());
        await scu.SetAsync(created.SopInstanceUid, new DicomMppsSet { Status = DicomMppsStatus.Completed,
            PerformedSeries = [new DicomMppsPerformedSeries { SeriesInstanceUid = DicomUid.GenerateValue(), ProtocolName = "P" }] });
        var file = Assert.Single(Directory.GetFiles(dir, "*.dcm"));
        Assert.Equal(DicomUid.ModalityPerformedProcedureStep.Value, DicomFile.Open(file).Dataset.GetString(DicomTag.SOPClassUID));

        // A new store over the same folder (a restarted SCP) knows the step and still refuses to reopen it.
        scp.Server.NormalServices.Remove(service);
        var reloaded = new DicomMppsStore(dir);
        scp.Server.NormalServices.Add(new DicomMppsService(reloaded));
        Assert.Equal(DicomMppsStatus.Completed, reloaded.GetStatus(created.SopInstanceUid));
        Assert.Equal("P1", reloaded.Get(created.SopInstanceUid)!.GetString(DicomTag.PatientID).Trim());
        var e = await Assert.ThrowsAsync<DicomServiceException>(() => scu.SetAsync(created.SopInstanceUid, new DicomMppsSet { Status = DicomMppsStatus.Discontinued }));
        Assert.Equal(DicomStatus.ProcessingFailure, e.Status);
        Assert.Equal(DicomMppsStatus.Completed, new DicomMppsStore(dir).GetStatus(created.SopInstanceUid));
    }

    // ---- Storage Commitment ---------------------------------------------------------------------------------------

    private static async Task<(TestScp Scp, List<DicomSopReference> Stored, DicomStorageCommitmentService Service)> StartCommitmentScpAsync(
        Action<DicomStorageCommitmentServiceOptions>? configure = null)
    {
        var scp = await StartAsync();
        var data = Path.Combine(scp.Directory, "..", Path.GetFileName(scp.Directory) + "-src");
        var files = new[] { TestData.Generate(data, "SC1", DicomUid.GenerateValue()), TestData.Generate(data, "SC1", DicomUid.GenerateValue()) };
        var stored = await new DicomStorageScu(scp.Client()).StoreAsync(files);
        Assert.All(stored, r => Assert.True(r.Status.IsSuccess));
        Directory.Delete(data, true);
        var options = new DicomStorageCommitmentServiceOptions { RetrieveAETitle = TestScp.AE, OutgoingAssociation = TestTimeouts.Short() };
        configure?.Invoke(options);
        var service = scp.AddStorageCommitment(options);
        return (scp, stored.Select(r => new DicomSopReference(DicomUid.SecondaryCaptureImageStorage.Value, r.SopInstanceUid)).ToList(), service);
    }

    [Fact]
    public async Task StorageCommitment_SameAssociation_CommittedAndFailed()
    {
        var (scp, stored, _) = await StartCommitmentScpAsync();
        await using var _s = scp;
        var missing = new DicomSopReference(DicomUid.SecondaryCaptureImageStorage.Value, DicomUid.GenerateValue());
        var wrongClass = new DicomSopReference(DicomUid.CTImageStorage.Value, stored[1].SopInstanceUid);
        var scu = new DicomStorageCommitmentScu(scp.Client()) { ReportTimeout = TimeSpan.FromSeconds(20) };
        var result = await scu.CommitAsync([stored[0], missing, wrongClass]);
        Assert.True(result.ReceivedOnSameAssociation);
        Assert.Equal(TestScp.AE, result.ReporterAE);
        Assert.Equal(TestScp.AE, result.RetrieveAETitle);
        Assert.Equal([stored[0]], result.Committed);
        Assert.Equal(2, result.Failed.Count);
        Assert.Equal(DicomCommitmentFailureReason.NoSuchObjectInstance, result.Failed.Single(f => f.Reference == missing).Reason);
        Assert.Equal(DicomCommitmentFailureReason.ClassInstanceConflict, result.Failed.Single(f => f.Reference == wrongClass).Reason);

        var all = await scu.CommitAsync(stored);
        Assert.True(all.AllCommitted);
        Assert.Equal(stored.Count, all.Committed.Count);
    }

    [Fact]
    public async Task StorageCommitment_NewAssociation_ToTheScuListener()
    {
        await using var listener = new DicomStorageCommitmentListener("COMMITSCU", association: TestTimeouts.Short());
        await listener.StartAsync();
        var (scp, stored, service) = await StartCommitmentScpAsync(o =>
        {
            o.ReplyMode = DicomCommitmentReportMode.NewAssociation;
            o.RemoteApplicationEntities.Add(new DicomRemoteApplicationEntity("COMMITSCU", "127.0.0.1", listener.Port));
        });
        await using var _s = scp;
        var client = scp.Client();
        client.CallingAE = "COMMITSCU";
        var result = await new DicomStorageCommitmentScu(client, listener) { ReportTimeout = TimeSpan.FromSeconds(20) }.CommitAsync(stored);
        Assert.False(result.ReceivedOnSameAssociation);
        Assert.Equal(TestScp.AE, result.ReporterAE);
        Assert.True(result.AllCommitted);
        Assert.Equal(stored.OrderBy(r => r.SopInstanceUid), result.Committed.OrderBy(r => r.SopInstanceUid));
        await service.WhenIdleAsync();

        // An AE without a configured address is refused at once (0110H), not left waiting.
        var stranger = scp.Client();
        stranger.CallingAE = "STRANGER";
        var e = await Assert.ThrowsAsync<DicomServiceException>(() => new DicomStorageCommitmentScu(stranger, listener).CommitAsync(stored));
        Assert.Equal(DicomStatus.ProcessingFailure, e.Status);
    }

    /// <summary>An SCP that accepts the N-ACTION and then does nothing, or aborts the association.</summary>
    private sealed class SilentCommitmentScp(bool abort) : IDicomNormalServiceHandler, IDicomNormalServiceFollowUp
    {
        public IEnumerable<string> SopClasses => [DicomUid.StorageCommitmentPushModel.Value];

        public Task<DimseMessage> OnRequestAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(DimseMessage.CreateResponse(request, DicomStatus.Success));

        public Task OnResponseSentAsync(DicomAssociation association, DimseMessage request, DimseMessage response, CancellationToken cancellationToken) =>
            abort ? association.AbortAsync() : Task.CompletedTask;
    }

    [Fact]
    public async Task StorageCommitment_NoReport_TimesOutWithTypedError()
    {
        await using var scp = await StartAsync();
        scp.Server.NormalServices.Add(new SilentCommitmentScp(abort: false));
        var scu = new DicomStorageCommitmentScu(scp.Client()) { ReportTimeout = TimeSpan.FromSeconds(2) };
        var e = await Assert.ThrowsAsync<DicomNetworkException>(() => scu.CommitAsync([new DicomSopReference(DicomUid.CTImageStorage.Value, DicomUid.GenerateValue())]));
        Assert.Equal(DicomNetworkErrorReason.Timeout, e.Reason);
    }

    [Fact]
    public async Task StorageCommitment_PeerAbortsBeforeReport_TypedError()
    {
        await using var scp = await StartAsync();
        scp.Server.NormalServices.Add(new SilentCommitmentScp(abort: true));
        var scu = new DicomStorageCommitmentScu(scp.Client()) { ReportTimeout = TimeSpan.FromSeconds(30) };
        var e = await Assert.ThrowsAsync<DicomNetworkException>(() => scu.CommitAsync([new DicomSopReference(DicomUid.CTImageStorage.Value, DicomUid.GenerateValue())]));
        Assert.Contains(e.Reason, new[] { DicomNetworkErrorReason.Aborted, DicomNetworkErrorReason.ConnectionClosed });
        Assert.NotEqual(DicomNetworkErrorReason.Timeout, e.Reason);
    }

    [Fact]
    public async Task StorageCommitment_ScpUnreachable_ConnectionFailed_NotTimeout()
    {
        await using var listener = new DicomStorageCommitmentListener("COMMITSCU", association: TestTimeouts.Short());
        await listener.StartAsync();
        using var refusing = new RefusingPort();
        var client = new DicomClientOptions { Host = "127.0.0.1", Port = refusing.Port, CallingAE = "COMMITSCU", CalledAE = "NOBODY", ConnectTimeout = TimeSpan.FromSeconds(5) };
        var e = await Assert.ThrowsAsync<DicomNetworkException>(() => new DicomStorageCommitmentScu(client, listener) { ReportTimeout = TimeSpan.FromMinutes(5) }
            .CommitAsync([new DicomSopReference(DicomUid.CTImageStorage.Value, DicomUid.GenerateValue())]));
        Assert.Equal(DicomNetworkErrorReason.ConnectionFailed, e.Reason);
    }

    [Fact]
    public async Task StorageCommitment_ListenerNeverCalled_TimesOutWithTypedError()
    {
        await using var listener = new DicomStorageCommitmentListener("COMMITSCU", association: TestTimeouts.Short());
        await listener.StartAsync();
        // The SCP's AE map points at a port nobody listens on: the report never arrives.
        using var refusing = new RefusingPort();
        var (scp, stored, service) = await StartCommitmentScpAsync(o =>
        {
            o.ReplyMode = DicomCommitmentReportMode.NewAssociation;
            o.ConnectTimeout = TimeSpan.FromSeconds(2);
            o.RemoteApplicationEntities.Add(new DicomRemoteApplicationEntity("COMMITSCU", "127.0.0.1", refusing.Port));
        });
        await using var _s = scp;
        Exception? reportError = null;
        service.ReportSent += (_, ex) => reportError = ex;
        var client = scp.Client();
        client.CallingAE = "COMMITSCU";
        var e = await Assert.ThrowsAsync<DicomNetworkException>(() => new DicomStorageCommitmentScu(client, listener) { ReportTimeout = TimeSpan.FromSeconds(3) }.CommitAsync(stored));
        Assert.Equal(DicomNetworkErrorReason.Timeout, e.Reason);
        await service.WhenIdleAsync();
        Assert.IsAssignableFrom<DicomNetworkException>(reportError);
    }
}

/// <summary>Storage Commitment SCP side: the requester never answers the N-EVENT-REPORT, or aborts on it.</summary>
public class StorageCommitmentScpFaultTests
{
    /// <summary>A requester-side SCP that receives the report on a new association and never answers it, or aborts.</summary>
    private sealed class DeafRequester(bool abort) : IDicomNormalServiceHandler
    {
        public IEnumerable<string> SopClasses => [DicomUid.StorageCommitmentPushModel.Value];

        public async Task<DimseMessage> OnRequestAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
        {
            if (abort) await association.AbortAsync();
            await Task.Delay(Timeout.Infinite, association.Aborted).ContinueWith(_ => { }, TaskScheduler.Default);
            throw new OperationCanceledException();
        }
    }

    private static async Task<Exception?> ReportErrorAsync(bool abort)
    {
        var requesterOptions = new DicomServerOptions { Connection = { Hostname = "127.0.0.1", Port = 0 }, Association = TestTimeouts.Short() };
        requesterOptions.ApplicationEntities.Add(new DicomApplicationEntity("REQUESTER", DicomServiceCapabilities.StorageCommitment()));
        await using var requester = new DicomServer(requesterOptions);
        requester.NormalServices.Add(new DeafRequester(abort));
        await requester.StartAsync();

        await using var scp = await TestScp.StartAsync(o => o.ApplicationEntities[0].TransferCapabilities.AddRange(DicomServiceCapabilities.StorageCommitment()));
        var options = new DicomStorageCommitmentServiceOptions { ReplyMode = DicomCommitmentReportMode.NewAssociation, OutgoingAssociation = TestTimeouts.Fast() };
        options.RemoteApplicationEntities.Add(new DicomRemoteApplicationEntity("REQUESTER", "127.0.0.1", requester.Port));
        var service = new DicomStorageCommitmentService(new DicomFileStoreCommitmentHandler(scp.Store), options);
        var outcome = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        service.ReportSent += (_, e) => outcome.TrySetResult(e);
        scp.Server.NormalServices.Add(service);

        var client = scp.Client();
        client.CallingAE = "REQUESTER";
        await using var listenerless = await DicomClient.ConnectAsync(client, [new Dicom.Typed.Network.PresentationContext(1, DicomUid.StorageCommitmentPushModel.Value, DicomStorageOperations.UncompressedTransferSyntaxes)]);
        var action = DimseMessage.CreateRequest(DimseCommandField.NActionRequest, 1, DicomUid.StorageCommitmentPushModel.Value, DicomUid.StorageCommitmentPushModelInstance.Value,
            DicomStorageCommitmentResult.CreateActionInformation(DicomUid.GenerateValue(), [new DicomSopReference(DicomUid.CTImageStorage.Value, DicomUid.GenerateValue())]));
        action.ActionTypeId = 1;
        await foreach (var rsp in listenerless.SendRequestAsync(action)) Assert.True(rsp.Status.IsSuccess);
        await listenerless.ReleaseAsync();
        var error = await outcome.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await service.WhenIdleAsync();
        return error;
    }

    [Fact]
    public async Task RequesterNeverAnswersTheReport_TypedTimeout()
    {
        var e = Assert.IsAssignableFrom<DicomNetworkException>(await ReportErrorAsync(abort: false));
        Assert.Equal(DicomNetworkErrorReason.Timeout, e.Reason);
    }

    [Fact]
    public async Task RequesterAbortsOnTheReport_TypedError()
    {
        var e = Assert.IsAssignableFrom<DicomNetworkException>(await ReportErrorAsync(abort: true));
        Assert.NotEqual(DicomNetworkErrorReason.Timeout, e.Reason);
    }
}
