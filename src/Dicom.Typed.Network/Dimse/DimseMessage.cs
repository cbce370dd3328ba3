using Dicom.Typed.IO;

namespace Dicom.Typed.Network;

/// <summary>A DIMSE message (PS3.7 chapter 9/10): a command set (group 0000) and, optionally, a data set.
/// One class covers every C- and N- request and response; the typed properties read and write the command set.</summary>
public sealed class DimseMessage
{
    private const ushort NoDataset = 0x0101;

    /// <summary>Wraps a decoded command set.</summary>
    /// <param name="command">The command set.</param>
    public DimseMessage(DicomDataset command) => Command = command;

    /// <summary>The command set (group 0000 elements).</summary>
    public DicomDataset Command { get; }

    /// <summary>The data set to send, or the received data set when it was read into memory.</summary>
    public DicomDataset? Dataset { get; set; }

    /// <summary>The received data set when it was streamed to a sink (see <see cref="DicomAssociation.DatasetSinkFactory"/>).</summary>
    public Stream? DatasetStream { get; internal set; }

    /// <summary>Presentation context the message was received on (0 until sent/received).</summary>
    public byte PresentationContextId { get; internal set; }

    /// <summary>Transfer syntax of the data set (the presentation context's).</summary>
    public DicomTransferSyntax? TransferSyntax { get; internal set; }

    /// <summary>Command field.</summary>
    public DimseCommandField CommandField
    {
        get => (DimseCommandField)Command.GetValueOrDefault<ushort>(DicomTag.CommandField, 0, 0);
        set => Command.AddOrUpdate(DicomTag.CommandField, (ushort)value);
    }

    /// <summary>True for a request (including C-CANCEL-RQ).</summary>
    public bool IsRequest => ((ushort)CommandField & 0x8000) == 0;

    /// <summary>Message ID (requests).</summary>
    public ushort MessageId
    {
        get => Command.GetValueOrDefault<ushort>(DicomTag.MessageID, 0, 0);
        set => Command.AddOrUpdate(DicomTag.MessageID, value);
    }

    /// <summary>Message ID being responded to (responses, C-CANCEL-RQ).</summary>
    public ushort MessageIdBeingRespondedTo
    {
        get => Command.GetValueOrDefault<ushort>(DicomTag.MessageIDBeingRespondedTo, 0, 0);
        set => Command.AddOrUpdate(DicomTag.MessageIDBeingRespondedTo, value);
    }

    /// <summary>Affected SOP class UID.</summary>
    public string? AffectedSopClassUid { get => Str(DicomTag.AffectedSOPClassUID); set => SetStr(DicomTag.AffectedSOPClassUID, value); }

    /// <summary>Requested SOP class UID (N-GET/SET/ACTION/DELETE requests).</summary>
    public string? RequestedSopClassUid { get => Str(DicomTag.RequestedSOPClassUID); set => SetStr(DicomTag.RequestedSOPClassUID, value); }

    /// <summary>Affected SOP instance UID.</summary>
    public string? AffectedSopInstanceUid { get => Str(DicomTag.AffectedSOPInstanceUID); set => SetStr(DicomTag.AffectedSOPInstanceUID, value); }

    /// <summary>Requested SOP instance UID.</summary>
    public string? RequestedSopInstanceUid { get => Str(DicomTag.RequestedSOPInstanceUID); set => SetStr(DicomTag.RequestedSOPInstanceUID, value); }

    /// <summary>The SOP class the message is about (affected, else requested).</summary>
    public string? SopClassUid => AffectedSopClassUid ?? RequestedSopClassUid;

    /// <summary>The SOP instance the message is about (affected, else requested).</summary>
    public string? SopInstanceUid => AffectedSopInstanceUid ?? RequestedSopInstanceUid;

    /// <summary>Priority (C-STORE, C-FIND, C-MOVE, C-GET requests).</summary>
    public DimsePriority Priority
    {
        get => (DimsePriority)Command.GetValueOrDefault<ushort>(DicomTag.Priority, 0, 0);
        set => Command.AddOrUpdate(DicomTag.Priority, (ushort)value);
    }

    /// <summary>True when a data set follows the command (Command Data Set Type is not 0101H).</summary>
    public bool HasDataset
    {
        get => Command.GetValueOrDefault<ushort>(DicomTag.CommandDataSetType, 0, NoDataset) != NoDataset;
        set => Command.AddOrUpdate(DicomTag.CommandDataSetType, value ? (ushort)0x0000 : NoDataset);
    }

    /// <summary>Status (responses).</summary>
    public DicomStatus Status
    {
        get => new(Command.GetValueOrDefault<ushort>(DicomTag.Status, 0, 0));
        set => Command.AddOrUpdate(DicomTag.Status, value.Code);
    }

    /// <summary>Error comment (responses, optional).</summary>
    public string? ErrorComment { get => Str(DicomTag.ErrorComment); set => SetStr(DicomTag.ErrorComment, value); }

    /// <summary>Move destination AE title (C-MOVE-RQ).</summary>
    public string? MoveDestination { get => Str(DicomTag.MoveDestination); set => SetStr(DicomTag.MoveDestination, value); }

    /// <summary>Move originator AE title (C-STORE-RQ as a C-MOVE sub-operation).</summary>
    public string? MoveOriginatorAE { get => Str(DicomTag.MoveOriginatorApplicationEntityTitle); set => SetStr(DicomTag.MoveOriginatorApplicationEntityTitle, value); }

    /// <summary>Move originator message ID.</summary>
    public ushort? MoveOriginatorMessageId { get => U16(DicomTag.MoveOriginatorMessageID); set => SetU16(DicomTag.MoveOriginatorMessageID, value); }

    /// <summary>Number of remaining sub-operations (C-MOVE/C-GET responses).</summary>
    public ushort? RemainingSuboperations { get => U16(DicomTag.NumberOfRemainingSuboperations); set => SetU16(DicomTag.NumberOfRemainingSuboperations, value); }

    /// <summary>Number of completed sub-operations.</summary>
    public ushort? CompletedSuboperations { get => U16(DicomTag.NumberOfCompletedSuboperations); set => SetU16(DicomTag.NumberOfCompletedSuboperations, value); }

    /// <summary>Number of failed sub-operations.</summary>
    public ushort? FailedSuboperations { get => U16(DicomTag.NumberOfFailedSuboperations); set => SetU16(DicomTag.NumberOfFailedSuboperations, value); }

    /// <summary>Number of sub-operations with warnings.</summary>
    public ushort? WarningSuboperations { get => U16(DicomTag.NumberOfWarningSuboperations); set => SetU16(DicomTag.NumberOfWarningSuboperations, value); }

    /// <summary>Event type ID (N-EVENT-REPORT).</summary>
    public ushort? EventTypeId { get => U16(DicomTag.EventTypeID); set => SetU16(DicomTag.EventTypeID, value); }

    /// <summary>Action type ID (N-ACTION).</summary>
    public ushort? ActionTypeId { get => U16(DicomTag.ActionTypeID); set => SetU16(DicomTag.ActionTypeID, value); }

    /// <summary>Attribute identifier list (N-GET-RQ).</summary>
    public DicomTag[] AttributeIdentifierList
    {
        get => Command.GetElement(DicomTag.AttributeIdentifierList) is { } e ? e.GetValues<DicomTag>() : [];
        set
        {
            if (value.Length == 0) Command.Remove(DicomTag.AttributeIdentifierList);
            else Command.AddOrUpdate(DicomElement.FromTags(DicomTag.AttributeIdentifierList, value));
        }
    }

    private string? Str(DicomTag tag)
    {
        var s = Command.GetStringOrDefault(tag);
        return string.IsNullOrEmpty(s) ? null : s.TrimEnd('\0', ' ');
    }

    private void SetStr(DicomTag tag, string? value)
    {
        if (value == null) Command.Remove(tag);
        else Command.AddOrUpdate(tag, value);
    }

    private ushort? U16(DicomTag tag) => Command.Contains(tag) ? Command.GetValueOrDefault<ushort>(tag, 0, 0) : null;

    private void SetU16(DicomTag tag, ushort? value)
    {
        if (value == null) Command.Remove(tag);
        else Command.AddOrUpdate(tag, value.Value);
    }

    // ---- factories ------------------------------------------------------------------------------------------------

    /// <summary>Creates a request. The SOP class/instance go to the Affected or Requested elements as PS3.7 chapter 9/10 prescribe for <paramref name="field"/>.</summary>
    /// <param name="field">A request command field.</param>
    /// <param name="messageId">Message ID.</param>
    /// <param name="sopClassUid">SOP class UID.</param>
    /// <param name="sopInstanceUid">SOP instance UID (C-STORE, N-messages).</param>
    /// <param name="dataset">Data set sent with the request, if any.</param>
    public static DimseMessage CreateRequest(DimseCommandField field, ushort messageId, string sopClassUid, string? sopInstanceUid = null, DicomDataset? dataset = null)
    {
        if (((ushort)field & 0x8000) != 0 || field == DimseCommandField.CCancelRequest) throw new ArgumentException($"{field} is not a request", nameof(field));
        var m = new DimseMessage(new DicomDataset()) { Dataset = dataset };
        bool requested = field is DimseCommandField.NGetRequest or DimseCommandField.NSetRequest or DimseCommandField.NActionRequest or DimseCommandField.NDeleteRequest;
        if (requested)
        {
            m.RequestedSopClassUid = sopClassUid;
            m.RequestedSopInstanceUid = sopInstanceUid ?? throw new ArgumentNullException(nameof(sopInstanceUid), $"{field} needs a requested SOP instance");
        }
        else
        {
            m.AffectedSopClassUid = sopClassUid;
            if (sopInstanceUid != null) m.AffectedSopInstanceUid = sopInstanceUid;
        }
        m.CommandField = field;
        m.MessageId = messageId;
        if (field is DimseCommandField.CStoreRequest or DimseCommandField.CFindRequest or DimseCommandField.CMoveRequest or DimseCommandField.CGetRequest)
            m.Priority = DimsePriority.Medium;
        m.HasDataset = dataset != null;
        return m;
    }

    /// <summary>Creates a response to <paramref name="request"/> (command field, message ID being responded to, affected SOP class and instance copied).</summary>
    /// <param name="request">The request.</param>
    /// <param name="status">The status.</param>
    /// <param name="dataset">Data set sent with the response, if any.</param>
    public static DimseMessage CreateResponse(DimseMessage request, DicomStatus status, DicomDataset? dataset = null)
    {
        if (!request.IsRequest || request.CommandField == DimseCommandField.CCancelRequest) throw new ArgumentException("not a request", nameof(request));
        var m = new DimseMessage(new DicomDataset()) { Dataset = dataset, PresentationContextId = request.PresentationContextId };
        if (request.SopClassUid is { } cls) m.AffectedSopClassUid = cls;
        m.CommandField = (DimseCommandField)((ushort)request.CommandField | 0x8000);
        m.MessageIdBeingRespondedTo = request.MessageId;
        m.HasDataset = dataset != null;
        m.Status = status;
        if (request.SopInstanceUid is { } inst && request.CommandField is not (DimseCommandField.CFindRequest or DimseCommandField.CMoveRequest or DimseCommandField.CGetRequest or DimseCommandField.CEchoRequest))
            m.AffectedSopInstanceUid = inst;
        if (request.CommandField == DimseCommandField.NEventReportRequest) m.EventTypeId = request.EventTypeId;
        if (request.CommandField == DimseCommandField.NActionRequest) m.ActionTypeId = request.ActionTypeId;
        return m;
    }

    /// <summary>Creates a C-CANCEL-RQ for the request with <paramref name="messageIdBeingRespondedTo"/>.</summary>
    /// <param name="messageIdBeingRespondedTo">The C-FIND/C-MOVE/C-GET request's message ID.</param>
    public static DimseMessage CreateCancel(ushort messageIdBeingRespondedTo)
    {
        var m = new DimseMessage(new DicomDataset());
        m.CommandField = DimseCommandField.CCancelRequest;
        m.MessageIdBeingRespondedTo = messageIdBeingRespondedTo;
        m.HasDataset = false;
        return m;
    }

    // ---- codec ----------------------------------------------------------------------------------------------------

    /// <summary>Encodes the command set in Implicit VR Little Endian with a correct Command Group Length (PS3.7 6.3.1).</summary>
    public byte[] EncodeCommand()
    {
        Command.Remove(DicomTag.CommandGroupLength);
        HasDataset = Dataset != null || HasDataset && Command.Contains(DicomTag.CommandDataSetType) && Command.GetValue<ushort>(DicomTag.CommandDataSetType) != NoDataset;
        var writer = new DicomDatasetWriter(Stream.Null, DicomTransferSyntax.ImplicitVRLittleEndian);
        uint length = (uint)writer.ComputeLength(Command);
        Command.AddOrUpdate(DicomTag.CommandGroupLength, length);
        using var ms = new MemoryStream((int)length + 12);
        new DicomDatasetWriter(ms, DicomTransferSyntax.ImplicitVRLittleEndian).Write(Command);
        return ms.ToArray();
    }

    /// <summary>Decodes a command set (Implicit VR Little Endian).</summary>
    /// <param name="bytes">The command bytes.</param>
    /// <exception cref="DicomNetworkException">Not a valid command set.</exception>
    public static DimseMessage DecodeCommand(ReadOnlyMemory<byte> bytes)
    {
        DicomDataset command;
        try
        {
            command = DicomDatasetReader.Read(bytes, DicomTransferSyntax.ImplicitVRLittleEndian);
        }
        catch (DicomException e)
        {
            throw new DicomNetworkException(DicomNetworkErrorReason.DimseProtocolError, "invalid command set: " + e.Message, e);
        }
        if (command.Any(i => i.Tag.Group != 0x0000))
            throw new DicomNetworkException(DicomNetworkErrorReason.DimseProtocolError, "command set contains elements outside group 0000");
        if (!command.Contains(DicomTag.CommandField))
            throw new DicomNetworkException(DicomNetworkErrorReason.DimseProtocolError, "command set without Command Field");
        var m = new DimseMessage(command);
        if (!Enum.IsDefined(m.CommandField))
            throw new DicomNetworkException(DicomNetworkErrorReason.DimseProtocolError, $"unknown command field 0x{(ushort)m.CommandField:X4}");
        return m;
    }

    /// <inheritdoc />
    public override string ToString() => IsRequest
        ? $"{CommandField} id={MessageId} {SopClassUid}{(SopInstanceUid != null ? " " + SopInstanceUid : "")}"
        : $"{CommandField} to={MessageIdBeingRespondedTo} {Status}";
}
