using System.Diagnostics;
using System.Reflection;
using Dicom.Typed.Devices.SiemensSyngoCtVa50a;
using Dicom.Typed.Devices.SiemensSyngoCtVa50a.Sr;
using Dicom.Typed.Iod;
using Dicom.Typed.Sr;
using Xunit.Abstractions;

namespace Dicom.Typed.Devices.Tests;

/// <summary>
/// The typed SR content of the SR IODs (generated from definitions/&lt;device&gt;/sr-templates.json + sr-errata.json): built
/// through the template classes, written by ToDataset, checked by DCMTK's dsrdump (it validates the SR document structure and
/// the relationship constraints of the IOD) and read back equal.
/// </summary>
public sealed class SrContentRoundTripTests(ITestOutputHelper output)
{
    public static TheoryData<string> SrIodTypes()
    {
        var data = new TheoryData<string>();
        foreach (var t in typeof(SyngoCtDoseReport).Assembly.GetTypes().Where(t => t.GetProperty("Content")?.GetCustomAttribute<SrRowAttribute>() != null).OrderBy(t => t.FullName, StringComparer.Ordinal))
            data.Add(t.FullName!);
        return data;
    }

    [Fact]
    public void Every_SR_IOD_of_a_device_with_templates_has_typed_content()
    {
        var names = ((IEnumerable<object[]>)SrIodTypes()).Select(d => ((string)d[0]).Split('.').Last()).ToList();
        Assert.Equal(["AvwKeyObjectSelection", "SyngoCtComprehensiveSr", "SyngoCtDoseReport", "SyngoCtExamReport", "TriniasXRayRadiationDoseSr", "VereosConsoleCtRadiationDoseSr"], names.Order(StringComparer.Ordinal));
    }

    private static (IReadOnlyList<string> Problems, string Text) Dsrdump(string path)
    {
        const string program = "/usr/bin/dsrdump";
        if (!File.Exists(program)) throw new InvalidOperationException("dsrdump (DCMTK) is missing; see /work/shared/peers/README.md");
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(path);
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000)) { p.Kill(true); throw new TimeoutException("dsrdump did not finish"); }
        string text = o.Result + e.Result;
        return (text.Split('\n').Where(l => l.StartsWith("E:", StringComparison.Ordinal) || l.StartsWith("F:", StringComparison.Ordinal)).ToList(), text);
    }

    [Theory]
    [MemberData(nameof(SrIodTypes))]
    public void Realistic_content_passes_dsrdump_and_reads_back_equal(string typeName)
    {
        var type = typeof(SyngoCtDoseReport).Assembly.GetType(typeName)!;
        var iod = (IDicomIod)RealisticSample.Create(type);
        var content = type.GetProperty("Content")!.GetValue(iod);
        Assert.NotNull(content);
        var ds = iod.ToDataset();
        Assert.True(ds.GetSequence(SrTags.ContentSequence) is { Items.Count: > 0 }, "no Content Sequence written");
        string path = Path.Combine(Path.GetTempPath(), "dicom-typed-sr-" + type.Name + "-" + Guid.NewGuid().ToString("N")[..8] + ".dcm");
        try
        {
            new DicomFile(ds).Save(path);
            var (problems, text) = Dsrdump(path);
            output.WriteLine(text);
            Assert.True(problems.Count == 0, string.Join("\n", problems));
            var reread = DicomFile.Open(path).Dataset;
            var read = type.GetMethod("Read", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [reread])!;
            var findings = (IReadOnlyList<DicomFinding>)read.GetType().GetProperty("Findings")!.GetValue(read)!;
            // this test is about the content tree; findings on other attributes are the dciodvfy round trip's business (Open ratchet)
            string[] contentTags = ["(0040,A040)", "(0040,A043)", "(0040,A050)", "(0040,A504)", "(0040,A730)"];
            foreach (var f in findings.Where(f => !contentTags.Any(c => f.Path.StartsWith(c, StringComparison.Ordinal)))) output.WriteLine("(not content) " + f);
            var contentFindings = findings.Where(f => contentTags.Any(c => f.Path.StartsWith(c, StringComparison.Ordinal))).ToList();
            Assert.True(contentFindings.Count == 0, string.Join("\n", contentFindings));
            var value = read.GetType().GetProperty("Value")!.GetValue(read)!;
            var diffs = ObjectComparer.Differences(content!, type.GetProperty("Content")!.GetValue(value)!);
            Assert.True(diffs.Count == 0, string.Join("\n", diffs));
        }
        finally { File.Delete(path); }
    }

    private static CtIrradiationEventData Event(string uid, double ctdi, double dlp) => new()
    {
        AcquisitionProtocol = "Thorax routine",
        TargetRegion = new DicomCode("51185008", "SCT", "Chest"),
        CtAcquisitionType = new DicomCode("116152004", "SCT", "Spiral Acquisition"),
        ProcedureContext = new DicomCode("32317009", "SCT", "CT without contrast"),
        IrradiationEventUid = uid,
        CtAcquisitionParameters = new()
        {
            ExposureTime = 6.2, ScanningLength = 410, NominalSingleCollimationWidth = 0.6, NominalTotalCollimationWidth = 38.4, PitchFactor = 1.2, NumberOfXRaySources = 1,
            CtXRaySourceParameters = [new() { IdentificationOfTheXRaySource = "A", Kvp = 120, MaximumXRayTubeCurrent = 250, XRayTubeCurrent = 180, ExposureTimePerRotation = 0.5 }],
        },
        CtDose = new()
        {
            MeanCTDIvol = ctdi, CTDIwPhantomType = new DicomCode("113691", "DCM", "IEC Body Dosimetry Phantom"), Dlp = dlp,
            SizeSpecificDoseEstimate = new() { Value = 9.1, MeasurementMethod = [new DicomCode("113989", "DCM", "Arithmetic Average of SSDE(z)")], WaterEquivalentDiameter = new() { Value = 27.5, MeasurementMethod = new DicomCode("113987", "DCM", "AAPM 220") } },
            CtDoseCheckDetails = new(),
        },
    };

    /// <summary>A syngo CT dose report written by hand through the typed classes: the TID 10011 tree comes out as PS3.16 lays it out.</summary>
    private static CtRadiationDose SyngoDose() => new()
    {
        ObserverContext = new() { DeviceObserverUid = "1.2.826.0.1.3680043.10.543.5", DeviceObserverName = "CTAWP1", DeviceObserverManufacturer = "Siemens Healthineers", DeviceObserverModelName = "SOMATOM", DeviceObserverSerialNumber = "12345", DeviceObserverPhysicalLocationDuringObservation = "CT 1" },
        StartOfXRayIrradiation = DicomDateTime.Parse("20240131101500"),
        EndOfXRayIrradiation = DicomDateTime.Parse("20240131102000"),
        ScopeOfAccumulation = new() { StudyInstanceUid = "1.2.826.0.1.3680043.10.543.6" },
        CtAccumulatedDoseData = new() { TotalNumberOfIrradiationEvents = 2, CtDoseLengthProductTotal = 450.25 },
        CtIrradiationEventData = [Event("1.2.826.0.1.3680043.10.543.7", 7.3, 300.5), Event("1.2.826.0.1.3680043.10.543.8", 3.65, 149.75)],
        SourceOfDoseInformation = [new DicomCode("113856", "DCM", "Automated Data Collection")],
    };

    [Fact]
    public void Syngo_dose_report_tree_follows_TID_10011()
    {
        var root = SyngoDose().ToContentItem();
        Assert.Equal(new DicomCode("113701", "DCM", "X-Ray Radiation Dose Report"), root.ConceptName);
        Assert.Equal("10011", root.TemplateIdentifier);
        string Line(SrContentItem i) => (i.Relationship is { } r ? SrTerms.Text(r) : "-") + " " + SrTerms.Text(i.ValueType) + " " + i.ConceptName?.Value;
        Assert.Equal(
            ["HAS CONCEPT MOD CODE 121058", "HAS OBS CONTEXT CODE 121005", "HAS OBS CONTEXT UIDREF 121012", "HAS OBS CONTEXT TEXT 121013", "HAS OBS CONTEXT TEXT 121014",
             "HAS OBS CONTEXT TEXT 121015", "HAS OBS CONTEXT TEXT 121016", "HAS OBS CONTEXT TEXT 121017", "HAS OBS CONTEXT DATETIME 113809", "HAS OBS CONTEXT DATETIME 113810",
             "HAS OBS CONTEXT CODE 113705", "CONTAINS CONTAINER 113811", "CONTAINS CONTAINER 113819", "CONTAINS CONTAINER 113819", "CONTAINS CODE 113854"],
            root.Children.Select(Line));
        // Procedure reported carries its fixed value and Has Intent below it
        Assert.Equal("77477000", root.Children[0].Code!.Value);
        Assert.Equal(("HAS CONCEPT MOD", "261004008"), (SrTerms.Text(root.Children[0].Children[0].Relationship!.Value), root.Children[0].Children[0].Code!.Value));
        // NUM rows carry the PS3.16 units
        var dlp = root.Children[11].Children.Single(c => c.ConceptName!.Value == "113813");
        Assert.Equal(("450.25", "mGy.cm"), (dlp.Measurement!.Value.Text, dlp.Measurement.Units.Value));
        // the event's CT Dose container holds the SSDE with the water equivalent diameter it is INFERRED FROM (erratum of L12210)
        var ssde = root.Children[12].Children.Single(c => c.ConceptName!.Value == "113829").Children.Single(c => c.ConceptName!.Value == "113930");
        Assert.Equal(SrRelationshipType.InferredFrom, ssde.Children.Single(c => c.ConceptName!.Value == "113980").Relationship);
    }

    [Fact]
    public void Syngo_dose_report_read_reports_missing_and_foreign_content_with_paths()
    {
        var report = (SyngoCtDoseReport)RealisticSample.Create(typeof(SyngoCtDoseReport));
        typeof(SyngoCtDoseReport).GetProperty(nameof(SyngoCtDoseReport.Content))!.SetValue(report, SyngoDose()); // init-only: the sample's other members stay
        var ds = report.ToDataset();
        var items = ds.GetSequence(SrTags.ContentSequence)!.Items;
        // drop the mandatory End of X-Ray Irradiation, and add an item the template does not know
        var end = items.Single(i => i.GetSequence(SrTags.ConceptNameCodeSequence)!.Items[0].GetString(SrTags.CodeValue) == "113810");
        ds.GetSequence(SrTags.ContentSequence)!.Remove(end);
        ds.GetSequence(SrTags.ContentSequence)!.Add(new SrContentItem { Relationship = SrRelationshipType.Contains, ValueType = SrValueType.Text, ConceptName = new("121106", "DCM", "Comment"), Text = "extra" }.ToDataset());
        var read = SyngoCtDoseReport.Read(ds);
        Assert.Contains(read.Findings, f => f.Rule == DicomFindingRule.MissingType1 && f.Path == "(0040,A730)" && f.Message.Contains("113810", StringComparison.Ordinal));
        Assert.Contains(read.Findings, f => f.Rule == DicomFindingRule.UnexpectedAttribute && f.Path == "(0040,A730)[" + (items.Count - 1) + "]" && f.Message.Contains("Comment", StringComparison.Ordinal));
        // what could be read is kept
        Assert.Equal(450.25, read.Value.Content!.CtAccumulatedDoseData.CtDoseLengthProductTotal);
        Assert.Equal(2, read.Value.Content.CtIrradiationEventData.Count);
        // a NUM in other units than the template's is reported
        var ds2 = report.ToDataset();
        var acc = ds2.GetSequence(SrTags.ContentSequence)!.Items.Single(i => i.GetSequence(SrTags.ConceptNameCodeSequence)!.Items[0].GetString(SrTags.CodeValue) == "113811");
        var dlpItem = acc.GetSequence(SrTags.ContentSequence)!.Items.Single(i => i.GetSequence(SrTags.ConceptNameCodeSequence)!.Items[0].GetString(SrTags.CodeValue) == "113813");
        dlpItem.GetSequence(SrTags.MeasuredValueSequence)!.Items[0].AddOrUpdate(SrTags.MeasurementUnitsCodeSequence, SrCodes.ToDataset(new DicomCode("Gy.m", "UCUM", "Gy.m")));
        Assert.Contains(SyngoCtDoseReport.Read(ds2).Findings, f => f.Rule == DicomFindingRule.FixedValueMismatch && f.Message.Contains("Gy.m", StringComparison.Ordinal));
    }
}
