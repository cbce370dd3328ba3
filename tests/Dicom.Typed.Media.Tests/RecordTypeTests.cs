namespace Dicom.Typed.Media.Tests;

/// <summary>Record types the devices' IODs need, built from minimal instances made with the core.</summary>
public class RecordTypeTests
{
    private static DicomDataset Instance(string sopClass, string modality, int n)
    {
        return new DicomDataset()
            .AddOrUpdate(DicomTag.SOPClassUID, sopClass)
            .AddOrUpdate(DicomTag.SOPInstanceUID, $"2.25.77{n}")
            .AddOrUpdate(DicomTag.PatientName, "TYPED^RECORDS").AddOrUpdate(DicomTag.PatientID, "REC0001")
            .AddOrUpdate(DicomTag.StudyInstanceUID, "2.25.771").AddOrUpdate(DicomTag.StudyDate, "20250101").AddOrUpdate(DicomTag.StudyTime, "101010")
            .AddOrUpdate(DicomTag.StudyID, "S1").AddOrUpdate(DicomTag.AccessionNumber, "")
            .AddOrUpdate(DicomTag.SeriesInstanceUID, $"2.25.772{n}").AddOrUpdate(DicomTag.Modality, modality).AddOrUpdate(DicomTag.SeriesNumber, n.ToString())
            .AddOrUpdate(DicomTag.InstanceNumber, "1")
            .AddOrUpdate(DicomTag.ContentDate, "20250101").AddOrUpdate(DicomTag.ContentTime, "101010");
    }

    private static DicomDataset Code(string value, string scheme, string meaning) => new DicomDataset()
        .AddOrUpdate(DicomTag.CodeValue, value).AddOrUpdate(DicomTag.CodingSchemeDesignator, scheme).AddOrUpdate(DicomTag.CodeMeaning, meaning);

    [Fact]
    public void DevicesRecordTypesPassDciodvfyAndPydicom()
    {
        var items = new (DicomDataset Ds, string Type)[]
        {
            (Instance("1.2.840.10008.5.1.4.1.1.88.59", "KO", 1).AddOrUpdate(DicomTag.ConceptNameCodeSequence, Code("113000", "DCM", "Of Interest")), "KEY OBJECT DOC"),
            (Instance("1.2.840.10008.5.1.4.1.1.104.1", "DOC", 2).AddOrUpdate(DicomTag.MIMETypeOfEncapsulatedDocument, "application/pdf").AddOrUpdate(DicomTag.DocumentTitle, "REPORT"), "ENCAP DOC"),
            (Instance("1.2.840.10008.5.1.4.1.1.66", "OT", 3), "RAW DATA"),
            (Instance("1.2.840.10008.5.1.4.1.1.66.1", "REG", 4).AddOrUpdate(DicomTag.ContentLabel, "REG1"), "REGISTRATION"),
            (Instance("1.2.840.10008.5.1.4.1.1.11.1", "PR", 5).AddOrUpdate(DicomTag.ContentLabel, "PS1")
                .AddOrUpdate(DicomTag.PresentationCreationDate, "20250101").AddOrUpdate(DicomTag.PresentationCreationTime, "101010")
                .AddOrUpdate(DicomTag.ReferencedSeriesSequence, new DicomDataset().AddOrUpdate(DicomTag.SeriesInstanceUID, "2.25.7723")
                    .AddOrUpdate(DicomTag.ReferencedImageSequence, new DicomDataset().AddOrUpdate(DicomTag.ReferencedSOPClassUID, "1.2.840.10008.5.1.4.1.1.66")
                        .AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, "2.25.773"))), "PRESENTATION"),
            (Instance("1.2.840.10008.5.1.4.1.1.9.1.1", "ECG", 6), "WAVEFORM"),
            (Instance("1.2.840.10008.5.1.4.1.1.88.22", "SR", 7).AddOrUpdate(DicomTag.CompletionFlag, "COMPLETE").AddOrUpdate(DicomTag.VerificationFlag, "UNVERIFIED")
                .AddOrUpdate(DicomTag.ConceptNameCodeSequence, Code("11528-7", "LN", "Radiology Report")), "SR DOCUMENT"),
            (Instance("1.2.840.10008.5.1.4.1.1.481.3", "RTSTRUCT", 8).AddOrUpdate(DicomTag.StructureSetLabel, "SS1"), "RT STRUCTURE SET"),
            (Instance("1.2.840.10008.5.1.4.1.1.66.2", "FID", 9), "FIDUCIAL"),
        };
        string root = TestEnvironment.TempDir();
        var fs = DicomFileSet.Create(root, MediaApplicationProfile.GeneralPurposeCd, "RECORDS");
        foreach (var (ds, type) in items) Assert.Equal(type, fs.Add(new DicomFile(ds)).RecordType);
        Assert.Contains(fs.Findings, f => f.Contains("FIDUCIAL record key ContentLabel missing"));
        fs.Commit();
        string dicomdir = Path.Combine(root, "DICOMDIR");
        var (rc, so, se) = TestEnvironment.Run(TestEnvironment.RequireProgram("dciodvfy"), [dicomdir]);
        Assert.True(rc == 0 && !(so + se).Contains("Error"), so + se);
        var (rc2, so2, se2) = TestEnvironment.Run(TestEnvironment.RequireProgram("dcdirdmp"), [dicomdir]);
        Assert.True(rc2 == 0, so2 + se2);
        Assert.Equal(FileSetTests.Listing(DicomDirectory.Open(dicomdir).RootRecords), TestEnvironment.RunPython(FileSetTests.PydicomListing, dicomdir));
    }
}
