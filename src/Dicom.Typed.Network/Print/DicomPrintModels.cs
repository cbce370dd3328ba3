using System.Globalization;

namespace Dicom.Typed.Network;

/// <summary>UIDs of the Print Management Service Class (PS3.4 annex H).</summary>
public static class PrintSopClasses
{
    /// <summary>Basic Grayscale Print Management Meta SOP Class.</summary>
    public const string BasicGrayscalePrintManagementMeta = "1.2.840.10008.5.1.1.9";

    /// <summary>Basic Color Print Management Meta SOP Class.</summary>
    public const string BasicColorPrintManagementMeta = "1.2.840.10008.5.1.1.18";

    /// <summary>Basic Film Session SOP Class.</summary>
    public const string BasicFilmSession = "1.2.840.10008.5.1.1.1";

    /// <summary>Basic Film Box SOP Class.</summary>
    public const string BasicFilmBox = "1.2.840.10008.5.1.1.2";

    /// <summary>Basic Grayscale Image Box SOP Class.</summary>
    public const string BasicGrayscaleImageBox = "1.2.840.10008.5.1.1.4";

    /// <summary>Basic Color Image Box SOP Class.</summary>
    public const string BasicColorImageBox = "1.2.840.10008.5.1.1.4.1";

    /// <summary>Printer SOP Class.</summary>
    public const string Printer = "1.2.840.10008.5.1.1.16";

    /// <summary>Printer SOP Instance (well-known).</summary>
    public const string PrinterInstance = "1.2.840.10008.5.1.1.17";

    /// <summary>Presentation LUT SOP Class.</summary>
    public const string PresentationLut = "1.2.840.10008.5.1.1.23";

    /// <summary>The meta SOP class of a print mode.</summary>
    /// <param name="mode">Grayscale or color.</param>
    public static string Meta(DicomPrintMode mode) => mode == DicomPrintMode.Color ? BasicColorPrintManagementMeta : BasicGrayscalePrintManagementMeta;

    /// <summary>The image box SOP class of a print mode.</summary>
    /// <param name="mode">Grayscale or color.</param>
    public static string ImageBox(DicomPrintMode mode) => mode == DicomPrintMode.Color ? BasicColorImageBox : BasicGrayscaleImageBox;
}

/// <summary>Basic Grayscale or Basic Color Print Management.</summary>
public enum DicomPrintMode
{
    /// <summary>Basic Grayscale Print Management Meta SOP Class (1.2.840.10008.5.1.1.9).</summary>
    Grayscale,
    /// <summary>Basic Color Print Management Meta SOP Class (1.2.840.10008.5.1.1.18).</summary>
    Color,
}

internal static class PrintAttr
{
    public static void Str(DicomDataset ds, DicomTag tag, string? value)
    {
        if (value != null) ds.AddOrUpdate(tag, value);
    }

    public static void Int(DicomDataset ds, DicomTag tag, int? value)
    {
        if (value != null) ds.AddOrUpdate(tag, value.Value.ToString(CultureInfo.InvariantCulture));
    }

    public static void U16(DicomDataset ds, DicomTag tag, ushort? value)
    {
        if (value != null) ds.AddOrUpdate(tag, value.Value);
    }

    public static string? Str(DicomDataset ds, DicomTag tag) => ds.GetStringOrDefault(tag)?.TrimEnd('\0', ' ') is { Length: > 0 } s ? s : null;

    public static int? Int(DicomDataset ds, DicomTag tag) =>
        Str(ds, tag) is { } s && int.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    public static ushort? U16(DicomDataset ds, DicomTag tag) => ds.Contains(tag) && ds.GetElement(tag) is { IsEmpty: false } ? ds.GetValueOrDefault<ushort>(tag, 0, 0) : null;
}

/// <summary>Basic Film Session attributes sent with N-CREATE (PS3.3 C.13.1; the syngo CT VA50A statement, table 46, sends
/// Number of Copies and Medium Type).</summary>
public sealed class DicomFilmSession
{
    /// <summary>Number of Copies (2000,0010), IS.</summary>
    public int? NumberOfCopies { get; set; }

    /// <summary>Print Priority (2000,0020): HIGH, MED, LOW.</summary>
    public string? PrintPriority { get; set; }

    /// <summary>Medium Type (2000,0030): PAPER, CLEAR FILM, BLUE FILM, MAMMO CLEAR FILM, MAMMO BLUE FILM.</summary>
    public string? MediumType { get; set; }

    /// <summary>Film Destination (2000,0040): MAGAZINE, PROCESSOR, BIN_i.</summary>
    public string? FilmDestination { get; set; }

    /// <summary>Film Session Label (2000,0050).</summary>
    public string? FilmSessionLabel { get; set; }

    /// <summary>Memory Allocation (2000,0060) in KB.</summary>
    public int? MemoryAllocation { get; set; }

    /// <summary>Owner ID (2100,0160).</summary>
    public string? OwnerId { get; set; }

    /// <summary>The N-CREATE data set.</summary>
    public DicomDataset ToDataset()
    {
        var ds = new DicomDataset();
        PrintAttr.Int(ds, DicomTag.NumberOfCopies, NumberOfCopies);
        PrintAttr.Str(ds, DicomTag.PrintPriority, PrintPriority);
        PrintAttr.Str(ds, DicomTag.MediumType, MediumType);
        PrintAttr.Str(ds, DicomTag.FilmDestination, FilmDestination);
        PrintAttr.Str(ds, DicomTag.FilmSessionLabel, FilmSessionLabel);
        PrintAttr.Int(ds, DicomTag.MemoryAllocation, MemoryAllocation);
        PrintAttr.Str(ds, DicomTag.OwnerID, OwnerId);
        return ds;
    }

    /// <summary>Reads the attributes from an N-CREATE data set (unknown attributes are ignored).</summary>
    /// <param name="ds">The data set.</param>
    public static DicomFilmSession FromDataset(DicomDataset ds) => new()
    {
        NumberOfCopies = PrintAttr.Int(ds, DicomTag.NumberOfCopies),
        PrintPriority = PrintAttr.Str(ds, DicomTag.PrintPriority),
        MediumType = PrintAttr.Str(ds, DicomTag.MediumType),
        FilmDestination = PrintAttr.Str(ds, DicomTag.FilmDestination),
        FilmSessionLabel = PrintAttr.Str(ds, DicomTag.FilmSessionLabel),
        MemoryAllocation = PrintAttr.Int(ds, DicomTag.MemoryAllocation),
        OwnerId = PrintAttr.Str(ds, DicomTag.OwnerID),
    };
}

/// <summary>Basic Film Box attributes sent with N-CREATE (PS3.3 C.13.3; syngo CT VA50A table 48). The Referenced Film
/// Session Sequence is added by the SCU.</summary>
public sealed class DicomFilmBox
{
    /// <summary>Image Display Format (2010,0010), Type 1, e.g. <c>STANDARD\1,1</c> or <c>STANDARD\2,3</c>.</summary>
    public required string ImageDisplayFormat { get; set; }

    /// <summary>Film Orientation (2010,0040): PORTRAIT, LANDSCAPE.</summary>
    public string? FilmOrientation { get; set; }

    /// <summary>Film Size ID (2010,0050), e.g. 8INX10IN, 14INX17IN, 24CMX30CM.</summary>
    public string? FilmSizeId { get; set; }

    /// <summary>Magnification Type (2010,0060): REPLICATE, BILINEAR, CUBIC, NONE.</summary>
    public string? MagnificationType { get; set; }

    /// <summary>Smoothing Type (2010,0080).</summary>
    public string? SmoothingType { get; set; }

    /// <summary>Border Density (2010,0100): BLACK, WHITE or hundredths of OD.</summary>
    public string? BorderDensity { get; set; }

    /// <summary>Empty Image Density (2010,0110): BLACK, WHITE or hundredths of OD.</summary>
    public string? EmptyImageDensity { get; set; }

    /// <summary>Min Density (2010,0120) in hundredths of OD.</summary>
    public ushort? MinDensity { get; set; }

    /// <summary>Max Density (2010,0130) in hundredths of OD.</summary>
    public ushort? MaxDensity { get; set; }

    /// <summary>Trim (2010,0140): YES, NO.</summary>
    public string? Trim { get; set; }

    /// <summary>Configuration Information (2010,0150).</summary>
    public string? ConfigurationInformation { get; set; }

    /// <summary>Illumination (2010,015E) in cd/m² (grayscale, with a Presentation LUT).</summary>
    public ushort? Illumination { get; set; }

    /// <summary>Reflected Ambient Light (2010,0160) in cd/m².</summary>
    public ushort? ReflectedAmbientLight { get; set; }

    /// <summary>Requested Resolution ID (2020,0050): STANDARD, HIGH.</summary>
    public string? RequestedResolutionId { get; set; }

    /// <summary>The number of image boxes the standard format implies (columns × rows of <c>STANDARD\C,R</c>), or null for other formats.</summary>
    public int? StandardImageBoxCount
    {
        get
        {
            var parts = ImageDisplayFormat.Split('\\');
            if (parts.Length != 2 || parts[0].Trim() != "STANDARD") return null;
            var cr = parts[1].Split(',');
            return cr.Length == 2 && int.TryParse(cr[0], out var c) && int.TryParse(cr[1], out var r) ? c * r : null;
        }
    }

    /// <summary>The N-CREATE data set (without the references).</summary>
    public DicomDataset ToDataset()
    {
        if (string.IsNullOrWhiteSpace(ImageDisplayFormat)) throw new ArgumentException("Image Display Format (2010,0010) is Type 1");
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.ImageDisplayFormat, ImageDisplayFormat);
        PrintAttr.Str(ds, DicomTag.FilmOrientation, FilmOrientation);
        PrintAttr.Str(ds, DicomTag.FilmSizeID, FilmSizeId);
        PrintAttr.Str(ds, DicomTag.MagnificationType, MagnificationType);
        PrintAttr.Str(ds, DicomTag.SmoothingType, SmoothingType);
        PrintAttr.Str(ds, DicomTag.BorderDensity, BorderDensity);
        PrintAttr.Str(ds, DicomTag.EmptyImageDensity, EmptyImageDensity);
        PrintAttr.U16(ds, DicomTag.MinDensity, MinDensity);
        PrintAttr.U16(ds, DicomTag.MaxDensity, MaxDensity);
        PrintAttr.Str(ds, DicomTag.Trim, Trim);
        PrintAttr.Str(ds, DicomTag.ConfigurationInformation, ConfigurationInformation);
        PrintAttr.U16(ds, DicomTag.Illumination, Illumination);
        PrintAttr.U16(ds, DicomTag.ReflectedAmbientLight, ReflectedAmbientLight);
        PrintAttr.Str(ds, DicomTag.RequestedResolutionID, RequestedResolutionId);
        return ds;
    }

    /// <summary>Reads the attributes from an N-CREATE data set.</summary>
    /// <param name="ds">The data set.</param>
    public static DicomFilmBox FromDataset(DicomDataset ds) => new()
    {
        ImageDisplayFormat = PrintAttr.Str(ds, DicomTag.ImageDisplayFormat) ?? "",
        FilmOrientation = PrintAttr.Str(ds, DicomTag.FilmOrientation),
        FilmSizeId = PrintAttr.Str(ds, DicomTag.FilmSizeID),
        MagnificationType = PrintAttr.Str(ds, DicomTag.MagnificationType),
        SmoothingType = PrintAttr.Str(ds, DicomTag.SmoothingType),
        BorderDensity = PrintAttr.Str(ds, DicomTag.BorderDensity),
        EmptyImageDensity = PrintAttr.Str(ds, DicomTag.EmptyImageDensity),
        MinDensity = PrintAttr.U16(ds, DicomTag.MinDensity),
        MaxDensity = PrintAttr.U16(ds, DicomTag.MaxDensity),
        Trim = PrintAttr.Str(ds, DicomTag.Trim),
        ConfigurationInformation = PrintAttr.Str(ds, DicomTag.ConfigurationInformation),
        Illumination = PrintAttr.U16(ds, DicomTag.Illumination),
        ReflectedAmbientLight = PrintAttr.U16(ds, DicomTag.ReflectedAmbientLight),
        RequestedResolutionId = PrintAttr.Str(ds, DicomTag.RequestedResolutionID),
    };
}

/// <summary>A preformatted image for an image box (PS3.3 C.13.5: the Image Pixel module inside the Basic Grayscale /
/// Basic Color Image Sequence, called "Preformatted Grayscale/Color Image Sequence" in current editions).</summary>
public sealed class DicomPrintImage
{
    /// <summary>Rows (0028,0010).</summary>
    public required ushort Rows { get; init; }

    /// <summary>Columns (0028,0011).</summary>
    public required ushort Columns { get; init; }

    /// <summary>Samples per Pixel (0028,0002): 1 for grayscale, 3 for color.</summary>
    public ushort SamplesPerPixel { get; init; } = 1;

    /// <summary>Photometric Interpretation (0028,0004): MONOCHROME1/MONOCHROME2 or RGB.</summary>
    public string PhotometricInterpretation { get; init; } = "MONOCHROME2";

    /// <summary>Bits Allocated (0028,0100): 8 or 16 (grayscale), 8 (color).</summary>
    public ushort BitsAllocated { get; init; } = 8;

    /// <summary>Bits Stored (0028,0101): 8 or 12 (grayscale), 8 (color).</summary>
    public ushort BitsStored { get; init; } = 8;

    /// <summary>Planar Configuration (0028,0006) for color (0 = color-by-pixel, 1 = color-by-plane).</summary>
    public ushort PlanarConfiguration { get; init; }

    /// <summary>Pixel Aspect Ratio (0028,0034) as vertical\horizontal, default 1\1.</summary>
    public string PixelAspectRatio { get; init; } = "1\\1";

    /// <summary>Native (uncompressed) pixel data of one frame, little endian.</summary>
    public required ReadOnlyMemory<byte> PixelData { get; init; }

    /// <summary>An 8-bit MONOCHROME2 image.</summary>
    /// <param name="rows">Rows.</param>
    /// <param name="columns">Columns.</param>
    /// <param name="pixels">rows × columns bytes.</param>
    public static DicomPrintImage Grayscale8(ushort rows, ushort columns, ReadOnlyMemory<byte> pixels) =>
        new() { Rows = rows, Columns = columns, PixelData = pixels };

    /// <summary>An 8-bit RGB image (color-by-pixel).</summary>
    /// <param name="rows">Rows.</param>
    /// <param name="columns">Columns.</param>
    /// <param name="pixels">rows × columns × 3 bytes.</param>
    public static DicomPrintImage Rgb8(ushort rows, ushort columns, ReadOnlyMemory<byte> pixels) =>
        new() { Rows = rows, Columns = columns, SamplesPerPixel = 3, PhotometricInterpretation = "RGB", PixelData = pixels };

    /// <summary>Takes the first frame of a native (uncompressed) image data set. Grayscale images with more than 8 stored
    /// bits become 16-bit allocated / 12-bit stored (values are shifted down when needed); signed pixels are rejected.</summary>
    /// <param name="image">An image data set (Image Pixel module).</param>
    /// <exception cref="DicomException">No native pixel data or an unsupported pixel format.</exception>
    public static DicomPrintImage FromDataset(DicomDataset image)
    {
        ushort rows = image.GetValueOrDefault<ushort>(DicomTag.Rows, 0, 0), cols = image.GetValueOrDefault<ushort>(DicomTag.Columns, 0, 0);
        ushort spp = image.GetValueOrDefault<ushort>(DicomTag.SamplesPerPixel, 0, 1);
        ushort alloc = image.GetValueOrDefault<ushort>(DicomTag.BitsAllocated, 0, 0), stored = image.GetValueOrDefault<ushort>(DicomTag.BitsStored, 0, alloc);
        string pi = PrintAttr.Str(image, DicomTag.PhotometricInterpretation) ?? "MONOCHROME2";
        if (rows == 0 || cols == 0) throw new DicomException("print image: Rows/Columns (0028,0010/0011) missing");
        if (image.GetElement(DicomTag.PixelData) is not { } px || px.VR == DicomVR.UN && px.IsEmpty)
            throw new DicomException("print image: no native Pixel Data (7FE0,0010); encapsulated images must be decompressed first");
        if (image.GetValueOrDefault<ushort>(DicomTag.PixelRepresentation, 0, 0) != 0) throw new DicomException("print image: signed pixels are not printable as is");
        long frame = (long)rows * cols * spp * (alloc / 8);
        if (alloc is not (8 or 16) || px.Length < frame) throw new DicomException($"print image: {px.Length} bytes of pixel data for {rows}x{cols}x{spp} at {alloc} bits");
        var bytes = px.Buffer.Memory.Slice(0, (int)frame);
        if (spp == 3)
        {
            if (alloc != 8 || pi != "RGB") throw new DicomException($"print image: color must be 8-bit RGB (is {alloc}-bit {pi})");
            return new DicomPrintImage
            {
                Rows = rows, Columns = cols, SamplesPerPixel = 3, PhotometricInterpretation = "RGB", PixelData = bytes,
                PlanarConfiguration = image.GetValueOrDefault<ushort>(DicomTag.PlanarConfiguration, 0, 0),
            };
        }
        if (pi is not ("MONOCHROME1" or "MONOCHROME2")) throw new DicomException($"print image: photometric interpretation {pi} is not printable in grayscale");
        if (alloc == 8) return new DicomPrintImage { Rows = rows, Columns = cols, PhotometricInterpretation = pi, PixelData = bytes };
        if (stored <= 12) return new DicomPrintImage { Rows = rows, Columns = cols, PhotometricInterpretation = pi, BitsAllocated = 16, BitsStored = 12, PixelData = bytes };
        // 13..16 stored bits: shift down to 12.
        var src = bytes.Span;
        var dst = new byte[src.Length];
        int shift = stored - 12;
        for (int i = 0; i + 1 < src.Length; i += 2)
        {
            int v = (src[i] | src[i + 1] << 8) >> shift;
            dst[i] = (byte)v;
            dst[i + 1] = (byte)(v >> 8);
        }
        return new DicomPrintImage { Rows = rows, Columns = cols, PhotometricInterpretation = pi, BitsAllocated = 16, BitsStored = 12, PixelData = dst };
    }

    /// <summary>The sequence item (Image Pixel module).</summary>
    public DicomDataset ToDataset()
    {
        long expected = (long)Rows * Columns * SamplesPerPixel * (BitsAllocated / 8);
        if (PixelData.Length != expected) throw new ArgumentException($"pixel data has {PixelData.Length} bytes, {Rows}x{Columns}x{SamplesPerPixel} at {BitsAllocated} bits needs {expected}");
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.SamplesPerPixel, SamplesPerPixel);
        ds.AddOrUpdate(DicomTag.PhotometricInterpretation, PhotometricInterpretation);
        if (SamplesPerPixel > 1) ds.AddOrUpdate(DicomTag.PlanarConfiguration, PlanarConfiguration);
        ds.AddOrUpdate(DicomTag.Rows, Rows);
        ds.AddOrUpdate(DicomTag.Columns, Columns);
        ds.AddOrUpdate(DicomTag.PixelAspectRatio, PixelAspectRatio.Split('\\'));
        ds.AddOrUpdate(DicomTag.BitsAllocated, BitsAllocated);
        ds.AddOrUpdate(DicomTag.BitsStored, BitsStored);
        ds.AddOrUpdate(DicomTag.HighBit, (ushort)(BitsStored - 1));
        ds.AddOrUpdate(DicomTag.PixelRepresentation, (ushort)0);
        ds.AddOrUpdate(new DicomElement(DicomTag.PixelData, BitsAllocated > 8 ? DicomVR.OW : DicomVR.OB, DicomBuffer.FromMemory(PixelData)));
        return ds;
    }

    /// <summary>Reads an image from a Basic Grayscale/Color Image Sequence item.</summary>
    /// <param name="item">The item.</param>
    public static DicomPrintImage FromItem(DicomDataset item) => new()
    {
        Rows = item.GetValueOrDefault<ushort>(DicomTag.Rows, 0, 0),
        Columns = item.GetValueOrDefault<ushort>(DicomTag.Columns, 0, 0),
        SamplesPerPixel = item.GetValueOrDefault<ushort>(DicomTag.SamplesPerPixel, 0, 1),
        PhotometricInterpretation = PrintAttr.Str(item, DicomTag.PhotometricInterpretation) ?? "",
        BitsAllocated = item.GetValueOrDefault<ushort>(DicomTag.BitsAllocated, 0, 8),
        BitsStored = item.GetValueOrDefault<ushort>(DicomTag.BitsStored, 0, 8),
        PlanarConfiguration = item.GetValueOrDefault<ushort>(DicomTag.PlanarConfiguration, 0, 0),
        PixelAspectRatio = PrintAttr.Str(item, DicomTag.PixelAspectRatio) ?? "1\\1",
        PixelData = item.GetElement(DicomTag.PixelData)?.Buffer.Memory ?? ReadOnlyMemory<byte>.Empty,
    };
}

/// <summary>Basic Grayscale / Color Image Box attributes sent with N-SET (PS3.3 C.13.5; syngo CT VA50A tables 51 and 53).</summary>
public sealed class DicomImageBox
{
    /// <summary>Image Box Position (2020,0010), 1-based, Type 1.</summary>
    public required ushort ImageBoxPosition { get; set; }

    /// <summary>The image (Basic Grayscale Image Sequence (2020,0110) or Basic Color Image Sequence (2020,0111)).</summary>
    public required DicomPrintImage Image { get; set; }

    /// <summary>Polarity (2020,0020): NORMAL, REVERSE.</summary>
    public string? Polarity { get; set; }

    /// <summary>Magnification Type (2010,0060) for this box.</summary>
    public string? MagnificationType { get; set; }

    /// <summary>Smoothing Type (2010,0080) for this box.</summary>
    public string? SmoothingType { get; set; }

    /// <summary>Min Density (2010,0120).</summary>
    public ushort? MinDensity { get; set; }

    /// <summary>Max Density (2010,0130).</summary>
    public ushort? MaxDensity { get; set; }

    /// <summary>Requested Image Size (2020,0030), width in mm as DS text.</summary>
    public string? RequestedImageSize { get; set; }

    /// <summary>Requested Decimate/Crop Behavior (2020,0040): DECIMATE, CROP, FAIL.</summary>
    public string? RequestedDecimateCropBehavior { get; set; }

    /// <summary>The N-SET data set.</summary>
    /// <param name="mode">Grayscale puts the image into (2020,0110), color into (2020,0111).</param>
    public DicomDataset ToDataset(DicomPrintMode mode)
    {
        if (ImageBoxPosition == 0) throw new ArgumentException("Image Box Position (2020,0010) starts at 1");
        if (mode == DicomPrintMode.Color != (Image.SamplesPerPixel == 3))
            throw new ArgumentException($"a {(mode == DicomPrintMode.Color ? "color" : "grayscale")} image box needs a {(mode == DicomPrintMode.Color ? "3" : "1")}-sample image");
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.ImageBoxPosition, ImageBoxPosition);
        PrintAttr.Str(ds, DicomTag.Polarity, Polarity);
        PrintAttr.Str(ds, DicomTag.MagnificationType, MagnificationType);
        PrintAttr.Str(ds, DicomTag.SmoothingType, SmoothingType);
        PrintAttr.U16(ds, DicomTag.MinDensity, MinDensity);
        PrintAttr.U16(ds, DicomTag.MaxDensity, MaxDensity);
        PrintAttr.Str(ds, DicomTag.RequestedImageSize, RequestedImageSize);
        PrintAttr.Str(ds, DicomTag.RequestedDecimateCropBehavior, RequestedDecimateCropBehavior);
        ds.AddOrUpdate(new DicomSequence(mode == DicomPrintMode.Color ? DicomTag.BasicColorImageSequence : DicomTag.BasicGrayscaleImageSequence, Image.ToDataset()));
        return ds;
    }

    /// <summary>Reads an N-SET data set (either image sequence).</summary>
    /// <param name="ds">The data set.</param>
    /// <exception cref="DicomException">Position or image missing.</exception>
    public static DicomImageBox FromDataset(DicomDataset ds)
    {
        var seq = ds.GetSequence(DicomTag.BasicGrayscaleImageSequence) ?? ds.GetSequence(DicomTag.BasicColorImageSequence);
        if (seq is not { Items.Count: 1 }) throw new DicomException("image box N-SET without exactly one item in (2020,0110) or (2020,0111)");
        return new DicomImageBox
        {
            ImageBoxPosition = PrintAttr.U16(ds, DicomTag.ImageBoxPosition) ?? throw new DicomException("image box N-SET without Image Box Position (2020,0010)"),
            Image = DicomPrintImage.FromItem(seq.Items[0]),
            Polarity = PrintAttr.Str(ds, DicomTag.Polarity),
            MagnificationType = PrintAttr.Str(ds, DicomTag.MagnificationType),
            SmoothingType = PrintAttr.Str(ds, DicomTag.SmoothingType),
            MinDensity = PrintAttr.U16(ds, DicomTag.MinDensity),
            MaxDensity = PrintAttr.U16(ds, DicomTag.MaxDensity),
            RequestedImageSize = PrintAttr.Str(ds, DicomTag.RequestedImageSize),
            RequestedDecimateCropBehavior = PrintAttr.Str(ds, DicomTag.RequestedDecimateCropBehavior),
        };
    }
}

/// <summary>Printer status returned by N-GET on the Printer SOP instance (PS3.3 C.13.9).</summary>
/// <param name="PrinterStatus">Printer Status (2110,0010): NORMAL, WARNING, FAILURE.</param>
/// <param name="PrinterStatusInfo">Printer Status Info (2110,0020), e.g. NORMAL, SUPPLY LOW, FILM JAM.</param>
/// <param name="PrinterName">Printer Name (2110,0030).</param>
/// <param name="Manufacturer">Manufacturer (0008,0070).</param>
/// <param name="ManufacturerModelName">Manufacturer's Model Name (0008,1090).</param>
/// <param name="SoftwareVersions">Software Versions (0018,1020).</param>
/// <param name="Dataset">The whole N-GET-RSP data set.</param>
public sealed record DicomPrinterStatus(string? PrinterStatus, string? PrinterStatusInfo, string? PrinterName, string? Manufacturer,
    string? ManufacturerModelName, string? SoftwareVersions, DicomDataset Dataset)
{
    /// <summary>True when the printer reports NORMAL (or WARNING, which still prints).</summary>
    public bool CanPrint => PrinterStatus is "NORMAL" or "WARNING";

    /// <summary>Reads the N-GET-RSP data set.</summary>
    /// <param name="ds">The data set (may be empty).</param>
    public static DicomPrinterStatus FromDataset(DicomDataset ds) => new(
        PrintAttr.Str(ds, DicomTag.PrinterStatus), PrintAttr.Str(ds, DicomTag.PrinterStatusInfo), PrintAttr.Str(ds, DicomTag.PrinterName),
        PrintAttr.Str(ds, DicomTag.Manufacturer), PrintAttr.Str(ds, DicomTag.ManufacturerModelName), PrintAttr.Str(ds, DicomTag.SoftwareVersions), ds);
}

/// <summary>A referenced image box returned in the Basic Film Box N-CREATE-RSP.</summary>
/// <param name="Position">1-based position in the film box (order of the Referenced Image Box Sequence).</param>
/// <param name="SopClassUid">Basic Grayscale or Color Image Box SOP class.</param>
/// <param name="SopInstanceUid">Its SOP instance UID, the target of N-SET.</param>
public sealed record DicomImageBoxReference(int Position, string SopClassUid, string SopInstanceUid);
