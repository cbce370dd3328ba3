using Dicom.Typed.Network;
using Dicom.Typed.Network.Tests;
using static Dicom.Typed.Interop.TestEnvironment;

namespace Dicom.Typed.Interop;

/// <summary>Our SCP (OURSCP on 127.0.0.1:11201) driven by DCMTK's echoscu, storescu, findscu, movescu and getscu.
/// C-MOVE destination: a DCMTK storescp (MOVEDEST on 11202).</summary>
public sealed class OurScpFixture : IAsyncLifetime
{
    public const int ScpPort = 11201, MoveDestPort = 11202;
    public const string AE = "OURSCP";
    public string Work { get; } = TempDir("ourscp");
    public string StoreDir => Path.Combine(Work, "store");
    public DicomServer Server { get; private set; } = null!;
    public DicomFileStore Store { get; private set; } = null!;
    public string Study1 { get; } = DicomUid.GenerateValue();
    public string Study2 { get; } = DicomUid.GenerateValue();
    public string MoveDestDir => Path.Combine(Work, $"storescp-{MoveDestPort}");

    public async Task InitializeAsync()
    {
        RequireProgram("echoscu");
        TestData.Generate(StoreDir, "P1", Study1);
        TestData.Generate(StoreDir, "P1", Study1);
        TestData.Generate(StoreDir, "P2", Study2);
        Store = new DicomFileStore(StoreDir);
        var options = new DicomServerOptions { Connection = { Hostname = "127.0.0.1", Port = ScpPort } };
        options.ApplicationEntities.Add(new DicomApplicationEntity(AE,
            DicomTransferCapability.Verification().Concat(DicomTransferCapability.Storage()).Concat(DicomTransferCapability.QueryRetrieve())));
        options.RemoteApplicationEntities.Add(new DicomRemoteApplicationEntity("MOVEDEST", "127.0.0.1", MoveDestPort));
        Server = new DicomServer(options) { Storage = Store, Query = Store, Retrieve = Store };
        await Server.StartAsync();
        Peer(null, "storescp", MoveDestPort.ToString(), Work, "MOVEDEST");
    }

    public async Task DisposeAsync()
    {
        if (Server != null) await Server.StopAsync(TimeSpan.FromSeconds(2));
        try { Peer(null, "--stop", "storescp", MoveDestPort.ToString(), Work); } catch (InvalidOperationException) { }
        try { Directory.Delete(Work, true); } catch (IOException) { }
    }
}

public class DcmtkScuToOurScpTests(OurScpFixture f) : IClassFixture<OurScpFixture>
{
    private static readonly string[] Target = ["127.0.0.1", OurScpFixture.ScpPort.ToString()];

    [Fact]
    public void Echoscu_Succeeds()
    {
        var r = Run("echoscu", ["-aet", "DCMTKSCU", "-aec", OurScpFixture.AE, .. Target], TimeSpan.FromSeconds(15));
        Assert.True(r.ExitCode == 0, Describe(r));
    }

    [Fact]
    public void Echoscu_WithUnknownCalledAE_IsRejected()
    {
        var r = Run("echoscu", ["-aet", "DCMTKSCU", "-aec", "WRONGAE", .. Target], TimeSpan.FromSeconds(15));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("Called AE Title Not Recognized", r.StdOut + r.StdErr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Storescu_StoresFiles_Intact()
    {
        var data = TempDir("storescu");
        var files = new List<string> { TestData.File("CT_small.dcm"), TestData.File("MR_small.dcm") };
        for (int i = 0; i < 5; i++) files.Add(TestData.Generate(data, "STORE", DicomUid.GenerateValue()));
        var r = Run("storescu", ["-aet", "DCMTKSCU", "-aec", OurScpFixture.AE, .. Target, .. files], TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, Describe(r));
        foreach (var file in files)
        {
            var original = DicomFile.Open(file);
            var path = Path.Combine(f.StoreDir, original.Dataset.GetString(DicomTag.SOPInstanceUID) + ".dcm");
            Assert.True(File.Exists(path), path);
            var stored = DicomFile.Open(path);
            Assert.Equal(original.Dataset.GetString(DicomTag.PatientName), stored.Dataset.GetString(DicomTag.PatientName));
            Assert.Equal(original.Dataset.GetElement(DicomTag.PixelData)!.Bytes.ToArray(), stored.Dataset.GetElement(DicomTag.PixelData)!.Bytes.ToArray());
            Assert.Equal("DCMTKSCU", stored.FileMetaInformation.GetString(DicomTag.SourceApplicationEntityTitle).Trim());
        }
        Assert.Empty(Directory.GetFiles(Path.Combine(f.StoreDir, ".incoming")));
        Directory.Delete(data, true);
    }

    private static int CountPending(string output) =>
        output.Split('\n').Count(l => l.Contains("Find Response", StringComparison.Ordinal) && l.Contains("Pending", StringComparison.Ordinal));

    [Fact]
    public void Findscu_StudyRoot_FindsTheStudy()
    {
        var r = Run("findscu", ["-S", "-v", "-aet", "DCMTKSCU", "-aec", OurScpFixture.AE, "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientID=P1",
            "-k", "StudyInstanceUID", "-k", "PatientName", .. Target], TimeSpan.FromSeconds(20));
        var all = r.StdOut + r.StdErr;
        Assert.True(r.ExitCode == 0, Describe(r));
        Assert.Equal(1, CountPending(all));
        Assert.Contains(f.Study1, all);
        Assert.Contains("Test^P1", all);
    }

    [Fact]
    public void Findscu_PatientRoot_WithWildcard_FindsBothPatients()
    {
        var r = Run("findscu", ["-P", "-v", "-aet", "DCMTKSCU", "-aec", OurScpFixture.AE, "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientID=P?",
            "-k", "PatientName", .. Target], TimeSpan.FromSeconds(20));
        Assert.True(r.ExitCode == 0, Describe(r));
        Assert.Equal(2, CountPending(r.StdOut + r.StdErr));
    }

    [Fact]
    public void Movescu_MovesStudy_ToStorescp()
    {
        var r = Run("movescu", ["-S", "-aet", "DCMTKSCU", "-aec", OurScpFixture.AE, "-aem", "MOVEDEST", "-k", "QueryRetrieveLevel=STUDY",
            "-k", $"StudyInstanceUID={f.Study1}", .. Target], TimeSpan.FromSeconds(30));
        Assert.True(r.ExitCode == 0, Describe(r));
        var received = Directory.GetFiles(f.MoveDestDir).Where(p => Path.GetFileName(p).StartsWith("SC.", StringComparison.Ordinal)).ToList();
        Assert.True(received.Count >= 2, $"{received.Count} files at the destination\n{Describe(r)}");
    }

    [Fact]
    public void Movescu_ToUnknownDestination_IsRefused()
    {
        var r = Run("movescu", ["-S", "-aet", "DCMTKSCU", "-aec", OurScpFixture.AE, "-aem", "NOWHERE", "-k", "QueryRetrieveLevel=STUDY",
            "-k", $"StudyInstanceUID={f.Study1}", .. Target], TimeSpan.FromSeconds(30));
        Assert.Contains("MoveDestinationUnknown", r.StdOut + r.StdErr);
    }

    [Fact]
    public void Getscu_RetrievesStudy()
    {
        var od = TempDir("getscu");
        var r = Run("getscu", ["-S", "-aet", "DCMTKSCU", "-aec", OurScpFixture.AE, "-od", od, "-k", "QueryRetrieveLevel=STUDY",
            "-k", $"StudyInstanceUID={f.Study2}", .. Target], TimeSpan.FromSeconds(30));
        Assert.True(r.ExitCode == 0, Describe(r));
        var got = Directory.GetFiles(od);
        Assert.Single(got);
        Assert.Equal("P2", DicomFile.Open(got[0]).Dataset.GetString(DicomTag.PatientID));
        Directory.Delete(od, true);
    }
}
