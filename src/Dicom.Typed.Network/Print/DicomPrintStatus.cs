namespace Dicom.Typed.Network;

/// <summary>Status codes specific to the Print Management Service Class (PS3.4 H.4, annex C of PS3.7), with their meanings.</summary>
public static class DicomPrintStatuses
{
    /// <summary>Warning B600: memory allocation not supported (Film Session N-CREATE).</summary>
    public static readonly DicomStatus MemoryAllocationNotSupported = new(0xB600);
    /// <summary>Warning B601: Film Session printing (collation) is not supported.</summary>
    public static readonly DicomStatus FilmSessionPrintingNotSupported = new(0xB601);
    /// <summary>Warning B602: Film Session SOP instance hierarchy does not contain Image Box SOP instances (empty page).</summary>
    public static readonly DicomStatus FilmSessionEmptyPage = new(0xB602);
    /// <summary>Warning B603: Film Box SOP instance hierarchy does not contain Image Box SOP instances (empty page).</summary>
    public static readonly DicomStatus FilmBoxEmptyPage = new(0xB603);
    /// <summary>Warning B604: image size larger than the image box size, the image has been demagnified.</summary>
    public static readonly DicomStatus ImageDemagnified = new(0xB604);
    /// <summary>Warning B605: requested Min Density or Max Density outside the printer's operating range.</summary>
    public static readonly DicomStatus DensityOutOfRange = new(0xB605);
    /// <summary>Warning B609: image size larger than the image box size, the image has been cropped to fit.</summary>
    public static readonly DicomStatus ImageCropped = new(0xB609);
    /// <summary>Warning B60A: image (or combined print image) decimated to fit.</summary>
    public static readonly DicomStatus ImageDecimated = new(0xB60A);
    /// <summary>Failure C600: Film Session SOP instance hierarchy does not contain Film Box SOP instances.</summary>
    public static readonly DicomStatus FilmSessionWithoutFilmBox = new(0xC600);
    /// <summary>Failure C601: unable to create Print Job SOP instance; print queue is full (film session).</summary>
    public static readonly DicomStatus PrintQueueFullSession = new(0xC601);
    /// <summary>Failure C602: unable to create Print Job SOP instance; print queue is full (film box).</summary>
    public static readonly DicomStatus PrintQueueFull = new(0xC602);
    /// <summary>Failure C603: image size larger than image box size.</summary>
    public static readonly DicomStatus ImageTooLarge = new(0xC603);
    /// <summary>Failure C605: insufficient memory in printer to store the image.</summary>
    public static readonly DicomStatus InsufficientMemory = new(0xC605);
    /// <summary>Failure C613: combined print image size larger than the image box size.</summary>
    public static readonly DicomStatus CombinedImageTooLarge = new(0xC613);
    /// <summary>Failure C616: an existing film box has not been printed and N-ACTION at film session level is not supported.</summary>
    public static readonly DicomStatus FilmBoxNotPrinted = new(0xC616);

    /// <summary>The meaning of a status in the context of print management (falls back to the general categories).</summary>
    /// <param name="status">The status.</param>
    public static string Describe(DicomStatus status) => status.Code switch
    {
        0x0000 => "success",
        0xB600 => "memory allocation not supported",
        0xB601 => "film session printing (collation) not supported",
        0xB602 => "film session contains no image box (empty page)",
        0xB603 => "film box contains no image box (empty page)",
        0xB604 => "image larger than the image box, demagnified",
        0xB605 => "min/max density outside the printer's operating range",
        0xB609 => "image larger than the image box, cropped to fit",
        0xB60A => "image or combined print image decimated to fit",
        0xC600 => "film session contains no film box",
        0xC601 => "print queue full (film session)",
        0xC602 => "print queue full (film box)",
        0xC603 => "image larger than the image box",
        0xC605 => "insufficient memory in the printer to store the image",
        0xC613 => "combined print image larger than the image box",
        0xC616 => "an existing film box has not been printed",
        0x0106 => "invalid attribute value",
        0x0105 => "no such attribute",
        0x0107 => "attribute list error",
        0x0116 => "attribute value out of range",
        0x0120 => "missing attribute",
        0x0121 => "missing attribute value",
        0x0112 => "no such SOP instance",
        0x0122 => "SOP class not supported",
        0x0213 => "resource limitation",
        _ => status.ToString(),
    };
}

/// <summary>One print operation and its status, e.g. a warning kept in <see cref="DicomPrintSession.Warnings"/>.</summary>
/// <param name="Operation">What was done, e.g. "N-CREATE Basic Film Box".</param>
/// <param name="Status">The response status.</param>
/// <param name="ErrorComment">The Error Comment the SCP sent, if any.</param>
public sealed record DicomPrintOperationStatus(string Operation, DicomStatus Status, string? ErrorComment)
{
    /// <summary>The meaning of the status (<see cref="DicomPrintStatuses.Describe"/>).</summary>
    public string Meaning => DicomPrintStatuses.Describe(Status);

    /// <inheritdoc />
    public override string ToString() => $"{Operation}: {Status} {Meaning}{(ErrorComment != null ? " (" + ErrorComment + ")" : "")}";
}

/// <summary>A print operation failed with a failure status from the Print SCP (the association stays usable).</summary>
public sealed class DicomPrintException : DicomException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="result">The failed operation.</param>
    public DicomPrintException(DicomPrintOperationStatus result) : base($"print SCP refused {result}") => Result = result;

    /// <summary>The failed operation and its status.</summary>
    public DicomPrintOperationStatus Result { get; }

    /// <summary>The failure status.</summary>
    public DicomStatus Status => Result.Status;
}
