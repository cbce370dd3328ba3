// The typed part of the quickstart: one instance of each of three devices, written by hand as an application would.
// The compiler requires every attribute the vendor says the device always sends (Type 1 in its statement); fixed values
// (Modality, Bits Allocated, Photometric Interpretation, …) are set by the generated class; Type 2 members that are not
// set are written empty. The test project compiles this file too and runs dciodvfy on what it builds.
using Dicom.Typed;
using Dicom.Typed.Devices.PhilipsSmartctR13;
using Dicom.Typed.Devices.PhilipsVereos20;
using Dicom.Typed.Devices.SiemensSyngoCtVa50a;

/// <summary>Builds the quickstart's typed instances: a Siemens CT image, a Philips PET image and a Philips XA image.</summary>
public static class QuickstartIods
{
    private static readonly DicomDate Today = new(2026, 12, 2);
    private static readonly DicomTime Noon = new(12, 0, 0);
    private static DicomDecimalString Ds(string text) => new(text);
    private static DicomIntegerString Is(string text) => new(text);

    /// <summary>A 64×64 CT slice as a Siemens syngo CT VA50A scanner sends it.</summary>
    public static SyngoCtImage SyngoCt() => new()
    {
        SpecificCharacterSet = ["ISO_IR 100"],
        SOPInstanceUID = DicomUid.GenerateValue(),
        // Patient and study (from the worklist)
        PatientName = new DicomPersonName("Quickstart", "Patient"), PatientID = "QS0001",
        PatientBirthDate = new DicomDate(1970, 5, 17), PatientSex = "F",
        StudyInstanceUID = DicomUid.GenerateValue(), StudyDate = Today, StudyTime = Noon, StudyDescription = "CT Thorax",
        PerformedProcedureStepID = "PPS0001", PerformedProcedureStepStartDate = Today, PerformedProcedureStepStartTime = Noon,
        // Series and equipment
        SeriesInstanceUID = DicomUid.GenerateValue(), SeriesNumber = Is("2"), SeriesDate = Today, SeriesTime = Noon,
        BodyPartExamined = "CHEST", PatientPosition = "HFS", FrameOfReferenceUID = DicomUid.GenerateValue(),
        Manufacturer = "SIEMENS", InstitutionName = "Quickstart Hospital", InstitutionAddress = "1 Main Street",
        StationName = "CT01", InstitutionalDepartmentName = "Radiology", DeviceSerialNumber = "12345",
        SoftwareVersions = ["syngo CT VA50A"],
        // Acquisition
        AcquisitionNumber = Is("1"), AcquisitionDate = Today, AcquisitionTime = Noon,
        AcquisitionDateTime = new DicomDateTime(Today, Noon), IrradiationEventUID = [DicomUid.GenerateValue()],
        KVP = Ds("120"), DataCollectionDiameter = Ds("500"), ReconstructionDiameter = Ds("350"),
        DistanceSourceToDetector = Ds("1085.6"), DistanceSourceToPatient = Ds("595"), GantryDetectorTilt = Ds("0"),
        TableHeight = Ds("160"), ExposureTime = Is("500"), XRayTubeCurrent = Is("200"), Exposure = Is("100"),
        FilterType = "W1", GeneratorPower = Is("24"), FocalSpots = [Ds("1.2")], ConvolutionKernel = ["Br40"],
        SingleCollimationWidth = 0.6, TotalCollimationWidth = 38.4, ExposureModulationType = ["NONE"],
        // Image
        InstanceNumber = Is("1"), ContentDate = Today, ContentTime = Noon, ImageType = ["ORIGINAL", "PRIMARY", "AXIAL"],
        StudyID = "1", ImageComments = "Quickstart", ImagePositionPatient = [Ds("-175"), Ds("-175"), Ds("-120")],
        ImageOrientationPatient = [Ds("1"), Ds("0"), Ds("0"), Ds("0"), Ds("1"), Ds("0")],
        PixelSpacing = [Ds("5.46875"), Ds("5.46875")], SliceThickness = Ds("1"), SliceLocation = Ds("-120"),
        Rows = 64, Columns = 64, PixelRepresentation = 0, SmallestImagePixelValue = 0, LargestImagePixelValue = 4095,
        PixelData = new byte[64 * 64 * 2], RescaleType = "HU",
        WindowCenter = [Ds("40")], WindowWidth = [Ds("400")], WindowCenterWidthExplanation = ["MEDIASTINUM"],
    };

    /// <summary>A 64×64 static PET slice as a Philips Vereos 2.0 sends it.</summary>
    public static VereosPetImage VereosPet()
    {
        string study = DicomUid.GenerateValue();
        return new VereosPetImage
        {
            SpecificCharacterSet = ["ISO_IR 100"],
            SOPInstanceUID = DicomUid.GenerateValue(),
            PatientName = new DicomPersonName("Quickstart", "Patient"), PatientID = "QS0001",
            PatientBirthDate = new DicomDate(1970, 5, 17), PatientSex = "F",
            StudyInstanceUID = study, StudyID = "1", StudyDate = Today, StudyTime = Noon,
            SeriesInstanceUID = DicomUid.GenerateValue(), SeriesNumber = Is("3"), SeriesDate = Today, SeriesTime = Noon,
            SeriesDescription = "WB FDG", ProtocolName = "Whole Body FDG",
            // PET series: a static, decay- and attenuation-corrected emission series in Bq/ml
            SeriesType = ["STATIC", "IMAGE"], Units = VereosPetImage.UnitsValue.BQML, CountsSource = "EMISSION",
            CorrectedImage = ["DECY", "ATTN", "SCAT", "RAN"], DecayCorrection = "START", NumberOfSlices = 1,
            RandomsCorrectionMethod = "DLYD", AttenuationCorrectionMethod = "CTAC", ScatterCorrectionMethod = "SS-SIMUL",
            ReconstructionMethod = "BLOB-OS-TF", ReconstructionDiameter = Ds("576"), FieldOfViewDimensions = [Is("576"), Is("164")],
            SecondaryCountsType = ["DLYD"],
            RadiopharmaceuticalInformationSequence =
            [
                new()
                {
                    Radiopharmaceutical = "Fluorodeoxyglucose", RadiopharmaceuticalRoute = "Intravenous",
                    RadiopharmaceuticalStartTime = new DicomTime(11, 0, 0),
                    RadiopharmaceuticalStartDateTime = new DicomDateTime(Today, new DicomTime(11, 0, 0)),
                    RadionuclideTotalDose = Ds("250000000"), RadionuclideHalfLife = Ds("6586.2"),
                    // coded entries are typed codes
                    RadionuclideCodeSequence = [new DicomCode("C-111A1", "SRT", "^18^Fluorine")],
                    AdministrationRouteCodeSequence = [new DicomCode("G-D101", "SRT", "Intravenous route")],
                },
            ],
            PatientOrientationCodeSequence =
            [
                new() { CodeValue = "F-10450", CodingSchemeDesignator = "SRT", CodeMeaning = "recumbent",
                        PatientOrientationModifierCodeSequence = [new DicomCode("F-10340", "SRT", "supine")] },
            ],
            PatientGantryRelationshipCodeSequence = [new DicomCode("F-10470", "SRT", "headfirst")],
            FrameOfReferenceUID = DicomUid.GenerateValue(),
            InstitutionName = "Quickstart Hospital", StationName = "VEREOS01", ManufacturerModelName = "Vereos PET/CT",
            DeviceSerialNumber = "20001", SoftwareVersions = ["2.0"],
            // Image
            ImageType = ["ORIGINAL", "PRIMARY"], InstanceNumber = Is("1"), ImageIndex = 1,
            ContentDate = Today, ContentTime = Noon, AcquisitionDate = Today, AcquisitionTime = Noon,
            AcquisitionDateTime = new DicomDateTime(Today, Noon), ActualFrameDuration = Is("90000"),
            FrameReferenceTime = Ds("0"), SliceThickness = Ds("4"), SliceLocation = Ds("0"),
            ImagePositionPatient = [Ds("-288"), Ds("-288"), Ds("0")],
            ImageOrientationPatient = [Ds("1"), Ds("0"), Ds("0"), Ds("0"), Ds("1"), Ds("0")], PixelSpacing = [Ds("9"), Ds("9")],
            Rows = 64, Columns = 64, PixelRepresentation = 0, SmallestImagePixelValue = 0, LargestImagePixelValue = 32767,
            PixelData = new byte[64 * 64 * 2], RescaleIntercept = Ds("0"), RescaleSlope = Ds("0.25"),
            EnergyWindowRangeSequence = [new() { EnergyWindowLowerLimit = Ds("460"), EnergyWindowUpperLimit = Ds("665") }],
            AxialAcceptance = Ds("0"), PrimaryPromptsCountsAccumulated = Is("1000000"), SecondaryCountsAccumulated = [Is("20000")],
            ScatterFractionFactor = Ds("0.3"),
            WindowCenter = [Ds("4096")], WindowWidth = [Ds("8192")],
            ReferencedRawDataSequence =
            [
                new()
                {
                    StudyInstanceUID = study,
                    ReferencedSOPClassUID = "1.2.840.10008.5.1.4.1.1.66", ReferencedSOPInstanceUID = DicomUid.GenerateValue(),
                    ReferencedSeriesSequence =
                    [
                        new()
                        {
                            SeriesInstanceUID = DicomUid.GenerateValue(),
                            ReferencedSOPSequence = [new() { ReferencedSOPClassUID = "1.2.840.10008.5.1.4.1.1.66", ReferencedSOPInstanceUID = DicomUid.GenerateValue() }],
                        },
                    ],
                },
            ],
        };
    }

    /// <summary>A 64×64 X-Ray Angiographic image as a Philips SmartCT R1.3 sends it.</summary>
    public static SmartCtXaImage SmartCtXa() => new()
    {
        SOPInstanceUID = DicomUid.GenerateValue(), InstanceCreationDate = Today, InstanceCreationTime = Noon,
        PatientName = new DicomPersonName("Quickstart", "Patient"), PatientID = "QS0001",
        StudyDate = Today, StudyTime = Noon, StudyInstanceUID = DicomUid.GenerateValue(), PatientWeight = Ds("72"),
        SeriesDate = Today, SeriesTime = Noon, SeriesDescription = "SmartCT 2DXA overlay", SeriesInstanceUID = DicomUid.GenerateValue(),
        SeriesNumber = Is("5001"),
        StationName = "IW-R18", DeviceSerialNumber = "SN-0001", SoftwareVersions = ["SmartCT R1.3"],
        AcquisitionDate = Today, AcquisitionTime = Noon, InstanceNumber = Is("1"),
        PatientOrientation = ["L", "F"], LossyImageCompression = "00",
        IconImageSequence = [new SmartCtXaImage.IconImageItem { PixelData = new byte[128 * 128] }],
        Rows = 64, Columns = 64, PixelData = new byte[64 * 64 * 2],
        ShutterLeftVerticalEdge = Is("1"), ShutterRightVerticalEdge = Is("64"),
        ShutterUpperHorizontalEdge = Is("1"), ShutterLowerHorizontalEdge = Is("64"),
        ImagerPixelSpacing = [Ds("0.154"), Ds("0.154")], PixelSpacing = [Ds("0.154"), Ds("0.154")],
        DistanceSourceToDetector = Ds("1195"), DistanceSourceToPatient = Ds("810"),
        PositionerPrimaryAngle = Ds("0"), PositionerSecondaryAngle = Ds("0"),
        WindowCenter = [Ds("128")], WindowWidth = [Ds("256")],
    };
}
