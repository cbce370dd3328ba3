namespace Dicom.Typed.Media;

/// <summary>Media roles of PS3.11 6.2.</summary>
[Flags]
public enum MediaRoles
{
    /// <summary>No role.</summary>
    None = 0,

    /// <summary>File-set Creator (FSC).</summary>
    FileSetCreator = 1,

    /// <summary>File-set Reader (FSR).</summary>
    FileSetReader = 2,

    /// <summary>File-set Updater (FSU).</summary>
    FileSetUpdater = 4,

    /// <summary>All three roles.</summary>
    All = FileSetCreator | FileSetReader | FileSetUpdater,
}

/// <summary>
/// A media storage application profile (PS3.11): the SOP classes and transfer syntaxes a file-set may hold. The
/// standard profiles are built in; a conformance statement's media definitions can create others.
/// </summary>
public sealed class MediaApplicationProfile
{
    /// <summary>The profile name, e.g. <c>STD-GEN-CD</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The roles a device claims for this profile.</summary>
    public MediaRoles Roles { get; init; } = MediaRoles.All;

    /// <summary>Allowed SOP class UIDs; null allows every registered storage SOP class (the general purpose profiles).</summary>
    public IReadOnlySet<string>? SopClasses { get; init; }

    /// <summary>Allowed transfer syntax UIDs.</summary>
    public required IReadOnlySet<string> TransferSyntaxes { get; init; }

    /// <summary>Where the profile comes from, e.g. <c>PS3.11 Annex D</c> or a conformance statement.</summary>
    public string Source { get; init; } = "";

    /// <summary>SOP classes per role when a device definition lists them separately (e.g. FSR reads more than FSC writes); null otherwise.</summary>
    public IReadOnlyDictionary<MediaRoles, IReadOnlySet<string>>? SopClassesByRole { get; init; }

    /// <summary>Whether the profile allows the SOP class.</summary>
    /// <param name="sopClassUid">The SOP class UID.</param>
    public bool AllowsSopClass(string sopClassUid)
    {
        if (SopClasses != null) return SopClasses.Contains(sopClassUid);
        var uid = DicomUid.Lookup(sopClassUid);
        return uid == null || (uid.Type == DicomUidType.SopClass && uid.Name.Contains("Storage", StringComparison.Ordinal));
    }

    /// <summary>Whether the profile allows the transfer syntax.</summary>
    /// <param name="transferSyntaxUid">The transfer syntax UID.</param>
    public bool AllowsTransferSyntax(string transferSyntaxUid) => TransferSyntaxes.Contains(transferSyntaxUid);

    /// <inheritdoc />
    public override string ToString() => Name;

    // ---- standard profiles ----------------------------------------------------------------------------------------

    private const string Ele = "1.2.840.10008.1.2.1";
    private const string JpegBaseline = "1.2.840.10008.1.2.4.50";
    private const string JpegExtended = "1.2.840.10008.1.2.4.51";
    private const string JpegLossless = "1.2.840.10008.1.2.4.57";
    private const string JpegLosslessSv1 = "1.2.840.10008.1.2.4.70";
    private const string J2kLossless = "1.2.840.10008.1.2.4.90";
    private const string J2k = "1.2.840.10008.1.2.4.91";

    private static readonly string[] CtMrSopClasses =
    [
        "1.2.840.10008.5.1.4.1.1.2", // CT Image
        "1.2.840.10008.5.1.4.1.1.2.1", // Enhanced CT Image
        "1.2.840.10008.5.1.4.1.1.4", // MR Image
        "1.2.840.10008.5.1.4.1.1.4.1", // Enhanced MR Image
        "1.2.840.10008.5.1.4.1.1.4.2", // MR Spectroscopy
        "1.2.840.10008.5.1.4.1.1.7", // Secondary Capture Image
        "1.2.840.10008.5.1.4.1.1.11.1", // Grayscale Softcopy Presentation State
        "1.2.840.10008.5.1.4.1.1.66", // Raw Data
        "1.2.840.10008.5.1.4.1.1.66.1", // Spatial Registration
        "1.2.840.10008.5.1.4.1.1.66.2", // Spatial Fiducials
        "1.2.840.10008.5.1.4.1.1.88.59", // Key Object Selection Document
    ];

    private static MediaApplicationProfile General(string name, string annex, params string[] syntaxes) => new()
    {
        Name = name,
        Source = "PS3.11 " + annex,
        TransferSyntaxes = new HashSet<string>(syntaxes, StringComparer.Ordinal),
    };

    /// <summary>STD-GEN-CD: General Purpose CD-R Interchange (Explicit VR Little Endian, any storage SOP class).</summary>
    public static MediaApplicationProfile GeneralPurposeCd { get; } = General("STD-GEN-CD", "Annex D", Ele);

    /// <summary>STD-GEN-DVD-RAM: General Purpose DVD-RAM Interchange (Explicit VR Little Endian).</summary>
    public static MediaApplicationProfile GeneralPurposeDvdRam { get; } = General("STD-GEN-DVD-RAM", "Annex D", Ele);

    /// <summary>STD-GEN-USB: General Purpose USB and Flash Memory Interchange (uncompressed).</summary>
    public static MediaApplicationProfile GeneralPurposeUsb { get; } = General("STD-GEN-USB", "Annex V", Ele);

    /// <summary>STD-GEN-DVD-JPEG: General Purpose DVD with JPEG compression.</summary>
    public static MediaApplicationProfile GeneralPurposeDvdJpeg { get; } =
        General("STD-GEN-DVD-JPEG", "Annex V", Ele, JpegBaseline, JpegExtended, JpegLossless, JpegLosslessSv1);

    /// <summary>STD-GEN-DVD-J2K: General Purpose DVD with JPEG 2000 compression.</summary>
    public static MediaApplicationProfile GeneralPurposeDvdJ2k { get; } = General("STD-GEN-DVD-J2K", "Annex V", Ele, J2kLossless, J2k);

    /// <summary>STD-GEN-USB-JPEG: General Purpose USB and Flash Memory with JPEG compression.</summary>
    public static MediaApplicationProfile GeneralPurposeUsbJpeg { get; } =
        General("STD-GEN-USB-JPEG", "Annex V", Ele, JpegBaseline, JpegExtended, JpegLossless, JpegLosslessSv1);

    /// <summary>STD-GEN-USB-J2K: General Purpose USB and Flash Memory with JPEG 2000 compression.</summary>
    public static MediaApplicationProfile GeneralPurposeUsbJ2k { get; } = General("STD-GEN-USB-J2K", "Annex V", Ele, J2kLossless, J2k);

    /// <summary>STD-GEN-DVD: General Purpose DVD interchange without compression (Explicit VR Little Endian), as syngo CT names it.</summary>
    public static MediaApplicationProfile GeneralPurposeDvd { get; } = General("STD-GEN-DVD", "Annex D (uncompressed)", Ele);

    /// <summary>STD-GEN-BD: General Purpose Blu-ray interchange without compression (Explicit VR Little Endian).</summary>
    public static MediaApplicationProfile GeneralPurposeBd { get; } = General("STD-GEN-BD", "Annex Z (uncompressed)", Ele);

    /// <summary>STD-GEN-BD-JPEG: General Purpose BD with JPEG compression.</summary>
    public static MediaApplicationProfile GeneralPurposeBdJpeg { get; } =
        General("STD-GEN-BD-JPEG", "Annex Z", Ele, JpegBaseline, JpegExtended, JpegLossless, JpegLosslessSv1);

    /// <summary>STD-GEN-BD-J2K: General Purpose BD with JPEG 2000 compression.</summary>
    public static MediaApplicationProfile GeneralPurposeBdJ2k { get; } = General("STD-GEN-BD-J2K", "Annex Z", Ele, J2kLossless, J2k);

    /// <summary>STD-CTMR-CD: CT and MR images on CD-R (Explicit VR LE, JPEG lossless SV1).</summary>
    public static MediaApplicationProfile CtMrCd { get; } = new()
    {
        Name = "STD-CTMR-CD",
        Source = "PS3.11 Annex F",
        SopClasses = new HashSet<string>(CtMrSopClasses, StringComparer.Ordinal),
        TransferSyntaxes = new HashSet<string>([Ele, JpegLosslessSv1], StringComparer.Ordinal),
    };

    /// <summary>STD-CTMR-DVD: CT and MR images on DVD (Explicit VR LE, JPEG lossless SV1, JPEG 2000 lossless).</summary>
    public static MediaApplicationProfile CtMrDvd { get; } = new()
    {
        Name = "STD-CTMR-DVD",
        Source = "PS3.11 Annex F",
        SopClasses = new HashSet<string>(CtMrSopClasses, StringComparer.Ordinal),
        TransferSyntaxes = new HashSet<string>([Ele, JpegLosslessSv1, J2kLossless], StringComparer.Ordinal),
    };

    /// <summary>The built-in standard profiles.</summary>
    public static IReadOnlyList<MediaApplicationProfile> Standard { get; } =
    [
        GeneralPurposeCd, GeneralPurposeDvdRam, GeneralPurposeUsb, GeneralPurposeDvdJpeg, GeneralPurposeDvdJ2k,
        GeneralPurposeUsbJpeg, GeneralPurposeUsbJ2k, CtMrCd, CtMrDvd, GeneralPurposeDvd, GeneralPurposeBd, GeneralPurposeBdJpeg, GeneralPurposeBdJ2k,
    ];

    /// <summary>Finds a built-in profile by name (case-insensitive), or null.</summary>
    /// <param name="name">The name, e.g. <c>STD-GEN-CD</c>.</param>
    public static MediaApplicationProfile? Find(string name) =>
        Standard.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A file does not fit the file-set's application profile.</summary>
public sealed class MediaProfileException : DicomException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong.</param>
    public MediaProfileException(string message) : base(message) { }
}
