using System.Globalization;
using Dicom.Typed;
using Dicom.Typed.IO;

namespace Dicom.Typed.Cli;

/// <summary>Entry point of the <c>dicom-typed</c> command-line tool.</summary>
public static class Program
{
    /// <summary>Runs a command.</summary>
    /// <param name="args">Command line.</param>
    /// <returns>0 on success, 1 when a file could not be read, 2 on usage errors.</returns>
    public static int Main(string[] args)
    {
        if (args.Length == 0) return Usage();
        RunStatistics.Start();
        return args[0] switch
        {
            "dump" => Dump(args[1..]),
            "generate-sc" when args.Length == 3 => GenerateSecondaryCaptures(args[1], int.Parse(args[2], CultureInfo.InvariantCulture)),
            "store-scu" => NetworkCommands.StoreScu(args[1..]),
            "store-scp" => NetworkCommands.StoreScp(args[1..]),
            _ => Usage(),
        };
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: dicom-typed dump [-M] [-q] FILE...     dump files like dcmdump (-M: stop before Pixel Data, large values not loaded)");
        Console.Error.WriteLine("       dicom-typed generate-sc DIR COUNT     write COUNT small Secondary Capture files (10 patients/studies)");
        Console.Error.WriteLine("       dicom-typed store-scu [--aec AE] [--window N] [--repeat N] HOST PORT FILE|DIR...   C-STORE on one association (N in a row)");
        Console.Error.WriteLine("       dicom-typed store-scp [--port N] (--dir DIR [--fsync] | --ignore) [--window N]  storage SCP until SIGTERM");
        return 2;
    }

    private static int Dump(string[] args)
    {
        bool headerOnly = false, quiet = false;
        var files = new List<string>();
        foreach (var a in args)
        {
            if (a == "-M") headerOnly = true;
            else if (a == "-q") quiet = true;
            else files.Add(a);
        }
        if (files.Count == 0) return Usage();
        var options = headerOnly ? new DicomReadOptions { StopBeforePixelData = true, LargeValueThreshold = 4096 } : DicomReadOptions.Default;
        int rc = 0;
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 1 << 16);
        foreach (var f in files)
        {
            try
            {
                var file = DicomFile.Open(f, options);
                if (!quiet) stdout.Write(DicomDump.Format(file));
            }
            catch (Exception e) when (e is DicomReadException or IOException or UnauthorizedAccessException)
            {
                stdout.Flush();
                Console.Error.WriteLine($"E: {f}: {e.Message}");
                rc = 1;
            }
        }
        return rc;
    }

    private static int GenerateSecondaryCaptures(string dir, int count)
    {
        Directory.CreateDirectory(dir);
        var pixels = new byte[64 * 64];
        for (int i = 0; i < count; i++)
        {
            int patient = i % 10;
            var ds = new DicomDataset();
            ds.AddOrUpdate(DicomTag.SpecificCharacterSet, "ISO_IR 100");
            ds.AddOrUpdate(DicomTag.SOPClassUID, DicomUid.SecondaryCaptureImageStorage.Value);
            ds.AddOrUpdate(DicomTag.SOPInstanceUID, DicomUid.GenerateValue());
            ds.AddOrUpdate(DicomTag.StudyDate, "20240101");
            ds.AddOrUpdate(DicomTag.StudyTime, "120000");
            ds.AddOrUpdate(DicomTag.AccessionNumber, $"ACC{patient:D4}");
            ds.AddOrUpdate(DicomTag.Modality, "OT");
            ds.AddOrUpdate(DicomTag.ConversionType, "WSD");
            ds.AddOrUpdate(DicomTag.BodyPartExamined, "CHEST");
            ds.AddOrUpdate(DicomTag.PatientOrientation, "");
            ds.AddOrUpdate(DicomTag.ReferringPhysicianName, "");
            ds.AddOrUpdate(DicomTag.PatientName, $"Test^Patient{patient}");
            ds.AddOrUpdate(DicomTag.PatientID, $"PID{patient:D4}");
            ds.AddOrUpdate(DicomTag.PatientBirthDate, "19700101");
            ds.AddOrUpdate(DicomTag.PatientSex, "O");
            ds.AddOrUpdate(DicomTag.StudyInstanceUID, DicomUid.GenerateDerivedValue("bench-study", patient.ToString(CultureInfo.InvariantCulture)));
            ds.AddOrUpdate(DicomTag.SeriesInstanceUID, DicomUid.GenerateDerivedValue("bench-series", patient.ToString(CultureInfo.InvariantCulture)));
            ds.AddOrUpdate(DicomTag.StudyID, "1");
            ds.AddOrUpdate(DicomTag.SeriesNumber, "1");
            ds.AddOrUpdate(DicomTag.InstanceNumber, (i / 10 + 1).ToString(CultureInfo.InvariantCulture));
            ds.AddOrUpdate<ushort>(DicomTag.SamplesPerPixel, 1);
            ds.AddOrUpdate(DicomTag.PhotometricInterpretation, "MONOCHROME2");
            ds.AddOrUpdate<ushort>(DicomTag.Rows, 64);
            ds.AddOrUpdate<ushort>(DicomTag.Columns, 64);
            ds.AddOrUpdate<ushort>(DicomTag.BitsAllocated, 8);
            ds.AddOrUpdate<ushort>(DicomTag.BitsStored, 8);
            ds.AddOrUpdate<ushort>(DicomTag.HighBit, 7);
            ds.AddOrUpdate<ushort>(DicomTag.PixelRepresentation, 0);
            for (int p = 0; p < pixels.Length; p++) pixels[p] = (byte)(p + i);
            ds.AddOrUpdate(new DicomElement(DicomTag.PixelData, DicomVR.OB, DicomBuffer.FromMemory(pixels.ToArray())));
            new DicomFile(ds).Save(Path.Combine(dir, $"IMG{i:D5}.dcm"));
        }
        return 0;
    }
}
