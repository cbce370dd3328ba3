using System.Globalization;

namespace Dicom.Typed.Network;

/// <summary>Performed Procedure Step Status (0040,0252), PS3.3 C.4.14.</summary>
public enum DicomMppsStatus
{
    /// <summary>IN PROGRESS.</summary>
    InProgress,
    /// <summary>COMPLETED.</summary>
    Completed,
    /// <summary>DISCONTINUED.</summary>
    Discontinued,
}

/// <summary>Conversions of <see cref="DicomMppsStatus"/> to and from the defined terms.</summary>
public static class DicomMppsStatusText
{
    /// <summary>The defined term ("IN PROGRESS", "COMPLETED", "DISCONTINUED").</summary>
    /// <param name="status">The status.</param>
    public static string ToDefinedTerm(this DicomMppsStatus status) => status switch
    {
        DicomMppsStatus.InProgress => "IN PROGRESS",
        DicomMppsStatus.Completed => "COMPLETED",
        _ => "DISCONTINUED",
    };

    /// <summary>Parses a defined term (trailing spaces ignored); null when it is not one of the three.</summary>
    /// <param name="text">The value of (0040,0252).</param>
    public static DicomMppsStatus? Parse(string? text) => text?.Trim(' ', '\0') switch
    {
        "IN PROGRESS" => DicomMppsStatus.InProgress,
        "COMPLETED" => DicomMppsStatus.Completed,
        "DISCONTINUED" => DicomMppsStatus.Discontinued,
        _ => null,
    };
}

/// <summary>A referenced SOP instance (class and instance UID), as in Referenced Image / Referenced SOP sequences.</summary>
/// <param name="SopClassUid">Referenced SOP Class UID (0008,1150).</param>
/// <param name="SopInstanceUid">Referenced SOP Instance UID (0008,1155).</param>
public sealed record DicomSopReference(string SopClassUid, string SopInstanceUid)
{
    /// <summary>The reference as a sequence item.</summary>
    public DicomDataset ToItem() => new DicomDataset()
        .AddOrUpdate(DicomTag.ReferencedSOPClassUID, SopClassUid)
        .AddOrUpdate(DicomTag.ReferencedSOPInstanceUID, SopInstanceUid);

    /// <summary>Reads a reference from a sequence item (null when either UID is missing).</summary>
    /// <param name="item">The item.</param>
    public static DicomSopReference? FromItem(DicomDataset item)
    {
        var c = item.GetStringOrDefault(DicomTag.ReferencedSOPClassUID)?.Trim(' ', '\0');
        var i = item.GetStringOrDefault(DicomTag.ReferencedSOPInstanceUID)?.Trim(' ', '\0');
        return string.IsNullOrEmpty(c) || string.IsNullOrEmpty(i) ? null : new DicomSopReference(c, i);
    }
}

/// <summary>A series performed under a procedure step (an item of Performed Series Sequence (0040,0340)).</summary>
public sealed class DicomMppsPerformedSeries
{
    /// <summary>Series Instance UID (0020,000E), Type 1.</summary>
    public required string SeriesInstanceUid { get; init; }
    /// <summary>Protocol Name (0018,1030), Type 1.</summary>
    public string ProtocolName { get; init; } = "";
    /// <summary>Series Description (0008,103E), Type 2.</summary>
    public string? SeriesDescription { get; init; }
    /// <summary>Performing Physician's Name (0008,1050), Type 2.</summary>
    public string? PerformingPhysicianName { get; init; }
    /// <summary>Operators' Name (0008,1070), Type 2.</summary>
    public string? OperatorsName { get; init; }
    /// <summary>Retrieve AE Title (0008,0054), Type 2.</summary>
    public string? RetrieveAETitle { get; init; }
    /// <summary>Referenced Image Sequence (0008,1140).</summary>
    public IReadOnlyList<DicomSopReference> Images { get; init; } = [];

    /// <summary>The sequence item.</summary>
    public DicomDataset ToItem()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTag.SeriesInstanceUID, SeriesInstanceUid)
            .AddOrUpdate(DicomTag.ProtocolName, ProtocolName);
        DicomMppsCreate.Type2(ds, DicomTag.SeriesDescription, SeriesDescription);
        DicomMppsCreate.Type2(ds, DicomTag.PerformingPhysicianName, PerformingPhysicianName);
        DicomMppsCreate.Type2(ds, DicomTag.OperatorsName, OperatorsName);
        DicomMppsCreate.Type2(ds, DicomTag.RetrieveAETitle, RetrieveAETitle);
        ds.AddOrUpdate(new DicomSequence(DicomTag.ReferencedImageSequence, Images.Select(i => i.ToItem())));
        ds.AddOrUpdate(new DicomSequence(DicomTag.ReferencedNonImageCompositeSOPInstanceSequence));
        return ds;
    }
}

/// <summary>The N-CREATE-RQ attributes of an MPPS (PS3.4 Table F.7.2-1): status IN PROGRESS; Type 2 attributes are sent
/// empty when not set. <see cref="Additional"/> adds or overrides attributes (e.g. from a device's N-CREATE message definition).</summary>
public sealed class DicomMppsCreate
{
    /// <summary>Affected SOP Instance UID; generated when null.</summary>
    public string? SopInstanceUid { get; set; }
    /// <summary>Performed Procedure Step ID (0040,0253), Type 1.</summary>
    public required string PerformedProcedureStepId { get; init; }
    /// <summary>Performed Station AE Title (0040,0241), Type 1.</summary>
    public required string PerformedStationAETitle { get; init; }
    /// <summary>Start date and time (0040,0244/0245), Type 1.</summary>
    public required DateTime StartDateTime { get; init; }
    /// <summary>Modality (0008,0060), Type 1.</summary>
    public required string Modality { get; init; }
    /// <summary>Patient's Name (0010,0010), Type 2.</summary>
    public string? PatientName { get; init; }
    /// <summary>Patient ID (0010,0020), Type 2.</summary>
    public string? PatientId { get; init; }
    /// <summary>Patient's Birth Date (0010,0030), Type 2.</summary>
    public DateOnly? PatientBirthDate { get; init; }
    /// <summary>Patient's Sex (0010,0040), Type 2.</summary>
    public string? PatientSex { get; init; }
    /// <summary>Study Instance UID of the scheduled step (Scheduled Step Attributes Sequence), Type 1.</summary>
    public string? StudyInstanceUid { get; init; }
    /// <summary>Accession Number, Type 2 (Scheduled Step Attributes Sequence).</summary>
    public string? AccessionNumber { get; init; }
    /// <summary>Requested Procedure ID, Type 2 (Scheduled Step Attributes Sequence).</summary>
    public string? RequestedProcedureId { get; init; }
    /// <summary>Scheduled Procedure Step ID, Type 2 (Scheduled Step Attributes Sequence).</summary>
    public string? ScheduledProcedureStepId { get; init; }
    /// <summary>Performed Procedure Step Description (0040,0254), Type 2.</summary>
    public string? Description { get; init; }
    /// <summary>Study ID (0020,0010), Type 2.</summary>
    public string? StudyId { get; init; }
    /// <summary>Attributes added last (override the typed ones).</summary>
    public DicomDataset? Additional { get; init; }

    /// <summary>Attributes added only where the data set has none (recursively into the first item of sequences), e.g. the
    /// empty attributes of a device's N-CREATE message definition. Never overrides a value.</summary>
    public DicomDataset? Defaults { get; init; }

    /// <summary>The N-CREATE-RQ data set.</summary>
    public DicomDataset ToDataset()
    {
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTag.PerformedProcedureStepStatus, DicomMppsStatus.InProgress.ToDefinedTerm())
            .AddOrUpdate(DicomTag.PerformedProcedureStepID, PerformedProcedureStepId)
            .AddOrUpdate(DicomTag.PerformedStationAETitle, PerformedStationAETitle)
            .AddOrUpdate(DicomTag.PerformedProcedureStepStartDate, StartDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture))
            .AddOrUpdate(DicomTag.PerformedProcedureStepStartTime, StartDateTime.ToString("HHmmss", CultureInfo.InvariantCulture))
            .AddOrUpdate(DicomTag.Modality, Modality);
        Type2(ds, DicomTag.PatientName, PatientName);
        Type2(ds, DicomTag.PatientID, PatientId);
        Type2(ds, DicomTag.PatientBirthDate, PatientBirthDate?.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        Type2(ds, DicomTag.PatientSex, PatientSex);
        Type2(ds, DicomTag.PerformedProcedureStepDescription, Description);
        Type2(ds, DicomTag.StudyID, StudyId);
        foreach (var t in new[] { DicomTag.PerformedStationName, DicomTag.PerformedLocation, DicomTag.PerformedProcedureStepEndDate,
                     DicomTag.PerformedProcedureStepEndTime, DicomTag.PerformedProcedureTypeDescription })
            ds.AddOrUpdate(t, Array.Empty<string>());
        ds.AddOrUpdate(new DicomSequence(DicomTag.ReferencedPatientSequence));
        ds.AddOrUpdate(new DicomSequence(DicomTag.ProcedureCodeSequence));
        ds.AddOrUpdate(new DicomSequence(DicomTag.PerformedSeriesSequence));
        var step = new DicomDataset().AddOrUpdate(DicomTag.StudyInstanceUID, StudyInstanceUid ?? DicomUid.GenerateValue());
        Type2(step, DicomTag.AccessionNumber, AccessionNumber);
        Type2(step, DicomTag.RequestedProcedureID, RequestedProcedureId);
        Type2(step, DicomTag.ScheduledProcedureStepID, ScheduledProcedureStepId);
        step.AddOrUpdate(new DicomSequence(DicomTag.ReferencedStudySequence));
        step.AddOrUpdate(DicomTag.RequestedProcedureDescription, Array.Empty<string>());
        step.AddOrUpdate(DicomTag.ScheduledProcedureStepDescription, Array.Empty<string>());
        step.AddOrUpdate(new DicomSequence(DicomTag.ScheduledProtocolCodeSequence));
        ds.AddOrUpdate(DicomTag.ScheduledStepAttributesSequence, step);
        if (Additional != null) foreach (var i in Additional) ds.AddOrUpdate(i);
        if (Defaults != null) AddMissing(ds, Defaults);
        return ds;
    }

    /// <summary>Adds the elements of <paramref name="defaults"/> that <paramref name="target"/> lacks; for sequences present in
    /// both, recurses from the first default item into every target item.</summary>
    /// <param name="target">The data set to complete.</param>
    /// <param name="defaults">The defaults.</param>
    public static void AddMissing(DicomDataset target, DicomDataset defaults)
    {
        foreach (var item in defaults)
        {
            if (target[item.Tag] is null)
                target.AddOrUpdate(item is DicomSequence s ? new DicomSequence(s.Tag, s.Items.Select(DicomWorklistQuery.DeepCopy)) : item);
            else if (item is DicomSequence ds && target[item.Tag] is DicomSequence ts && ds.Items.Count > 0)
                foreach (var t in ts.Items) AddMissing(t, ds.Items[0]);
        }
    }

    internal static void Type2(DicomDataset ds, DicomTag tag, string? value)
    {
        if (string.IsNullOrEmpty(value)) ds.AddOrUpdate(tag, Array.Empty<string>());
        else ds.AddOrUpdate(tag, value);
    }
}

/// <summary>The N-SET-RQ modification list of an MPPS (PS3.4 Table F.7.2-1): a new status (COMPLETED or DISCONTINUED ends
/// the step; then end date/time are required) and the performed series.</summary>
public sealed class DicomMppsSet
{
    /// <summary>The new status.</summary>
    public required DicomMppsStatus Status { get; init; }
    /// <summary>End date and time (0040,0250/0251); required for COMPLETED and DISCONTINUED (defaults to now).</summary>
    public DateTime? EndDateTime { get; init; }
    /// <summary>Performed Series Sequence (0040,0340); at least one item for COMPLETED.</summary>
    public IReadOnlyList<DicomMppsPerformedSeries> PerformedSeries { get; init; } = [];
    /// <summary>Discontinuation reason code (0040,0281), for DISCONTINUED.</summary>
    public (string Value, string Scheme, string Meaning)? DiscontinuationReason { get; init; }
    /// <summary>Attributes added last.</summary>
    public DicomDataset? Additional { get; init; }

    /// <summary>Attributes added only where missing (see <see cref="DicomMppsCreate.Defaults"/>).</summary>
    public DicomDataset? Defaults { get; init; }

    /// <summary>The N-SET-RQ data set.</summary>
    public DicomDataset ToDataset()
    {
        var ds = new DicomDataset().AddOrUpdate(DicomTag.PerformedProcedureStepStatus, Status.ToDefinedTerm());
        if (Status != DicomMppsStatus.InProgress || EndDateTime != null)
        {
            var end = EndDateTime ?? DateTime.Now;
            ds.AddOrUpdate(DicomTag.PerformedProcedureStepEndDate, end.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
            ds.AddOrUpdate(DicomTag.PerformedProcedureStepEndTime, end.ToString("HHmmss", CultureInfo.InvariantCulture));
        }
        if (PerformedSeries.Count > 0 || Status == DicomMppsStatus.Completed)
            ds.AddOrUpdate(new DicomSequence(DicomTag.PerformedSeriesSequence, PerformedSeries.Select(s => s.ToItem())));
        if (DiscontinuationReason is { } r)
            ds.AddOrUpdate(DicomTag.PerformedProcedureStepDiscontinuationReasonCodeSequence, new DicomDataset()
                .AddOrUpdate(DicomTag.CodeValue, r.Value).AddOrUpdate(DicomTag.CodingSchemeDesignator, r.Scheme).AddOrUpdate(DicomTag.CodeMeaning, r.Meaning));
        if (Additional != null) foreach (var i in Additional) ds.AddOrUpdate(i);
        if (Defaults != null) DicomMppsCreate.AddMissing(ds, Defaults);
        return ds;
    }
}

/// <summary>Result of an MPPS N-CREATE or N-SET.</summary>
/// <param name="SopInstanceUid">The MPPS SOP instance.</param>
/// <param name="Status">The response status (success or warning; failures throw).</param>
/// <param name="Attributes">Attributes returned by the SCP, if any.</param>
public sealed record DicomMppsResult(string SopInstanceUid, DicomStatus Status, DicomDataset? Attributes);

/// <summary>Modality Performed Procedure Step SCU (PS3.4 annex F): N-CREATE (IN PROGRESS) then N-SET (COMPLETED or DISCONTINUED).</summary>
/// <param name="options">Peer and timers.</param>
public sealed class DicomMppsScu(DicomClientOptions options)
{
    /// <summary>Modality Performed Procedure Step SOP class.</summary>
    public static string SopClassUid => DicomUid.ModalityPerformedProcedureStep.Value;

    /// <summary>Opens an association with an MPPS presentation context (for several operations on one association).</summary>
    /// <param name="cancellationToken">Cancellation.</param>
    public Task<DicomAssociation> ConnectAsync(CancellationToken cancellationToken = default) =>
        DicomClient.ConnectAsync(options, [new PresentationContext(1, SopClassUid, DicomStorageOperations.UncompressedTransferSyntaxes)], null, cancellationToken);

    /// <summary>Creates the procedure step (own association).</summary>
    /// <param name="create">The N-CREATE attributes.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="DicomServiceException">Failure status (e.g. 0111H duplicate instance).</exception>
    /// <exception cref="DicomNetworkException">Connection, negotiation, timeout or abort.</exception>
    public async Task<DicomMppsResult> CreateAsync(DicomMppsCreate create, CancellationToken cancellationToken = default)
    {
        await using var a = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var r = await CreateAsync(a, create, cancellationToken).ConfigureAwait(false);
        await a.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        return r;
    }

    /// <summary>Updates the procedure step (own association).</summary>
    /// <param name="sopInstanceUid">The MPPS instance.</param>
    /// <param name="set">The modifications.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <exception cref="DicomServiceException">Failure status (e.g. 0110H when the step may no longer be updated, 0112H no such instance).</exception>
    /// <exception cref="DicomNetworkException">Connection, negotiation, timeout or abort.</exception>
    public async Task<DicomMppsResult> SetAsync(string sopInstanceUid, DicomMppsSet set, CancellationToken cancellationToken = default)
    {
        await using var a = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var r = await SetAsync(a, sopInstanceUid, set, cancellationToken).ConfigureAwait(false);
        await a.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        return r;
    }

    /// <summary>Sends N-CREATE-RQ on an association.</summary>
    /// <param name="association">An association with an accepted MPPS context.</param>
    /// <param name="create">The attributes.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public static async Task<DicomMppsResult> CreateAsync(DicomAssociation association, DicomMppsCreate create, CancellationToken cancellationToken = default)
    {
        string uid = create.SopInstanceUid ?? DicomUid.GenerateValue();
        var rq = DimseMessage.CreateRequest(DimseCommandField.NCreateRequest, association.NextMessageId(), SopClassUid, uid, create.ToDataset());
        var rsp = await SingleAsync(association, rq, cancellationToken).ConfigureAwait(false);
        return new DicomMppsResult(rsp.AffectedSopInstanceUid ?? uid, rsp.Status, rsp.Dataset);
    }

    /// <summary>Sends N-SET-RQ on an association.</summary>
    /// <param name="association">An association with an accepted MPPS context.</param>
    /// <param name="sopInstanceUid">The MPPS instance.</param>
    /// <param name="set">The modifications.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    public static async Task<DicomMppsResult> SetAsync(DicomAssociation association, string sopInstanceUid, DicomMppsSet set, CancellationToken cancellationToken = default)
    {
        var rq = DimseMessage.CreateRequest(DimseCommandField.NSetRequest, association.NextMessageId(), SopClassUid, sopInstanceUid, set.ToDataset());
        var rsp = await SingleAsync(association, rq, cancellationToken).ConfigureAwait(false);
        return new DicomMppsResult(sopInstanceUid, rsp.Status, rsp.Dataset);
    }

    private static async Task<DimseMessage> SingleAsync(DicomAssociation a, DimseMessage rq, CancellationToken ct)
    {
        DimseMessage? last = null;
        await foreach (var m in a.SendRequestAsync(rq, null, ct).ConfigureAwait(false)) last = m;
        if (last == null) throw new DicomNetworkException(DicomNetworkErrorReason.DimseProtocolError, $"no response to {rq.CommandField}");
        if (last.Status.Category == DicomStatusCategory.Failure)
            throw new DicomServiceException(last.Status, $"{rq.CommandField} failed: {last.Status}{(last.ErrorComment != null ? " " + last.ErrorComment : "")}");
        return last;
    }
}
