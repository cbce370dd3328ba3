using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Dicom.Typed.Network;
using Dicom.Typed.Network.Tests;
using static Dicom.Typed.Interop.TestEnvironment;

namespace Dicom.Typed.Interop;

/// <summary>SOP Class Extended Negotiation (PS3.7 D.3.3.5) with DCMTK in both directions. DCMTK's storescu and storescp send
/// and answer Storage extended negotiation from an association negotiation profile (<c>-xf FILE PROFILE</c>, dcmnet's
/// asconfig.txt, supersection <c>[[ExtendedNegotiation]]</c>) and print both sub-item lists with <c>-d</c>; those printouts are
/// what these tests read on DCMTK's side.</summary>
public partial class DcmtkExtendedNegotiationTests
{
    private const int StorescpPort = 11396;
    private const string Mr = "1.2.840.10008.5.1.4.1.1.4";

    /// <summary>Storescu asks for CT and MR Storage (Level 2, Signature Level 3, no coercion: asconfig.txt's example bytes);
    /// storescp answers CT with Level 1, Signature Level 2, may coerce, and says nothing about MR.</summary>
    private const string Config = """
        [[TransferSyntaxes]]
        [Uncompressed]
        TransferSyntax1 = LittleEndianExplicit
        TransferSyntax2 = LittleEndianImplicit

        [[PresentationContexts]]
        [CtMr]
        PresentationContext1 = CTImageStorage\Uncompressed
        PresentationContext2 = MRImageStorage\Uncompressed
        PresentationContext3 = VerificationSOPClass\Uncompressed

        [[ExtendedNegotiation]]
        [ScuAsks]
        ExtendedNegotiation1 = CTImageStorage\020003000000
        ExtendedNegotiation2 = MRImageStorage\020003000000
        [ScpAnswers]
        ExtendedNegotiation1 = CTImageStorage\010002000100

        [[Profiles]]
        [Scu]
        PresentationContexts = CtMr
        ExtendedNegotiation = ScuAsks
        [Scp]
        PresentationContexts = CtMr
        ExtendedNegotiation = ScpAnswers
        """;

    private static string WriteConfig(string dir)
    {
        var path = Path.Combine(dir, "extneg.cfg");
        File.WriteAllText(path, string.Join('\n', Config.Split('\n').Select(l => l.Trim())) + "\n");
        return path;
    }

    /// <summary>The sub-items of one list in DCMTK's association dump ("Requested Extended Negotiation:" or "Accepted Extended
    /// Negotiation:"), of the last association printed: SOP class UID → bytes.</summary>
    private static Dictionary<string, byte[]> DcmtkList(string log, string heading)
    {
        var lines = log.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        int at = lines.FindLastIndex(l => l.Contains(heading, StringComparison.Ordinal));
        Assert.True(at >= 0, $"'{heading}' not in DCMTK's output:\n{log}");
        var items = new Dictionary<string, byte[]>();
        if (lines[at].TrimEnd().EndsWith("none", StringComparison.Ordinal)) return items;
        for (int i = at + 1; i + 1 < lines.Count; i += 2)
        {
            var uid = UidInParentheses().Match(lines[i]);
            var bytes = HexBytes().Matches(lines[i + 1]);
            if (!uid.Success || bytes.Count == 0) break;
            items[uid.Groups[1].Value] = bytes.Select(m => Convert.ToByte(m.Groups[1].Value, 16)).ToArray();
        }
        return items;
    }

    [GeneratedRegex(@"^D:\s+=\S+ \(([0-9.]+)\)$")]
    private static partial Regex UidInParentheses();

    [GeneratedRegex(@"0x([0-9a-fA-F]{2})")]
    private static partial Regex HexBytes();

    [Fact]
    public async Task Storescu_ProposesStorageExtendedNegotiation_OurScpAnswersPerSopClass()
    {
        RequireProgram("storescu");
        var asked = new ConcurrentQueue<ExtendedNegotiation>();
        var answer = new DicomStorageApplicationInformation(DicomStorageLevelOfSupport.Level2, DicomDigitalSignatureSupport.Level1,
            DicomElementCoercion.DoesNotCoerce);
        await using var scp = await TestScp.StartAsync(o => o.SopClassExtendedNegotiation = e =>
        {
            asked.Enqueue(e);
            return e.SopClassUid == DicomUid.CTImageStorage.Value ? answer.ToBytes() : null; // nothing to say about MR
        });
        var work = TempDir("extneg-scu");
        try
        {
            var ct = TestData.File("CT_small.dcm");
            var r = Run("storescu", ["-d", "-xf", WriteConfig(work), "Scu", "-aet", "DCMTKSCU", "-aec", TestScp.AE, "127.0.0.1", scp.Port.ToString(), ct],
                TimeSpan.FromSeconds(30));
            Assert.True(r.ExitCode == 0, Describe(r));

            // What storescu sent reached the callback unchanged, one call per SOP class with an accepted context.
            Assert.Equal([DicomUid.CTImageStorage.Value, Mr], asked.Select(e => e.SopClassUid).Order(StringComparer.Ordinal));
            foreach (var e in asked)
            {
                Assert.Equal([2, 0, 3, 0, 0, 0], e.ServiceClassApplicationInformation);
                Assert.Equal(new DicomStorageApplicationInformation(DicomStorageLevelOfSupport.Level2, DicomDigitalSignatureSupport.Level3,
                    DicomElementCoercion.DoesNotCoerce), DicomStorageApplicationInformation.Parse(e.ServiceClassApplicationInformation));
            }

            // storescu saw our answer for CT and none for MR.
            var log = r.StdOut + r.StdErr;
            var accepted = DcmtkList(log, "Accepted Extended Negotiation:");
            Assert.Equal([DicomUid.CTImageStorage.Value], accepted.Keys);
            Assert.Equal(answer.ToBytes(), accepted[DicomUid.CTImageStorage.Value]);
            Assert.Single(scp.StoredFiles());
        }
        finally
        {
            Directory.Delete(work, true);
        }
    }

    [Fact]
    public async Task OurScu_ProposesStorageExtendedNegotiation_StorescpAnswerIsParsed()
    {
        var work = TempDir("extneg-scp");
        var cfg = WriteConfig(work);
        Peer(new Dictionary<string, string> { ["PEERS_ARGS"] = $"-d -xf {cfg} Scp" }, "storescp", StorescpPort.ToString(), work);
        try
        {
            var ours = new DicomStorageApplicationInformation(DicomStorageLevelOfSupport.Level2, DicomDigitalSignatureSupport.Level3,
                DicomElementCoercion.DoesNotCoerce);
            var client = new DicomClientOptions { Host = "127.0.0.1", Port = StorescpPort, CallingAE = "OURSCU", CalledAE = "STORESCP" };
            client.ExtendedNegotiations.Add(ours.For(DicomUid.CTImageStorage.Value));
            // Not proposed as a presentation context below: must not be sent.
            client.ExtendedNegotiations.Add(new ExtendedNegotiation(DicomUid.StudyRootQueryRetrieveInformationModelFind.Value,
                DicomQueryRetrieveApplicationInformation.ToBytes(DicomQueryExtendedFeatures.RelationalQueries)));

            var ct = DicomFile.Open(TestData.File("CT_small.dcm"));
            await using (var association = await DicomClient.ConnectAsync(client,
                [new PresentationContext(1, DicomUid.CTImageStorage.Value, [DicomTransferSyntax.ExplicitVRLittleEndian.Uid])]))
            {
                var answer = Assert.Single(association.Accept.ExtendedNegotiations);
                Assert.Equal(DicomUid.CTImageStorage.Value, answer.SopClassUid);
                Assert.Equal(new DicomStorageApplicationInformation(DicomStorageLevelOfSupport.Level1, DicomDigitalSignatureSupport.Level2,
                    DicomElementCoercion.MayCoerce), DicomStorageApplicationInformation.Parse(answer.ServiceClassApplicationInformation));
                await association.ReleaseAsync();
            }

            // The high-level SCU proposes the same items with the contexts it builds from the files; storescp stores the file.
            var results = await new DicomStorageScu(client).StoreAsync([TestData.File("CT_small.dcm")]);
            Assert.Equal(DicomStatus.Success, Assert.Single(results).Status);

            var log = File.ReadAllText(Path.Combine(work, $"storescp-{StorescpPort}.log"));
            var requested = DcmtkList(log, "Requested Extended Negotiation:");
            Assert.Equal([DicomUid.CTImageStorage.Value], requested.Keys);
            Assert.Equal(ours.ToBytes(), requested[DicomUid.CTImageStorage.Value]);
            Assert.Equal([1, 0, 2, 0, 1, 0], DcmtkList(log, "Accepted Extended Negotiation:")[DicomUid.CTImageStorage.Value]);
            Assert.Contains(Directory.GetFiles(Path.Combine(work, $"storescp-{StorescpPort}")),
                p => Path.GetFileName(p).EndsWith("." + ct.Dataset.GetString(DicomTag.SOPInstanceUID), StringComparison.Ordinal));
        }
        finally
        {
            try { Peer(null, "--stop", "storescp", StorescpPort.ToString(), work); } catch (InvalidOperationException) { }
            Directory.Delete(work, true);
        }
    }
}
