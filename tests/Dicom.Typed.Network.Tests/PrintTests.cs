using System.Diagnostics;
using Dicom.Typed.Network;

namespace Dicom.Typed.Network.Tests;

/// <summary>Print SCU against the in-process Print SCP over 127.0.0.1.</summary>
public class PrintTests
{
    private sealed class PrintHost : IAsyncDisposable
    {
        public DicomServer Server { get; }
        public DicomPrintScp Scp { get; } = new();

        public PrintHost(IDicomNormalServiceHandler? wrap = null, DicomAssociationOptions? assoc = null)
        {
            var options = new DicomServerOptions { Connection = { Hostname = "127.0.0.1", Port = 0 }, Association = assoc ?? TestTimeouts.Short() };
            options.ApplicationEntities.Add(new DicomApplicationEntity("PRINTSCP", DicomTransferCapability.Verification().Concat(DicomPrintScp.TransferCapabilities())));
            Server = new DicomServer(options);
            Server.NormalServices.Add(wrap ?? Scp);
        }

        public DicomClientOptions Client(DicomAssociationOptions? assoc = null) => new()
        {
            Host = "127.0.0.1", Port = Server.Port, CallingAE = "PRINTSCU", CalledAE = "PRINTSCP", Association = assoc ?? TestTimeouts.Short(),
        };

        public async ValueTask DisposeAsync() => await Server.StopAsync(TimeSpan.FromSeconds(2));
    }

    private static DicomPrintImage Gray(ushort rows, ushort cols, int seed)
    {
        var px = new byte[rows * cols];
        for (int i = 0; i < px.Length; i++) px[i] = (byte)(i * seed);
        return DicomPrintImage.Grayscale8(rows, cols, px);
    }

    [Fact]
    public async Task Grayscale_TwoFilms_ArriveWithAttributesAndPixels()
    {
        await using var host = new PrintHost();
        await host.Server.StartAsync();
        var images = new[] { Gray(64, 64, 3), Gray(32, 48, 5), Gray(16, 16, 7) };
        var scu = new DicomPrintScu(host.Client(), new DicomPrintOptions { PresentationLutShape = "IDENTITY" });
        var result = await scu.PrintAsync(
            new DicomFilmSession { NumberOfCopies = 2, MediumType = "BLUE FILM", FilmDestination = "PROCESSOR", FilmSessionLabel = "test" },
            new DicomFilmBox { ImageDisplayFormat = "STANDARD\\1,2", FilmOrientation = "PORTRAIT", FilmSizeId = "14INX17IN", MagnificationType = "CUBIC", BorderDensity = "BLACK", MaxDensity = 320 },
            [images[..2], images[2..]]);

        Assert.Equal("NORMAL", result.Printer?.PrinterStatus);
        Assert.Equal("DICOMTYPED", result.Printer?.PrinterName);
        Assert.Equal(2, result.FilmBoxUids.Count);
        Assert.Empty(result.Warnings);
        var films = host.Scp.Printed.ToList();
        Assert.Equal(2, films.Count);
        Assert.All(films, f =>
        {
            Assert.Equal(DicomPrintMode.Grayscale, f.Mode);
            Assert.Equal("PRINTSCU", f.CallingAE);
            Assert.Equal(2, f.FilmSession.NumberOfCopies);
            Assert.Equal("BLUE FILM", f.FilmSession.MediumType);
            Assert.Equal("PROCESSOR", f.FilmSession.FilmDestination);
            Assert.Equal("STANDARD\\1,2", f.FilmBox.ImageDisplayFormat);
            Assert.Equal("14INX17IN", f.FilmBox.FilmSizeId);
            Assert.Equal((ushort)320, f.FilmBox.MaxDensity);
            Assert.Equal("IDENTITY", f.PresentationLutShape);
        });
        Assert.Equal(2, films[0].ImageBoxes.Count);
        Assert.Single(films[1].ImageBoxes);
        Assert.Equal(new ushort[] { 1, 2 }, films[0].ImageBoxes.Select(b => b.ImageBoxPosition));
        Assert.Equal(images[1].PixelData.ToArray(), films[0].ImageBoxes[1].Image.PixelData.ToArray());
        Assert.Equal((ushort)48, films[0].ImageBoxes[1].Image.Columns);
        Assert.Equal(images[2].PixelData.ToArray(), films[1].ImageBoxes[0].Image.PixelData.ToArray());
    }

    [Fact]
    public async Task Color_Film_UsesColorImageBoxes_AndRgbPixels()
    {
        await using var host = new PrintHost();
        await host.Server.StartAsync();
        var rgb = new byte[20 * 30 * 3];
        for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)(i % 3 == 0 ? 255 : i);
        var scu = new DicomPrintScu(host.Client(), new DicomPrintOptions { Mode = DicomPrintMode.Color });
        await using var session = await scu.OpenAsync();
        Assert.Equal(PrintSopClasses.BasicColorPrintManagementMeta, session.Association.PresentationContexts.Single(c => c.IsAccepted).AbstractSyntax);
        await session.CreateFilmSessionAsync(new DicomFilmSession { NumberOfCopies = 1, MediumType = "PAPER" });
        var box = await session.CreateFilmBoxAsync(new DicomFilmBox { ImageDisplayFormat = "STANDARD\\2,2", FilmSizeId = "8INX10IN" });
        Assert.Equal(4, box.ImageBoxes.Count);
        Assert.All(box.ImageBoxes, b => Assert.Equal(PrintSopClasses.BasicColorImageBox, b.SopClassUid));
        await session.SetImageBoxAsync(box.ImageBoxes[2], new DicomImageBox { ImageBoxPosition = 3, Image = DicomPrintImage.Rgb8(20, 30, rgb), Polarity = "NORMAL" });
        // A grayscale image in a color box is refused before it is sent.
        await Assert.ThrowsAsync<ArgumentException>(() => session.SetImageBoxAsync(box.ImageBoxes[0], new DicomImageBox { ImageBoxPosition = 1, Image = Gray(4, 4, 1) }));
        await session.PrintFilmBoxAsync(box.SopInstanceUid);
        var film = Assert.Single(host.Scp.Printed);
        Assert.Equal(DicomPrintMode.Color, film.Mode);
        var printed = Assert.Single(film.ImageBoxes);
        Assert.Equal((ushort)3, printed.ImageBoxPosition);
        Assert.Equal("RGB", printed.Image.PhotometricInterpretation);
        Assert.Equal((ushort)3, printed.Image.SamplesPerPixel);
        Assert.Equal(rgb, printed.Image.PixelData.ToArray());
        Assert.Equal("NORMAL", printed.Polarity);
    }

    [Fact]
    public async Task Image_FromRealFile_IsPrinted_At12Bits()
    {
        // CT_small.dcm is 16-bit signed; MR_small.dcm is 16-bit signed too; use a native unsigned 16-bit file.
        var ds = DicomFile.Open(TestData.File("MR_small.dcm")).Dataset;
        var unsigned = ds.Clone();
        unsigned.AddOrUpdate(DicomTag.PixelRepresentation, (ushort)0);
        var img = DicomPrintImage.FromDataset(unsigned);
        Assert.Equal((ushort)16, img.BitsAllocated);
        Assert.True(img.BitsStored <= 12);
        Assert.Throws<DicomException>(() => DicomPrintImage.FromDataset(ds)); // signed pixels are refused with a clear error
        await using var host = new PrintHost();
        await host.Server.StartAsync();
        await new DicomPrintScu(host.Client()).PrintAsync(new DicomFilmSession(), new DicomFilmBox { ImageDisplayFormat = "STANDARD\\1,1" }, [[img]]);
        var got = Assert.Single(Assert.Single(host.Scp.Printed).ImageBoxes).Image;
        Assert.Equal(img.Rows, got.Rows);
        Assert.Equal(img.PixelData.ToArray(), got.PixelData.ToArray());
    }

    [Fact]
    public async Task Warning_IsCollected_AndFailure_IsTyped_AndSessionDeleted()
    {
        await using var host = new PrintHost();
        host.Scp.StatusOverride = rq => rq.CommandField == DimseCommandField.NCreateRequest && rq.SopClassUid == PrintSopClasses.BasicFilmSession
            ? DicomPrintStatuses.MemoryAllocationNotSupported
            : rq.CommandField == DimseCommandField.NActionRequest ? DicomPrintStatuses.PrintQueueFull : null;
        await host.Server.StartAsync();
        var scu = new DicomPrintScu(host.Client());
        var e = await Assert.ThrowsAsync<DicomPrintException>(() =>
            scu.PrintAsync(new DicomFilmSession { MemoryAllocation = 1000 }, new DicomFilmBox { ImageDisplayFormat = "STANDARD\\1,1" }, [[Gray(8, 8, 1)]]));
        Assert.Equal(DicomPrintStatuses.PrintQueueFull, e.Status);
        Assert.Equal("N-ACTION Basic Film Box (print)", e.Result.Operation);
        Assert.Contains("print queue full", e.Message);
        Assert.Empty(host.Scp.Printed);

        // Warning only: the job goes on, the warning is reported.
        host.Scp.StatusOverride = rq => rq.CommandField == DimseCommandField.NCreateRequest && rq.SopClassUid == PrintSopClasses.BasicFilmSession
            ? DicomPrintStatuses.MemoryAllocationNotSupported : null;
        var result = await scu.PrintAsync(new DicomFilmSession { MemoryAllocation = 1000 }, new DicomFilmBox { ImageDisplayFormat = "STANDARD\\1,1" }, [[Gray(8, 8, 1)]]);
        var w = Assert.Single(result.Warnings);
        Assert.Equal(0xB600, w.Status.Code);
        Assert.Equal("memory allocation not supported", w.Meaning);
        Assert.Single(host.Scp.Printed);
    }

    [Fact]
    public async Task EmptyFilmBox_GivesWarningB603()
    {
        await using var host = new PrintHost();
        await host.Server.StartAsync();
        await using var session = await new DicomPrintScu(host.Client()).OpenAsync();
        await session.CreateFilmSessionAsync(new DicomFilmSession());
        var box = await session.CreateFilmBoxAsync(new DicomFilmBox { ImageDisplayFormat = "STANDARD\\1,1" });
        await session.PrintFilmBoxAsync(box.SopInstanceUid);
        Assert.Equal(DicomPrintStatuses.FilmBoxEmptyPage, Assert.Single(session.Warnings).Status);
        // Unsupported layout: failure status, typed.
        var e = await Assert.ThrowsAsync<DicomPrintException>(() => session.CreateFilmBoxAsync(new DicomFilmBox { ImageDisplayFormat = "ROW\\1,2" }));
        Assert.Equal(0x0106, e.Status.Code);
    }

    private sealed class MisbehavingPrinter(DicomPrintScp inner, string how) : IDicomNormalServiceHandler
    {
        public IEnumerable<string> SopClasses => inner.SopClasses;

        public async Task<DimseMessage> OnRequestAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
        {
            if (request.CommandField == DimseCommandField.NSetRequest)
            {
                if (how == "abort") await association.AbortAsync();
                else await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            return await inner.OnRequestAsync(association, request, cancellationToken);
        }
    }

    [Theory]
    [InlineData("abort")]
    [InlineData("silent")]
    public async Task Printer_ThatAbortsOrNeverAnswers_GivesTypedErrorWithinTimeout(string how)
    {
        var fast = TestTimeouts.Fast();
        var scp = new DicomPrintScp();
        await using var host = new PrintHost(new MisbehavingPrinter(scp, how), TestTimeouts.Short());
        await host.Server.StartAsync();
        var scu = new DicomPrintScu(host.Client(fast));
        var sw = Stopwatch.StartNew();
        var e = await Assert.ThrowsAnyAsync<DicomNetworkException>(() =>
            scu.PrintAsync(new DicomFilmSession(), new DicomFilmBox { ImageDisplayFormat = "STANDARD\\1,1" }, [[Gray(8, 8, 1)]]));
        sw.Stop();
        if (how == "abort") Assert.IsType<DicomAssociationException>(e);
        else Assert.Equal(DicomNetworkErrorReason.Timeout, e.Reason);
        // Bounded by the DIMSE timeout (3 s) plus the ARTIM release wait, not hanging.
        Assert.True(sw.Elapsed < fast.DimseTimeout + fast.ArtimTimeout + TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");
        Assert.Empty(scp.Printed);
    }
}
