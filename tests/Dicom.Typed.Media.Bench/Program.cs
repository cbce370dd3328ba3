using System.Diagnostics;
using System.Globalization;
using Dicom.Typed;
using Dicom.Typed.Media;

// DICOMDIR benchmark helper (see ../Dicom.Typed.Media.Tests/bench-dicomdir.sh).
//   gen DIR N    write N small Secondary Capture files as DIR/DICOM/STnnnnnn/IMnnnnnn (10 patients, 1 study each)
//   mkdir DIR    build DIR/DICOMDIR for the files under DIR/DICOM in place (STD-GEN-CD)
if (args.Length == 3 && args[0] == "gen")
{
    int n = int.Parse(args[2], CultureInfo.InvariantCulture);
    var pixels = new byte[64];
    for (int i = 0; i < n; i++)
    {
        int p = i % 10;
        string studyUid = $"2.25.1000{p}", seriesUid = $"2.25.2000{p}";
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTag.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7")
            .AddOrUpdate(DicomTag.SOPInstanceUID, $"2.25.3{i:D8}")
            .AddOrUpdate(DicomTag.StudyDate, "20240101").AddOrUpdate(DicomTag.StudyTime, "120000")
            .AddOrUpdate(DicomTag.AccessionNumber, "").AddOrUpdate(DicomTag.Modality, "OT").AddOrUpdate(DicomTag.ConversionType, "WSD")
            .AddOrUpdate(DicomTag.StudyDescription, "BENCH")
            .AddOrUpdate(DicomTag.PatientName, $"BENCH^P{p}").AddOrUpdate(DicomTag.PatientID, $"PID{p:D4}")
            .AddOrUpdate(DicomTag.StudyInstanceUID, studyUid).AddOrUpdate(DicomTag.SeriesInstanceUID, seriesUid)
            .AddOrUpdate(DicomTag.StudyID, "1").AddOrUpdate(DicomTag.SeriesNumber, "1")
            .AddOrUpdate(DicomTag.InstanceNumber, (i / 10 + 1).ToString(CultureInfo.InvariantCulture))
            .AddOrUpdate(DicomTag.SamplesPerPixel, (ushort)1).AddOrUpdate(DicomTag.PhotometricInterpretation, "MONOCHROME2")
            .AddOrUpdate(DicomTag.Rows, (ushort)8).AddOrUpdate(DicomTag.Columns, (ushort)8)
            .AddOrUpdate(DicomTag.BitsAllocated, (ushort)8).AddOrUpdate(DicomTag.BitsStored, (ushort)8).AddOrUpdate(DicomTag.HighBit, (ushort)7)
            .AddOrUpdate(DicomTag.PixelRepresentation, (ushort)0)
            .AddOrUpdate(DicomElement.FromValues(DicomTag.PixelData, DicomVR.OB, pixels));
        string dir = Path.Combine(args[1], "DICOM", $"ST{p:D6}");
        Directory.CreateDirectory(dir);
        using var fs = File.Create(Path.Combine(dir, $"IM{i:D6}"));
        new DicomFile(ds).Save(fs);
    }
    return 0;
}
if (args.Length == 2 && args[0] == "mkdir")
{
    var sw = Stopwatch.StartNew();
    var set = DicomFileSet.Create(args[1], MediaApplicationProfile.GeneralPurposeCd, "BENCH");
    var files = Directory.EnumerateFiles(Path.Combine(args[1], "DICOM"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
    double list = sw.Elapsed.TotalSeconds;
    if (Environment.GetEnvironmentVariable("BENCH_SEQ") == "1") foreach (var f in files) set.Add(f); else set.AddRange(files);
    double added = sw.Elapsed.TotalSeconds;
    set.Commit();
    Console.Error.WriteLine($"{files.Count} files, {set.Findings.Count} findings, {sw.Elapsed.TotalSeconds:F3} s in process (list {list:F3}, read+add {added - list:F3}, write {sw.Elapsed.TotalSeconds - added:F3})");
    return 0;
}
Console.Error.WriteLine("usage: gen DIR N | mkdir DIR");
return 2;
