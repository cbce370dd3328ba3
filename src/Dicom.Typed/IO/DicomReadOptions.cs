namespace Dicom.Typed.IO;

/// <summary>Options for reading DICOM streams and files.</summary>
public sealed class DicomReadOptions
{
    /// <summary>Default options: everything loaded, values of 1 MiB or more left on the file when reading from a path.</summary>
    public static DicomReadOptions Default { get; } = new();

    /// <summary>Stop reading before the first top-level element whose tag is at or above this tag (e.g. <see cref="DicomTag.PixelData"/>).</summary>
    public DicomTag? StopBeforeTag { get; init; }

    /// <summary>Convenience: stop before Pixel Data (7FE0,0010), like <c>dcmdump -M</c> header reads.</summary>
    public bool StopBeforePixelData
    {
        get => StopBeforeTag == DicomTag.PixelData;
        init => StopBeforeTag = value ? DicomTag.PixelData : null;
    }

    /// <summary>
    /// When reading from a file path, values at least this long stay on the file and are read on first use
    /// (bounded memory for large files). Null loads every value. Ignored for deflated data sets and streams.
    /// </summary>
    public long? LargeValueThreshold { get; init; } = 1 << 20;

    /// <summary>Files up to this size are read into memory at once (fastest); larger ones are streamed.</summary>
    public long WholeFileThreshold { get; init; } = 8 << 20;

    /// <summary>Maximum sequence nesting depth; deeper input is rejected as corrupt.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Maximum length of a single value that will be loaded into memory.</summary>
    public long MaxValueLength { get; init; } = int.MaxValue;
}
