// Quickstart: (1) the typed layer — build a Siemens syngo CT image, a Philips Vereos PET image and a Philips SmartCT
// X-Ray Angiographic image as the devices send them (the compiler requires every Type 1 attribute of the vendor
// definitions), write them as Part 10, read them back tolerantly; (2) the core — read a DICOM file (the first argument,
// else a sample file installed by pydicom, else the syngo CT image just written), print it, write it back, compare;
// (3) the network — an in-process SCP storing into a temp folder: C-ECHO, C-STORE of the three images, C-FIND them back.
// No argument, peer or network access is needed: `dotnet run --project samples/Quickstart`.
using Dicom.Typed;
using Dicom.Typed.Devices.PhilipsSmartctR13;
using Dicom.Typed.Devices.PhilipsVereos20;
using Dicom.Typed.Devices.SiemensSyngoCtVa50a;
using Dicom.Typed.Iod;
using Dicom.Typed.Network;

string dir = Path.Combine(Path.GetTempPath(), "dicom-typed-quickstart");
Directory.CreateDirectory(dir);

// ---- typed: what three devices send, built by hand (QuickstartIods.cs), written as Part 10, read back tolerantly ----
bool conformant = true;
string syngoPath = Path.Combine(dir, "syngo-ct.dcm"), vereosPath = Path.Combine(dir, "vereos-pet.dcm"), smartPath = Path.Combine(dir, "smartct-xa.dcm");
conformant &= WriteAndRead(QuickstartIods.SyngoCt(), SyngoCtImage.Read, syngoPath);
conformant &= WriteAndRead(QuickstartIods.VereosPet(), VereosPetImage.Read, vereosPath);
conformant &= WriteAndRead(QuickstartIods.SmartCtXa(), SmartCtXaImage.Read, smartPath);

// ---- core: read, print, write back, compare ----------------------------------------------------------------------------
string input = args.Length > 0 ? args[0] : FindSample() ?? syngoPath;
Console.WriteLine($"Reading {input}");
var file = DicomFile.Open(input);
Console.WriteLine(DicomDump.Format(file));
foreach (var w in file.Warnings) Console.WriteLine($"warning: {w}");

string output = Path.Combine(dir, "copy-of-" + Path.GetFileName(input));
file.Save(output);
Console.WriteLine($"Wrote {output} ({new FileInfo(output).Length} bytes, {file.TransferSyntax.Uid.Name})");

var again = DicomFile.Open(output);
bool same = DicomDatasetComparer.AreEqual(file.Dataset, again.Dataset);
bool identical = File.ReadAllBytes(input).AsSpan().SequenceEqual(File.ReadAllBytes(output));
Console.WriteLine($"Read back: {again.Dataset.Count} top-level elements; data set {(same ? "equal" : "DIFFERENT")}; bytes {(identical ? "identical" : "differ (input was not canonical)")}");
Console.WriteLine($"Patient: {again.Dataset.GetStringOrDefault(DicomTag.PatientName, "(none)")}, modality {again.Dataset.GetStringOrDefault(DicomTag.Modality, "?")}, SOP class {DicomUid.Parse(again.Dataset.GetStringOrDefault(DicomTag.SOPClassUID, "")).Name}");

var foreign = SmartCtXaImage.Read(again.Dataset);
Console.WriteLine($"The file read as {nameof(SmartCtXaImage)}: {foreign.Findings.Count(f => f.Severity == DicomFindingSeverity.Error)} error finding(s), e.g. {foreign.Findings.FirstOrDefault(f => f.Severity == DicomFindingSeverity.Error)}");

// ---- network: an in-process SCP on 127.0.0.1 storing into a temp folder; echo, store the three images, find them ----------
string storeDir = Path.Combine(dir, "scp-store");
if (Directory.Exists(storeDir)) Directory.Delete(storeDir, recursive: true);
var serverOptions = new DicomServerOptions { Connection = { Hostname = "127.0.0.1", Port = 0 } };
serverOptions.ApplicationEntities.Add(new DicomApplicationEntity("QUICKSTART_SCP",
    DicomTransferCapability.Verification().Concat(DicomTransferCapability.Storage()).Concat(DicomTransferCapability.QueryRetrieve())));
var fileStore = new DicomFileStore(storeDir);
bool networkOk;
await using (var server = new DicomServer(serverOptions) { Storage = fileStore, Query = fileStore, Retrieve = fileStore })
{
    await server.StartAsync();
    var client = new DicomClientOptions { Host = "127.0.0.1", Port = server.Port, CallingAE = "QUICKSTART", CalledAE = "QUICKSTART_SCP" };
    var echo = await new DicomVerificationScu(client).EchoAsync();
    Console.WriteLine($"C-ECHO to QUICKSTART_SCP on 127.0.0.1:{server.Port}: {echo}");
    var stored = await new DicomStorageScu(client).StoreAsync([syngoPath, vereosPath, smartPath]);
    foreach (var r in stored) Console.WriteLine($"C-STORE {Path.GetFileName(r.Path)}: {r.Status}");
    int studies = 0;
    var query = DicomQueryRetrieveScu.CreateIdentifier("STUDY", (DicomTag.StudyInstanceUID, ""), (DicomTag.PatientName, ""), (DicomTag.StudyDate, ""));
    await foreach (var match in new DicomQueryRetrieveScu(client).FindAsync(QueryRetrieveModel.StudyRoot, query))
    {
        studies++;
        Console.WriteLine($"C-FIND study: {match.GetStringOrDefault(DicomTag.PatientName, "")} {match.GetStringOrDefault(DicomTag.StudyDate, "")} {match.GetStringOrDefault(DicomTag.StudyInstanceUID, "")}");
    }
    int files = Directory.GetFiles(storeDir, "*.dcm", SearchOption.AllDirectories).Length;
    Console.WriteLine($"The SCP stored {files} file(s) in {storeDir}");
    networkOk = echo.IsSuccess && stored.All(r => r.Status.IsSuccess) && files == 3 && studies == 3;
}
return same && conformant && networkOk ? 0 : 1;

static bool WriteAndRead<T>(T iod, Func<DicomDataset, DicomReadResult<T>> read, string path) where T : class, IDicomIod
{
    var dataset = iod.ToDataset();
    new DicomFile(dataset).Save(path);
    Console.WriteLine($"Built {typeof(T).Name} ({DicomUid.Parse(iod.SopClassUid).Name}, modality {dataset.GetStringOrDefault(DicomTag.Modality, "?")}, {dataset.Count} elements) and wrote {path}");
    var result = read(DicomFile.Open(path).Dataset);
    Console.WriteLine($"  read back as {typeof(T).Name}: {result.Findings.Count} finding(s), conformant: {result.IsConformant}");
    foreach (var f in result.Findings) Console.WriteLine($"    {f}");
    return result.IsConformant;
}

static string? FindSample()
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
    return null;
}
