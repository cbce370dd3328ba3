namespace Dicom.Typed.Json;

/// <summary>
/// The value of an element read from DICOM JSON as a <c>BulkDataURI</c> that was not resolved (no
/// <see cref="DicomJsonOptions.BulkDataResolver"/>, or the resolver returned null). The element keeps its tag and VR
/// and this buffer records the URI; writing the element to JSON again emits the same <c>BulkDataURI</c>.
/// </summary>
/// <remarks>
/// The bytes are not known: <see cref="Length"/> is 0 (so the element reports itself empty) and <see cref="Memory"/>,
/// <see cref="CopyTo"/> and <see cref="OpenRead"/> throw <see cref="DicomException"/>, so a data set holding an
/// unresolved reference cannot silently be written to a Part 10 file with an empty value. Test for it with
/// <c>element.Buffer is DicomBulkDataReference r</c>.
/// </remarks>
public sealed class DicomBulkDataReference : DicomBuffer
{
    /// <summary>Creates a reference.</summary>
    /// <param name="uri">The BulkDataURI as written in the JSON.</param>
    public DicomBulkDataReference(string uri) => Uri = uri ?? throw new ArgumentNullException(nameof(uri));

    /// <summary>The BulkDataURI.</summary>
    public string Uri { get; }

    /// <summary>Always 0: the length of the referenced value is not known.</summary>
    public override long Length => 0;

    /// <summary>Always false.</summary>
    public override bool IsLoaded => false;

    /// <summary>Throws: the value has not been retrieved.</summary>
    /// <exception cref="DicomException">Always.</exception>
    public override ReadOnlyMemory<byte> Memory => throw Unresolved();

    /// <summary>Throws: the value has not been retrieved.</summary>
    /// <param name="destination">Unused.</param>
    /// <exception cref="DicomException">Always.</exception>
    public override void CopyTo(Stream destination) => throw Unresolved();

    /// <summary>Throws: the value has not been retrieved.</summary>
    /// <exception cref="DicomException">Always.</exception>
    public override Stream OpenRead() => throw Unresolved();

    private DicomException Unresolved() =>
        new($"The value is at BulkDataURI '{Uri}' and was not retrieved; set DicomJsonOptions.BulkDataResolver to resolve it");

    /// <inheritdoc />
    public override string ToString() => $"BulkDataURI {Uri}";
}
