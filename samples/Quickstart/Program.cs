// Quickstart: (1) the core — read a real DICOM file, print it, write it back, read it again and compare;
// (2) the typed layer — build a Philips SmartCT X-Ray Angiographic image as the device sends it (the compiler
// requires every Type 1 attribute of the vendor definition), write it as Part 10, read it back tolerantly.
using Dicom.Typed;
using Dicom.Typed.Devices.PhilipsSmartctR13;
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

// ---- typed: what a Philips SmartCT R1.3 sends as an X-Ray Angiographic image -----------------------------------
var today = DicomDate.FromDateOnly(DateOnly.FromDateTime(DateTime.UtcNow));
var now = new DicomTime(12, 0, 0);
string study = DicomUid.GenerateValue(), series = DicomUid.GenerateValue();
var xa = new SmartCtXaImage
{
    PatientName = new DicomPersonName("Quickstart", "Patient"),
    PatientID = "QS0001",
    StudyDate = today, StudyTime = now, StudyInstanceUID = study, PatientWeight = new DicomDecimalString("72"),
    SeriesDate = today, SeriesTime = now, SeriesDescription = "SmartCT 2DXA overlay", SeriesInstanceUID = series,
    SeriesNumber = new DicomIntegerString("5001"),
    StationName = "IW-R18", DeviceSerialNumber = "SN-0001", SoftwareVersions = ["SmartCT R1.3"],
    AcquisitionDate = today, AcquisitionTime = now, InstanceNumber = new DicomIntegerString("1"),
    LossyImageCompression = "00",
    IconImageSequence = [new SmartCtXaImage.IconImageItem { PixelData = new byte[128 * 128] }],
    Rows = 64, Columns = 64, PixelData = new byte[64 * 64 * 2],
    ShutterLeftVerticalEdge = new DicomIntegerString("1"), ShutterRightVerticalEdge = new DicomIntegerString("64"),
    ShutterUpperHorizontalEdge = new DicomIntegerString("1"), ShutterLowerHorizontalEdge = new DicomIntegerString("64"),
    ImagerPixelSpacing = [new DicomDecimalString("0.154"), new DicomDecimalString("0.154")],
    PixelSpacing = [new DicomDecimalString("0.154"), new DicomDecimalString("0.154")],
    DistanceSourceToDetector = new DicomDecimalString("1195"), DistanceSourceToPatient = new DicomDecimalString("810"),
    PositionerPrimaryAngle = new DicomDecimalString("0"), PositionerSecondaryAngle = new DicomDecimalString("0"),
    WindowCenter = [new DicomDecimalString("128")], WindowWidth = [new DicomDecimalString("256")],
    InstanceCreationDate = today, InstanceCreationTime = now, SOPInstanceUID = DicomUid.GenerateValue(),
};
var typedFile = new DicomFile(xa.ToDataset());
string xaPath = Path.Combine(dir, "smartct-xa.dcm");
typedFile.Save(xaPath);
Console.WriteLine($"Built {nameof(SmartCtXaImage)} (modality {xa.Modality}, {typedFile.Dataset.Count} elements) and wrote {xaPath}");

var read = SmartCtXaImage.Read(DicomFile.Open(xaPath).Dataset);
Console.WriteLine($"Read back as {nameof(SmartCtXaImage)}: patient {read.Value.PatientName}, {read.Findings.Count} finding(s), conformant: {read.IsConformant}");
foreach (var f in read.Findings) Console.WriteLine($"  {f}");
var foreign = SmartCtXaImage.Read(again.Dataset);
Console.WriteLine($"The sample file read as {nameof(SmartCtXaImage)}: {foreign.Findings.Count(f => f.Severity == DicomFindingSeverity.Error)} error finding(s), e.g. {foreign.Findings.FirstOrDefault(f => f.Severity == DicomFindingSeverity.Error)}");
return same && read.IsConformant ? 0 : 1;

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
