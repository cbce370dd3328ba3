using Dicom.Typed.Conformance;
using Dicom.Typed.Definitions;

namespace Dicom.Typed.Media.Tests;

/// <summary>De-identification driven by the devices' typed tables (syngo CT Table 73/74 + raw data, Vereos Table 89), checked by an
/// independent pydicom reading of device.json and errata.json.</summary>
public class DeviceDeidentificationTests
{
    internal const string Syngo = "siemens-syngo-ct-va50a";
    internal const string Vereos = "philips-vereos-2.0";

    private static readonly string[] Samples = ["CT_small.dcm", "MR_small.dcm", "rtplan.dcm", "rtstruct.dcm", "test-SR.dcm", "priv_SQ.dcm", "nested_priv_SQ.dcm", "waveform_ecg.dcm"];

    internal static string Definitions(string device, string file) => Path.Combine(TestEnvironment.RepoRoot(), "definitions", device, file);

    internal static DeviceDefinition Device(string id) => DefinitionsJson.Load<DeviceDefinition>(Definitions(id, "device.json"));

    internal static DeviceDeidentificationSettings Settings(string id, params string[] options)
    {
        var s = new DeviceDeidentificationSettings { Errata = DefinitionsJson.Load<ErrataFile>(Definitions(id, "errata.json")) };
        foreach (var o in options) s.SelectedOptions.Add(o);
        return s;
    }

    /// <summary>
    /// Independent check: reads the device's rows itself (errata 'tag' corrections applied), resolves each row's action at the level
    /// (and options), and checks every element of the output: X absent, Z empty, D/U changed from every original value of the tag,
    /// K unchanged; private elements per the level's policy; no original instance/series/study UID left anywhere (references);
    /// one new UID per original UID across all files; Patient Identity Removed and the method code sequence.
    /// </summary>
    internal const string Checker = """
import sys, json, pydicom
dev, errata, level, opts = sys.argv[1], sys.argv[2], sys.argv[3], [o for o in sys.argv[4].split(',') if o]
files = sys.argv[5:]
d = json.load(open(dev))['deidentification']
err = json.load(open(errata))['errata']
def act(r):
    a = [x for x in r['actions'] if x['level'] == level]
    for x in a:
        if x.get('option') in opts: return x['action']
    return [x for x in a if x.get('option') is None][0]['action']
def rows(rs):
    out = []
    for r in rs:
        tag = r['tag']
        for e in err:
            if e['field'] == 'tag' and e['table'] == r['provenance'].get('table') and e['line'] == r['provenance']['lines'][0] and e['tag'] == tag: tag = e['to']
        out.append((tag.replace(',', '').upper(), act(r), r['name']))
    return out
std, raw = rows(d['standardRows']), rows(d['rawDataRows'])
policy = [l for l in d['levels'] if l['name'] == level][0]['privatePolicy']
priv = {(r['group'].upper(), r.get('creator'), r['element'].upper()): act(r) for r in d['privateRows']}
def find(rs, tag):
    t = '%08X' % tag
    for p, a, n in rs:
        if all(pc == 'X' or pc == c for pc, c in zip(p, t)): return a, n
    return None, None
def empty(e): return e.value in (None, '', b'') or (e.VR == 'SQ' and len(e.value) == 0)
def vals(ds):
    out = {}
    for e in ds.iterall():
        if e.VR != 'SQ' and not empty(e): out.setdefault(int(e.tag), set()).add(str(e.value))
    return out
bad, uidmap, replaced = [], {}, set()
pairs = list(zip(files[0::2], files[1::2]))
loaded = [(pydicom.dcmread(a, force=True), pydicom.dcmread(b), b) for a, b in pairs]
for o, dd, name in loaded:
    rs = raw if raw and str(o.get('SOPClassUID', '')) == '1.2.840.10008.5.1.4.1.1.66' else std
    for kw in ('SOPInstanceUID', 'SeriesInstanceUID', 'StudyInstanceUID', 'FrameOfReferenceUID'):
        a, _ = find(rs, int(pydicom.datadict.tag_for_keyword(kw)))
        if a == 'U' and kw in o: replaced.add(str(o[kw].value))
for o, dd, name in loaded:
    rs = raw if raw and str(o.get('SOPClassUID', '')) == '1.2.840.10008.5.1.4.1.1.66' else std
    ov = vals(o)
    if dd.get('PatientIdentityRemoved') != 'YES': bad.append(f'{name}: Patient Identity Removed')
    codes = [i.CodeValue for i in dd.get('DeidentificationMethodCodeSequence', [])]
    if '113100' not in codes: bad.append(f'{name}: method codes {codes}')
    for e in dd.iterall():
        tag = int(e.tag)
        if e.tag.is_private:
            if e.tag.element < 0x1000: continue
            cr = dd.get((e.tag.group, e.tag.element >> 8))
            key = ('%04X' % e.tag.group, cr.value if cr is not None else None, '%02X' % (e.tag.element & 0xFF))
            a = priv.get(key)
            if policy in ('removeAll', 'unspecified'): bad.append(f'{name}: private {e.tag} {key} kept ({policy})')
            elif policy == 'keepListed' and a != 'K': bad.append(f'{name}: private {e.tag} {key} kept, row {a}')
            elif policy == 'removeListed' and a is not None and a != 'K': bad.append(f'{name}: private {e.tag} {key} kept, row {a}')
            continue
        if e.VR == 'UI' and not empty(e):
            for v in (e.value if isinstance(e.value, pydicom.multival.MultiValue) else [e.value]):
                if str(v) in replaced: bad.append(f'{name}: {e.tag} {e.keyword} still holds replaced UID {v}')
        a, n = find(rs, tag)
        if a is None or tag in (0x00120062, 0x00120063, 0x00120064, 0x00280301): continue
        if a == 'X': bad.append(f'{name}: {e.tag} {n} present ({a})')
        elif a == 'Z' and not empty(e): bad.append(f'{name}: {e.tag} {n} = {e.value!r} ({a})')
        elif a in ('D', 'U') and e.VR != 'SQ' and not empty(e) and str(e.value) in ov.get(tag, ()): bad.append(f'{name}: {e.tag} {n} keeps {e.value!r} ({a})')
    for kw in ('StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID'):
        a, _ = find(rs, int(pydicom.datadict.tag_for_keyword(kw)))
        if kw in o and kw in dd:
            if a == 'U': uidmap.setdefault(str(o[kw].value), set()).add(str(dd[kw].value))
            if a == 'K' and str(o[kw].value) != str(dd[kw].value): bad.append(f'{name}: {kw} changed but row says K')
for k, v in uidmap.items():
    if len(v) != 1: bad.append(f'UID {k} mapped to {sorted(v)}')
news = [next(iter(v)) for v in uidmap.values()]
if len(news) != len(set(news)): bad.append('two original UIDs share a new UID')
print('\n'.join(bad))
print(f'checked {len(loaded)} files, {len(uidmap)} UIDs', file=sys.stderr)
""";

    internal static string Check(string device, string level, string options, IEnumerable<(string Original, string Output)> files)
    {
        var args = new List<string> { Definitions(device, "device.json"), Definitions(device, "errata.json"), level, options };
        foreach (var (o, d) in files) { args.Add(o); args.Add(d); }
        return TestEnvironment.RunPython(Checker, [.. args]);
    }

    /// <summary>CT_small with Siemens private blocks (listed and unlisted elements) and a foreign creator, in two series of one study.</summary>
    private static List<(string Name, DicomFile File)> SiemensStudy()
    {
        var list = new List<(string, DicomFile)>();
        for (int i = 0; i < 3; i++)
        {
            var f = DicomFile.Open(TestEnvironment.Sample("CT_small.dcm"));
            var ds = f.Dataset;
            ds.AddOrUpdate(DicomTag.SOPInstanceUID, $"1.3.12.2.1107.5.1.4.9999.{i + 1}");
            ds.AddOrUpdate(DicomTag.SeriesInstanceUID, $"1.3.12.2.1107.5.1.4.9999.{(i < 2 ? 100 : 200)}");
            ds.AddOrUpdate(DicomTag.StudyInstanceUID, "1.3.12.2.1107.5.1.4.9999.1000");
            ds.AddOrUpdate(DicomTag.InstitutionName, "St. Elsewhere Hospital");
            ds.AddOrUpdate(DicomTag.ReferencedImageSequence, new DicomDataset()
                .AddOrUpdate(DicomTag.ReferencedSOPClassUID, "1.2.840.10008.5.1.4.1.1.2")
                .AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, $"1.3.12.2.1107.5.1.4.9999.{(i + 1) % 3 + 1}"));
            var csa = ds.ReservePrivateTag(0x0029, "SIEMENS CSA HEADER", 0x10);
            ds.AddOrUpdate(new DicomElement(csa, DicomVR.OB, DicomBuffer.FromMemory(new byte[] { 1, 2, 3, 4 })));
            var unlisted = ds.ReservePrivateTag(0x0029, "SIEMENS CSA HEADER", 0x30);
            ds.AddOrUpdate(DicomElement.FromStrings(unlisted, DicomVR.LO, ds.CharacterSet, "unlisted element"));
            var coad = ds.ReservePrivateTag(0x0019, "SIEMENS CT VA0 COAD", 0x90);
            ds.AddOrUpdate(DicomElement.FromStrings(coad, DicomVR.DS, ds.CharacterSet, "1.5"));
            var acme = ds.ReservePrivateTag(0x0041, "ACME IMAGING 1.0", 0x10);
            ds.AddOrUpdate(DicomElement.FromStrings(acme, DicomVR.LO, ds.CharacterSet, "DOE JOHN"));
            list.Add(($"SIEMENS{i}.dcm", f));
        }
        // a Raw Data Storage instance of the same study (the raw-data table applies)
        var raw = new DicomDataset()
            .AddOrUpdate(DicomTag.SOPClassUID, "1.2.840.10008.5.1.4.1.1.66").AddOrUpdate(DicomTag.SOPInstanceUID, "1.3.12.2.1107.5.1.4.9999.9")
            .AddOrUpdate(DicomTag.StudyInstanceUID, "1.3.12.2.1107.5.1.4.9999.1000").AddOrUpdate(DicomTag.SeriesInstanceUID, "1.3.12.2.1107.5.1.4.9999.300")
            .AddOrUpdate(DicomTag.PatientName, "CompressedSamples^CT1").AddOrUpdate(DicomTag.PatientID, "1CT1").AddOrUpdate(DicomTag.PatientBirthDate, "19700101")
            .AddOrUpdate(DicomTag.PatientSex, "F").AddOrUpdate(DicomTag.StudyID, "1CT1").AddOrUpdate(DicomTag.AccessionNumber, "ACC1")
            .AddOrUpdate(DicomTag.ReferringPhysicianName, "DR^WHO").AddOrUpdate(DicomTag.SeriesDescription, "raw")
            .AddOrUpdate(DicomTag.ManufacturerModelName, "SOMATOM").AddOrUpdate(DicomTag.Modality, "CT")
            .AddOrUpdate(DicomTag.StudyDate, "20240101").AddOrUpdate(DicomTag.StudyTime, "101010").AddOrUpdate(DicomTag.InstanceNumber, "1")
            .AddOrUpdate(DicomTag.SeriesNumber, "3").AddOrUpdate(DicomTag.ContentDate, "20240101").AddOrUpdate(DicomTag.ContentTime, "101010");
        list.Add(("RAW.dcm", new DicomFile(raw)));
        return list;
    }

    [Theory]
    [InlineData("Full")]
    [InlineData("Reduced")]
    [InlineData("Service")]
    public void Syngo_levels_on_real_and_siemens_files_checked_by_pydicom(string level)
    {
        var profile = DeidentificationProfile.FromDevice(Device(Syngo), level, Settings(Syngo));
        var deid = new Deidentifier(profile, "syngo-secret");
        string dir = TestEnvironment.TempDir();
        var pairs = new List<(string, string)>();
        var inputs = Samples.Select(s => (s, DicomFile.Open(TestEnvironment.Sample(s)))).Concat(SiemensStudy()).ToList();
        foreach (var (name, file) in inputs)
        {
            string src = Path.Combine(dir, "in-" + name), dst = Path.Combine(dir, "out-" + name);
            file.Save(src);
            deid.Deidentify(file).Save(dst);
            pairs.Add((src, dst));
        }
        string report = Check(Syngo, level, "", pairs);
        Assert.True(report.Trim().Length == 0, report);

        // the level's private policy, seen from our reader
        var siemens = DicomFile.Open(pairs.Single(p => p.Item2.EndsWith("out-SIEMENS0.dcm", StringComparison.Ordinal)).Item2).Dataset;
        string[] creators = [.. siemens.Where(i => i.Tag.IsPrivateCreator).Select(i => ((DicomElement)i).GetString().Trim())];
        bool unlistedCsa = siemens.Any(i => i.Tag.IsPrivate && !i.Tag.IsPrivateCreator && (i.Tag.Element & 0xFF) == 0x30
            && siemens.GetPrivateCreator(i.Tag)?.Trim() == "SIEMENS CSA HEADER");
        switch (level)
        {
            case "Full":
                Assert.Empty(creators);
                break;
            case "Reduced":
                // only creators of Table 74 rows, and only their listed elements (0029,xx30 is not listed)
                Assert.Contains("SIEMENS CSA HEADER", creators);
                Assert.Contains("SIEMENS CT VA0 COAD", creators);
                Assert.All(creators, c => Assert.Contains(c, Device(Syngo).Deidentification!.PrivateRows.Select(r => r.Creator)));
                Assert.False(unlistedCsa);
                break;
            case "Service":
                Assert.Contains("ACME IMAGING 1.0", creators);
                Assert.Contains("GEMS_IDEN_01", creators);
                Assert.True(unlistedCsa);
                break;
        }
        var raw = DicomFile.Open(pairs.Single(p => p.Item2.EndsWith("out-RAW.dcm", StringComparison.Ordinal)).Item2).Dataset;
        // raw-data table: Manufacturer's Model Name removed only at Full; Study ID emptied at every level (Table 73 keeps it at Service)
        Assert.Equal(level != "Full", raw.Contains(DicomTag.ManufacturerModelName));
        Assert.Equal("", raw.GetStringOrDefault(DicomTag.StudyID, "?"));
        // errata: the raw-data row printed with (0010,0020) acts on Patient's Birth Date
        Assert.NotEqual("19700101", raw.GetStringOrDefault(DicomTag.PatientBirthDate, ""));
        // L5345 'DateTime.Now': the birth date becomes the current date; L5347 Patients Sex 'O' at Full only
        var birth = DateTime.ParseExact(raw.GetString(DicomTag.PatientBirthDate), "yyyyMMdd", null);
        Assert.InRange((DateTime.UtcNow.Date - birth).TotalDays, 0, 1);
        Assert.Equal(level == "Full" ? "O" : "F", raw.GetString(DicomTag.PatientSex));
        Assert.Equal("1CT1", raw.GetStringOrDefault(DicomTag.PatientID, "")); // not listed by the raw-data table: kept
    }

    [Fact]
    public void The_pydicom_checker_rejects_an_untouched_file()
    {
        string ct = TestEnvironment.Sample("CT_small.dcm");
        string report = Check(Syngo, "Full", "", [(ct, ct)]);
        Assert.Contains("Patient Identity Removed", report);
        Assert.Contains(" keeps ", report);
        Assert.Contains("private", report);
        Assert.Contains("still holds replaced UID", Check(Vereos, "Anonymization", "", [(ct, ct)]));
    }

    [Fact]
    public void Syngo_full_output_has_no_new_dciodvfy_errors()
    {
        var deid = new Deidentifier(DeidentificationProfile.FromDevice(Device(Syngo), "Full", Settings(Syngo)), "v");
        string dir = TestEnvironment.TempDir();
        foreach (var s in new[] { "CT_small.dcm", "MR_small.dcm", "rtstruct.dcm" })
        {
            string dst = Path.Combine(dir, s);
            deid.Deidentify(DicomFile.Open(TestEnvironment.Sample(s))).Save(dst);
            var before = Errors(TestEnvironment.Sample(s));
            var after = Errors(dst);
            Assert.True(after.Except(before).Count() == 0 || after.Count <= before.Count, $"{s}: before\n{string.Join('\n', before)}\nafter\n{string.Join('\n', after)}");
        }
    }

    internal static List<string> Errors(string path)
    {
        var (_, so, se) = TestEnvironment.Run(TestEnvironment.RequireProgram("dciodvfy"), [path]);
        return (so + se).Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).Select(l => l.Trim()).Distinct().ToList();
    }

    [Theory]
    [InlineData("")]
    [InlineData("retainInstitutionIdentity")]
    public void Vereos_table_89_with_and_without_the_dialog_option(string option)
    {
        var settings = Settings(Vereos, option.Length > 0 ? [option] : []);
        var profile = DeidentificationProfile.FromDevice(Device(Vereos), null, settings);
        var deid = new Deidentifier(profile, "vereos");
        string dir = TestEnvironment.TempDir();
        var pairs = new List<(string, string)>();
        foreach (var (name, file) in Samples.Select(s => (s, DicomFile.Open(TestEnvironment.Sample(s)))).Concat(SiemensStudy()))
        {
            string src = Path.Combine(dir, "in-" + name), dst = Path.Combine(dir, "out-" + name);
            file.Save(src);
            deid.Deidentify(file).Save(dst);
            pairs.Add((src, dst));
        }
        string report = Check(Vereos, "Anonymization", option, pairs);
        Assert.True(report.Trim().Length == 0, report);
        var o = DicomFile.Open(pairs.Single(p => p.Item2.EndsWith("out-SIEMENS0.dcm", StringComparison.Ordinal)).Item2).Dataset;
        Assert.Equal(option.Length > 0 ? "St. Elsewhere Hospital" : "", o.GetStringOrDefault(DicomTag.InstitutionName, "?"));
        var codes = o.GetSequence(DicomTag.DeidentificationMethodCodeSequence)!.Items.Select(i => i.GetString(DicomTag.CodeValue)).ToList();
        Assert.Equal(option.Length > 0, codes.Contains("113112"));
        // Patient's Sex is "Copied from original" (K) by Vereos
        Assert.Equal(DicomFile.Open(TestEnvironment.Sample("CT_small.dcm")).Dataset.GetString(DicomTag.PatientSex), o.GetString(DicomTag.PatientSex));
    }

    [Fact]
    public void Unknown_level_or_option_is_a_typed_error_with_location()
    {
        var e = Assert.Throws<DeidentificationDefinitionException>(() => DeidentificationProfile.FromDevice(Device(Syngo), "Partial"));
        Assert.Contains("Full, Reduced, Service", e.Message);
        Assert.Throws<DeidentificationDefinitionException>(() => DeidentificationProfile.FromDevice(Device(Vereos), null, Settings(Vereos, "retainEverything")));
        Assert.Throws<DeidentificationDefinitionException>(() => DeidentificationProfile.FromDevice(Device("shimadzu-trinias")));
        var broken = Device(Vereos);
        broken.Deidentification!.StandardRows[0].Actions[0].Action = "Q";
        var bad = Assert.Throws<DeidentificationDefinitionException>(() => DeidentificationProfile.FromDevice(broken));
        Assert.Contains("Table 89 L2863", bad.Message);
    }

    [Fact]
    public void Modified_dates_option_shifts_dates_the_device_would_remove()
    {
        var settings = Settings(Syngo);
        settings.StandardOptions = DeidentificationOptions.RetainLongitudinalModifiedDates;
        var deid = new Deidentifier(DeidentificationProfile.FromDevice(Device(Syngo), "Full", settings), "dates");
        var files = SiemensStudy().Take(3).Select(f => f.File).ToList();
        var outs = files.Select(f => deid.Deidentify(f).Dataset).ToList();
        string pid = files[0].Dataset.GetString(DicomTag.PatientID).Trim();
        var expected = DateTime.ParseExact(files[0].Dataset.GetString(DicomTag.StudyDate), "yyyyMMdd", null).AddDays(-deid.DateShiftDays(pid)).ToString("yyyyMMdd");
        Assert.All(outs, o => Assert.Equal(expected, o.GetString(DicomTag.StudyDate)));
        Assert.All(outs, o => Assert.Equal("MODIFIED", o.GetString(DicomTag.LongitudinalTemporalInformationModified)));
        // without the option, Table 73 says Yes for Study Date: the standard code for it (Z) applies
        var plain = new Deidentifier(DeidentificationProfile.FromDevice(Device(Syngo), "Full", Settings(Syngo)), "dates").Deidentify(files[0]).Dataset;
        Assert.Equal("", plain.GetStringOrDefault(DicomTag.StudyDate, "?"));
    }

    [Fact]
    public void Clean_descriptors_option_cleans_descriptions_the_device_would_remove()
    {
        var ds = DicomFile.Open(TestEnvironment.Sample("CT_small.dcm")).Dataset;
        ds.AddOrUpdate(DicomTag.StudyDescription, "CT HEAD W/O CONTRAST");
        ds.AddOrUpdate(DicomTag.SeriesDescription, "follow-up of " + ds.GetString(DicomTag.PatientName).Split('^')[0]);
        var plain = new Deidentifier(DeidentificationProfile.FromDevice(Device(Syngo), "Full", Settings(Syngo)), "c").Deidentify(ds);
        var settings = Settings(Syngo);
        settings.StandardOptions = DeidentificationOptions.CleanDescriptors;
        var clean = new Deidentifier(DeidentificationProfile.FromDevice(Device(Syngo), "Full", settings), "c").Deidentify(ds);
        // Table 73 says Yes for both (basic code X): removed without the option
        Assert.False(plain.Contains(DicomTag.StudyDescription));
        Assert.False(plain.Contains(DicomTag.SeriesDescription));
        // with Clean Descriptors (Table E.1-1 column C): a description without identifying words stays, one naming the patient is emptied
        Assert.Equal("CT HEAD W/O CONTRAST", clean.GetString(DicomTag.StudyDescription));
        Assert.Equal("", clean.GetStringOrDefault(DicomTag.SeriesDescription, "?"));
        Assert.Contains("113105", clean.GetSequence(DicomTag.DeidentificationMethodCodeSequence)!.Items.Select(i => i.GetString(DicomTag.CodeValue)));
    }

    [Fact]
    public void Clean_pixel_data_blanks_regions_and_sets_burned_in_annotation_no()
    {
        var src = DicomFile.Open(TestEnvironment.Sample("CT_small.dcm"));
        var deid = new Deidentifier(DeidentificationProfile.FromDevice(Device(Syngo), "Full", Settings(Syngo)), "px")
        {
            BurnedInAnnotationRegions = [new PixelRegion(0, 0, 64, 8), new PixelRegion(120, 120, 100, 100)],
        };
        var o = deid.Deidentify(src).Dataset;
        string dir = TestEnvironment.TempDir();
        string a = Path.Combine(dir, "a.dcm"), b = Path.Combine(dir, "b.dcm");
        src.Save(a);
        new DicomFile(o).Save(b);
        // independent: numpy via pydicom; regions zero, the rest unchanged
        string report = TestEnvironment.RunPython("""
import sys, pydicom
from array import array
def px(path):
    d = pydicom.dcmread(path)
    assert d.BitsAllocated == 16 and d.SamplesPerPixel == 1
    v = array('H'); v.frombytes(d.PixelData[:d.Rows * d.Columns * 2])
    return d, [list(v[r * d.Columns:(r + 1) * d.Columns]) for r in range(d.Rows)]
_, a = px(sys.argv[1]); d, b = px(sys.argv[2])
inside = lambda r, c: (r < 8 and c < 64) or (r >= 120 and c >= 120)
out = []
cells = [(r, c) for r in range(len(a)) for c in range(len(a[0]))]
if any(b[r][c] != 0 for r, c in cells if inside(r, c)): out.append('region not blank')
if any(b[r][c] != a[r][c] for r, c in cells if not inside(r, c)): out.append('pixels outside the regions changed')
if all(a[r][c] == 0 for r, c in cells if inside(r, c)): out.append('regions were blank already: the test proves nothing')
if d.BurnedInAnnotation != 'NO': out.append('BurnedInAnnotation ' + str(d.get('BurnedInAnnotation')))
if '113101' not in [i.CodeValue for i in d.DeidentificationMethodCodeSequence]: out.append('no 113101')
print('\n'.join(out))
""", a, b);
        Assert.True(report.Trim().Length == 0, report);
        // compressed pixel data cannot be cleaned: typed error, nothing written
        var jpeg = DicomFile.Open(TestEnvironment.Sample("JPEG-lossy.dcm"));
        var ex = Assert.Throws<DicomValueException>(() => deid.Deidentify(jpeg));
        Assert.Equal(DicomTag.PixelData, ex.Tag);
    }
}
