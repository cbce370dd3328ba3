// Quickstart: read a real DICOM file, print it, write it back, read it again and compare.
using Dicom.Typed;

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
string before = DicomDump.Format(file.Dataset), after = DicomDump.Format(again.Dataset);
bool same = before == after;
bool identical = File.ReadAllBytes(input).AsSpan().SequenceEqual(File.ReadAllBytes(output));
Console.WriteLine($"Read back: {again.Dataset.Count} top-level elements; data set {(same ? "equal" : "DIFFERENT")}; bytes {(identical ? "identical" : "differ (input was not canonical)")}");
Console.WriteLine($"Patient: {again.Dataset.GetStringOrDefault(DicomTag.PatientName, "(none)")}, modality {again.Dataset.GetStringOrDefault(DicomTag.Modality, "?")}, SOP class {DicomUid.Parse(again.Dataset.GetStringOrDefault(DicomTag.SOPClassUID, "")).Name}");
return same ? 0 : 1;

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
