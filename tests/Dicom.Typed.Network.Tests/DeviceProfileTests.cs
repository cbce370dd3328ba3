using Dicom.Typed.Definitions;
using Dicom.Typed.Iod;
using Dicom.Typed.Network;
using Dicom.Typed.Network.Definitions;
using NetContext = Dicom.Typed.Network.PresentationContext;

namespace Dicom.Typed.Network.Tests;

/// <summary>SCP configuration, acceptance checks and message templates from the Shimadzu Trinias definitions
/// (definitions/shimadzu-trinias: statement Table 2 presentation contexts, Table 9 MWL keys, Tables 13/16 MPPS).</summary>
public class DeviceProfileTests
{
    private const string Xa = "1.2.840.10008.5.1.4.1.1.12.1", Sc = "1.2.840.10008.5.1.4.1.1.7", DoseSr = "1.2.840.10008.5.1.4.1.1.88.67",
        MfByteSc = "1.2.840.10008.5.1.4.1.1.7.2", Implicit = "1.2.840.10008.1.2", Explicit = "1.2.840.10008.1.2.1", JpegBaseline = "1.2.840.10008.1.2.4.70";

    internal static string TriniasFolder
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Dicom.Typed.sln"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "definitions", "shimadzu-trinias");
        }
    }

    [Fact]
    public void Trinias_ScpCapabilities_AreThoseOfTheStatement()
    {
        var p = DeviceNetworkProfile.Load(TriniasFolder);
        Assert.Equal(new[] { Xa, Sc, DoseSr, MfByteSc }, p.ScpCapabilities.Select(c => c.SopClassUid));
        Assert.All(p.ScpCapabilities, c => Assert.Equal(DicomTransferRole.Scp, c.Role));
        Assert.Equal(new[] { Implicit, Explicit, JpegBaseline }, p.ScpCapabilities[0].TransferSyntaxes);
        Assert.Equal(new[] { Implicit }, p.ScpCapabilities[2].TransferSyntaxes);
        // MPPS appears twice in the statement (N-CREATE and N-SET rows): merged into one SCU capability.
        Assert.Single(p.ScuCapabilities, c => c.SopClassUid == DicomUid.ModalityPerformedProcedureStep.Value);
        Assert.Contains(p.ScuCapabilities, c => c.SopClassUid == DicomUid.ModalityWorklistInformationModelFind.Value);
        Assert.Equal(10, p.MaxAssociations);

        Assert.True(p.Accepts(Xa, JpegBaseline).Accepted);
        Assert.True(p.Accepts(MfByteSc).Accepted);
        var ts = p.Accepts(DoseSr, Explicit);
        Assert.False(ts.Accepted);
        Assert.Contains(Implicit, ts.Reason);
        Assert.False(p.Accepts(DicomUid.CTImageStorage.Value).Accepted);
        Assert.False(p.Accepts(DicomUid.ModalityWorklistInformationModelFind.Value).Accepted);   // Trinias is MWL SCU only
        Assert.Throws<DicomDeviceConformanceException>(() => p.EnsureAccepts(DicomUid.CTImageStorage.Value));
        Assert.Throws<DicomDeviceConformanceException>(() => p.ProposeContexts([Sc, DicomUid.CTImageStorage.Value]));
        var (sops, syntaxes) = p.AcceptedAttributeValues;
        Assert.Equal(4, sops.Length);
        Assert.Equal(new[] { Implicit, Explicit, JpegBaseline }, syntaxes);
    }

    [DicomAcceptedSopClasses(Xa, Sc)]
    [DicomAcceptedTransferSyntaxes(Implicit, Explicit)]
    private sealed class AnnotatedPeer;

    [Fact]
    public void AttributesOnAPeer_CheckedAtRunTime_LikeDT0007()
    {
        Assert.True(DeviceNetworkProfile.AcceptsByAttributes(typeof(AnnotatedPeer), Xa, Explicit).Accepted);
        Assert.False(DeviceNetworkProfile.AcceptsByAttributes(typeof(AnnotatedPeer), DicomUid.CTImageStorage.Value).Accepted);
        Assert.False(DeviceNetworkProfile.AcceptsByAttributes(typeof(AnnotatedPeer), Sc, JpegBaseline).Accepted);
    }

    [Fact]
    public async Task ScpBuiltFromTriniasDefinition_NegotiatesWhatTheDeviceAccepts()
    {
        var p = DeviceNetworkProfile.Load(TriniasFolder);
        var options = p.CreateServerOptions("TRINIAS", includeVerification: true);
        Assert.Equal(10, options.MaxAssociations);
        var dir = Path.Combine(Path.GetTempPath(), "dtdev-" + Guid.NewGuid().ToString("N")[..8]);
        var store = new DicomFileStore(dir);
        await using var server = new DicomServer(options) { Storage = store };
        await server.StartAsync();
        try
        {
            var client = new DicomClientOptions { Host = "127.0.0.1", Port = server.Port, CallingAE = "SCU", CalledAE = "TRINIAS", Association = TestTimeouts.Short() };
            await using (var a = await DicomClient.ConnectAsync(client, [
                             new NetContext(1, Xa, [JpegBaseline]), new NetContext(3, DicomUid.CTImageStorage.Value, [Explicit]),
                             new NetContext(5, DoseSr, [Explicit]), new NetContext(7, DoseSr, [Implicit])]))
            {
                var results = a.PresentationContexts.ToDictionary(c => c.Id, c => c.Result);
                Assert.Equal(PresentationContextResult.Acceptance, results[1]);
                Assert.Equal(PresentationContextResult.AbstractSyntaxNotSupported, results[3]);
                Assert.Equal(PresentationContextResult.TransferSyntaxesNotSupported, results[5]);
                Assert.Equal(PresentationContextResult.Acceptance, results[7]);
                await a.ReleaseAsync();
            }
            var sc = TestData.Generate(Path.Combine(dir, "..", Path.GetFileName(dir) + "-src"), "T1", DicomUid.GenerateValue());
            var stored = await new DicomStorageScu(client).StoreAsync([sc, TestData.File("CT_small.dcm")]);
            Assert.True(stored[0].Status.IsSuccess, stored[0].ToString());
            Assert.Equal(DicomStatus.SopClassNotSupported, stored[1].Status);
            Assert.Equal(1, store.Count);
            Directory.Delete(Path.GetDirectoryName(sc)!, true);
        }
        finally
        {
            await server.StopAsync(TimeSpan.FromSeconds(2));
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task TriniasWorklistQuery_Template_DrivesTheWorklistScu()
    {
        var p = DeviceNetworkProfile.Load(TriniasFolder);
        var message = p.LoadMessage("TriniasWorklistQuery");
        var skipped = new List<string>();
        var template = DeviceMessageTemplates.CreateTemplate(message, skipped);
        Assert.Empty(skipped);
        Assert.Equal(new[] { DicomTag.AccessionNumber, DicomTag.PatientName, DicomTag.PatientID, DicomTag.ScheduledProcedureStepSequence, DicomTag.RequestedProcedureID },
            template.Select(i => i.Tag));
        var stepKeys = template.GetSequence(DicomTag.ScheduledProcedureStepSequence)!.Items.Single();
        Assert.Equal(new[] { DicomTag.Modality, DicomTag.ScheduledStationAETitle, DicomTag.ScheduledProcedureStepStartDate, DicomTag.ScheduledPerformingPhysicianName },
            stepKeys.Select(i => i.Tag));
        Assert.Throws<ArgumentException>(() => DeviceMessageTemplates.CreateWorklistQuery(p.LoadMessage("TriniasMppsNCreate")));

        await using var scp = await TestScp.StartAsync(o => o.ApplicationEntities[0].TransferCapabilities.AddRange(DicomServiceCapabilities.ModalityWorklist()));
        var folder = new DicomWorklistFolder(Path.Combine(scp.Directory, "wl"));
        folder.Add("x1", ServiceTests.WorklistItem("P9", "Tanaka^Ichiro", "A9", "XA", "20240301", "TRINIAS"));
        folder.Add("x2", ServiceTests.WorklistItem("P8", "Kato^Ken", "A8", "CT", "20240301", "CT1"));
        scp.Server.Worklist = folder;
        var query = DeviceMessageTemplates.CreateWorklistQuery(message);
        query.Modality = "XA";
        query.ScheduledStationAETitle = "TRINIAS";
        var items = new List<DicomWorklistItem>();
        await foreach (var i in new DicomWorklistScu(scp.Client()).FindAsync(query)) items.Add(i);
        var item = Assert.Single(items);
        Assert.Equal("P9", item.PatientId);
        Assert.Equal("RP-A9", item.RequestedProcedureId);
        Assert.Equal(new DateOnly(2024, 3, 1), item.ScheduledProcedureSteps[0].StartDate);
        Assert.Null(item.PatientBirthDate);   // not a Trinias return key
        Assert.False(item.Dataset.Contains(DicomTag.StudyInstanceUID));
    }

    [Fact]
    public async Task TriniasMppsNCreate_CompletesTheTypedCreate_AndOurScpKeepsIt()
    {
        var p = DeviceNetworkProfile.Load(TriniasFolder);
        var nCreate = p.LoadMessage("TriniasMppsNCreate");
        var create = new DicomMppsCreate
        {
            PerformedProcedureStepId = "PPS-T", PerformedStationAETitle = "TRINIAS", StartDateTime = new DateTime(2024, 3, 1, 10, 0, 0), Modality = "XA",
            PatientId = "P9", Defaults = DeviceMessageTemplates.CreateTemplate(nCreate),
        };
        var ds = create.ToDataset();
        Assert.Equal("IN PROGRESS", ds.GetString(DicomTag.PerformedProcedureStepStatus));   // defaults never override
        Assert.Equal("P9", ds.GetString(DicomTag.PatientID));
        Assert.True(ds.GetElement(DicomTag.TotalTimeOfFluoroscopy)!.IsEmpty);                // Radiation Dose module of Table 13
        Assert.True(ds.Contains(DicomTag.EntranceDoseInmGy));
        Assert.True(ds.GetSequence(DicomTag.ScheduledStepAttributesSequence)!.Items[0].Contains(DicomTag.RequestedProcedureDescription));

        await using var scp = await TestScp.StartAsync(o => o.ApplicationEntities[0].TransferCapabilities.AddRange(DicomServiceCapabilities.ModalityPerformedProcedureStep()));
        var store = new DicomMppsStore();
        scp.Server.NormalServices.Add(new DicomMppsService(store));
        var created = await new DicomMppsScu(scp.Client()).CreateAsync(create);
        var kept = store.Get(created.SopInstanceUid)!;
        Assert.True(kept.Contains(DicomTag.TotalNumberOfExposures));
        var nSet = p.LoadMessage("TriniasMppsNSet");
        await new DicomMppsScu(scp.Client()).SetAsync(created.SopInstanceUid, new DicomMppsSet
        {
            Status = DicomMppsStatus.Completed,
            PerformedSeries = [new DicomMppsPerformedSeries { SeriesInstanceUid = DicomUid.GenerateValue(), ProtocolName = "LCA" }],
            Additional = new DicomDataset().AddOrUpdate(DicomTag.TotalNumberOfExposures, "12"),
            Defaults = DeviceMessageTemplates.CreateTemplate(nSet),
        });
        Assert.Equal(DicomMppsStatus.Completed, store.GetStatus(created.SopInstanceUid));
        Assert.Equal((ushort)12, store.Get(created.SopInstanceUid)!.GetValue<ushort>(DicomTag.TotalNumberOfExposures));
        // The Trinias N-SET table lists N-CREATE-only attributes; sent empty, they do not erase what N-CREATE recorded.
        Assert.Equal("P9", store.Get(created.SopInstanceUid)!.GetString(DicomTag.PatientID).Trim());
        Assert.Equal("PPS-T", store.Get(created.SopInstanceUid)!.GetString(DicomTag.PerformedProcedureStepID).Trim());
    }
}
