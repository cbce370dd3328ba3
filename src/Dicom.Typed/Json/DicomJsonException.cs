namespace Dicom.Typed.Json;

/// <summary>
/// A DICOM JSON document (PS3.18 Annex F) could not be read. Carries the tag path of the attribute being read and the
/// position in the UTF-8 input.
/// </summary>
public sealed class DicomJsonException : DicomException
{
    /// <summary>Creates a DICOM JSON error.</summary>
    /// <param name="reason">What is wrong.</param>
    /// <param name="tagPath">Path of the attribute, e.g. <c>(0040,0275)[0].(0008,0100)</c>; empty at data set level.</param>
    /// <param name="lineNumber">Line in the input (1-based), 0 when unknown.</param>
    /// <param name="bytePositionInLine">Byte position in the line (1-based), 0 when unknown.</param>
    /// <param name="byteOffset">Byte offset in the UTF-8 input (0-based), -1 when unknown.</param>
    /// <param name="inner">The cause.</param>
    public DicomJsonException(string reason, string tagPath, long lineNumber, long bytePositionInLine, long byteOffset, Exception? inner = null)
        : base(Format(reason, tagPath, lineNumber, bytePositionInLine), inner)
    {
        Reason = reason;
        TagPath = tagPath;
        LineNumber = lineNumber;
        BytePositionInLine = bytePositionInLine;
        ByteOffset = byteOffset;
    }

    /// <summary>What is wrong.</summary>
    public string Reason { get; }

    /// <summary>Path of the attribute being read, e.g. <c>(300A,00B0)[1].(300A,00B6)</c>; empty at data set level.</summary>
    public string TagPath { get; }

    /// <summary>Line in the input (1-based), 0 when unknown.</summary>
    public long LineNumber { get; }

    /// <summary>Byte position in the line (1-based), 0 when unknown.</summary>
    public long BytePositionInLine { get; }

    /// <summary>Byte offset of the offending token in the UTF-8 input (0-based), -1 when unknown.</summary>
    public long ByteOffset { get; }

    private static string Format(string reason, string tagPath, long line, long column) =>
        $"{reason}{(tagPath.Length > 0 ? " in " + tagPath : "")}{(line > 0 ? $" at line {line}, byte {column}" : "")}";
}
