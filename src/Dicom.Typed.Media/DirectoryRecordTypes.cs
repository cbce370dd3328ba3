namespace Dicom.Typed.Media;

/// <summary>How a directory record key is required (PS3.3 F.5).</summary>
public enum RecordKeyType
{
    /// <summary>Type 1: must have a value; a missing value is invented and reported.</summary>
    Required = 1,

    /// <summary>Type 2: must be present, may be empty.</summary>
    RequiredEmptyAllowed = 2,

    /// <summary>Type 1C/3: copied when the instance has it.</summary>
    Optional = 3,
}

/// <summary>Directory record types (PS3.3 F.5) and the keys each record carries.</summary>
public static class DirectoryRecordTypes
{
    /// <summary>PATIENT.</summary>
    public const string Patient = "PATIENT";

    /// <summary>STUDY.</summary>
    public const string Study = "STUDY";

    /// <summary>SERIES.</summary>
    public const string Series = "SERIES";

    /// <summary>IMAGE.</summary>
    public const string Image = "IMAGE";

    private static readonly (DicomTag Tag, RecordKeyType Type)[] Empty = [];

    private static (DicomTag, RecordKeyType) K1(DicomTag t) => (t, RecordKeyType.Required);

    private static (DicomTag, RecordKeyType) K2(DicomTag t) => (t, RecordKeyType.RequiredEmptyAllowed);

    private static (DicomTag, RecordKeyType) K3(DicomTag t) => (t, RecordKeyType.Optional);

    private static readonly Dictionary<string, (DicomTag Tag, RecordKeyType Type)[]> KeyTable = new(StringComparer.Ordinal)
    {
        [Patient] = [K2(DicomTag.PatientName), K1(DicomTag.PatientID), K3(DicomTag.PatientBirthDate), K3(DicomTag.PatientSex)],
        [Study] = [K1(DicomTag.StudyDate), K1(DicomTag.StudyTime), K2(DicomTag.StudyDescription), K1(DicomTag.StudyInstanceUID), K1(DicomTag.StudyID), K2(DicomTag.AccessionNumber)],
        [Series] = [K1(DicomTag.Modality), K1(DicomTag.SeriesInstanceUID), K1(DicomTag.SeriesNumber), K3(DicomTag.SeriesDescription)],
        [Image] = [K1(DicomTag.InstanceNumber), K3(DicomTag.ImageType), K3(DicomTag.Rows), K3(DicomTag.Columns), K3(DicomTag.NumberOfFrames)],
        ["RT DOSE"] = [K1(DicomTag.InstanceNumber), K1(DicomTag.DoseSummationType)],
        ["RT STRUCTURE SET"] = [K1(DicomTag.InstanceNumber), K1(DicomTag.StructureSetLabel), K2(DicomTag.StructureSetDate), K2(DicomTag.StructureSetTime)],
        ["RT PLAN"] = [K1(DicomTag.InstanceNumber), K1(DicomTag.RTPlanLabel), K2(DicomTag.RTPlanDate), K2(DicomTag.RTPlanTime)],
        ["RT TREAT RECORD"] = [K1(DicomTag.InstanceNumber), K2(DicomTag.TreatmentDate), K2(DicomTag.TreatmentTime)],
        ["PRESENTATION"] = [K1(DicomTag.InstanceNumber), K1(DicomTag.ContentLabel), K2(DicomTag.ContentDescription), K1(DicomTag.PresentationCreationDate), K1(DicomTag.PresentationCreationTime), K2(DicomTag.ContentCreatorName), K3(DicomTag.ReferencedSeriesSequence),
            K3(new DicomTag(0x0070, 0x0402))], // Blending Sequence: 1C, present when the presentation state has one (PS3.3 F.5.23)
        ["SR DOCUMENT"] = [K1(DicomTag.InstanceNumber), K1(DicomTag.CompletionFlag), K1(DicomTag.VerificationFlag), K1(DicomTag.ContentDate), K1(DicomTag.ContentTime), K3(DicomTag.VerificationDateTime), K1(DicomTag.ConceptNameCodeSequence)],
        ["KEY OBJECT DOC"] = [K1(DicomTag.InstanceNumber), K1(DicomTag.ContentDate), K1(DicomTag.ContentTime), K1(DicomTag.ConceptNameCodeSequence)],
        ["WAVEFORM"] = [K1(DicomTag.InstanceNumber), K1(DicomTag.ContentDate), K1(DicomTag.ContentTime)],
        ["ENCAP DOC"] = [K1(DicomTag.InstanceNumber), K2(DicomTag.ContentDate), K2(DicomTag.ContentTime), K2(DicomTag.ConceptNameCodeSequence), K2(DicomTag.DocumentTitle), K1(DicomTag.MIMETypeOfEncapsulatedDocument)],
        ["RAW DATA"] = [K1(DicomTag.ContentDate), K1(DicomTag.ContentTime), K1(DicomTag.InstanceNumber)],
        ["REGISTRATION"] = [K1(DicomTag.ContentDate), K1(DicomTag.ContentTime), K1(DicomTag.InstanceNumber), K1(DicomTag.ContentLabel), K2(DicomTag.ContentDescription), K2(DicomTag.ContentCreatorName)],
        ["FIDUCIAL"] = [K1(DicomTag.ContentDate), K1(DicomTag.ContentTime), K1(DicomTag.InstanceNumber), K1(DicomTag.ContentLabel), K2(DicomTag.ContentDescription), K2(DicomTag.ContentCreatorName)],
        ["SPECTROSCOPY"] = [K1(DicomTag.ImageType), K1(DicomTag.ContentDate), K1(DicomTag.ContentTime), K1(DicomTag.InstanceNumber), K3(DicomTag.NumberOfFrames), K3(DicomTag.Rows), K3(DicomTag.Columns)],
        ["VALUE MAP"] = [K1(DicomTag.ContentDate), K1(DicomTag.ContentTime), K1(DicomTag.InstanceNumber), K1(DicomTag.ContentLabel), K2(DicomTag.ContentDescription), K2(DicomTag.ContentCreatorName)],
        ["MEASUREMENT"] = [K1(DicomTag.ContentDate), K1(DicomTag.ContentTime), K1(DicomTag.InstanceNumber)],
        ["SURFACE"] = [K1(DicomTag.ContentDate), K1(DicomTag.ContentTime), K1(DicomTag.InstanceNumber), K1(DicomTag.ContentLabel), K2(DicomTag.ContentDescription), K2(DicomTag.ContentCreatorName)],
        ["STEREOMETRIC"] = [],
    };

    /// <summary>The record keys for a record type (empty for types without a key table, e.g. PRIVATE).</summary>
    /// <param name="recordType">The record type.</param>
    public static IReadOnlyList<(DicomTag Tag, RecordKeyType Type)> KeysFor(string recordType) =>
        KeyTable.TryGetValue(recordType, out var keys) ? keys : Empty;

    /// <summary>The record types with a key table.</summary>
    public static IEnumerable<string> KnownTypes => KeyTable.Keys;

    /// <summary>The level of a record type: 0 PATIENT, 1 STUDY, 2 SERIES, 3 instance records (other top-level types: -1).</summary>
    /// <param name="recordType">The record type.</param>
    public static int Level(string recordType) => recordType switch
    {
        Patient => 0,
        Study => 1,
        Series => 2,
        "TOPIC" or "PRINT QUEUE" or "HANGING PROTOCOL" or "PALETTE" or "IMPLANT" or "IMPLANT GROUP" or "IMPLANT ASSY" => -1,
        _ => 3,
    };

    /// <summary>The instance-level record type for a SOP class (PS3.3 F.5 / F.4).</summary>
    /// <param name="sopClassUid">The SOP class UID.</param>
    public static string ForSopClass(string sopClassUid)
    {
        switch (sopClassUid)
        {
            case "1.2.840.10008.5.1.4.1.1.88.59": return "KEY OBJECT DOC";
            case "1.2.840.10008.5.1.4.1.1.66": return "RAW DATA";
            case "1.2.840.10008.5.1.4.1.1.66.2": return "FIDUCIAL";
            case "1.2.840.10008.5.1.4.1.1.67": return "VALUE MAP";
            case "1.2.840.10008.5.1.4.1.1.481.2": return "RT DOSE";
            case "1.2.840.10008.5.1.4.1.1.481.3": return "RT STRUCTURE SET";
            case "1.2.840.10008.5.1.4.1.1.4.2": return "SPECTROSCOPY";
        }
        string name = DicomUid.Lookup(sopClassUid)?.Name ?? "";
        if (name.Contains("Presentation State", StringComparison.Ordinal)) return "PRESENTATION";
        if (name.StartsWith("Encapsulated", StringComparison.Ordinal)) return "ENCAP DOC";
        if (name.Contains("Registration", StringComparison.Ordinal)) return "REGISTRATION";
        if (name.Contains("Waveform", StringComparison.Ordinal) || name.Contains("ECG", StringComparison.Ordinal)) return "WAVEFORM";
        if (name.Contains("Treatment Record", StringComparison.Ordinal)) return "RT TREAT RECORD";
        if (name.StartsWith("RT", StringComparison.Ordinal) && name.Contains("Plan", StringComparison.Ordinal)) return "RT PLAN";
        if (name.Contains("SR", StringComparison.Ordinal) || name.Contains("Report", StringComparison.Ordinal)) return "SR DOCUMENT";
        if (name.Contains("Surface", StringComparison.Ordinal)) return "SURFACE";
        return Image;
    }
}
