using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Dicom.Typed.Network;

/// <summary>A film printed by <see cref="DicomPrintScp"/> (N-ACTION on a film box).</summary>
/// <param name="CallingAE">Who printed.</param>
/// <param name="Mode">Grayscale or color (the meta SOP class negotiated).</param>
/// <param name="FilmSession">The film session attributes.</param>
/// <param name="FilmBox">The film box attributes.</param>
/// <param name="ImageBoxes">The image boxes that received an image, by position.</param>
/// <param name="PresentationLutShape">Shape of the referenced Presentation LUT, if any.</param>
public sealed record DicomPrintedFilm(string CallingAE, DicomPrintMode Mode, DicomFilmSession FilmSession, DicomFilmBox FilmBox,
    IReadOnlyList<DicomImageBox> ImageBoxes, string? PresentationLutShape);

/// <summary>An in-process Print SCP (Basic Grayscale and Basic Color Print Management Meta SOP classes plus Presentation LUT):
/// keeps film sessions, film boxes and image boxes per association and hands each printed film to <see cref="Printed"/>.
/// Add it to <see cref="DicomServer.NormalServices"/> and its <see cref="TransferCapabilities"/> to the AE.</summary>
public sealed class DicomPrintScp : IDicomNormalServiceHandler
{
    private sealed class Box(string sopClass, ushort position)
    {
        public string SopClass { get; } = sopClass;
        public ushort Position { get; } = position;
        public DicomImageBox? Content { get; set; }
    }

    private sealed class FilmBoxState(DicomFilmBox attrs, string? lutUid, List<(string Uid, Box Box)> boxes)
    {
        public DicomFilmBox Attributes { get; } = attrs;
        public string? LutUid { get; } = lutUid;
        public List<(string Uid, Box Box)> Boxes { get; } = boxes;
    }

    private sealed class State
    {
        public string? SessionUid;
        public DicomFilmSession? Session;
        public readonly Dictionary<string, FilmBoxState> FilmBoxes = [];
        public readonly Dictionary<string, Box> ImageBoxes = [];
        public readonly Dictionary<string, string> Luts = [];
    }

    private readonly ConditionalWeakTable<DicomAssociation, State> _states = new();
    private readonly ConcurrentQueue<DicomPrintedFilm> _printed = new();

    /// <summary>Transfer capabilities (SCP) for both meta SOP classes and the Presentation LUT SOP class.</summary>
    /// <param name="transferSyntaxes">Transfer syntaxes, default Explicit and Implicit VR Little Endian.</param>
    public static IEnumerable<DicomTransferCapability> TransferCapabilities(IReadOnlyList<string>? transferSyntaxes = null) =>
        new[] { PrintSopClasses.BasicGrayscalePrintManagementMeta, PrintSopClasses.BasicColorPrintManagementMeta, PrintSopClasses.PresentationLut }
            .Select(c => new DicomTransferCapability(c, DicomTransferRole.Scp, transferSyntaxes ?? DicomStorageOperations.UncompressedTransferSyntaxes));

    /// <summary>Printer Status returned by N-GET (NORMAL, WARNING, FAILURE).</summary>
    public string PrinterStatus { get; set; } = "NORMAL";

    /// <summary>Printer Status Info returned by N-GET.</summary>
    public string PrinterStatusInfo { get; set; } = "NORMAL";

    /// <summary>Printer Name returned by N-GET.</summary>
    public string PrinterName { get; set; } = "DICOMTYPED";

    /// <summary>Film formats accepted (<c>STANDARD\C,R</c> with C×R up to this many boxes). Default 25.</summary>
    public int MaxImageBoxes { get; set; } = 25;

    /// <summary>Films printed so far (all associations).</summary>
    public IReadOnlyCollection<DicomPrintedFilm> Printed => _printed;

    /// <summary>Raised for each printed film.</summary>
    public event Action<DicomPrintedFilm>? FilmPrinted;

    /// <summary>Optional hook that chooses the status of each request (e.g. a warning); null or success lets processing go on,
    /// a failure status is returned without processing.</summary>
    public Func<DimseMessage, DicomStatus?>? StatusOverride { get; set; }

    /// <inheritdoc />
    public IEnumerable<string> SopClasses { get; } =
    [
        PrintSopClasses.Printer, PrintSopClasses.BasicFilmSession, PrintSopClasses.BasicFilmBox,
        PrintSopClasses.BasicGrayscaleImageBox, PrintSopClasses.BasicColorImageBox, PrintSopClasses.PresentationLut,
    ];

    /// <inheritdoc />
    public Task<DimseMessage> OnRequestAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
    {
        var state = _states.GetValue(association, _ => new State());
        DicomStatus? forced = StatusOverride?.Invoke(request);
        if (forced is { Category: not (DicomStatusCategory.Success or DicomStatusCategory.Warning) } f)
            return Task.FromResult(DimseMessage.CreateResponse(request, f));
        DimseMessage rsp;
        lock (state)
        {
            rsp = Handle(association, state, request);
        }
        if (forced is { Category: DicomStatusCategory.Warning } w && rsp.Status.IsSuccess) rsp.Status = w;
        return Task.FromResult(rsp);
    }

    private DicomPrintMode ModeOf(DicomAssociation a, DimseMessage rq) =>
        a.PresentationContexts.FirstOrDefault(c => c.Id == rq.PresentationContextId)?.AbstractSyntax == PrintSopClasses.BasicColorPrintManagementMeta
            ? DicomPrintMode.Color : DicomPrintMode.Grayscale;

    private static DimseMessage Fail(DimseMessage rq, ushort code, string comment)
    {
        var r = DimseMessage.CreateResponse(rq, new DicomStatus(code));
        r.ErrorComment = comment.Length > 64 ? comment[..64] : comment;
        return r;
    }

    private DimseMessage Handle(DicomAssociation a, State s, DimseMessage rq)
    {
        string cls = rq.SopClassUid ?? "";
        switch (rq.CommandField)
        {
            case DimseCommandField.NGetRequest when cls == PrintSopClasses.Printer:
            {
                if (rq.SopInstanceUid != PrintSopClasses.PrinterInstance) return Fail(rq, 0x0112, "no such printer instance");
                var ds = new DicomDataset();
                ds.AddOrUpdate(DicomTag.PrinterStatus, PrinterStatus);
                ds.AddOrUpdate(DicomTag.PrinterStatusInfo, PrinterStatusInfo);
                ds.AddOrUpdate(DicomTag.PrinterName, PrinterName);
                ds.AddOrUpdate(DicomTag.Manufacturer, "Dicom.Typed");
                ds.AddOrUpdate(DicomTag.ManufacturerModelName, "DicomPrintScp");
                return DimseMessage.CreateResponse(rq, DicomStatus.Success, ds);
            }
            case DimseCommandField.NCreateRequest when cls == PrintSopClasses.BasicFilmSession:
            {
                if (s.SessionUid != null) return Fail(rq, 0x0106, "a film session already exists on this association");
                s.SessionUid = rq.AffectedSopInstanceUid ?? DicomUid.GenerateValue();
                s.Session = DicomFilmSession.FromDataset(rq.Dataset ?? new DicomDataset());
                var rsp = DimseMessage.CreateResponse(rq, DicomStatus.Success, rq.Dataset?.Clone());
                rsp.AffectedSopInstanceUid = s.SessionUid;
                return rsp;
            }
            case DimseCommandField.NCreateRequest when cls == PrintSopClasses.PresentationLut:
            {
                string? shape = rq.Dataset?.GetStringOrDefault(DicomTag.PresentationLUTShape)?.Trim();
                if (shape is not ("IDENTITY" or "LIN OD")) return Fail(rq, 0x0106, "only Presentation LUT Shape IDENTITY or LIN OD");
                string uid = rq.AffectedSopInstanceUid ?? DicomUid.GenerateValue();
                s.Luts[uid] = shape;
                var rsp = DimseMessage.CreateResponse(rq, DicomStatus.Success);
                rsp.AffectedSopInstanceUid = uid;
                return rsp;
            }
            case DimseCommandField.NCreateRequest when cls == PrintSopClasses.BasicFilmBox:
            {
                if (s.SessionUid == null || rq.Dataset == null) return Fail(rq, 0x0106, "no film session");
                var refSession = rq.Dataset.GetSequence(DicomTag.ReferencedFilmSessionSequence)?.Items.FirstOrDefault();
                if (refSession?.GetStringOrDefault(DicomTag.ReferencedSOPInstanceUID)?.TrimEnd('\0', ' ') != s.SessionUid)
                    return Fail(rq, 0x0106, "Referenced Film Session Sequence does not name the session");
                var attrs = DicomFilmBox.FromDataset(rq.Dataset);
                if (attrs.StandardImageBoxCount is not { } count || count < 1 || count > MaxImageBoxes)
                    return Fail(rq, 0x0106, $"unsupported Image Display Format {attrs.ImageDisplayFormat}");
                string? lut = rq.Dataset.GetSequence(DicomTag.ReferencedPresentationLUTSequence)?.Items.FirstOrDefault()?.GetStringOrDefault(DicomTag.ReferencedSOPInstanceUID)?.TrimEnd('\0', ' ');
                if (lut != null && !s.Luts.ContainsKey(lut)) return Fail(rq, 0x0106, "unknown Presentation LUT");
                string boxClass = PrintSopClasses.ImageBox(ModeOf(a, rq));
                var boxes = new List<(string, Box)>();
                var refs = new List<DicomDataset>();
                for (ushort i = 1; i <= count; i++)
                {
                    string uid = DicomUid.GenerateValue();
                    var box = new Box(boxClass, i);
                    boxes.Add((uid, box));
                    s.ImageBoxes[uid] = box;
                    var item = new DicomDataset();
                    item.AddOrUpdate(DicomTag.ReferencedSOPClassUID, boxClass);
                    item.AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, uid);
                    refs.Add(item);
                }
                string filmBoxUid = rq.AffectedSopInstanceUid ?? DicomUid.GenerateValue();
                s.FilmBoxes[filmBoxUid] = new FilmBoxState(attrs, lut, boxes);
                var ds = rq.Dataset.Clone();
                ds.AddOrUpdate(new DicomSequence(DicomTag.ReferencedImageBoxSequence, refs));
                var rsp = DimseMessage.CreateResponse(rq, DicomStatus.Success, ds);
                rsp.AffectedSopInstanceUid = filmBoxUid;
                return rsp;
            }
            case DimseCommandField.NSetRequest when cls is PrintSopClasses.BasicGrayscaleImageBox or PrintSopClasses.BasicColorImageBox:
            {
                if (!s.ImageBoxes.TryGetValue(rq.SopInstanceUid ?? "", out var box)) return Fail(rq, 0x0112, "no such image box");
                if (box.SopClass != cls) return Fail(rq, 0x0117, "image box class mismatch");
                if (rq.Dataset == null) return Fail(rq, 0x0120, "N-SET without data set");
                DicomImageBox content;
                try
                {
                    content = DicomImageBox.FromDataset(rq.Dataset);
                }
                catch (DicomException e)
                {
                    return Fail(rq, 0x0120, e.Message);
                }
                bool color = cls == PrintSopClasses.BasicColorImageBox;
                var img = content.Image;
                if (color ? img.SamplesPerPixel != 3 || img.PhotometricInterpretation != "RGB" || img.BitsAllocated != 8
                          : img.SamplesPerPixel != 1 || img.PhotometricInterpretation is not ("MONOCHROME1" or "MONOCHROME2") || img.BitsAllocated is not (8 or 16))
                    return Fail(rq, 0x0106, "image pixel format not printable in this image box");
                if (img.PixelData.Length != (long)img.Rows * img.Columns * img.SamplesPerPixel * (img.BitsAllocated / 8))
                    return Fail(rq, 0x0106, "pixel data length does not match rows/columns");
                if (content.ImageBoxPosition != box.Position) return Fail(rq, 0x0106, $"Image Box Position {content.ImageBoxPosition}, box is {box.Position}");
                box.Content = content;
                return DimseMessage.CreateResponse(rq, DicomStatus.Success);
            }
            case DimseCommandField.NActionRequest when cls == PrintSopClasses.BasicFilmBox:
            {
                if (rq.ActionTypeId != 1) return Fail(rq, 0x0123, "action type must be 1 (print)");
                if (!s.FilmBoxes.TryGetValue(rq.SopInstanceUid ?? "", out var fb)) return Fail(rq, 0x0112, "no such film box");
                var filled = fb.Boxes.Where(b => b.Box.Content != null).Select(b => b.Box.Content!).ToList();
                if (filled.Count == 0) return DimseMessage.CreateResponse(rq, DicomPrintStatuses.FilmBoxEmptyPage);
                var film = new DicomPrintedFilm(a.CallingAE, ModeOf(a, rq), s.Session!, fb.Attributes, filled, fb.LutUid != null ? s.Luts[fb.LutUid] : null);
                _printed.Enqueue(film);
                FilmPrinted?.Invoke(film);
                return DimseMessage.CreateResponse(rq, DicomStatus.Success);
            }
            case DimseCommandField.NActionRequest when cls == PrintSopClasses.BasicFilmSession:
                return Fail(rq, 0x0123, "printing at film session level is not supported");
            case DimseCommandField.NDeleteRequest:
            {
                string uid = rq.SopInstanceUid ?? "";
                if (cls == PrintSopClasses.BasicFilmBox && s.FilmBoxes.Remove(uid, out var fb))
                {
                    foreach (var (boxUid, _) in fb.Boxes) s.ImageBoxes.Remove(boxUid);
                    return DimseMessage.CreateResponse(rq, DicomStatus.Success);
                }
                if (cls == PrintSopClasses.BasicFilmSession && uid == s.SessionUid)
                {
                    s.SessionUid = null;
                    s.Session = null;
                    s.FilmBoxes.Clear();
                    s.ImageBoxes.Clear();
                    return DimseMessage.CreateResponse(rq, DicomStatus.Success);
                }
                if (cls == PrintSopClasses.PresentationLut && s.Luts.Remove(uid)) return DimseMessage.CreateResponse(rq, DicomStatus.Success);
                return Fail(rq, 0x0112, "no such SOP instance");
            }
            default:
                return DimseMessage.CreateResponse(rq, DicomStatus.UnrecognizedOperation);
        }
    }
}
