using System.Text.RegularExpressions;
using Dicom.Typed.Network;
using static Dicom.Typed.Interop.TestEnvironment;

namespace Dicom.Typed.Interop;

/// <summary>Modality Worklist both ways: DCMTK wlmscpfs (WLMSCP, 11371) serves dcmtk's ten example items (wklist*.dump turned
/// into .wl files by dump2dcm); our SCP (OURWL, 11372) serves the very same files with a <see cref="DicomWorklistFolder"/>.</summary>
public sealed class WorklistFixture : IAsyncLifetime
{
    public const int WlmPort = 11371, OurPort = 11372;
    public string Work { get; } = TempDir("mwl");
    public string Items => Path.Combine(Work, $"wlmscpfs-{WlmPort}", "WLMSCP");
    public DicomServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        RequireProgram("dump2dcm");
        Peer(null, "wlmscpfs", WlmPort.ToString(), Work);
        if (Directory.GetFiles(Items, "*.wl").Length != 10)
            throw new InvalidOperationException($"wlmscpfs was not seeded with dcmtk's 10 example items in {Items} (is /usr/share/doc/dcmtk/examples installed?)");
        var options = new DicomServerOptions { Connection = { Hostname = "127.0.0.1", Port = OurPort } };
        options.ApplicationEntities.Add(new DicomApplicationEntity("OURWL", DicomTransferCapability.Verification().Concat(DicomServiceCapabilities.ModalityWorklist())));
        Server = new DicomServer(options) { Worklist = new DicomWorklistFolder(Items) };
        await Server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (Server != null) await Server.StopAsync(TimeSpan.FromSeconds(2));
        try { Peer(null, "--stop", "wlmscpfs", WlmPort.ToString(), Work); } catch (InvalidOperationException) { }
        try { Directory.Delete(Work, true); } catch (IOException) { }
    }
}

public class WorklistInteropTests(WorklistFixture f) : IClassFixture<WorklistFixture>
{
    private static DicomClientOptions Wlm() => new() { Host = "127.0.0.1", Port = WorklistFixture.WlmPort, CallingAE = "OURSCU", CalledAE = "WLMSCP" };

    /// <summary>Runs findscu -W and returns the Patient IDs of the pending responses (sorted).</summary>
    private static List<string> FindscuPatientIds(int port, string calledAE, params string[] keys)
    {
        var args = new List<string> { "-W", "-v", "-aet", "DCMTKSCU", "-aec", calledAE, "-k", "PatientID" };
        foreach (var k in keys) args.AddRange(["-k", k]);
        args.AddRange(["127.0.0.1", port.ToString()]);
        var r = Run("findscu", args, TimeSpan.FromSeconds(30));
        var text = r.StdOut + r.StdErr;
        Assert.True(r.ExitCode == 0, Describe(r));
        Assert.DoesNotContain("Association Rejected", text);
        int pending = Regex.Matches(text, @"Find Response: \d+ \(Pending").Count;
        var ids = Regex.Matches(text, @"\(0010,0020\) LO \[([^\]]*)\]").Select(m => m.Groups[1].Value.Trim()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(pending, ids.Count);
        return ids;
    }

    [Fact]
    public async Task OurScu_AgainstWlmscpfs_TypedResults()
    {
        var scu = new DicomWorklistScu(Wlm());
        var items = new List<DicomWorklistItem>();
        await foreach (var i in scu.FindAsync(new DicomWorklistQuery { Modality = "CT" })) items.Add(i);
        Assert.Equal(4, items.Count);   // wklist*.dump: four CT steps
        Assert.All(items, i =>
        {
            Assert.False(string.IsNullOrEmpty(i.PatientId));
            Assert.False(string.IsNullOrEmpty(i.PatientName));
            Assert.NotNull(i.StudyInstanceUid);
            var step = Assert.Single(i.ScheduledProcedureSteps);
            Assert.Equal("CT", step.Modality);
            Assert.NotNull(step.StartDate);
        });
        // The same query through findscu gives the same patients.
        Assert.Equal(FindscuPatientIds(WorklistFixture.WlmPort, "WLMSCP", "ScheduledProcedureStepSequence[0].Modality=CT"),
            items.Select(i => i.PatientId!).Order(StringComparer.Ordinal).ToList());

        int all = 0;
        await foreach (var _ in scu.FindAsync(new DicomWorklistQuery())) all++;
        Assert.Equal(Directory.GetFiles(f.Items, "*.wl").Length, all);

        var vivaldi = new List<DicomWorklistItem>();
        await foreach (var i in scu.FindAsync(new DicomWorklistQuery { PatientName = "VIVALDI*", ScheduledFrom = new DateOnly(1995, 1, 1), ScheduledTo = new DateOnly(1995, 12, 31) }))
            vivaldi.Add(i);
        Assert.NotEmpty(vivaldi);
        Assert.All(vivaldi, i =>
        {
            Assert.Equal("VIVALDI^ANTONIO", i.PatientName);
            Assert.Equal(1995, i.ScheduledProcedureSteps[0].StartDate!.Value.Year);
        });
    }

    [Theory]
    [InlineData("ScheduledProcedureStepSequence[0].Modality=CT")]
    [InlineData("ScheduledProcedureStepSequence[0].Modality=MR")]
    [InlineData("ScheduledProcedureStepSequence[0].ScheduledStationAETitle=NN77")]
    [InlineData("ScheduledProcedureStepSequence[0].ScheduledProcedureStepStartDate=19960101-19960430")]
    [InlineData("PatientName=HAYDN*")]
    [InlineData("PatientName=*")]
    public void Findscu_AgainstOurScp_MatchesLikeWlmscpfs(string key)
    {
        var theirs = FindscuPatientIds(WorklistFixture.WlmPort, "WLMSCP", key);
        var ours = FindscuPatientIds(WorklistFixture.OurPort, "OURWL", key);
        Assert.NotEmpty(ours);
        Assert.Equal(theirs, ours);
    }

    [Fact]
    public void Findscu_AgainstOurScp_ReturnsRequestedKeys()
    {
        var r = Run("findscu", ["-W", "-v", "-aec", "OURWL", "-k", "PatientName", "-k", "PatientBirthDate", "-k", "ScheduledProcedureStepSequence[0].Modality=MR",
            "-k", "ScheduledProcedureStepSequence[0].ScheduledPerformingPhysicianName", "127.0.0.1", WorklistFixture.OurPort.ToString()], TimeSpan.FromSeconds(30));
        var text = r.StdOut + r.StdErr;
        Assert.True(r.ExitCode == 0, Describe(r));
        Assert.Equal(2, Regex.Matches(text, @"Find Response: \d+ \(Pending").Count);
        Assert.Contains("(0010,0030) DA [", text);
        Assert.Contains("(0040,0006) PN [", text);
        Assert.DoesNotContain("(0010,2000)", text);   // Medical Alerts is in the items but was not asked for
    }
}
