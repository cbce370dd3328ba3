using System.IO.Compression;
using Dicom.Typed.IO;

namespace Dicom.Typed.Tests.IO;

public sealed class DicomDatasetReaderTests
{
    private static DicomDataset Sample() => new DicomDataset()
        .AddOrUpdate(DicomTag.SOPInstanceUID, "1.2.3.4")
        .AddOrUpdate(DicomTag.PatientName, "Doe^John")
        .AddOrUpdate<ushort>(DicomTag.Rows, 512)
        .AddOrUpdate(DicomTag.ReferencedSOPSequence, new DicomDataset().AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, "5.6.7"));

    public static TheoryData<string> Syntaxes => new()
    {
        DicomTransferSyntax.ImplicitVRLittleEndian.Uid.Value,
        DicomTransferSyntax.ExplicitVRLittleEndian.Uid.Value,
        DicomTransferSyntax.ExplicitVRBigEndian.Uid.Value,
    };

    [Theory]
    [MemberData(nameof(Syntaxes))]
    public void Reads_What_TheWriter_Wrote(string uid)
    {
        var ts = DicomTransferSyntax.Parse(uid);
        var ms = new MemoryStream();
        new DicomDatasetWriter(ms, ts).Write(Sample());
        Assert.Empty(DicomDatasetComparer.Differences(Sample(), DicomDatasetReader.Read(ms.ToArray().AsMemory(), ts)));
        ms.Position = 0;
        Assert.Empty(DicomDatasetComparer.Differences(Sample(), DicomDatasetReader.Read(ms, ts)));
    }

    [Fact]
    public void Reads_Deflated()
    {
        var raw = new MemoryStream();
        using (var deflate = new DeflateStream(raw, CompressionLevel.Fastest, leaveOpen: true))
            new DicomDatasetWriter(deflate, DicomTransferSyntax.ExplicitVRLittleEndian).Write(Sample());
        var ds = DicomDatasetReader.Read(raw.ToArray().AsMemory(), DicomTransferSyntax.DeflatedExplicitVRLittleEndian);
        Assert.Empty(DicomDatasetComparer.Differences(Sample(), ds));
    }

    [Fact]
    public void Garbage_Throws_DicomReadException() =>
        Assert.Throws<DicomReadException>(() => DicomDatasetReader.Read(new byte[] { 0x08, 0, 0x18, 0, 0xFF, 0xFF, 0, 0, 1, 2 }.AsMemory(), DicomTransferSyntax.ImplicitVRLittleEndian));
}
