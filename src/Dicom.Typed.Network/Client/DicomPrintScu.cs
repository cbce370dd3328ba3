using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dicom.Typed.Network;

/// <summary>Options of a print run beyond the connection.</summary>
public sealed class DicomPrintOptions
{
    /// <summary>Grayscale (default) or color print management.</summary>
    public DicomPrintMode Mode { get; set; } = DicomPrintMode.Grayscale;

    /// <summary>Also propose the Presentation LUT SOP class and create a Presentation LUT (grayscale only) with this shape
    /// (IDENTITY or LIN OD), referenced from the film box; null (default) sends none.</summary>
    public string? PresentationLutShape { get; set; }

    /// <summary>Ask the printer for its status (N-GET) before printing and refuse to print when it reports FAILURE. Default true.</summary>
    public bool CheckPrinterStatus { get; set; } = true;

    /// <summary>Transfer syntaxes proposed (default Explicit then Implicit VR Little Endian).</summary>
    public IReadOnlyList<string> TransferSyntaxes { get; set; } = DicomStorageOperations.UncompressedTransferSyntaxes;
}

/// <summary>The outcome of <see cref="DicomPrintScu.PrintAsync"/>.</summary>
/// <param name="Printer">Printer status before printing, if asked.</param>
/// <param name="FilmSessionUid">The film session's SOP instance UID (assigned by the SCP).</param>
/// <param name="FilmBoxUids">The film boxes' SOP instance UIDs, one per film.</param>
/// <param name="Warnings">Warning statuses met on the way (the job went on).</param>
public sealed record DicomPrintResult(DicomPrinterStatus? Printer, string FilmSessionUid, IReadOnlyList<string> FilmBoxUids, IReadOnlyList<DicomPrintOperationStatus> Warnings);

/// <summary>Basic Grayscale and Basic Color Print Management SCU (PS3.4 annex H): printer N-GET, film session N-CREATE/N-DELETE,
/// film box N-CREATE/N-ACTION/N-DELETE, image box N-SET, optional Presentation LUT N-CREATE.</summary>
/// <param name="options">Peer and timers.</param>
/// <param name="printOptions">Print mode and LUT.</param>
public sealed class DicomPrintScu(DicomClientOptions options, DicomPrintOptions? printOptions = null)
{
    private readonly DicomPrintOptions _print = printOptions ?? new DicomPrintOptions();

    /// <summary>Opens an association proposing the meta SOP class (and the Presentation LUT SOP class when configured).</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="DicomNetworkException">Connection or negotiation failure, or the meta SOP class was refused.</exception>
    public async Task<DicomPrintSession> OpenAsync(CancellationToken cancellationToken = default)
    {
        var contexts = new List<PresentationContext> { new(1, PrintSopClasses.Meta(_print.Mode), _print.TransferSyntaxes) };
        if (_print.PresentationLutShape != null) contexts.Add(new PresentationContext(3, PrintSopClasses.PresentationLut, _print.TransferSyntaxes));
        var a = await DicomClient.ConnectAsync(options, contexts, null, cancellationToken).ConfigureAwait(false);
        var meta = a.PresentationContexts.FirstOrDefault(c => c.Id == 1);
        if (meta is not { IsAccepted: true })
        {
            await a.DisposeAsync().ConfigureAwait(false);
            throw new DicomNetworkException(DicomNetworkErrorReason.NoPresentationContext,
                $"the print SCP did not accept {(_print.Mode == DicomPrintMode.Color ? "Basic Color" : "Basic Grayscale")} Print Management Meta ({meta?.Result})");
        }
        var lut = a.PresentationContexts.FirstOrDefault(c => c.Id == 3 && c.IsAccepted);
        return new DicomPrintSession(a, meta, lut, _print.Mode, options.LoggerFactory?.CreateLogger("Dicom.Typed.Network.PrintScu") ?? NullLogger.Instance);
    }

    /// <summary>Prints one film per group of images on one association: checks the printer, creates the film session, per film a
    /// film box (its image boxes are filled in order), prints it (N-ACTION), then deletes the film boxes and the session.</summary>
    /// <param name="filmSession">Film session attributes.</param>
    /// <param name="filmBox">Film box attributes, used for every film.</param>
    /// <param name="films">Per film the images in image box order (at most as many as the film box has boxes).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="DicomPrintException">The SCP answered with a failure status (the session is deleted before this is thrown).</exception>
    /// <exception cref="DicomNetworkException">Connection, timeout or abort.</exception>
    public async Task<DicomPrintResult> PrintAsync(DicomFilmSession filmSession, DicomFilmBox filmBox, IEnumerable<IReadOnlyList<DicomPrintImage>> films,
        CancellationToken cancellationToken = default)
    {
        await using var session = await OpenAsync(cancellationToken).ConfigureAwait(false);
        DicomPrinterStatus? printer = null;
        if (_print.CheckPrinterStatus)
        {
            printer = await session.GetPrinterStatusAsync(cancellationToken).ConfigureAwait(false);
            if (printer.PrinterStatus == "FAILURE")
                throw new DicomPrintException(new DicomPrintOperationStatus("N-GET Printer", DicomStatus.ProcessingFailure, $"printer status FAILURE ({printer.PrinterStatusInfo})"));
        }
        string sessionUid = await session.CreateFilmSessionAsync(filmSession, cancellationToken).ConfigureAwait(false);
        var boxes = new List<string>();
        try
        {
            string? lutUid = _print.PresentationLutShape != null && _print.Mode == DicomPrintMode.Grayscale
                ? await session.CreatePresentationLutAsync(_print.PresentationLutShape, cancellationToken).ConfigureAwait(false) : null;
            foreach (var images in films)
            {
                var box = await session.CreateFilmBoxAsync(filmBox, lutUid, cancellationToken).ConfigureAwait(false);
                boxes.Add(box.SopInstanceUid);
                if (images.Count > box.ImageBoxes.Count)
                    throw new ArgumentException($"{images.Count} images for a film box with {box.ImageBoxes.Count} image boxes ({filmBox.ImageDisplayFormat})", nameof(films));
                for (int i = 0; i < images.Count; i++)
                    await session.SetImageBoxAsync(box.ImageBoxes[i], new DicomImageBox { ImageBoxPosition = (ushort)(i + 1), Image = images[i] }, cancellationToken).ConfigureAwait(false);
                await session.PrintFilmBoxAsync(box.SopInstanceUid, cancellationToken).ConfigureAwait(false);
            }
            foreach (var b in boxes) await session.DeleteAsync(PrintSopClasses.BasicFilmBox, b, cancellationToken).ConfigureAwait(false);
        }
        catch (DicomPrintException)
        {
            await session.TryDeleteFilmSessionAsync(sessionUid).ConfigureAwait(false);
            throw;
        }
        catch (ArgumentException)
        {
            await session.TryDeleteFilmSessionAsync(sessionUid).ConfigureAwait(false);
            throw;
        }
        await session.DeleteAsync(PrintSopClasses.BasicFilmSession, sessionUid, cancellationToken).ConfigureAwait(false);
        await session.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        return new DicomPrintResult(printer, sessionUid, boxes, [.. session.Warnings]);
    }
}

/// <summary>A film box created on the SCP.</summary>
/// <param name="SopInstanceUid">The film box's SOP instance UID.</param>
/// <param name="ImageBoxes">The image boxes the SCP created, in position order.</param>
/// <param name="Response">The whole N-CREATE-RSP data set.</param>
public sealed record DicomFilmBoxInstance(string SopInstanceUid, IReadOnlyList<DicomImageBoxReference> ImageBoxes, DicomDataset Response);

/// <summary>An open print association: the individual print operations. Failure statuses throw <see cref="DicomPrintException"/>;
/// warnings are logged and collected in <see cref="Warnings"/>.</summary>
public sealed class DicomPrintSession : IAsyncDisposable
{
    private readonly PresentationContext _meta;
    private readonly PresentationContext? _lut;
    private readonly ILogger _log;
    private readonly List<DicomPrintOperationStatus> _warnings = [];
    private string? _filmSessionUid;

    internal DicomPrintSession(DicomAssociation association, PresentationContext meta, PresentationContext? lut, DicomPrintMode mode, ILogger log)
    {
        Association = association;
        _meta = meta;
        _lut = lut;
        Mode = mode;
        _log = log;
    }

    /// <summary>The association.</summary>
    public DicomAssociation Association { get; }

    /// <summary>Grayscale or color.</summary>
    public DicomPrintMode Mode { get; }

    /// <summary>Warnings received so far.</summary>
    public IReadOnlyList<DicomPrintOperationStatus> Warnings => _warnings;

    /// <summary>N-GET (all attributes) on the Printer SOP instance: Printer Status, Printer Status Info, Printer Name, manufacturer and model.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<DicomPrinterStatus> GetPrinterStatusAsync(CancellationToken cancellationToken = default)
    {
        var rq = DimseMessage.CreateRequest(DimseCommandField.NGetRequest, 0, PrintSopClasses.Printer, PrintSopClasses.PrinterInstance);
        // No Attribute Identifier List: all attributes. (dcmprscp answers 0105H "no such attribute" to a list naming
        // Printer Module attributes it does not keep, e.g. Software Versions.)
        var rsp = await SendAsync(rq, "N-GET Printer", _meta, cancellationToken).ConfigureAwait(false);
        return DicomPrinterStatus.FromDataset(rsp.Dataset ?? new DicomDataset());
    }

    /// <summary>N-CREATE of the Basic Film Session; returns its SOP instance UID (assigned by the SCP, else ours).</summary>
    /// <param name="filmSession">Attributes.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<string> CreateFilmSessionAsync(DicomFilmSession filmSession, CancellationToken cancellationToken = default)
    {
        var rq = DimseMessage.CreateRequest(DimseCommandField.NCreateRequest, 0, PrintSopClasses.BasicFilmSession, null, filmSession.ToDataset());
        var rsp = await SendAsync(rq, "N-CREATE Basic Film Session", _meta, cancellationToken).ConfigureAwait(false);
        _filmSessionUid = rsp.AffectedSopInstanceUid ?? throw new DicomNetworkException(DicomNetworkErrorReason.DimseProtocolError, "N-CREATE-RSP of the film session without Affected SOP Instance UID");
        return _filmSessionUid;
    }

    /// <summary>N-CREATE of a Presentation LUT with a shape (IDENTITY, LIN OD); returns its SOP instance UID.</summary>
    /// <param name="shape">Presentation LUT Shape (2050,0020).</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="DicomNetworkException">The Presentation LUT SOP class was not proposed or not accepted.</exception>
    public async Task<string> CreatePresentationLutAsync(string shape, CancellationToken cancellationToken = default)
    {
        var pc = _lut ?? throw new DicomNetworkException(DicomNetworkErrorReason.NoPresentationContext, "the Presentation LUT SOP class was not proposed or not accepted");
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.PresentationLUTShape, shape);
        var rq = DimseMessage.CreateRequest(DimseCommandField.NCreateRequest, 0, PrintSopClasses.PresentationLut, null, ds);
        var rsp = await SendAsync(rq, "N-CREATE Presentation LUT", pc, cancellationToken).ConfigureAwait(false);
        return rsp.AffectedSopInstanceUid ?? throw new DicomNetworkException(DicomNetworkErrorReason.DimseProtocolError, "N-CREATE-RSP of the Presentation LUT without Affected SOP Instance UID");
    }

    /// <summary>N-CREATE of a Basic Film Box in the current film session; the response lists the image boxes.</summary>
    /// <param name="filmBox">Attributes.</param>
    /// <param name="presentationLutUid">A Presentation LUT to reference, or null.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="InvalidOperationException">No film session created yet.</exception>
    public async Task<DicomFilmBoxInstance> CreateFilmBoxAsync(DicomFilmBox filmBox, string? presentationLutUid = null, CancellationToken cancellationToken = default)
    {
        var session = _filmSessionUid ?? throw new InvalidOperationException("create the film session first");
        var ds = filmBox.ToDataset();
        var refSession = new DicomDataset();
        refSession.AddOrUpdate(DicomTag.ReferencedSOPClassUID, PrintSopClasses.BasicFilmSession);
        refSession.AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, session);
        ds.AddOrUpdate(new DicomSequence(DicomTag.ReferencedFilmSessionSequence, refSession));
        if (presentationLutUid != null)
        {
            var refLut = new DicomDataset();
            refLut.AddOrUpdate(DicomTag.ReferencedSOPClassUID, PrintSopClasses.PresentationLut);
            refLut.AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, presentationLutUid);
            ds.AddOrUpdate(new DicomSequence(DicomTag.ReferencedPresentationLUTSequence, refLut));
        }
        var rq = DimseMessage.CreateRequest(DimseCommandField.NCreateRequest, 0, PrintSopClasses.BasicFilmBox, null, ds);
        var rsp = await SendAsync(rq, "N-CREATE Basic Film Box", _meta, cancellationToken).ConfigureAwait(false);
        string uid = rsp.AffectedSopInstanceUid ?? throw new DicomNetworkException(DicomNetworkErrorReason.DimseProtocolError, "N-CREATE-RSP of the film box without Affected SOP Instance UID");
        var result = rsp.Dataset ?? new DicomDataset();
        var refs = result.GetSequence(DicomTag.ReferencedImageBoxSequence)?.Items ?? [];
        var boxes = refs.Select((item, i) => new DicomImageBoxReference(i + 1,
            PrintAttr.Str(item, DicomTag.ReferencedSOPClassUID) ?? "", PrintAttr.Str(item, DicomTag.ReferencedSOPInstanceUID) ?? "")).ToList();
        if (boxes.Count == 0 || boxes.Any(b => b.SopInstanceUid.Length == 0))
            throw new DicomNetworkException(DicomNetworkErrorReason.DimseProtocolError, "N-CREATE-RSP of the film box without a usable Referenced Image Box Sequence (2010,0510)");
        string expected = PrintSopClasses.ImageBox(Mode);
        if (boxes.FirstOrDefault(b => b.SopClassUid != expected) is { } wrong)
            throw new DicomNetworkException(DicomNetworkErrorReason.DimseProtocolError, $"the SCP created image box {wrong.Position} of class {wrong.SopClassUid}, expected {expected}");
        return new DicomFilmBoxInstance(uid, boxes, result);
    }

    /// <summary>N-SET of an image box with its image (Basic Grayscale/Color Image Sequence).</summary>
    /// <param name="box">The image box (from <see cref="DicomFilmBoxInstance.ImageBoxes"/>).</param>
    /// <param name="imageBox">Position, image and presentation attributes.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task SetImageBoxAsync(DicomImageBoxReference box, DicomImageBox imageBox, CancellationToken cancellationToken = default)
    {
        var rq = DimseMessage.CreateRequest(DimseCommandField.NSetRequest, 0, box.SopClassUid, box.SopInstanceUid, imageBox.ToDataset(Mode));
        await SendAsync(rq, $"N-SET Image Box {imageBox.ImageBoxPosition}", _meta, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>N-ACTION (Action Type ID 1, print) on a film box.</summary>
    /// <param name="filmBoxUid">The film box.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <returns>The N-ACTION-RSP data set (e.g. a Referenced Print Job Sequence), or null.</returns>
    public async Task<DicomDataset?> PrintFilmBoxAsync(string filmBoxUid, CancellationToken cancellationToken = default)
    {
        var rq = DimseMessage.CreateRequest(DimseCommandField.NActionRequest, 0, PrintSopClasses.BasicFilmBox, filmBoxUid);
        rq.ActionTypeId = 1;
        var rsp = await SendAsync(rq, "N-ACTION Basic Film Box (print)", _meta, cancellationToken).ConfigureAwait(false);
        return rsp.Dataset;
    }

    /// <summary>N-ACTION (Action Type ID 1, print) on the film session: prints all its film boxes.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task<DicomDataset?> PrintFilmSessionAsync(CancellationToken cancellationToken = default)
    {
        var rq = DimseMessage.CreateRequest(DimseCommandField.NActionRequest, 0, PrintSopClasses.BasicFilmSession, _filmSessionUid ?? throw new InvalidOperationException("create the film session first"));
        rq.ActionTypeId = 1;
        var rsp = await SendAsync(rq, "N-ACTION Basic Film Session (print)", _meta, cancellationToken).ConfigureAwait(false);
        return rsp.Dataset;
    }

    /// <summary>N-DELETE of a film box, film session or Presentation LUT.</summary>
    /// <param name="sopClassUid">Its SOP class.</param>
    /// <param name="sopInstanceUid">Its SOP instance.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public async Task DeleteAsync(string sopClassUid, string sopInstanceUid, CancellationToken cancellationToken = default)
    {
        var rq = DimseMessage.CreateRequest(DimseCommandField.NDeleteRequest, 0, sopClassUid, sopInstanceUid);
        var pc = sopClassUid == PrintSopClasses.PresentationLut ? _lut ?? _meta : _meta;
        await SendAsync(rq, $"N-DELETE {DicomUid.Lookup(sopClassUid)?.Name ?? sopClassUid}", pc, cancellationToken).ConfigureAwait(false);
        if (sopInstanceUid == _filmSessionUid) _filmSessionUid = null;
    }

    internal async Task TryDeleteFilmSessionAsync(string uid)
    {
        if (Association.State != AssociationState.Established) return;
        try
        {
            using var cts = new CancellationTokenSource(Association.Options.DimseTimeout);
            await DeleteAsync(PrintSopClasses.BasicFilmSession, uid, cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DicomException or OperationCanceledException)
        {
            _log.LogWarning("Cannot delete film session {Uid} after a failure: {Error}", uid, e.Message);
        }
    }

    private async Task<DimseMessage> SendAsync(DimseMessage rq, string operation, PresentationContext pc, CancellationToken ct)
    {
        DimseMessage? last = null;
        await foreach (var rsp in Association.SendRequestAsync(rq, pc, ct).ConfigureAwait(false)) last = rsp;
        if (last == null) throw new DicomNetworkException(DicomNetworkErrorReason.DimseProtocolError, $"no response to {operation}");
        var result = new DicomPrintOperationStatus(operation, last.Status, last.ErrorComment);
        switch (last.Status.Category)
        {
            case DicomStatusCategory.Success:
                _log.LogDebug("{Result}", result);
                break;
            case DicomStatusCategory.Warning:
                _log.LogWarning("Print SCP warning: {Result}", result);
                _warnings.Add(result);
                break;
            default:
                _log.LogError("Print SCP failure: {Result}", result);
                throw new DicomPrintException(result);
        }
        return last;
    }

    /// <summary>Releases the association.</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    public Task ReleaseAsync(CancellationToken cancellationToken = default) => Association.ReleaseAsync(cancellationToken);

    /// <summary>Releases (or aborts) the association.</summary>
    public ValueTask DisposeAsync() => Association.DisposeAsync();
}
