using System.Globalization;
using System.Runtime.CompilerServices;

namespace Dicom.Typed.Network;

/// <summary>Typed Modality Worklist query keys (PS3.4 K.6.1.2). Set properties are matching keys; the identifier also asks
/// for the common return keys, or for every key of <see cref="Template"/> (e.g. built from a device's MWL message definition).</summary>
public sealed class DicomWorklistQuery
{
    /// <summary>Creates a query with the default return keys.</summary>
    public DicomWorklistQuery() { }

    /// <summary>Creates a query whose return keys are the (empty) keys of <paramref name="template"/>; matching values set
    /// through the properties are written into a copy of it.</summary>
    /// <param name="template">Identifier template: every element is a return key, the Scheduled Procedure Step Sequence has one item.</param>
    public DicomWorklistQuery(DicomDataset template) => Template = template;

    /// <summary>The identifier template (null: the default return keys).</summary>
    public DicomDataset? Template { get; }

    /// <summary>Patient's Name (0010,0010); wildcards allowed.</summary>
    public string? PatientName { get; set; }

    /// <summary>Patient ID (0010,0020).</summary>
    public string? PatientId { get; set; }

    /// <summary>Accession Number (0008,0050).</summary>
    public string? AccessionNumber { get; set; }

    /// <summary>Requested Procedure ID (0040,1001).</summary>
    public string? RequestedProcedureId { get; set; }

    /// <summary>Modality (0008,0060) in the Scheduled Procedure Step Sequence.</summary>
    public string? Modality { get; set; }

    /// <summary>Scheduled Station AE Title (0040,0001).</summary>
    public string? ScheduledStationAETitle { get; set; }

    /// <summary>Scheduled Performing Physician's Name (0040,0006).</summary>
    public string? ScheduledPerformingPhysicianName { get; set; }

    /// <summary>First day of the Scheduled Procedure Step Start Date (0040,0002) range (inclusive), or null for open.</summary>
    public DateOnly? ScheduledFrom { get; set; }

    /// <summary>Last day of the Scheduled Procedure Step Start Date range (inclusive), or null for open.</summary>
    public DateOnly? ScheduledTo { get; set; }

    /// <summary>Specific Character Set to send (null: none, i.e. the default repertoire).</summary>
    public string? SpecificCharacterSet { get; set; }

    private static readonly DicomTag[] DefaultTopKeys =
    [
        DicomTag.AccessionNumber, DicomTag.ReferringPhysicianName, DicomTag.PatientName, DicomTag.PatientID, DicomTag.PatientBirthDate,
        DicomTag.PatientSex, DicomTag.StudyInstanceUID, DicomTag.RequestedProcedureDescription, DicomTag.RequestedProcedureID,
    ];

    private static readonly DicomTag[] DefaultStepKeys =
    [
        DicomTag.Modality, DicomTag.ScheduledStationAETitle, DicomTag.ScheduledProcedureStepStartDate, DicomTag.ScheduledProcedureStepStartTime,
        DicomTag.ScheduledPerformingPhysicianName, DicomTag.ScheduledProcedureStepDescription, DicomTag.ScheduledProcedureStepID,
    ];

    /// <summary>Builds the C-FIND identifier.</summary>
    public DicomDataset ToIdentifier()
    {
        DicomDataset ds;
        DicomDataset step;
        if (Template != null)
        {
            ds = DeepCopy(Template);
            step = ds.GetSequence(DicomTag.ScheduledProcedureStepSequence) is { Items.Count: > 0 } s ? s.Items[0] : new DicomDataset();
            if (!ds.Contains(DicomTag.ScheduledProcedureStepSequence)) ds.AddOrUpdate(DicomTag.ScheduledProcedureStepSequence, step);
        }
        else
        {
            ds = new DicomDataset();
            foreach (var t in DefaultTopKeys) ds.AddOrUpdate(t, Array.Empty<string>());
            step = new DicomDataset();
            foreach (var t in DefaultStepKeys) step.AddOrUpdate(t, Array.Empty<string>());
            ds.AddOrUpdate(DicomTag.ScheduledProcedureStepSequence, step);
        }
        if (SpecificCharacterSet != null) ds.AddOrUpdate(DicomTag.SpecificCharacterSet, SpecificCharacterSet);
        Set(ds, DicomTag.PatientName, PatientName);
        Set(ds, DicomTag.PatientID, PatientId);
        Set(ds, DicomTag.AccessionNumber, AccessionNumber);
        Set(ds, DicomTag.RequestedProcedureID, RequestedProcedureId);
        Set(step, DicomTag.Modality, Modality);
        Set(step, DicomTag.ScheduledStationAETitle, ScheduledStationAETitle);
        Set(step, DicomTag.ScheduledPerformingPhysicianName, ScheduledPerformingPhysicianName);
        if (ScheduledFrom != null || ScheduledTo != null)
        {
            string range = ScheduledFrom == ScheduledTo ? Da(ScheduledFrom!.Value) : $"{(ScheduledFrom is { } f ? Da(f) : "")}-{(ScheduledTo is { } t ? Da(t) : "")}";
            step.AddOrUpdate(DicomTag.ScheduledProcedureStepStartDate, range);
        }
        return ds;
    }

    private static string Da(DateOnly d) => d.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static void Set(DicomDataset ds, DicomTag tag, string? value)
    {
        if (value != null) ds.AddOrUpdate(tag, value);
    }

    internal static DicomDataset DeepCopy(DicomDataset source)
    {
        var copy = new DicomDataset();
        foreach (var i in source) copy.AddOrUpdate(i is DicomSequence s ? new DicomSequence(s.Tag, s.Items.Select(DeepCopy)) : i);
        return copy;
    }
}

/// <summary>A Scheduled Procedure Step of a worklist item (an item of (0040,0100)).</summary>
/// <param name="Dataset">The item.</param>
public sealed record DicomScheduledProcedureStep(DicomDataset Dataset)
{
    /// <summary>Modality (0008,0060).</summary>
    public string? Modality => DicomWorklistItem.Text(Dataset, DicomTag.Modality);
    /// <summary>Scheduled Station AE Title (0040,0001), first value.</summary>
    public string? ScheduledStationAETitle => DicomWorklistItem.Text(Dataset, DicomTag.ScheduledStationAETitle);
    /// <summary>Scheduled Procedure Step Start Date (0040,0002).</summary>
    public DateOnly? StartDate => DicomWorklistItem.Date(Dataset, DicomTag.ScheduledProcedureStepStartDate);
    /// <summary>Scheduled Procedure Step Start Time (0040,0003) as sent.</summary>
    public string? StartTime => DicomWorklistItem.Text(Dataset, DicomTag.ScheduledProcedureStepStartTime);
    /// <summary>Scheduled Performing Physician's Name (0040,0006).</summary>
    public string? ScheduledPerformingPhysicianName => DicomWorklistItem.Text(Dataset, DicomTag.ScheduledPerformingPhysicianName);
    /// <summary>Scheduled Procedure Step Description (0040,0007).</summary>
    public string? Description => DicomWorklistItem.Text(Dataset, DicomTag.ScheduledProcedureStepDescription);
    /// <summary>Scheduled Procedure Step ID (0040,0009).</summary>
    public string? StepId => DicomWorklistItem.Text(Dataset, DicomTag.ScheduledProcedureStepID);
}

/// <summary>A worklist C-FIND result with typed access to the common return keys; <see cref="Dataset"/> holds everything returned.</summary>
/// <param name="Dataset">The response identifier.</param>
public sealed record DicomWorklistItem(DicomDataset Dataset)
{
    /// <summary>Patient's Name (0010,0010).</summary>
    public string? PatientName => Text(Dataset, DicomTag.PatientName);
    /// <summary>Patient ID (0010,0020).</summary>
    public string? PatientId => Text(Dataset, DicomTag.PatientID);
    /// <summary>Patient's Birth Date (0010,0030).</summary>
    public DateOnly? PatientBirthDate => Date(Dataset, DicomTag.PatientBirthDate);
    /// <summary>Patient's Sex (0010,0040).</summary>
    public string? PatientSex => Text(Dataset, DicomTag.PatientSex);
    /// <summary>Accession Number (0008,0050).</summary>
    public string? AccessionNumber => Text(Dataset, DicomTag.AccessionNumber);
    /// <summary>Study Instance UID (0020,000D).</summary>
    public string? StudyInstanceUid => Text(Dataset, DicomTag.StudyInstanceUID);
    /// <summary>Requested Procedure ID (0040,1001).</summary>
    public string? RequestedProcedureId => Text(Dataset, DicomTag.RequestedProcedureID);
    /// <summary>Requested Procedure Description (0032,1060).</summary>
    public string? RequestedProcedureDescription => Text(Dataset, DicomTag.RequestedProcedureDescription);

    /// <summary>The Scheduled Procedure Steps (0040,0100).</summary>
    public IReadOnlyList<DicomScheduledProcedureStep> ScheduledProcedureSteps =>
        Dataset.GetSequence(DicomTag.ScheduledProcedureStepSequence)?.Items.Select(i => new DicomScheduledProcedureStep(i)).ToList() ?? [];

    internal static string? Text(DicomDataset ds, DicomTag tag)
    {
        var s = ds.GetStringOrDefault(tag)?.Trim(' ', '\0');
        if (string.IsNullOrEmpty(s)) return null;
        int bs = s.IndexOf('\\');
        return bs >= 0 ? s[..bs] : s;
    }

    internal static DateOnly? Date(DicomDataset ds, DicomTag tag) =>
        Text(ds, tag) is { Length: 8 } s && DateOnly.TryParseExact(s, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}

/// <summary>Modality Worklist SCU (C-FIND on the Modality Worklist Information Model, PS3.4 annex K).</summary>
/// <param name="options">Peer and timers.</param>
public sealed class DicomWorklistScu(DicomClientOptions options)
{
    /// <summary>Modality Worklist Information Model – FIND.</summary>
    public static string SopClassUid => DicomUid.ModalityWorklistInformationModelFind.Value;

    /// <summary>Queries the worklist and yields each item as its pending response arrives. Breaking out of the loop or
    /// cancelling sends C-CANCEL-RQ.</summary>
    /// <param name="query">Typed keys.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="DicomServiceException">The final status is a failure.</exception>
    /// <exception cref="DicomNetworkException">Connection, negotiation, timeout or abort.</exception>
    public IAsyncEnumerable<DicomWorklistItem> FindAsync(DicomWorklistQuery query, CancellationToken cancellationToken = default) =>
        FindAsync(query.ToIdentifier(), cancellationToken);

    /// <summary>Queries the worklist with a raw identifier.</summary>
    /// <param name="identifier">The identifier.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="DicomServiceException">The final status is a failure.</exception>
    /// <exception cref="DicomNetworkException">Connection, negotiation, timeout or abort.</exception>
    public async IAsyncEnumerable<DicomWorklistItem> FindAsync(DicomDataset identifier, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var a = await DicomClient.ConnectAsync(options, [new PresentationContext(1, SopClassUid, DicomStorageOperations.UncompressedTransferSyntaxes)],
            null, cancellationToken).ConfigureAwait(false);
        var rq = DimseMessage.CreateRequest(DimseCommandField.CFindRequest, a.NextMessageId(), SopClassUid, null, identifier);
        DicomStatus final = DicomStatus.Success;
        string? comment = null;
        await foreach (var rsp in a.SendRequestAsync(rq, null, cancellationToken).ConfigureAwait(false))
        {
            if (rsp.Status.IsPending)
            {
                if (rsp.Dataset != null) yield return new DicomWorklistItem(rsp.Dataset);
            }
            else
            {
                final = rsp.Status;
                comment = rsp.ErrorComment;
            }
        }
        await a.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        if (final.Category == DicomStatusCategory.Failure) throw new DicomServiceException(final, $"worklist C-FIND failed{(comment != null ? ": " + comment : "")}");
    }
}
