using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Dicom.Typed.Json;

/// <summary>
/// The DICOM JSON Model (PS3.18 Annex F): writes data sets as DICOM JSON and reads them back, one data set
/// (<c>{"00100010": {"vr": "PN", "Value": [...]}, ...}</c>) or an array of data sets as QIDO-RS and WADO-RS metadata
/// return. Built on <see cref="Utf8JsonReader"/> and <see cref="Utf8JsonWriter"/>, with no reflection.
/// </summary>
/// <remarks>
/// <para>Writing (F.2): keys are 8 upper-case hex digits in tag order; elements without a value have no
/// <c>"Value"</c>; empty values inside a multi-valued element are <c>null</c>; PN values are objects with
/// <c>Alphabetic</c>, <c>Ideographic</c> and <c>Phonetic</c> members (empty groups left out); IS, DS, FL, FD, SL, SS, UL,
/// US, SV and UV are JSON numbers (DS and IS keep their text, see <see cref="DicomJsonNumberStringMode"/>; SV and UV
/// beyond ±(2^53-1) and non-finite FL/FD values are strings: <c>"NaN"</c>, <c>"Infinity"</c>, <c>"-Infinity"</c>); AT is
/// <c>"GGGGEEEE"</c>; OB, OD, OF, OL, OV, OW and UN are <c>InlineBinary</c> (base64 of the little-endian bytes) or
/// <c>BulkDataURI</c> as <see cref="DicomJsonOptions.BulkDataUriProvider"/> decides; encapsulated Pixel Data is the
/// item stream of PS3.5 A.4 (Basic Offset Table item and fragment items, without the sequence delimiter), as pydicom
/// writes it. Text is decoded with each element's character set; group lengths are left out unless
/// <see cref="DicomJsonOptions.IncludeGroupLengths"/>. Private elements are written as they are.</para>
/// <para>Reading is tolerant: keys and member names in any case and order; a missing <c>"vr"</c> takes the dictionary
/// VR; <c>null</c> values are empty values (binary numbers such as US cannot be empty: a null there is left out); numbers may be given as strings and strings as numbers; PN values may be
/// strings in DICOM syntax (<c>"Yamada^Tarou=山田^太郎"</c>); unknown members are ignored. An encapsulated item
/// stream in <c>InlineBinary</c> (or a resolved <c>BulkDataURI</c>) of (7FE0,0010) OB or OW becomes a <see cref="DicomFragmentSequence"/>. A <c>BulkDataURI</c>
/// is resolved with <see cref="DicomJsonOptions.BulkDataResolver"/>, or kept as a <see cref="DicomBulkDataReference"/>
/// buffer. Malformed input raises <see cref="DicomJsonException"/> with the tag path and position.</para>
/// <para>Character set: JSON text is Unicode. The top-level data set (and any item with its own (0008,0005)) keeps
/// the Specific Character Set given in the JSON when all its text can be encoded in it; otherwise its text is encoded
/// in UTF-8 and (0008,0005) is set to <c>ISO_IR 192</c>. Without (0008,0005), ASCII text stays in the default
/// repertoire and any other text adds (0008,0005) <c>ISO_IR 192</c>.</para>
/// </remarks>
public static class DicomJson
{
    private static JsonWriterOptions WriterOptions(DicomJsonOptions o) => new()
    {
        Indented = o.WriteIndented,
        Encoder = o.EscapeNonAscii ? JavaScriptEncoder.Default : JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    // ---- writing ------------------------------------------------------------------------------------------------

    /// <summary>Writes a data set as a DICOM JSON object.</summary>
    /// <param name="dataset">The data set.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <returns>The JSON text.</returns>
    public static string Serialize(DicomDataset dataset, DicomJsonOptions? options = null) => Encoding.UTF8.GetString(SerializeToUtf8Bytes(dataset, options));

    /// <summary>Writes a data set as a DICOM JSON object in UTF-8.</summary>
    /// <param name="dataset">The data set.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <returns>The UTF-8 bytes.</returns>
    public static byte[] SerializeToUtf8Bytes(DicomDataset dataset, DicomJsonOptions? options = null)
    {
        using var ms = new MemoryStream();
        Serialize(ms, dataset, options);
        return ms.ToArray();
    }

    /// <summary>Writes a data set as a DICOM JSON object (UTF-8) to a stream.</summary>
    /// <param name="utf8Json">The target stream; left open.</param>
    /// <param name="dataset">The data set.</param>
    /// <param name="options">Options; null for the defaults.</param>
    public static void Serialize(Stream utf8Json, DicomDataset dataset, DicomJsonOptions? options = null)
    {
        options ??= DicomJsonOptions.Default;
        using var w = new Utf8JsonWriter(utf8Json, WriterOptions(options));
        Serialize(w, dataset, options);
    }

    /// <summary>Writes a data set as a DICOM JSON object with a caller's writer (for example as a member of a larger document).</summary>
    /// <param name="writer">The writer; flushed, not disposed. Its own options (indentation, encoder) apply.</param>
    /// <param name="dataset">The data set.</param>
    /// <param name="options">Options; null for the defaults (the writing options other than indentation and escaping apply).</param>
    public static void Serialize(Utf8JsonWriter writer, DicomDataset dataset, DicomJsonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(dataset);
        new DicomJsonWriter(options ?? DicomJsonOptions.Default).WriteDataset(writer, dataset, "");
        writer.Flush();
    }

    /// <summary>Writes data sets as a JSON array of DICOM JSON objects (the QIDO-RS response form).</summary>
    /// <param name="datasets">The data sets.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <returns>The JSON text.</returns>
    public static string SerializeArray(IEnumerable<DicomDataset> datasets, DicomJsonOptions? options = null)
    {
        using var ms = new MemoryStream();
        SerializeArray(ms, datasets, options);
        return Encoding.UTF8.GetString(ms.GetBuffer(), 0, (int)ms.Length);
    }

    /// <summary>Writes data sets as a JSON array of DICOM JSON objects (UTF-8) to a stream.</summary>
    /// <param name="utf8Json">The target stream; left open.</param>
    /// <param name="datasets">The data sets.</param>
    /// <param name="options">Options; null for the defaults.</param>
    public static void SerializeArray(Stream utf8Json, IEnumerable<DicomDataset> datasets, DicomJsonOptions? options = null)
    {
        options ??= DicomJsonOptions.Default;
        using var w = new Utf8JsonWriter(utf8Json, WriterOptions(options));
        SerializeArray(w, datasets, options);
    }

    /// <summary>Writes data sets as a JSON array of DICOM JSON objects with a caller's writer.</summary>
    /// <param name="writer">The writer; flushed, not disposed.</param>
    /// <param name="datasets">The data sets.</param>
    /// <param name="options">Options; null for the defaults.</param>
    public static void SerializeArray(Utf8JsonWriter writer, IEnumerable<DicomDataset> datasets, DicomJsonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(datasets);
        var impl = new DicomJsonWriter(options ?? DicomJsonOptions.Default);
        writer.WriteStartArray();
        int i = 0;
        foreach (var ds in datasets) impl.WriteDataset(writer, ds, $"[{i++}]");
        writer.WriteEndArray();
        writer.Flush();
    }

    // ---- reading ------------------------------------------------------------------------------------------------

    /// <summary>Reads a data set from a DICOM JSON object.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <exception cref="DicomJsonException">The input is not valid DICOM JSON.</exception>
    public static DicomDataset Deserialize(string json, DicomJsonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return DicomJsonReader.ReadDataset(Encoding.UTF8.GetBytes(json), options ?? DicomJsonOptions.Default);
    }

    /// <summary>Reads a data set from a DICOM JSON object in UTF-8.</summary>
    /// <param name="utf8Json">The UTF-8 bytes (a leading byte order mark is ignored).</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <exception cref="DicomJsonException">The input is not valid DICOM JSON.</exception>
    public static DicomDataset Deserialize(ReadOnlySpan<byte> utf8Json, DicomJsonOptions? options = null) =>
        DicomJsonReader.ReadDataset(utf8Json.ToArray(), options ?? DicomJsonOptions.Default);

    /// <summary>Reads a data set from a stream holding a DICOM JSON object in UTF-8 (read to its end).</summary>
    /// <param name="utf8Json">The stream; left open.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <exception cref="DicomJsonException">The input is not valid DICOM JSON.</exception>
    public static DicomDataset Deserialize(Stream utf8Json, DicomJsonOptions? options = null) =>
        DicomJsonReader.ReadDataset(ReadAll(utf8Json), options ?? DicomJsonOptions.Default);

    /// <summary>Reads data sets from a JSON array of DICOM JSON objects (a single object is accepted as an array of one).</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <exception cref="DicomJsonException">The input is not valid DICOM JSON.</exception>
    public static IReadOnlyList<DicomDataset> DeserializeArray(string json, DicomJsonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        return DicomJsonReader.ReadArray(Encoding.UTF8.GetBytes(json), options ?? DicomJsonOptions.Default);
    }

    /// <summary>Reads data sets from a JSON array of DICOM JSON objects in UTF-8.</summary>
    /// <param name="utf8Json">The UTF-8 bytes.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <exception cref="DicomJsonException">The input is not valid DICOM JSON.</exception>
    public static IReadOnlyList<DicomDataset> DeserializeArray(ReadOnlySpan<byte> utf8Json, DicomJsonOptions? options = null) =>
        DicomJsonReader.ReadArray(utf8Json.ToArray(), options ?? DicomJsonOptions.Default);

    /// <summary>Reads data sets from a stream holding a JSON array of DICOM JSON objects in UTF-8.</summary>
    /// <param name="utf8Json">The stream; left open.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <exception cref="DicomJsonException">The input is not valid DICOM JSON.</exception>
    public static IReadOnlyList<DicomDataset> DeserializeArray(Stream utf8Json, DicomJsonOptions? options = null) =>
        DicomJsonReader.ReadArray(ReadAll(utf8Json), options ?? DicomJsonOptions.Default);

    /// <summary>Reads a data set from a stream holding a DICOM JSON object in UTF-8, reading the stream asynchronously (for example an HTTP response).</summary>
    /// <param name="utf8Json">The stream; left open.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels reading the stream.</param>
    /// <exception cref="DicomJsonException">The input is not valid DICOM JSON.</exception>
    public static async Task<DicomDataset> DeserializeAsync(Stream utf8Json, DicomJsonOptions? options = null, CancellationToken cancellationToken = default) =>
        DicomJsonReader.ReadDataset(await ReadAllAsync(utf8Json, cancellationToken).ConfigureAwait(false), options ?? DicomJsonOptions.Default);

    /// <summary>Reads data sets from a stream holding a JSON array of DICOM JSON objects (a QIDO-RS response), reading the stream asynchronously.</summary>
    /// <param name="utf8Json">The stream; left open.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels reading the stream.</param>
    /// <exception cref="DicomJsonException">The input is not valid DICOM JSON.</exception>
    public static async Task<IReadOnlyList<DicomDataset>> DeserializeArrayAsync(Stream utf8Json, DicomJsonOptions? options = null, CancellationToken cancellationToken = default) =>
        DicomJsonReader.ReadArray(await ReadAllAsync(utf8Json, cancellationToken).ConfigureAwait(false), options ?? DicomJsonOptions.Default);

    /// <summary>Writes a data set as a DICOM JSON object (UTF-8) to a stream: built in memory, then written asynchronously.</summary>
    /// <param name="utf8Json">The target stream; left open.</param>
    /// <param name="dataset">The data set.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels writing to the stream.</param>
    public static async Task SerializeAsync(Stream utf8Json, DicomDataset dataset, DicomJsonOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        byte[] bytes = SerializeToUtf8Bytes(dataset, options);
        await utf8Json.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes data sets as a JSON array of DICOM JSON objects (UTF-8) to a stream: built in memory, then written asynchronously.</summary>
    /// <param name="utf8Json">The target stream; left open.</param>
    /// <param name="datasets">The data sets.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels writing to the stream.</param>
    public static async Task SerializeArrayAsync(Stream utf8Json, IEnumerable<DicomDataset> datasets, DicomJsonOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        using var ms = new MemoryStream();
        SerializeArray(ms, datasets, options);
        ms.Position = 0;
        await ms.CopyToAsync(utf8Json, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadAllAsync(Stream s, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(s);
        using var ms = new MemoryStream();
        await s.CopyToAsync(ms, cancellationToken).ConfigureAwait(false);
        return ms.ToArray();
    }

    private static byte[] ReadAll(Stream s)
    {
        ArgumentNullException.ThrowIfNull(s);
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }
}
