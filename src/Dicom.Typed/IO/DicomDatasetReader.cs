namespace Dicom.Typed.IO;

/// <summary>Reads a bare data set (no preamble, no File Meta Information) encoded in a known transfer syntax,
/// as carried for example in DIMSE messages (PS3.7) or after the meta group of a Part 10 file.</summary>
public static class DicomDatasetReader
{
    /// <summary>Reads a data set from bytes in memory (values are slices of <paramref name="data"/>, not copies).</summary>
    /// <param name="data">The encoded data set.</param>
    /// <param name="transferSyntax">The transfer syntax the data set is encoded in.</param>
    /// <param name="options">Read options.</param>
    /// <exception cref="DicomReadException">The data is not a valid data set in that transfer syntax.</exception>
    public static DicomDataset Read(ReadOnlyMemory<byte> data, DicomTransferSyntax transferSyntax, DicomReadOptions? options = null)
    {
        byte[] bytes;
        int offset;
        if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray(data, out var segment) && segment.Array != null)
        {
            bytes = segment.Array;
            offset = segment.Offset;
        }
        else
        {
            bytes = data.ToArray();
            offset = 0;
        }
        return Read(new ByteSource(bytes, offset, data.Length), transferSyntax, options);
    }

    /// <summary>Reads a data set from a stream up to its end (values are loaded; nothing stays lazy).</summary>
    /// <param name="stream">The stream, positioned at the first element.</param>
    /// <param name="transferSyntax">The transfer syntax the data set is encoded in.</param>
    /// <param name="options">Read options.</param>
    /// <exception cref="DicomReadException">The data is not a valid data set in that transfer syntax.</exception>
    public static DicomDataset Read(Stream stream, DicomTransferSyntax transferSyntax, DicomReadOptions? options = null) =>
        Read(new ByteSource(stream, 0), transferSyntax, options);

    private static DicomDataset Read(ByteSource source, DicomTransferSyntax transferSyntax, DicomReadOptions? options)
    {
        var parser = new DicomParser(source, options ?? DicomReadOptions.Default, null);
        var ds = new DicomDataset();
        try
        {
            parser.SetEncoding(transferSyntax.IsExplicitVR, !transferSyntax.IsLittleEndian);
            if (transferSyntax.IsDeflated) parser.SwitchToDeflate();
            parser.ReadDataset(ds);
        }
        catch (DicomReadException)
        {
            throw;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or FormatException or OverflowException or DicomException)
        {
            throw parser.Error("Invalid data: " + e.Message, null, e);
        }
        return ds;
    }
}
