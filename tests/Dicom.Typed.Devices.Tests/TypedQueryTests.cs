using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Dicom.Typed.Devices.PhilipsVereos20;
using Dicom.Typed.Devices.ShimadzuTrinias;
using Dicom.Typed.Iod;
using Dicom.Typed.IO;

namespace Dicom.Typed.Devices.Tests;

/// <summary>Query identifier semantics of the generated message classes: left out / universal / match, and what DCMTK's findscu sends for the same keys.</summary>
public sealed partial class TypedQueryTests
{
    private static TriniasWorklistQuery TriniasQuery() => new()
    {
        SpecificCharacterSet = "ISO_IR 100",
        PatientName = DicomQueryKey<DicomPersonName>.Universal,
        PatientID = DicomQueryKey<string>.Pattern("PAT*"),
        ScheduledProcedureStepSequence =
        [
            new TriniasWorklistQuery.ScheduledProcedureStepItem
            {
                Modality = "XA",
                ScheduledStationAETitle = "TRINIAS",
                ScheduledProcedureStepStartDate = DicomQueryKey<DicomDate>.Pattern("20240101-20241231"),
                ScheduledPerformingPhysicianName = DicomQueryKey<DicomPersonName>.Universal,
            },
        ],
    };

    [Fact]
    public void Left_out_universal_and_matching_keys_are_distinct_in_the_identifier()
    {
        var ds = TriniasQuery().ToDataset();
        Assert.Equal("ISO_IR 100", ds.GetString(DicomTag.SpecificCharacterSet));
        Assert.True(ds.GetElement(DicomTag.PatientName)!.IsEmpty);           // universal: present, zero length
        Assert.Equal("PAT*", ds.GetString(DicomTag.PatientID));               // wild card
        Assert.False(ds.Contains(DicomTag.Parse("0008,0050")));               // Accession Number left out
        Assert.False(ds.Contains(DicomTag.Parse("0040,1001")));               // Requested Procedure ID left out
        var item = Assert.Single(ds.GetSequence(DicomTag.Parse("0040,0100"))!.Items);
        Assert.Equal("XA", item.GetString(DicomTag.Parse("0008,0060")));
        Assert.Equal("20240101-20241231", item.GetString(DicomTag.Parse("0040,0002")));
        Assert.Equal(4, item.Count);
        Assert.Equal(4, ds.Count);   // Specific Character Set, Patient's Name, Patient ID, Scheduled Procedure Step Sequence
    }

    [Fact]
    public void Reading_a_find_response_returns_typed_keys_and_findings_without_throwing()
    {
        // a C-FIND response identifier as an SCP returns it: values, plus an attribute the query did not ask for and a wrong VR
        var response = new DicomDataset();
        response.AddOrUpdate(DicomTag.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100");
        response.AddOrUpdate(DicomTag.PatientName, DicomVR.PN, "Doe^Jane");
        response.AddOrUpdate(DicomTag.PatientID, DicomVR.SH, "PAT-0001");                  // LO in the dictionary and the definition
        response.AddOrUpdate(DicomTag.Parse("0010,0030"), DicomVR.DA, "19700101");         // not a key of Trinias' Table 9
        var sps = new DicomDataset();
        sps.AddOrUpdate(DicomTag.Parse("0008,0060"), DicomVR.CS, "XA");
        sps.AddOrUpdate(DicomTag.Parse("0040,0002"), DicomVR.DA, "20240131");
        response.AddOrUpdate(new DicomSequence(DicomTag.Parse("0040,0100"), sps));

        var result = TriniasWorklistQuery.Read(response);
        var q = result.Value;
        Assert.Equal("ISO_IR 100", q.SpecificCharacterSet);
        Assert.Equal(new DicomPersonName("Doe", "Jane").ToString(), q.PatientName!.Value.Value!.ToString());
        Assert.Equal("PAT-0001", q.PatientID!.Value.Value);
        Assert.Null(q.AccessionNumber);
        var item = Assert.Single(q.ScheduledProcedureStepSequence!);
        Assert.Equal("XA", item.Modality!.Value.Value);
        Assert.Equal(new DicomDate(2024, 1, 31), item.ScheduledProcedureStepStartDate!.Value.Value);
        Assert.Null(item.ScheduledStationAETitle);
        Assert.Contains(result.Findings, f => f.Rule == DicomFindingRule.WrongVR && f.Path == "(0010,0020)");
        Assert.Contains(result.Findings, f => f.Rule == DicomFindingRule.UnexpectedAttribute && f.Path == "(0010,0030)");
        Assert.Equal(2, result.Findings.Count);
    }

    [Fact]
    public void Invalid_key_values_are_findings_and_keep_their_text()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.Parse("0008,0052"), DicomVR.CS, "STUDY");
        ds.AddOrUpdate(DicomTag.Parse("0008,0020"), DicomVR.DA, "2024013");   // not a date
        ds.AddOrUpdate(DicomTag.Parse("0020,000D"), DicomVR.UI, "1.2.3\\1.2.4"); // list of UID matching
        var result = VereosStudyRootFindQuery.Read(ds);
        Assert.Equal("STUDY", result.Value.QueryRetrieveLevel);
        Assert.Equal("2024013", result.Value.StudyDate!.Value.Text);
        Assert.Contains(result.Findings, f => f.Rule == DicomFindingRule.InvalidValue && f.Path == "(0008,0020)");
        Assert.Equal("1.2.3\\1.2.4", result.Value.StudyInstanceUID!.Value.Text);
        Assert.Equal(ds.GetString(DicomTag.Parse("0020,000D")), result.Value.ToDataset().GetString(DicomTag.Parse("0020,000D")));
    }

    [Fact]
    public void Trinias_worklist_identifier_equals_what_findscu_sends_for_the_same_keys()
    {
        // findscu -W -v logs the request identifier it sends; wlmscpfs (DCMTK's worklist SCP) receives it on 127.0.0.1
        string work = Path.Combine(Path.GetTempPath(), $"dt-mwl-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        int port = FreePort();
        string startPeer = Path.Combine(RepoRoot(), "tests", "peers", "start-peer.sh");
        Assert.True(File.Exists(startPeer), "tests/peers/start-peer.sh is missing");
        var started = Run("bash", [startPeer, "wlmscpfs", port.ToString(System.Globalization.CultureInfo.InvariantCulture), work]);
        Assert.True(started.ExitCode == 0, "wlmscpfs did not start (run ./test.sh to install the peers): " + started.StdErr + started.StdOut);
        string findscuDump;
        try
        {
            var r = Run("findscu", ["-W", "-v", "-aet", "TRINIAS", "-aec", "WLMSCP", "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-k", "(0008,0005)=ISO_IR 100",
                "-k", "PatientName",
                "-k", "PatientID=PAT*",
                "-k", "(0040,0100)[0].Modality=XA",
                "-k", "(0040,0100)[0].ScheduledStationAETitle=TRINIAS",
                "-k", "(0040,0100)[0].ScheduledProcedureStepStartDate=20240101-20241231",
                "-k", "(0040,0100)[0].ScheduledPerformingPhysicianName"]);
            Assert.True(r.ExitCode == 0, "findscu failed: " + r.StdErr + r.StdOut);
            findscuDump = r.StdOut + r.StdErr;
        }
        finally
        {
            Run("bash", [startPeer, "--stop", "wlmscpfs", port.ToString(System.Globalization.CultureInfo.InvariantCulture), work]);
        }
        int start = findscuDump.IndexOf("Request Identifiers:", StringComparison.Ordinal);
        Assert.True(start >= 0, "findscu did not log its request identifiers:\n" + findscuDump);
        int end = findscuDump.IndexOf("Received", start, StringComparison.Ordinal);
        var expected = Elements(findscuDump[start..(end > 0 ? end : findscuDump.Length)]);
        Assert.True(expected.Count >= 8, string.Join("\n", expected));

        // ours, dumped by dcmdump from the raw data set in Explicit VR Little Endian (the transfer syntax findscu's log names)
        string file = Path.Combine(work, "ours.bin");
        using (var fs = File.Create(file)) new DicomDatasetWriter(fs, DicomTransferSyntax.Parse("1.2.840.10008.1.2.1")).Write(TriniasQuery().ToDataset());
        var dump = Run("dcmdump", ["-f", "-te", file]);
        Assert.True(dump.ExitCode == 0, "dcmdump failed: " + dump.StdErr);
        var actual = Elements(dump.StdOut);
        Directory.Delete(work, true);
        Assert.Equal(expected, actual);
    }

    /// <summary>Element lines of a DCMTK dump as "depth tag VR value VM keyword" (sequence and item lengths left out).</summary>
    private static List<string> Elements(string dump)
    {
        var list = new List<string>();
        foreach (var raw in dump.Split('\n'))
        {
            string line = raw.StartsWith("I: ", StringComparison.Ordinal) ? raw[3..] : raw;
            var m = ElementLine().Match(line);
            if (!m.Success) continue;
            string tag = m.Groups["tag"].Value.ToUpperInvariant();
            if (tag.StartsWith("(FFFE", StringComparison.Ordinal) && tag != "(FFFE,E000)") continue; // delimiters depend on the encoding
            string value = m.Groups["vr"].Value is "SQ" or "na" ? "" : m.Groups["value"].Value.Trim();
            list.Add($"{m.Groups["indent"].Value.Length} {tag} {m.Groups["vr"].Value} {value} vm={m.Groups["vm"].Value} {m.Groups["kw"].Value}");
        }
        return list;
    }

    [GeneratedRegex(@"^(?<indent>\s*)(?<tag>\([0-9a-fA-F]{4},[0-9a-fA-F]{4}\)) (?<vr>\w\w) (?<value>.*?)\s+#\s*(?:\d+|u/l),\s*(?<vm>\d+) (?<kw>\S+)\s*$")]
    private static partial Regex ElementLine();

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Dicom.Typed.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }

    private static (int ExitCode, string StdOut, string StdErr) Run(string program, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["TCP_NODELAY"] = "1";
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start " + program);
        var so = p.StandardOutput.ReadToEndAsync();
        var se = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(true);
            throw new TimeoutException(program + " did not finish in 60 s");
        }
        p.WaitForExit();
        return (p.ExitCode, so.Result, se.Result);
    }
}
