namespace Dicom.Typed.Json;

/// <summary>Chooses the BulkDataURI of a binary value when writing DICOM JSON.</summary>
/// <param name="tagPath">Path of the element, e.g. <c>(7FE0,0010)</c> or <c>(5400,0100)[0].(5400,1010)</c>.</param>
/// <param name="item">The element: a <see cref="DicomElement"/> or encapsulated <see cref="DicomFragmentSequence"/>.</param>
/// <returns>The URI to write as <c>BulkDataURI</c>, or null to write the value as <c>InlineBinary</c>.</returns>
public delegate string? DicomJsonBulkDataUriProvider(string tagPath, DicomItem item);

/// <summary>How DS and IS values are written.</summary>
public enum DicomJsonNumberStringMode
{
    /// <summary>
    /// As JSON numbers (the PS3.18 F.2.3 default). A value that is already a valid JSON number is written verbatim
    /// (its text is kept, e.g. <c>1.50</c> stays <c>1.50</c>); a value that is a number in DICOM syntax but not in JSON
    /// syntax (<c>+5</c>, <c>.5</c>, <c>007</c>, <c>5.</c>) is minimally repaired (<c>5</c>, <c>0.5</c>, <c>7</c>,
    /// <c>5</c>); anything else (invalid values) is written as a JSON string.
    /// </summary>
    Number,

    /// <summary>Always as JSON strings holding the original text (allowed by PS3.18 F.2.3.1 to preserve it exactly).</summary>
    String,
}

/// <summary>Options of <see cref="DicomJson"/> for writing and reading DICOM JSON (PS3.18 Annex F).</summary>
public sealed class DicomJsonOptions
{
    /// <summary>The defaults, used when no options are given (internal: a public shared instance could be mutated).</summary>
    internal static DicomJsonOptions Default { get; } = new();

    // ---- writing ------------------------------------------------------------------------------------------------

    /// <summary>Writing: indent the output. Default false (compact).</summary>
    public bool WriteIndented { get; set; }

    /// <summary>
    /// Writing: escape every non-ASCII character as <c>\uXXXX</c>. Default false: text is written as UTF-8 and only
    /// the characters JSON requires are escaped (the output is meant for JSON consumers, not for embedding in HTML).
    /// </summary>
    public bool EscapeNonAscii { get; set; }

    /// <summary>Writing: include group length elements (gggg,0000). Default false (they carry no information in JSON).</summary>
    public bool IncludeGroupLengths { get; set; }

    /// <summary>Writing: how DS and IS are written. Default <see cref="DicomJsonNumberStringMode.Number"/>.</summary>
    public DicomJsonNumberStringMode NumberStringMode { get; set; } = DicomJsonNumberStringMode.Number;

    /// <summary>
    /// Writing: chooses a BulkDataURI for binary values (OB, OD, OF, OL, OV, OW, UN and encapsulated pixel data) longer
    /// than <see cref="BulkDataThreshold"/>. Null (default) or a null result writes <c>InlineBinary</c>.
    /// </summary>
    public DicomJsonBulkDataUriProvider? BulkDataUriProvider { get; set; }

    /// <summary>Writing: values of at most this many bytes are always written inline. Default 0.</summary>
    public long BulkDataThreshold { get; set; }

    // ---- reading ------------------------------------------------------------------------------------------------

    /// <summary>
    /// Reading: fetches the value of a <c>BulkDataURI</c>. Returns the bytes in little-endian order, or null to keep
    /// the element with a <see cref="DicomBulkDataReference"/> buffer. Null (default) keeps every reference.
    /// </summary>
    public Func<string, DicomBuffer?>? BulkDataResolver { get; set; }

    /// <summary>Reading: the maximum JSON nesting depth (each sequence level takes three). Default 64.</summary>
    public int MaxDepth { get; set; } = 64;
}
