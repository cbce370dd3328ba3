// Each Dicom.Typed analyzer rule (DT0001-DT0008) firing on the real typed IODs of Dicom.Typed.Devices, which live in
// another assembly: the analyzers read only the metadata attributes the generator put on them. The rules are set to
// warnings in this folder's .editorconfig and kept out of TreatWarningsAsErrors in the project file, so the solution
// build passes while `dotnet build samples/AnalyzerSamples` lists every case. Every "// DTnnnn" comment marks a line
// that must be reported; nothing else in this file should be.
using Dicom.Typed;
using Dicom.Typed.Iod;
using Dicom.Typed.Devices.PhilipsAvwCt1513;
using Dicom.Typed.Devices.PhilipsSmartctR13;
using Dicom.Typed.Devices.PhilipsVereos20;
using Dicom.Typed.Devices.ShimadzuTrinias;
using Dicom.Typed.Devices.SiemensSyngoCtVa50a;
using Dicom.Typed.Network.Definitions;

namespace AnalyzerSamples;

/// <summary>DT0001: constants outside the enumerated values of the vendor definition.</summary>
public static class EnumeratedValueSamples
{
    public static VereosConsoleSecondaryCapture Capture() => new()
    {
            StudyInstanceUID = Samples.Uid(),
            SeriesInstanceUID = Samples.Uid(),
            BitsAllocated = 16,
            BitsStored = 12,
            HighBit = 11,
            OverlayRows = 1,
            OverlayColumns = 1,
            OverlayType = "VALUE",
            OverlayOrigin = Samples.One<short>(1),
            OverlayBitsAllocated = 1,
            OverlayBitPosition = 1,
            OverlayData = Samples.Bytes(),
            SOPInstanceUID = Samples.Uid(),
            SamplesPerPixel = 2, // DT0001: Samples per Pixel of this device is 1 or 3 (fix: pick 1 or 3)
            PhotometricInterpretation = (VereosConsoleSecondaryCapture.PhotometricInterpretationValue)7, // DT0001: names no enum member (fix: pick MONOCHROME2 or RGB)
    };

    public static void RawDataSet(AvwColorScImage image)
    {
        image.ToDataset().AddOrUpdate(DicomTag.BurnedInAnnotation, "MAYBE"); // DT0001: Burned In Annotation is NO or YES (fix: pick one)
    }
}

/// <summary>DT0002: a fixed value of the device overwritten through the raw data set.</summary>
public static class FixedValueSamples
{
    public static void Overwrite(SyngoCtImage image)
    {
        var ds = image.ToDataset();
        ds.AddOrUpdate(DicomTag.Modality, "MR"); // DT0002: syngo CT always writes Modality CT
        ds.AddOrUpdate(DicomTag.BitsAllocated, DicomVR.US, "12"); // DT0002: Bits Allocated is fixed at 16
    }
}

/// <summary>DT0003: an attribute the IOD's vendor definition does not list, written through the raw data set.</summary>
public static class NotInIodSamples
{
    public static void Extra(SyngoCtImage image)
    {
        var ds = image.ToDataset();
        ds.AddOrUpdate(DicomTag.EchoTime, "10"); // DT0003: Echo Time is an MR attribute, not part of SyngoCtImage
    }
}

/// <summary>DT0004: Type 1 attributes set to null or empty constants.</summary>
public static class Type1EmptySamples
{
    public static TriniasXRayRadiationDoseSr Report() => new()
    {
            Modality = "VALUE",
            CompletionFlag = "VALUE",
            VerificationFlag = "VALUE",
            SOPInstanceUID = Samples.Uid(),
            ContinuityOfContent = "VALUE",
            StudyInstanceUID = "", // DT0004: Type 1, must not be empty
            SeriesInstanceUID = null!, // DT0004: Type 1, must not be null
    };
}

/// <summary>DT0005: private tags with hard-coded blocks or without their creator.</summary>
public static class PrivateTagSamples
{
    public static void HardCoded(AvwMonoECtImage image)
    {
        var ds = image.ToDataset();
        ds.AddOrUpdate(new DicomTag(0x01F7, 0x10CB), "70"); // DT0005: block 10 is not guaranteed (fix: PrivateDictionary.ELSCINT1.DSELSCINTCTMONOCHROMATICENERGYKEV.Reserve(ds))
        ds.AddOrUpdate(new DicomTag(0x01F7, 0x0010), "ELSCINT1"); // DT0005: private creator element hard-coded
        var noCreator = new DicomPrivateTag(0x01F7, "", 0xCB); // DT0005: no private creator
        ds.AddOrUpdate(Dicom.Typed.Devices.PhilipsAvwCt1513.PrivateDictionary.ELSCINT1.ElsclntSBIVersion.Reserve(ds), "2.1"); // the right way: no diagnostic
    }
}

/// <summary>DT0006: literals invalid for their VR.</summary>
public static class VrLiteralSamples
{
    public static TriniasXRayRadiationDoseSr Report() => new()
    {
            StudyInstanceUID = Samples.Uid(),
            SeriesInstanceUID = Samples.Uid(),
            CompletionFlag = "VALUE",
            VerificationFlag = "VALUE",
            ContinuityOfContent = "VALUE",
            SOPInstanceUID = "1.2.840.abc", // DT0006: a UID has only digits and '.'
            Modality = "sr", // DT0006: CS is uppercase (fix: "SR")
    };

    public static void RawDataSet(SyngoCtImage image)
    {
        var ds = image.ToDataset();
        ds.AddOrUpdate(DicomTag.StudyDate, "2024-01-01"); // DT0006: DA is YYYYMMDD (fix: "20240101")
        ds.AddOrUpdate(DicomTag.StudyTime, "12:30:00"); // DT0006: TM has no colons (fix: "123000")
        var date = DicomDate.Parse("2024-02-30"); // DT0006: no separators, and no such date
        new DicomDataset().AddOrUpdate(DicomTag.RetrieveAETitle, DicomVR.AE, "THIS_AE_TITLE_IS_TOO_LONG"); // DT0006: AE has at most 16 characters
    }
}

/// <summary>
/// DT0007: typed clients bound to the peers the generator emits from the devices' network definitions
/// (definitions/*/device.json): TriniasDar9500fScp is the Trinias DAR-9500f AE as Storage SCP (statement Table 17),
/// SyngoCtStorageScp the syngo CT Storage AE. No SOP class or transfer syntax is written by hand here.
/// </summary>
public static class NetworkSamples
{
    public static async Task Send(DicomDeviceStorageScu<TriniasDar9500fScp> trinias, DicomDeviceStorageScu<SyngoCtStorageScp> syngo, SyngoCtImage ct, TriniasXaImage xa,
        TriniasXRayRadiationDoseSr sr)
    {
        await trinias.StoreAsync(ct); // DT0007: the Trinias does not accept CT Image Storage
        await trinias.StoreAsync(xa, "1.2.840.10008.1.2.4.90"); // DT0007: nor JPEG 2000
        await trinias.StoreAsync(xa, "1.2.840.10008.1.2.4.70"); // accepted: no diagnostic
        await syngo.StoreAsync(ct, "1.2.840.10008.1.2.2"); // accepted by the syngo CT Storage AE: no diagnostic
        await trinias.StoreAsync(sr, "1.2.840.10008.1.2.1"); // DT0007: the Trinias takes dose SRs in Implicit VR Little Endian only
    }
}

/// <summary>DT0008: a 1C attribute whose condition the initializer makes true, left unset.</summary>
public static class ConditionSamples
{
    public static SmartCtXaImage MultiFrame() => new() // DT0008 (twice): Number of Frames is set, so Cine Rate and Frame Increment Pointer are required
    {
            StudyDate = new DicomDate(2024, 1, 1),
            StudyTime = new DicomTime(12, 0, 0),
            StudyInstanceUID = Samples.Uid(),
            PatientWeight = new DicomDecimalString("1"),
            SeriesDate = new DicomDate(2024, 1, 1),
            SeriesTime = new DicomTime(12, 0, 0),
            SeriesDescription = "Sample",
            SeriesInstanceUID = Samples.Uid(),
            SeriesNumber = new DicomIntegerString("1"),
            StationName = "Sample",
            DeviceSerialNumber = "Sample",
            SoftwareVersions = Samples.One<string>("Sample"),
            AcquisitionDate = new DicomDate(2024, 1, 1),
            AcquisitionTime = new DicomTime(12, 0, 0),
            InstanceNumber = new DicomIntegerString("1"),
            LossyImageCompression = "VALUE",
            IconImageSequence = Samples.None<SmartCtXaImage.IconImageItem>(),
            Rows = 1,
            Columns = 1,
            PixelData = Samples.Bytes(),
            ShutterLeftVerticalEdge = new DicomIntegerString("1"),
            ShutterRightVerticalEdge = new DicomIntegerString("1"),
            ShutterUpperHorizontalEdge = new DicomIntegerString("1"),
            ShutterLowerHorizontalEdge = new DicomIntegerString("1"),
            ImagerPixelSpacing = Samples.One<Dicom.Typed.DicomDecimalString>(new DicomDecimalString("1")),
            PixelSpacing = Samples.One<Dicom.Typed.DicomDecimalString>(new DicomDecimalString("1")),
            DistanceSourceToDetector = new DicomDecimalString("1"),
            DistanceSourceToPatient = new DicomDecimalString("1"),
            PositionerPrimaryAngle = new DicomDecimalString("1"),
            PositionerSecondaryAngle = new DicomDecimalString("1"),
            WindowCenter = Samples.One<Dicom.Typed.DicomDecimalString>(new DicomDecimalString("1")),
            WindowWidth = Samples.One<Dicom.Typed.DicomDecimalString>(new DicomDecimalString("1")),
            InstanceCreationDate = new DicomDate(2024, 1, 1),
            InstanceCreationTime = new DicomTime(12, 0, 0),
            SOPInstanceUID = Samples.Uid(),
            NumberOfFrames = new DicomIntegerString("10"),
            FrameTime = new DicomDecimalString("66.7"),
    };
}

internal static class Samples
{
    public static string Uid() => DicomUid.GenerateValue();
    public static IReadOnlyList<T> None<T>() => [];
    public static IReadOnlyList<T> One<T>(T value) => [value];
    public static byte[] Bytes() => new byte[2];
}
