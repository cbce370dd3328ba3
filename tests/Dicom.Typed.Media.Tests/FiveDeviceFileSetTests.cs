using System.Reflection;
using Dicom.Typed.Conformance;
using Dicom.Typed.Devices.Tests;
using Dicom.Typed.Iod;

namespace Dicom.Typed.Media.Tests;

/// <summary>A file-set holding one typed sample instance of every IOD of all five devices (src/Dicom.Typed.Devices).</summary>
public class FiveDeviceFileSetTests
{
    private static readonly Assembly Devices = typeof(Dicom.Typed.Devices.PhilipsSmartctR13.SmartCtXaImage).Assembly;

    private static List<(Type Type, string Device, DicomDataset Dataset)> TypedSamples()
    {
        var list = new List<(Type, string, DicomDataset)>();
        int n = 0;
        foreach (var type in Devices.GetTypes().Where(t => t.GetCustomAttribute<DicomIodAttribute>() != null).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            n++;
            var iod = (IDicomIod)SampleFactory.Create(type);
            SrSample.Fill(iod); // SR IODs: their typed content tree (the document root and Content Sequence)
            var ds = iod.ToDataset();
            string device = type.GetCustomAttribute<DicomIodAttribute>()!.Device!;
            // one patient and one study per device, one series per IOD: the hierarchy the DICOMDIR must show
            int d = Array.IndexOf(DeviceIds, device) + 1;
            // values the device fixes (e.g. Vereos' QC report patient 'PET^QC') stay; sample defaults are replaced
            if (ds.GetStringOrDefault(DicomTag.PatientID, "Sample") is var pid && (pid.StartsWith("Sample", StringComparison.Ordinal) || pid.Trim().Length == 0)) ds.AddOrUpdate(DicomTag.PatientID, $"DEV{d}");
            if (ds.GetStringOrDefault(DicomTag.PatientName, "") == "Doe^Jane") ds.AddOrUpdate(DicomTag.PatientName, $"TYPED^DEVICE{d}");
            ds.AddOrUpdate(DicomTag.StudyInstanceUID, $"2.25.5000{d}");
            ds.AddOrUpdate(DicomTag.StudyID, $"S{d}");
            ds.AddOrUpdate(DicomTag.SeriesInstanceUID, $"2.25.5000{d}.{n}");
            CompleteConceptName(ds);
            CompleteBlending(ds);
            if (!ds.Contains(DicomTag.SOPInstanceUID) || ds.GetString(DicomTag.SOPInstanceUID).Length == 0) ds.AddOrUpdate(DicomTag.SOPInstanceUID, $"2.25.5000{d}.{n}.1");
            list.Add((type, device, ds));
        }
        return list;
    }

    /// <summary>The generic sample builder fills Type 1/2 members only; the Code Sequence Macro inside Concept Name Code Sequence items
    /// is not expanded in every vendor table, so the document title code is completed here (the DICOMDIR record needs it, Type 1).</summary>
    private static void CompleteConceptName(DicomDataset ds)
    {
        string sop = ds.GetString(DicomTag.SOPClassUID);
        var (value, scheme, meaning) = sop switch
        {
            "1.2.840.10008.5.1.4.1.1.88.59" => ("113000", "DCM", "Of Interest"),
            "1.2.840.10008.5.1.4.1.1.88.67" => ("113701", "DCM", "X-Ray Radiation Dose Report"),
            "1.2.840.10008.5.1.4.1.1.104.1" => ("121011", "DCM", "Report"),
            _ => ("11528-7", "LN", "Radiology Report"),
        };
        if (ds.GetSequence(DicomTag.ConceptNameCodeSequence) is { } seq && seq.Items.Count > 0)
        {
            var item = seq.Items[0];
            if (!item.Contains(DicomTag.CodeValue)) item.AddOrUpdate(DicomTag.CodeValue, value).AddOrUpdate(DicomTag.CodingSchemeDesignator, scheme).AddOrUpdate(DicomTag.CodeMeaning, meaning);
        }
        else if (sop.StartsWith("1.2.840.10008.5.1.4.1.1.88.", StringComparison.Ordinal))
        {
            ds.AddOrUpdate(new DicomSequence(DicomTag.ConceptNameCodeSequence, new DicomDataset()
                .AddOrUpdate(DicomTag.CodeValue, value).AddOrUpdate(DicomTag.CodingSchemeDesignator, scheme).AddOrUpdate(DicomTag.CodeMeaning, meaning)));
        }
    }

    /// <summary>A blending presentation state blends two images (Blending Sequence: 2 items, PS3.3 C.11.14); the sample builder makes one.</summary>
    private static void CompleteBlending(DicomDataset ds)
    {
        if (ds.GetSequence(new DicomTag(0x0070, 0x0402)) is not { Items.Count: 1 } seq) return;
        var first = seq.Items[0];
        var second = new DicomDataset();
        foreach (var i in first) second.AddOrUpdate(i);
        first.AddOrUpdate(new DicomTag(0x0070, 0x0405), "UNDERLYING");
        second.AddOrUpdate(new DicomTag(0x0070, 0x0405), "SUPERIMPOSED");
        seq.Add(second);
    }

    private static readonly string[] DeviceIds = ["philips-avw-ct-15.1.3", "philips-smartct-r1.3", "philips-vereos-2.0", "shimadzu-trinias", "siemens-syngo-ct-va50a"];

    [Fact]
    public async Task All_five_devices_in_one_file_set_pass_dciodvfy_dcdirdmp_pydicom_and_read_back_typed()
    {
        var samples = TypedSamples();
        Assert.Equal(DeviceIds, samples.Select(s => s.Device).Distinct().Order(StringComparer.Ordinal));
        string root = TestEnvironment.TempDir();
        var fs = DicomFileSet.Create(root, MediaApplicationProfile.GeneralPurposeCd, "FIVE_DEVICES");
        var recordTypes = new Dictionary<string, string>();
        foreach (var (type, device, ds) in samples)
        {
            var rec = fs.Add(new DicomFile(ds));
            recordTypes[type.Name] = rec.RecordType;
        }
        fs.Commit();
        // the record types the devices' IODs need
        Assert.Equal("IMAGE", recordTypes["SyngoCtImage"]);
        Assert.Equal("RAW DATA", recordTypes["SyngoCtRawData"]);
        Assert.Equal("SR DOCUMENT", recordTypes["SyngoCtExamReport"]);
        Assert.Equal("SR DOCUMENT", recordTypes["TriniasXRayRadiationDoseSr"]);
        Assert.Equal("REGISTRATION", recordTypes["VereosFusionSpatialRegistration"]);
        Assert.Equal("RT STRUCTURE SET", recordTypes["SyngoCtRtStructureSet"]);
        Assert.Equal("PRESENTATION", recordTypes["VereosBlendingPresentationState"]);
        Assert.Equal("WAVEFORM", recordTypes["VereosConsoleEcgWaveform"]);
        Assert.Equal("ENCAP DOC", recordTypes["AvwEncapsulatedPdf"]);
        Assert.Equal("KEY OBJECT DOC", recordTypes["AvwKeyObjectSelection"]);
        Assert.Equal("IMAGE", recordTypes["SmartCtXa3dImage"]);

        string dicomdir = Path.Combine(root, "DICOMDIR");
        var (rc, so, se) = TestEnvironment.Run(TestEnvironment.RequireProgram("dciodvfy"), [dicomdir]);
        var errors = (so + se).Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, string.Join('\n', errors));
        var (rc2, so2, se2) = TestEnvironment.Run(TestEnvironment.RequireProgram("dcdirdmp"), [dicomdir]);
        Assert.True(rc2 == 0 && !(so2 + se2).Contains("Error", StringComparison.Ordinal), so2 + se2);
        // every leaf record appears in dcdirdmp's dump with its File ID
        var dir = await DicomDirectory.OpenAsync(dicomdir);
        Assert.Empty(dir.Findings);
        string py = TestEnvironment.RunPython(FileSetTests.PydicomListing, dicomdir);
        Assert.Equal(py, FileSetTests.Listing(dir.RootRecords));
        Assert.Equal(samples.Select(s => s.Dataset.GetString(DicomTag.PatientID)).Distinct().Count(), dir.RootRecords.Count(r => r.RecordType == "PATIENT"));
        Assert.True(dir.RootRecords.Count(r => r.RecordType == "PATIENT") >= 5);

        // walk as IAsyncEnumerable, open instances lazily and read them with the generated typed classes
        var byInstance = samples.ToDictionary(s => s.Dataset.GetString(DicomTag.SOPInstanceUID), s => s.Type);
        int typed = 0;
        await foreach (var rec in dir.EnumerateRecordsAsync())
        {
            if (rec.ReferencedSopInstanceUid is not { } uid) continue;
            var file = await rec.OpenInstanceAsync();
            var type = byInstance[uid.Trim('\0', ' ')];
            Assert.Equal(rec.ReferencedSopClassUid, file.Dataset.GetString(DicomTag.SOPClassUID));
            var read = type.GetMethod("Read", BindingFlags.Public | BindingFlags.Static, [typeof(DicomDataset)])!.Invoke(null, [file.Dataset])!;
            var findings = (IReadOnlyList<DicomFinding>)read.GetType().GetProperty("Findings")!.GetValue(read)!;
            var bad = findings.Where(f => f.Severity == DicomFindingSeverity.Error).ToList();
            Assert.True(bad.Count == 0, $"{type.Name}: {string.Join("; ", bad)}");
            Assert.IsType(type, read.GetType().GetProperty("Value")!.GetValue(read));
            typed++;
        }
        Assert.Equal(samples.Count, typed);
    }

    [Fact]
    public void Typed_samples_de_identified_with_the_syngo_table_keep_nothing_identifying()
    {
        var samples = TypedSamples();
        var deid = new Deidentifier(DeidentificationProfile.FromDevice(DeviceDeidentificationTests.Device(DeviceDeidentificationTests.Syngo), "Full",
            DeviceDeidentificationTests.Settings(DeviceDeidentificationTests.Syngo)), "typed");
        string dir = TestEnvironment.TempDir();
        var pairs = new List<(string, string)>();
        string root = Path.Combine(dir, "fs");
        var fs = DicomFileSet.Create(root, MediaApplicationProfile.GeneralPurposeCd, "ANON_TYPED");
        foreach (var (type, _, ds) in samples)
        {
            string src = Path.Combine(dir, type.Name + ".in.dcm"), dst = Path.Combine(dir, type.Name + ".out.dcm");
            var file = new DicomFile(ds);
            file.Save(src);
            var anon = deid.Deidentify(file);
            anon.Save(dst);
            pairs.Add((src, dst));
            fs.Add(anon);
        }
        fs.Commit();
        string report = DeviceDeidentificationTests.Check(DeviceDeidentificationTests.Syngo, "Full", "", pairs);
        Assert.True(report.Trim().Length == 0, report);
        // UIDs stay consistent: one new study per device study, the DICOMDIR still groups them per device
        var studies = pairs.Select(p => DicomFile.Open(p.Item2).Dataset.GetString(DicomTag.StudyInstanceUID)).Distinct().Count();
        Assert.Equal(5, studies);
        var (rc, so, se) = TestEnvironment.Run(TestEnvironment.RequireProgram("dciodvfy"), [Path.Combine(root, "DICOMDIR")]);
        Assert.True(!(so + se).Split('\n').Any(l => l.StartsWith("Error", StringComparison.Ordinal)), so + se);
        // dciodvfy: no new errors on the typed syngo CT image
        var (inPath, outPath) = pairs.Single(p => p.Item1.EndsWith("SyngoCtImage.in.dcm", StringComparison.Ordinal));
        var before = DeviceDeidentificationTests.Errors(inPath);
        var after = DeviceDeidentificationTests.Errors(outPath);
        Assert.True(after.Except(before).Count() == 0, $"new errors:\n{string.Join('\n', after.Except(before))}");
    }
}
