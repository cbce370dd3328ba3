using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Dicom.Typed.Iod;

namespace Dicom.Typed.Devices.Tests;

/// <summary>
/// Fills a generated IOD object by reflection as the device would: every Type 1 and 2 member, the members the vendor
/// always sends (presence ALWAYS), and 1C/2C members whose condition (the definition's JSON, read from the metadata
/// attribute) holds on the data set built so far. Values are realistic by tag (a consistent 8×8 16-bit monochrome
/// pixel module, codes, dates) and valid for their VR and enumerations.
/// </summary>
public static class RealisticSample
{
    /// <summary>Per-tag text values ('\' separates values).</summary>
    private static readonly Dictionary<uint, string> ByTag = new()
    {
        [0x00080005] = "ISO_IR 100",
        [0x00080060] = "OT",
        [0x00080064] = "WSD",
        [0x00080070] = "Vendor",
        [0x00080090] = "Referring^Doctor",
        [0x00081030] = "Study description",
        [0x0008103E] = "Series description",
        [0x00081090] = "Model",
        [0x00100010] = "Doe^Jane",
        [0x00100020] = "PAT0001",
        [0x00100030] = "19700101",
        [0x00100040] = "F",
        [0x00101010] = "054Y",
        [0x00101020] = "1.70",
        [0x00101030] = "65",
        [0x00180015] = "CHEST",
        [0x00181020] = "VA50A",
        [0x00185100] = "HFS",
        [0x00200010] = "STUDY1",
        [0x00200011] = "1",
        [0x00200012] = "1",
        [0x00200013] = "1",
        [0x00200020] = "L\\P",
        [0x00200032] = "0\\0\\0",
        [0x00200037] = "1\\0\\0\\0\\1\\0",
        [0x00200052] = "1.2.826.0.1.3680043.10.543.1",
        [0x00200060] = "L",
        [0x00201040] = "SN",
        [0x00280002] = "1",
        [0x00080008] = "ORIGINAL\\PRIMARY\\AXIAL",
        [0x00280301] = "NO",
        [0x60000010] = "8",
        [0x60000011] = "8",
        [0x60000040] = "G",
        [0x60000050] = "1\\1",
        [0x60000100] = "1",
        [0x60000102] = "0",
        [0x00189361] = "NO",
        [0x00180060] = "120",
        [0x00181151] = "200",
        [0x00180090] = "500",
        [0x00181190] = "1.2",
        [0x00181160] = "FLAT",
        [0x00187050] = "AL",
        [0x00280004] = "MONOCHROME2",
        [0x00280008] = "1",
        [0x00280010] = "8",
        [0x00280011] = "8",
        [0x00280030] = "0.5\\0.5",
        [0x00280100] = "16",
        [0x00280101] = "12",
        [0x00280102] = "11",
        [0x00280103] = "0",
        [0x00281050] = "40",
        [0x00281051] = "400",
        [0x00281052] = "-1024",
        [0x00281053] = "1",
        [0x00281054] = "HU",
        [0x00282110] = "00",
        [0x00080100] = "113100",
        [0x00080102] = "DCM",
        [0x00080104] = "Basic Application Confidentiality Profile",
        // CS attributes with standard enumerated values / defined terms that the statements do not print: a real
        // device sends one of the standard values (PS3.3 section given), never free text.
        [0x300E0002] = "UNAPPROVED",    // Approval Status, C.8.8.16 (APPROVED would require Review Date/Time/Reviewer)
        [0x00181700] = "RECTANGULAR",   // Collimator Shape, C.8.7.3.1.1 (Collimator edges are sent)
        [0x0040A491] = "COMPLETE",      // Completion Flag, C.17.2
        [0x30060042] = "CLOSED_PLANAR", // Contour Geometric Type, C.8.8.6.1
        [0x00209072] = "U",             // Frame Laterality, C.7.6.16.2.8
        [0x0070030C] = "RIGID",         // Frame of Reference Transformation Matrix Type, C.20.2.1.1
        [0x00180023] = "2D",            // MR Acquisition Type, C.8.3.1
        [0x00181500] = "STATIC",        // Positioner Motion, C.8.7.5
        [0x20500020] = "IDENTITY",      // Presentation LUT Shape, C.11.6
        [0x00181155] = "GR",            // Radiation Setting, C.8.7.2
        [0x00180020] = "SE",            // Scanning Sequence, C.8.3.1
        [0x00181600] = "RECTANGULAR",   // Shutter Shape, C.7.6.11
        [0x00540500] = "APEX_TO_BASE",  // Slice Progression Direction, C.8.9.4
        [0x0040A040] = "CONTAINER",     // Value Type: the document root is a CONTAINER (C.17.3)
        [0x0040A493] = "UNVERIFIED",    // Verification Flag, C.17.2
        [0x003A0004] = "ORIGINAL",      // Waveform Originality, C.10.9
        [0x54001006] = "SS",            // Waveform Sample Interpretation, C.10.9.1.5
        [0x54001004] = "16",            // Waveform Bits Allocated: 16 with SS
        // per-frame vectors of a 2-frame multi-frame (Number of Frames values each, PS3.3 C.7.6.6, C.8.6.4)
        [0x00181063] = "66.7",
        [0x00181520] = "0\\0", // Positioner Primary/Secondary Angle Increment: one value per frame (static positioner)
        [0x00181521] = "0\\0",
        [0x00181065] = "0\\66.7",
        [0x00182001] = "1\\2",
        [0x00182005] = "0\\1",
        [0x0040A050] = "SEPARATE",      // Continuity Of Content, C.18.8 (enumerated SEPARATE / CONTINUOUS)
        [0x00281101] = "256\\0\\16", // Red/Green/Blue Palette Color LUT Descriptor: 256 entries of 16 bits (C.7.6.3.1.5)
        [0x00281102] = "256\\0\\16",
        [0x00281103] = "256\\0\\16",
        [0x00700052] = "1\\1",        // Displayed Area Top Left Hand Corner…
        [0x00700053] = "8\\8",        // …and Bottom Right: the whole 8×8 image (C.10.4)
        [0x00180080] = "500",           // Repetition Time (ms)
        [0x00286101] = "AVG_SUB",       // Mask Operation: an original DSA run subtracts averaged mask frames (Mask Frame Numbers sent, C.7.6.10)
        [0x00420012] = "application/pdf", // MIME Type of Encapsulated Document, C.24.2 (the sample encapsulates a PDF)
        [0x30060036] = "MANUAL",        // ROI Generation Algorithm, C.8.8.5 (defined terms AUTOMATIC, SEMIAUTOMATIC, MANUAL)
        [0x300600A4] = "ORGAN",         // RT ROI Interpreted Type, C.8.8.8
        [0x30060024] = "1.2.826.0.1.3680043.10.543.1", // Referenced Frame of Reference UID of an ROI: the Frame of Reference the structure set references (C.8.8.5)
    };

    /// <summary>Type 3 members the sample leaves out: their standard conditions do not hold on this sample.</summary>
    private static readonly HashSet<uint> Skip =
    [
        0x00280006, // Planar Configuration: only when Samples per Pixel > 1
        0x00280034, // Pixel Aspect Ratio: not when 1:1
        0x00189362, // Multi-energy CT Acquisition Sequence: only in multi-energy acquisitions (this sample is single energy)
        0x00189360, // CT Additional X-Ray Source Sequence: only in dual-source acquisitions
        0x00400555, // Acquisition Context Sequence: "only present for gated rest or stress" (Vereos), this sample is not gated
    ];

    /// <summary>Type 3 (ANAP) members a real acquisition carries and the standard IOD requires (Type 1/2 there).</summary>
    private static readonly HashSet<uint> AlsoSent =
    [
        0x00200010, // Study ID: Type 2 in General Study
        0x00200011, // Series Number
        0x00200052, // Frame of Reference UID
        0x00201040, // Position Reference Indicator
        0x00080070, // Manufacturer
        0x00080090, // Referring Physician's Name
        0x00080050, // Accession Number
        0x00180060, // KVP
        0x00200020, // Patient Orientation: 2C in the standard for projection images
        0x00180015, // Body Part Examined: sent when known (COPY); with a non-paired part it settles the Laterality 2C condition
        0x00280002, 0x00280004, 0x00280100, 0x00280101, 0x00280102, // Image Pixel description (ANAP in some statements): Type 1, always known to the device
        0x00080022, 0x00080032, 0x00181242, 0x00541300, 0x00541321, // PET Image: Acquisition Date/Time, Actual Frame Duration (2), Frame Reference Time (1), Decay Factor (1C, decay corrected)
        0x00181181, 0x00540016, 0x00540410, 0x00540414, // PET Series Collimator Type, PET Isotope, NM/PET Patient Orientation sequences (Type 2)
        0x00081150, 0x00081155, // Referenced SOP Class/Instance UID: Type 1 in every reference item (SOP Instance Reference Macro, Table 10-11)
        0x00081111, // Referenced Performed Procedure Step Sequence (ANAP): Type 2 in the SR Document / Key Object Document Series (C.17.1, C.17.6.1)
        0x00080023, 0x00080033, // Content Date/Time (ANAP): Type 1 in SR Document General, Key Object Document, Spatial Registration (C.17.2, C.17.6.2, C.20.2)
        0x00281050, // Window Center: sent with Window Width (C.11.2 requires both or a VOI LUT Sequence)
        0x00181500, // Positioner Motion (ANAP): XA 2C, required for a multi-frame run (C.8.7.5), which the sample is
        0x00185100, // Patient Position: 2C in General Series for CT and MR
        0x7FE00010, // Pixel Data
        0x00100010, 0x00100020, 0x00100030, 0x00100040, // Patient module, Type 2 in the standard
        0x00080020, 0x00080030, 0x0020000D, // General Study
        0x00080060, 0x00200013, 0x00280103, // Modality, Instance Number, Pixel Representation
        0x60000010, 0x60000011, 0x60000040, 0x60000050, 0x60003000, // Overlay Plane: the device sends its overlays whole
        0x00540300, // Radionuclide Code Sequence: Type 2 in the Radiopharmaceutical Information Sequence item (PS3.3 C.8.9.2)
        0x00080100, 0x00080102, 0x00080104, // Code Value, Coding Scheme Designator, Code Meaning: an item of a code sequence that is sent carries its code (Code Sequence Macro, PS3.3 Table 8.8-1)
    ];

    /// <summary>Per-SOP-class values that differ from the defaults above (PET counts, XA projections…).</summary>
    private static readonly Dictionary<string, Dictionary<uint, string>> BySopClass = new()
    {
        ["1.2.840.10008.5.1.4.1.1.128"] = new()
        {
            [0x00080008] = "ORIGINAL\\PRIMARY",
            [0x00080060] = "PT",
            [0x00281052] = "0",
            [0x00281053] = "0.25",
            [0x00281054] = "BQML",
            [0x00541001] = "BQML",
            [0x00541002] = "EMISSION",
            [0x00541000] = "STATIC\\IMAGE",
            [0x00280051] = "DECY\\ATTN",
            [0x00541102] = "START",
            [0x00540081] = "1",
            [0x00541330] = "1",
            [0x00280101] = "16", // PET Image: Bits Stored 16, High Bit 15 (C.8.9.4 enumerated values)
            [0x00280102] = "15",
        },
        // Multi-frame Grayscale Byte SC (PS3.3 A.8.3): 8-bit, identity rescale of type US, a real multi-frame (2 frames, Frame Time)
        ["1.2.840.10008.5.1.4.1.1.7.2"] = new()
        {
            [0x00280100] = "8",
            [0x00280101] = "8",
            [0x00280102] = "7",
            [0x00281052] = "0",
            [0x00281053] = "1",
            [0x00281054] = "US",
            [0x00280008] = "2",
        },
        ["1.2.840.10008.5.1.4.1.1.7.4"] = new()
        {
            [0x00280008] = "2",
            [0x00280002] = "3",
            [0x00280004] = "RGB",
            [0x00280006] = "0",
            [0x00280100] = "8",
            [0x00280101] = "8",
            [0x00280102] = "7",
            [0x00280301] = "NO",
        },
        // non-image objects: Modality is the standard's enumerated value for the IOD (PS3.3 C.17.3.1.1, C.17.6.1, C.8.8.1, C.20.1)
        ["1.2.840.10008.5.1.4.1.1.88.59"] = new() { [0x00080060] = "KO", [0x00081150] = "1.2.840.10008.5.1.4.1.1.2" }, // the selected instances are CT images (AVW)
        ["1.2.840.10008.5.1.4.1.1.88.67"] = new() { [0x00080060] = "SR" },
        ["1.2.840.10008.5.1.4.1.1.481.3"] = new() { [0x00080060] = "RTSTRUCT" },
        ["1.2.840.10008.5.1.4.1.1.66.1"] = new() { [0x00080060] = "REG" },
        // X-Ray 3D Angiographic Image (SmartCT, Table 67 L972): Image Type as the statement prints it for a 3DRA propeller
        // volume (4 values, C.8.21.1.1)
        ["1.2.840.10008.5.1.4.1.1.13.1.1"] = new() { [0x00080008] = "DERIVED\\SECONDARY\\AXIAL\\3DRA_PROP" },
        ["1.2.840.10008.5.1.4.1.1.12.1"] = new()
        {
            [0x00080008] = "ORIGINAL\\PRIMARY\\SINGLE PLANE",
            [0x00080060] = "XA",
            [0x00281052] = "0",
            [0x00280008] = "2", // a run of 2 frames
        },
    };

    [ThreadStatic] private static Dictionary<uint, string>? _overrides;

    [ThreadStatic] private static string? _sopClass;

    /// <summary>The code an item of these code sequences carries (Code Value, Coding Scheme Designator, Code Meaning), from the
    /// context group of the sequence (PS3.16 CID 4020, 4021, 19, 20, 21, 7100), as a 2016 PET/CT sends it (SNOMED-RT designators).</summary>
    private static readonly Dictionary<uint, string[]> CodesBySequence = new()
    {
        [0x00540300] = ["C-111A1", "SRT", "^18^Fluorine"],             // Radionuclide Code Sequence
        [0x00540304] = ["C-B1031", "SRT", "Fluorodeoxyglucose F^18^"], // Radiopharmaceutical Code Sequence
        [0x00540410] = ["F-10450", "SRT", "recumbent"],                // Patient Orientation Code Sequence
        [0x00540412] = ["F-10340", "SRT", "supine"],                   // Patient Orientation Modifier Code Sequence
        [0x00540414] = ["F-10470", "SRT", "headfirst"],                // Patient Gantry Relationship Code Sequence
        [0x0070030D] = ["125021", "DCM", "Frame of Reference Identity"], // Registration Type Code Sequence, CID 7100 (syngo Table 122 L8539)
    };

    /// <summary>The sequence whose item is being built.</summary>
    [ThreadStatic] private static uint _sequence;

    private static bool Is(DicomDataset ds, string path, string value) =>
        (IodConditions.Value(ds, path) ?? "").Split('\\').Contains(value, StringComparer.Ordinal);

    /// <summary>
    /// PS3.3 conditions of 1C/2C members whose statement condition the definitions do not carry in machine form (or carry
    /// wrongly): the device sends such a member exactly when the standard's condition holds on what it sends.
    /// </summary>
    private static readonly Dictionary<uint, Func<DicomDataset, bool>> StandardConditions = new()
    {
        [0x00280A04] = ds => IodConditions.Present(ds, "0028,0A02"),   // Pixel Spacing Calibration Description: if Calibration Type present (C.7.6.3)
        [0x00181720] = ds => Is(ds, "0018,1700", "POLYGONAL"),        // Vertices of the Polygonal Collimator (C.8.7.3.1.1)
        [0x00181702] = ds => Is(ds, "0018,1700", "RECTANGULAR"),      // Collimator edges
        [0x00181704] = ds => Is(ds, "0018,1700", "RECTANGULAR"),
        [0x00181706] = ds => Is(ds, "0018,1700", "RECTANGULAR"),
        [0x00181708] = ds => Is(ds, "0018,1700", "RECTANGULAR"),
        [0x00181602] = ds => Is(ds, "0018,1600", "RECTANGULAR"),      // Shutter edges (C.7.6.11)
        [0x00181604] = ds => Is(ds, "0018,1600", "RECTANGULAR"),
        [0x00181606] = ds => Is(ds, "0018,1600", "RECTANGULAR"),
        [0x00181608] = ds => Is(ds, "0018,1600", "RECTANGULAR"),
        [0x00181135] = ds => Is(ds, "0018,1134", "DYNAMIC"),          // Table increments: if Table Motion is DYNAMIC (C.8.7.4)
        [0x00181136] = ds => Is(ds, "0018,1134", "DYNAMIC"),
        [0x00181137] = ds => Is(ds, "0018,1134", "DYNAMIC"),
        [0x00181520] = ds => Is(ds, "0018,1500", "DYNAMIC"),          // Positioner angle increments: if Positioner Motion is DYNAMIC (C.8.7.5)
        [0x00181521] = ds => Is(ds, "0018,1500", "DYNAMIC"),
        [0x00281051] = ds => IodConditions.Present(ds, "0028,1050"),   // Window Width: if Window Center present (C.11.2)
        [0x00180080] = ds => !Is(ds, "0018,0020", "EP"),              // Repetition Time: required unless echo planar (C.8.3.1)
        [0x00200060] = ds => !IodConditions.Present(ds, "0018,0015"),  // Laterality: needed unless Body Part Examined says the part is not paired (C.7.3.1)
        // Document Content macro value attributes (PS3.3 C.18.*): sent only in a content item of their value type, so never on a CONTAINER root
        [0x00081199] = ds => !IodConditions.Present(ds, "0040,A040") || Is(ds, "0040,A040", "COMPOSITE") || Is(ds, "0040,A040", "IMAGE") || Is(ds, "0040,A040", "WAVEFORM"),
        [0x0040A130] = ds => !IodConditions.Present(ds, "0040,A040") || Is(ds, "0040,A040", "TCOORD"),
        [0x0040A168] = ds => !IodConditions.Present(ds, "0040,A040") || Is(ds, "0040,A040", "CODE"),
        [0x0040A300] = ds => !IodConditions.Present(ds, "0040,A040") || Is(ds, "0040,A040", "NUM"),
        // Modality LUT macro (C.11.1): Rescale Type is 1C "required if Rescale Intercept is present", so a device that sends
        // Rescale Type (e.g. HU on a Mono-E SC image) sends the rescale it names: Rescale Intercept, and Rescale Slope with it
        [0x00281052] = ds => IodConditions.Present(ds, "0028,1054"),
        [0x00281053] = ds => IodConditions.Present(ds, "0028,1052"),
        [0x00185100] = ds => !IodConditions.Present(ds, "0054,0410"),  // Patient Position: not with a Patient Orientation Code Sequence (General Series, C.7.3.1)
        [0x003A0215] = ds => !IodConditions.Present(ds, "003A,0214"),  // Channel Sample Skew: required when Channel Time Skew is absent (Waveform, C.10.9.1)
    };

    /// <summary>What Frame Increment Pointer (0028,0009) points to: the first of these the IOD has (PS3.3 C.7.6.6.1.1, C.8.6.3).</summary>
    private static readonly uint[] FrameIncrementTargets = [0x00181063, 0x00181065, 0x00182001, 0x00182005];

    [ThreadStatic] private static uint _frameIncrementTarget;

    public static object Create(Type type)
    {
        _frameIncrementTarget = 0;
        _sequence = 0;
        _sopClass = type.GetField("SopClass")?.GetValue(null) as string;
        _overrides = _sopClass != null && BySopClass.TryGetValue(_sopClass, out var o) ? o : null;
        // Planar Configuration sent always with a value (ALWAYS, Type 1) where the statement fixes no photometric interpretation:
        // the device captures colour, since Planar Configuration exists only for Samples per Pixel > 1 (PS3.3 C.7.6.3.1.3)
        var planar = type.GetProperties().FirstOrDefault(p => p.GetCustomAttribute<DicomAttributeAttribute>()?.Tag == 0x00280006);
        if (planar?.GetCustomAttribute<DicomAttributeAttribute>()!.Type == DicomAttributeType.Type1 && planar.GetCustomAttribute<DicomFixedValueAttribute>() == null && _overrides?.ContainsKey(0x00280004) != true)
            _overrides = new Dictionary<uint, string>(_overrides ?? []) { [0x00280002] = "3", [0x00280004] = "RGB", [0x00280006] = "0", [0x00280100] = "8", [0x00280101] = "8", [0x00280102] = "7" };
        var obj = Create(type, 0, null);
        FitPixelData(obj);
        SrSample.Fill(obj); // SR IODs: the typed content tree (Content), built through the generated template classes
        return obj;
    }

    /// <summary>Sizes Pixel Data to Rows × Columns × Samples per Pixel × Bits Allocated / 8 × Number of Frames of the instance.</summary>
    private static void FitPixelData(object obj)
    {
        var t = obj.GetType();
        long Get(string name, long fallback) => t.GetProperty(name)?.GetValue(obj) switch
        {
            null => fallback,
            DicomIntegerString s => long.Parse(s.Text, CultureInfo.InvariantCulture),
            var v when v.GetType().IsPrimitive => System.Convert.ToInt64(v, CultureInfo.InvariantCulture),
            _ => fallback,
        };
        var pixel = t.GetProperty("PixelData");
        if (pixel?.SetMethod == null || pixel.GetValue(obj) == null) return;
        long bytes = Get("Rows", 8) * Get("Columns", 8) * Get("SamplesPerPixel", 1) * Get("NumberOfFrames", 1) * Get("BitsAllocated", 16) / 8;
        pixel.SetValue(obj, new byte[bytes + (bytes & 1)]);
    }

    private static object Create(Type type, int depth, string? parentPath)
    {
        var obj = Activator.CreateInstance(type)!;
        var props = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Meta: p.GetCustomAttribute<DicomAttributeAttribute>()))
            .Where(x => x.Meta != null && x.Property.SetMethod != null && x.Property.GetCustomAttribute<DicomPrivateAttributeAttribute>() == null)
            .ToList();
        // a multi-frame sample (Number of Frames > 1 for the SOP class): Frame Increment Pointer is required (1C) and sent
        // with the statement's fixed value if it prints one, else pointing to the first per-frame attribute the IOD has
        var fip = props.FirstOrDefault(x => x.Meta!.Tag == 0x00280009).Property;
        // every attribute the IOD sends, settable or fixed by the statement (a fixed member is get-only)
        var all = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.GetCustomAttribute<DicomAttributeAttribute>()).OfType<DicomAttributeAttribute>().ToList();
        bool multiFrame = false;
        if (fip != null && _overrides?.TryGetValue(0x00280008, out var frames) == true && frames != "1")
        {
            var m = System.Text.RegularExpressions.Regex.Match((fip.GetCustomAttribute<DicomFixedValueAttribute>()?.Value ?? "").Replace(",", ""), "[0-9A-Fa-f]{8}");
            _frameIncrementTarget = m.Success ? uint.Parse(m.Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                : FrameIncrementTargets.OrderBy(t => all.Any(x => x.Tag == t && (x.Type == DicomAttributeType.Type1 || x.Presence == "ALWAYS")) ? 0 : 1)
                    .FirstOrDefault(t => all.Any(x => x.Tag == t));
            multiFrame = _frameIncrementTarget != 0;
            if (!multiFrame) _frameIncrementTarget = 0;
        }
        foreach (var (p, meta) in props)
        {
            if (multiFrame && (meta!.Tag == _frameIncrementTarget || meta.Tag == 0x00280009)) { Fill(obj, p, meta, depth); continue; }
            if (((meta!.Type is DicomAttributeType.Type1 or DicomAttributeType.Type2 || (meta.Type == DicomAttributeType.Type3 && meta.Presence == "ALWAYS") || (AlsoSent.Contains(meta.Tag) && CanSend(p, meta))) && !Skip.Contains(meta.Tag)) || _overrides?.ContainsKey(meta.Tag) == true)
                Fill(obj, p, meta, depth);
        }
        // conditional members: fill while their condition holds on what is built so far (conditions may chain)
        for (int round = 0; round < 3; round++)
        {
            var ds = Dataset(obj);
            if (ds == null) break;
            bool changed = false;
            foreach (var (p, meta) in props)
            {
                // 1C/2C members, and members the statement lists as Type 3 that the standard makes conditional
                if (meta!.Type is not (DicomAttributeType.Type1C or DicomAttributeType.Type2C) && !(meta.Type == DicomAttributeType.Type3 && StandardConditions.ContainsKey(meta.Tag))) continue;
                if (p.GetValue(obj) != null) continue;
                if (Skip.Contains(meta.Tag)) continue;
                // no JSON condition: a member of a conditional module (the device sends the module) or an unmapped vendor condition
                bool holds = StandardConditions.TryGetValue(meta.Tag, out var standard)
                    ? standard(ds)
                    : meta.Condition == null
                    ? p.GetCustomAttribute<DicomFixedValueAttribute>() == null || meta.Presence != "ANAP"
                    : meta.Presence != "ANAP" && Evaluate(JsonDocument.Parse(meta.Condition).RootElement, ds);
                if (!holds) continue;
                Fill(obj, p, meta, depth);
                changed = true;
            }
            if (!changed) break;
        }
        return obj;
    }

    /// <summary>Whether an AlsoSent member is sent in the first pass: not when a standard condition decides it (conditional pass); an ANAP
    /// reference sequence only when the statement lists the item's Referenced SOP Instance UID (a Type 1 item member).</summary>
    private static bool CanSend(PropertyInfo p, DicomAttributeAttribute meta)
    {
        // a Type 3 member with a standard condition is sent by the conditional pass, when the condition holds on what is built
        if (meta.Type == DicomAttributeType.Type3 && StandardConditions.ContainsKey(meta.Tag)) return false;
        if (meta.Tag != 0x00081111) return true;
        var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
        var element = t.IsGenericType ? t.GetGenericArguments()[0] : t;
        var members = element.GetProperties().Select(x => x.GetCustomAttribute<DicomAttributeAttribute>()).OfType<DicomAttributeAttribute>().ToList();
        // no item rows at all: sent with zero items (see Sample)
        return members.Count == 0 || members.Any(x => x.Tag == 0x00081155);
    }

    private static Array OneEmptyItem(Type element)
    {
        var arr = Array.CreateInstance(element, 1);
        arr.SetValue(Activator.CreateInstance(element), 0);
        return arr;
    }

    private static DicomDataset? Dataset(object obj) =>
        obj.GetType().GetMethod("ToDataset", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes)?.Invoke(obj, null) as DicomDataset;

    /// <summary>Evaluates the definitions' condition language on a data set (the same semantics as the generated code).</summary>
    public static bool Evaluate(JsonElement c, DicomDataset ds)
    {
        string op = c.GetProperty("op").GetString()!;
        string path = c.TryGetProperty("path", out var pe) ? pe.GetString() ?? "" : "";
        IEnumerable<JsonElement> Operands()
        {
            foreach (var k in new[] { "args", "operands", "conditions", "terms" })
                if (c.TryGetProperty(k, out var l) && l.ValueKind == JsonValueKind.Array) return l.EnumerateArray();
            return [];
        }
        switch (op)
        {
            case "present": return path != "$variant" && IodConditions.Present(ds, path);
            case "absent": return path == "$variant" || !IodConditions.Present(ds, path);
            case "equals": return IodConditions.Value(ds, path) == c.GetProperty("value").ToString();
            case "in": return c.GetProperty("values").EnumerateArray().Any(v => v.ToString() == IodConditions.Value(ds, path));
            case "and": return Operands().All(o => Evaluate(o, ds));
            case "or": return Operands().Any(o => Evaluate(o, ds));
            case "not": return !Evaluate(c.TryGetProperty("condition", out var inner) ? inner : Operands().First(), ds);
            default: return false;
        }
    }

    /// <summary>The value of a member that carries a fixed value (for other sample builders).</summary>
    public static object? FixedValue(PropertyInfo p, DicomAttributeAttribute meta) =>
        p.GetCustomAttribute<DicomFixedValueAttribute>() is { } f ? Sample(p.PropertyType, meta, null, f, 0) : null;

    private static void Fill(object obj, PropertyInfo p, DicomAttributeAttribute meta, int depth)
    {
        var value = Sample(p.PropertyType, meta, p.GetCustomAttribute<DicomEnumeratedValuesAttribute>(), p.GetCustomAttribute<DicomFixedValueAttribute>(), depth);
        if (value != null) p.SetValue(obj, value);
    }

    private static object? Sample(Type t, DicomAttributeAttribute meta, DicomEnumeratedValuesAttribute? enumerated, DicomFixedValueAttribute? fixedValue, int depth)
    {
        var inner = Nullable.GetUnderlyingType(t) ?? t;
        if (inner.IsGenericType && inner.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var element = inner.GetGenericArguments()[0];
            if (meta.VR == "SQ")
            {
                if (depth > 5) return null;
                // an item the statement lists no attributes for: the sequence is not sent, except
                if (!element.GetProperties().Any(x => x.GetCustomAttribute<DicomAttributeAttribute>() != null))
                    return meta.Tag switch
                    {
                        // Referenced Performed Procedure Step Sequence in a KO/SR document (SOP classes 1.2.840.10008.5.1.4.1.1.88.x),
                        // whose document series module has it as Type 2 (C.17.6.1, C.17.1): with no item contents listed, it goes
                        // with zero items (the Type 2 empty value); in General Series it is Type 3 and stays absent
                        0x00081111 when _sopClass?.StartsWith("1.2.840.10008.5.1.4.1.1.88.", StringComparison.Ordinal) == true => Array.CreateInstance(element, 0),
                        // Frame Content Sequence (Type 1, an item per frame): every member of the Frame Content macro is 1C
                        // (C.7.6.16.2.2, none holds for a DERIVED volume frame) and the statement lists none (SmartCT L961)
                        0x00209111 => OneEmptyItem(element),
                        _ => null,
                    };
                int items = meta.Tag == 0x00700402 ? 2 : 1; // Blending Sequence: the underlying and the superimposed image (C.11.14, 2 items)
                var arr = Array.CreateInstance(element, items);
                uint outer = _sequence;
                _sequence = meta.Tag;
                try
                {
                    for (int i = 0; i < items; i++) arr.SetValue(Create(element, depth + 1, null), i);
                }
                finally
                {
                    _sequence = outer;
                }
                return arr;
            }
            string[] texts = fixedValue?.Value.Split('\\') ?? Texts(meta, enumerated);
            var vm = DicomVM.Parse(meta.VM);
            int n = Math.Max(vm.Minimum, Math.Min(texts.Length, vm.Maximum));
            if (n == 0) n = 1;
            var values = Array.CreateInstance(element, n);
            for (int i = 0; i < n; i++) values.SetValue(Convert(element, texts[Math.Min(i, texts.Length - 1)], meta), i);
            return values;
        }
        string[] one = fixedValue?.Value.Split('\\') ?? Texts(meta, enumerated);
        return Convert(inner, one[0], meta);
    }

    private static string[] Texts(DicomAttributeAttribute meta, DicomEnumeratedValuesAttribute? enumerated)
    {
        // a multi-frame run needs a Frame Increment Pointer (1C, Number of Frames > 1): an IOD whose statement has none sends one frame
        if (meta.Tag == 0x00280008 && _frameIncrementTarget == 0) return ["1"];
        if (_overrides != null && _overrides.TryGetValue(meta.Tag, out var special)) return special.Split('\\');
        if (meta.Tag == 0x00280009 && _frameIncrementTarget != 0) return [_frameIncrementTarget.ToString("X8", CultureInfo.InvariantCulture)];
        if (meta.Tag is 0x00080100 or 0x00080102 or 0x00080104 && CodesBySequence.TryGetValue(_sequence, out var code)) return [code[(int)(meta.Tag - 0x00080100) / 2]];
        if (ByTag.TryGetValue(meta.Tag, out var text)) return text.Split('\\');
        if (enumerated is { Values.Count: > 0 }) return [enumerated.Values[0]];
        return [meta.VR switch
        {
            "UI" => DicomUid.GenerateValue(),
            "AE" => "TYPEDSCU",
            "AS" => "045Y",
            "CS" => "VALUE",
            "UR" => "http://example.com/x",
            "DA" => "20240131",
            "TM" => "123015",
            "DT" => "20240131123015",
            "DS" => "1.5",
            "IS" => "1",
            "PN" => "Doe^Jane",
            "LO" or "SH" or "LT" or "ST" or "UT" or "UC" => "Sample",
            "AT" => "00100010",
            _ => "1",
        }];
    }

    private static object Convert(Type t, string text, DicomAttributeAttribute meta)
    {
        if (t.IsEnum)
        {
            var declared = t.GetCustomAttribute<DicomEnumeratedValuesAttribute>()?.Values ?? [];
            int index = Math.Max(0, declared.ToList().IndexOf(text));
            return Enum.GetValues(t).GetValue(index)!;
        }
        if (t == typeof(string)) return text;
        if (t == typeof(DicomPersonName)) return DicomPersonName.Parse(text);
        if (t == typeof(DicomDate)) return DicomDate.Parse(text);
        if (t == typeof(DicomTime)) return DicomTime.Parse(text);
        if (t == typeof(DicomDateTime)) return DicomDateTime.Parse(text);
        if (t == typeof(DicomDecimalString)) return new DicomDecimalString(text);
        if (t == typeof(DicomIntegerString)) return new DicomIntegerString(text);
        if (t == typeof(DicomTag)) return DicomTag.Parse(text);
        if (t == typeof(byte[])) return PixelBytes(meta);
        var inv = CultureInfo.InvariantCulture;
        if (t == typeof(ushort)) return ushort.Parse(text, inv);
        if (t == typeof(short)) return short.Parse(text, inv);
        if (t == typeof(uint)) return uint.Parse(text, inv);
        if (t == typeof(int)) return int.Parse(text, inv);
        if (t == typeof(float)) return float.Parse(text, inv);
        if (t == typeof(double)) return double.Parse(text, inv);
        if (t == typeof(long)) return long.Parse(text, inv);
        if (t == typeof(ulong)) return ulong.Parse(text, inv);
        throw new NotSupportedException($"no sample for {t}");
    }

    private static readonly byte[] MinimalPdf = PadEven(System.Text.Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"));

    private static readonly byte[] PaletteRamp = Enumerable.Range(0, 256).SelectMany(i => BitConverter.GetBytes((ushort)(i * 257))).ToArray();

    private static byte[] PadEven(byte[] b) => b.Length % 2 == 0 ? b : [.. b, 0];

    private static byte[] PixelBytes(DicomAttributeAttribute meta) => meta.Tag switch
    {
        0x7FE00010 => new byte[8 * 8 * 2],
        0x60003000 => new byte[8 * 8 / 8],
        0x00420011 => MinimalPdf,
        0x00281201 or 0x00281202 or 0x00281203 => PaletteRamp, // 256 16-bit entries, a grey ramp // Encapsulated Document: a real (one empty page) PDF, matching the MIME type

        _ => new byte[8],
    };
}
