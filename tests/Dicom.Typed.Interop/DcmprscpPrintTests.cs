using Dicom.Typed.Network;
using static Dicom.Typed.Interop.TestEnvironment;

namespace Dicom.Typed.Interop;

/// <summary>DCMTK dcmprscp (Basic Grayscale Print SCP, PRINTSCP on 11271) as the printer for our Print SCU. dcmprscp stores every
/// film session as a Stored Print object (scpdb/SP_*.dcm) and every image box as a Hardcopy Grayscale Image (scpdb/HG_*.dcm).</summary>
public sealed class DcmprscpFixture : IDisposable
{
    public const int Port = 11271;
    public string Work { get; } = TempDir("dcmprscp");
    public string Db => Path.Combine(Work, $"dcmprscp-{Port}", "scpdb");

    public DcmprscpFixture() => Peer(null, "dcmprscp", Port.ToString(), Work);

    public static DicomClientOptions Client() => new() { Host = "127.0.0.1", Port = Port, CallingAE = "OURPRINTSCU", CalledAE = "PRINTSCP" };

    public void Dispose()
    {
        try { Peer(null, "--stop", "dcmprscp", Port.ToString(), Work); } catch (InvalidOperationException) { }
        try { Directory.Delete(Work, true); } catch (IOException) { }
    }
}

public class DcmprscpPrintTests(DcmprscpFixture f) : IClassFixture<DcmprscpFixture>
{
    private static DicomPrintImage Gray(ushort rows, ushort cols, int seed)
    {
        var px = new byte[rows * cols];
        for (int i = 0; i < px.Length; i++) px[i] = (byte)((i * seed) & 0xFF);
        return DicomPrintImage.Grayscale8(rows, cols, px);
    }

    private static HashSet<string> Files(string dir, string pattern) => Directory.Exists(dir) ? [.. Directory.GetFiles(dir, pattern)] : [];

    [Fact]
    public async Task Grayscale_Film_IsStoredByDcmprscp_AsStoredPrintAndHardcopyImages()
    {
        var spBefore = Files(f.Db, "SP_*.dcm");
        var hgBefore = Files(f.Db, "HG_*.dcm");
        var images = new[] { Gray(64, 64, 3), Gray(40, 80, 11) };
        var scu = new DicomPrintScu(DcmprscpFixture.Client(), new DicomPrintOptions { PresentationLutShape = "IDENTITY" });
        var result = await scu.PrintAsync(
            new DicomFilmSession { NumberOfCopies = 1, MediumType = "BLUE FILM", FilmDestination = "PROCESSOR" },
            new DicomFilmBox { ImageDisplayFormat = "STANDARD\\1,2", FilmOrientation = "PORTRAIT", FilmSizeId = "14INX17IN", MagnificationType = "CUBIC", BorderDensity = "BLACK", MaxDensity = 320, MinDensity = 20 },
            [images]);
        Assert.NotNull(result.Printer?.PrinterStatus);
        Assert.Single(result.FilmBoxUids);

        var sp = Files(f.Db, "SP_*.dcm").Except(spBefore).ToList();
        var hg = Files(f.Db, "HG_*.dcm").Except(hgBefore).ToList();
        var storedPrint = DicomFile.Open(Assert.Single(sp)).Dataset;
        // Stored Print: Printer Characteristics Sequence (2130,0015) and Film Box Content Sequence (2130,0030).
        var printer = Assert.Single(storedPrint.GetSequence(new DicomTag(0x2130, 0x0015))!.Items);
        Assert.Equal("OURPRINTSCU", printer.GetString(DicomTag.Originator).Trim());
        var filmBox = Assert.Single(storedPrint.GetSequence(new DicomTag(0x2130, 0x0030))!.Items);
        Assert.Equal("STANDARD\\1,2", filmBox.GetString(DicomTag.ImageDisplayFormat).Trim());
        Assert.Equal("14INX17IN", filmBox.GetString(DicomTag.FilmSizeID).Trim());
        Assert.Equal("PORTRAIT", filmBox.GetString(DicomTag.FilmOrientation).Trim());
        Assert.Equal("CUBIC", filmBox.GetString(DicomTag.MagnificationType).Trim());
        Assert.Equal("BLACK", filmBox.GetString(DicomTag.BorderDensity).Trim());
        Assert.Equal((ushort)320, filmBox.GetValue<ushort>(DicomTag.MaxDensity));
        Assert.NotNull(filmBox.GetSequence(DicomTag.ReferencedPresentationLUTSequence)); // our Presentation LUT was referenced
        Assert.Equal(2, hg.Count);
        // Each hardcopy image holds exactly the pixels we sent in one of the boxes.
        var received = hg.Select(p => DicomFile.Open(p).Dataset).ToList();
        foreach (var img in images)
        {
            Assert.Contains(received, d => d.GetValueOrDefault<ushort>(DicomTag.Rows, 0, 0) == img.Rows
                                           && d.GetValueOrDefault<ushort>(DicomTag.Columns, 0, 0) == img.Columns
                                           && d.GetElement(DicomTag.PixelData)!.Buffer.Memory.Span[..img.PixelData.Length].SequenceEqual(img.PixelData.Span));
        }
    }

    [Fact]
    public async Task Grayscale_12BitImage_FromRealFile_IsStored()
    {
        var hgBefore = Files(f.Db, "HG_*.dcm");
        var ds = DicomFile.Open(Network.Tests.TestData.File("MR_small.dcm")).Dataset.Clone();
        ds.AddOrUpdate(DicomTag.PixelRepresentation, (ushort)0);
        var img = DicomPrintImage.FromDataset(ds);
        await new DicomPrintScu(DcmprscpFixture.Client()).PrintAsync(new DicomFilmSession(), new DicomFilmBox { ImageDisplayFormat = "STANDARD\\1,1", FilmSizeId = "8INX10IN" }, [[img]]);
        var got = DicomFile.Open(Assert.Single(Files(f.Db, "HG_*.dcm").Except(hgBefore))).Dataset;
        Assert.Equal((ushort)16, got.GetValue<ushort>(DicomTag.BitsAllocated));
        Assert.Equal((ushort)12, got.GetValue<ushort>(DicomTag.BitsStored));
        Assert.True(got.GetElement(DicomTag.PixelData)!.Buffer.Memory.Span[..img.PixelData.Length].SequenceEqual(img.PixelData.Span));
    }

    [Fact]
    public async Task UnsupportedLayout_IsRefused_WithTypedFailure()
    {
        // dcmprscp only accepts the layouts of its DisplayFormat list; 2,1 is not among them.
        var e = await Assert.ThrowsAsync<DicomPrintException>(() => new DicomPrintScu(DcmprscpFixture.Client())
            .PrintAsync(new DicomFilmSession(), new DicomFilmBox { ImageDisplayFormat = "STANDARD\\2,1" }, [[Gray(8, 8, 1)]]));
        Assert.Equal("N-CREATE Basic Film Box", e.Result.Operation);
        Assert.Equal(DicomStatusCategory.Failure, e.Status.Category);
    }

    [Fact]
    public async Task Color_IsNotOffered_ByDcmprscp_AndReportedAsNoPresentationContext()
    {
        // dcmprscp implements only Basic Grayscale Print Management; color print is tested against DicomPrintScp (PrintTests).
        var e = await Assert.ThrowsAsync<DicomNetworkException>(() => new DicomPrintScu(DcmprscpFixture.Client(), new DicomPrintOptions { Mode = DicomPrintMode.Color }).OpenAsync());
        Assert.Equal(DicomNetworkErrorReason.NoPresentationContext, e.Reason);
    }
}
