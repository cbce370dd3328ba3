using Dicom.Typed.Network;
using Dicom.Typed.Network.Definitions;
using Dicom.Typed.Network.Tests;
using static Dicom.Typed.Interop.TestEnvironment;

namespace Dicom.Typed.Interop;

/// <summary>The Shimadzu Trinias definitions against DCMTK: an SCP configured from its network definition (TRINIAS, 11381)
/// driven by storescu/echoscu, and its MWL query definition sent by our SCU to wlmscpfs (WLMSCP, 11380).</summary>
public sealed class TriniasFixture : IAsyncLifetime
{
    public const int WlmPort = 11380, ScpPort = 11381;
    public string Work { get; } = TempDir("trinias");
    public DeviceNetworkProfile Profile { get; } = DeviceNetworkProfile.Load(Path.Combine(RepoRoot, "definitions", "shimadzu-trinias"));
    public DicomServer Server { get; private set; } = null!;
    public DicomFileStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Peer(null, "wlmscpfs", WlmPort.ToString(), Work);
        Store = new DicomFileStore(Path.Combine(Work, "store"));
        Server = new DicomServer(Profile.CreateServerOptions("TRINIAS", ScpPort)) { Storage = Store };
        await Server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (Server != null) await Server.StopAsync(TimeSpan.FromSeconds(2));
        try { Peer(null, "--stop", "wlmscpfs", WlmPort.ToString(), Work); } catch (InvalidOperationException) { }
        try { Directory.Delete(Work, true); } catch (IOException) { }
    }
}

public class TriniasDefinitionInteropTests(TriniasFixture f) : IClassFixture<TriniasFixture>
{
    private static readonly string[] Target = ["127.0.0.1", TriniasFixture.ScpPort.ToString()];

    [Fact]
    public void Storescu_SecondaryCapture_IsAccepted_CtIsNot()
    {
        var sc = TestData.Generate(Path.Combine(f.Work, "sc"), "TRI1", DicomUid.GenerateValue());
        var ok = Run("storescu", ["-aet", "DCMTKSCU", "-aec", "TRINIAS", .. Target, sc], TimeSpan.FromSeconds(30));
        Assert.True(ok.ExitCode == 0, Describe(ok));
        Assert.True(f.Store.TryGetInstance(DicomFile.Open(sc).Dataset.GetString(DicomTag.SOPInstanceUID), out _, out var cls));
        Assert.Equal(DicomUid.SecondaryCaptureImageStorage.Value, cls);

        int before = f.Store.Count;
        var ct = Run("storescu", ["-aet", "DCMTKSCU", "-aec", "TRINIAS", .. Target, TestData.File("CT_small.dcm")], TimeSpan.FromSeconds(30));
        Assert.NotEqual(0, ct.ExitCode);   // CT Image Storage is not among the Trinias SCP presentation contexts
        Assert.Equal(before, f.Store.Count);
        Assert.False(f.Profile.Accepts(DicomUid.CTImageStorage.Value).Accepted);
    }

    [Fact]
    public void Echoscu_IsRefused_VerificationIsScuOnlyInTheStatement()
    {
        var r = Run("echoscu", ["-aet", "DCMTKSCU", "-aec", "TRINIAS", .. Target], TimeSpan.FromSeconds(15));
        Assert.NotEqual(0, r.ExitCode);
    }

    [Fact]
    public async Task TriniasWorklistQuery_AgainstWlmscpfs()
    {
        var query = DeviceMessageTemplates.CreateWorklistQuery(f.Profile.LoadMessage("TriniasWorklistQuery"));
        query.Modality = "CT";
        var items = new List<DicomWorklistItem>();
        await foreach (var i in new DicomWorklistScu(new DicomClientOptions { Host = "127.0.0.1", Port = TriniasFixture.WlmPort, CallingAE = "TRINIAS", CalledAE = "WLMSCP" })
                           .FindAsync(query))
            items.Add(i);
        Assert.Equal(4, items.Count);   // the four CT steps of dcmtk's example worklist
        Assert.All(items, i =>
        {
            Assert.NotNull(i.PatientId);
            Assert.NotNull(i.AccessionNumber);
            Assert.NotNull(i.RequestedProcedureId);
            Assert.Equal("CT", i.ScheduledProcedureSteps.Single().Modality);
            Assert.False(i.Dataset.Contains(DicomTag.PatientBirthDate));   // not a Trinias key (statement Table 9)
        });
    }
}
