// Quickstart: (1) the core — read a real DICOM file, print it, write it back, read it again and compare;
// (2) the typed layer — build a Siemens syngo CT image, a Philips Vereos PET image and a Philips SmartCT X-Ray
// Angiographic image as the devices send them (the compiler requires every Type 1 attribute of the vendor
// definitions), write them as Part 10, read them back tolerantly.
using Dicom.Typed;
using Dicom.Typed.Devices.PhilipsSmartctR13;
using Dicom.Typed.Devices.PhilipsVereos20;
using Dicom.Typed.Devices.SiemensSyngoCtVa50a;
using Dicom.Typed.Iod;

string input = args.Length > 0 ? args[0] : FindSample();
Console.WriteLine($"Reading {input}");
var file = DicomFile.Open(input);
Console.WriteLine(DicomDump.Format(file));
foreach (var w in file.Warnings) Console.WriteLine($"warning: {w}");

string dir = Path.Combine(Path.GetTempPath(), "dicom-typed-quickstart");
Directory.CreateDirectory(dir);
string output = Path.Combine(dir, Path.GetFileName(input));
file.Save(output);
Console.WriteLine($"Wrote {output} ({new FileInfo(output).Length} bytes, {file.TransferSyntax.Uid.Name})");

var again = DicomFile.Open(output);
bool same = DicomDatasetComparer.AreEqual(file.Dataset, again.Dataset);
bool identical = File.ReadAllBytes(input).AsSpan().SequenceEqual(File.ReadAllBytes(output));
Console.WriteLine($"Read back: {again.Dataset.Count} top-level elements; data set {(same ? "equal" : "DIFFERENT")}; bytes {(identical ? "identical" : "differ (input was not canonical)")}");
Console.WriteLine($"Patient: {again.Dataset.GetStringOrDefault(DicomTag.PatientName, "(none)")}, modality {again.Dataset.GetStringOrDefault(DicomTag.Modality, "?")}, SOP class {DicomUid.Parse(again.Dataset.GetStringOrDefault(DicomTag.SOPClassUID, "")).Name}");

// ---- typed: what three devices send, built by hand (QuickstartIods.cs), written as Part 10, read back tolerantly ----
bool conformant = true;
conformant &= WriteAndRead(QuickstartIods.SyngoCt(), SyngoCtImage.Read, dir, "syngo-ct.dcm");
conformant &= WriteAndRead(QuickstartIods.VereosPet(), VereosPetImage.Read, dir, "vereos-pet.dcm");
conformant &= WriteAndRead(QuickstartIods.SmartCtXa(), SmartCtXaImage.Read, dir, "smartct-xa.dcm");

var foreign = SmartCtXaImage.Read(again.Dataset);
Console.WriteLine($"The sample file read as {nameof(SmartCtXaImage)}: {foreign.Findings.Count(f => f.Severity == DicomFindingSeverity.Error)} error finding(s), e.g. {foreign.Findings.FirstOrDefault(f => f.Severity == DicomFindingSeverity.Error)}");
return same && conformant ? 0 : 1;

static bool WriteAndRead<T>(T iod, Func<DicomDataset, DicomReadResult<T>> read, string dir, string fileName) where T : class, IDicomIod
{
    var dataset = iod.ToDataset();
    string path = Path.Combine(dir, fileName);
    new DicomFile(dataset).Save(path);
    Console.WriteLine($"Built {typeof(T).Name} ({DicomUid.Parse(iod.SopClassUid).Name}, modality {dataset.GetStringOrDefault(DicomTag.Modality, "?")}, {dataset.Count} elements) and wrote {path}");
    var result = read(DicomFile.Open(path).Dataset);
    Console.WriteLine($"  read back as {typeof(T).Name}: {result.Findings.Count} finding(s), conformant: {result.IsConformant}");
    foreach (var f in result.Findings) Console.WriteLine($"    {f}");
    return result.IsConformant;
}

static string FindSample()
{
    string[] candidates =
    [
        "/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm",
        "/usr/share/doc/dicom3tools/examples/0051.dcm",
    ];
    foreach (var c in candidates)
    {
        if (File.Exists(c)) return c;
    }
    throw new FileNotFoundException("No sample DICOM file found; run ./test.sh once (it installs the sample packages) or pass a path.");
}
