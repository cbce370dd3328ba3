namespace Dicom.Typed;

/// <summary>Base class of the errors raised by Dicom.Typed.</summary>
public class DicomException : Exception
{
    /// <summary>Creates an exception.</summary>
    /// <param name="message">The message.</param>
    public DicomException(string message) : base(message) { }

    /// <summary>Creates an exception with an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="inner">The cause.</param>
    public DicomException(string message, Exception? inner) : base(message, inner) { }
}

/// <summary>A DICOM stream could not be parsed. Carries the byte offset and the tag path where parsing failed.</summary>
public sealed class DicomReadException : DicomException
{
    /// <summary>Creates a read error.</summary>
    /// <param name="reason">What is wrong.</param>
    /// <param name="offset">Byte offset in the stream (after inflation for deflated data sets).</param>
    /// <param name="tagPath">Path of the element being read, e.g. <c>(0040,0275)[0].(0008,0100)</c>.</param>
    /// <param name="inner">The cause.</param>
    public DicomReadException(string reason, long offset, string tagPath, Exception? inner = null)
        : base($"{reason} at offset {offset}{(tagPath.Length > 0 ? " in " + tagPath : "")}", inner)
    {
        Reason = reason;
        Offset = offset;
        TagPath = tagPath;
    }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }

    /// <summary>Byte offset where the problem was found.</summary>
    public long Offset { get; }

    /// <summary>Path of the element being read.</summary>
    public string TagPath { get; }
}

/// <summary>A value could not be converted to or from the requested type.</summary>
public sealed class DicomValueException : DicomException
{
    /// <summary>Creates a value error.</summary>
    /// <param name="tag">The tag of the element.</param>
    /// <param name="message">The message.</param>
    /// <param name="inner">The cause.</param>
    public DicomValueException(DicomTag tag, string message, Exception? inner = null) : base($"{tag}: {message}", inner) => Tag = tag;

    /// <summary>The tag of the element.</summary>
    public DicomTag Tag { get; }
}
