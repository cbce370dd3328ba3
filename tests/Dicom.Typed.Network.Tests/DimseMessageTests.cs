using Dicom.Typed.Network;

namespace Dicom.Typed.Network.Tests;

public class DimseMessageTests
{
    [Theory]
    [InlineData(DimseCommandField.CEchoRequest)]
    [InlineData(DimseCommandField.CStoreRequest)]
    [InlineData(DimseCommandField.CFindRequest)]
    [InlineData(DimseCommandField.CMoveRequest)]
    [InlineData(DimseCommandField.CGetRequest)]
    [InlineData(DimseCommandField.NEventReportRequest)]
    [InlineData(DimseCommandField.NGetRequest)]
    [InlineData(DimseCommandField.NSetRequest)]
    [InlineData(DimseCommandField.NActionRequest)]
    [InlineData(DimseCommandField.NCreateRequest)]
    [InlineData(DimseCommandField.NDeleteRequest)]
    public void Requests_And_Responses_RoundTrip(DimseCommandField field)
    {
        var data = field is DimseCommandField.CEchoRequest or DimseCommandField.NDeleteRequest or DimseCommandField.NGetRequest
            ? null : new DicomDataset().AddOrUpdate(DicomTag.PatientID, "X");
        var rq = DimseMessage.CreateRequest(field, 7, "1.2.3", "4.5.6", data);
        if (field == DimseCommandField.NActionRequest) rq.ActionTypeId = 1;
        if (field == DimseCommandField.NEventReportRequest) rq.EventTypeId = 2;
        if (field == DimseCommandField.NGetRequest) rq.AttributeIdentifierList = [DicomTag.PatientName, DicomTag.PatientID];
        var bytes = rq.EncodeCommand();
        var back = DimseMessage.DecodeCommand(bytes);
        Assert.Equal(field, back.CommandField);
        Assert.Equal((ushort)7, back.MessageId);
        Assert.Equal("1.2.3", back.SopClassUid);
        Assert.Equal("4.5.6", back.SopInstanceUid);
        Assert.Equal(data != null, back.HasDataset);
        Assert.True(back.IsRequest);
        // Command Group Length = bytes after the group length element (12 bytes in implicit VR).
        Assert.Equal((uint)(bytes.Length - 12), back.Command.GetValue<uint>(DicomTag.CommandGroupLength));
        bool requested = field is DimseCommandField.NGetRequest or DimseCommandField.NSetRequest or DimseCommandField.NActionRequest or DimseCommandField.NDeleteRequest;
        Assert.Equal(requested, back.RequestedSopClassUid != null);
        if (field == DimseCommandField.NGetRequest) Assert.Equal([DicomTag.PatientName, DicomTag.PatientID], back.AttributeIdentifierList);

        var rsp = DimseMessage.CreateResponse(back, DicomStatus.Pending);
        var rspBack = DimseMessage.DecodeCommand(rsp.EncodeCommand());
        Assert.Equal((DimseCommandField)((ushort)field | 0x8000), rspBack.CommandField);
        Assert.Equal((ushort)7, rspBack.MessageIdBeingRespondedTo);
        Assert.False(rspBack.IsRequest);
        Assert.Equal(DicomStatusCategory.Pending, rspBack.Status.Category);
        Assert.Equal("1.2.3", rspBack.AffectedSopClassUid);
    }

    [Fact]
    public void Cancel_And_SubOperationCounts()
    {
        var c = DimseMessage.DecodeCommand(DimseMessage.CreateCancel(9).EncodeCommand());
        Assert.Equal(DimseCommandField.CCancelRequest, c.CommandField);
        Assert.Equal((ushort)9, c.MessageIdBeingRespondedTo);
        var rq = DimseMessage.CreateRequest(DimseCommandField.CMoveRequest, 1, "1.2", null, new DicomDataset());
        rq.MoveDestination = "DEST";
        var rsp = DimseMessage.CreateResponse(rq, DicomStatus.Pending);
        rsp.RemainingSuboperations = 3; rsp.CompletedSuboperations = 2; rsp.FailedSuboperations = 1; rsp.WarningSuboperations = 0;
        var back = DimseMessage.DecodeCommand(rsp.EncodeCommand());
        Assert.Equal((ushort)3, back.RemainingSuboperations);
        Assert.Equal((ushort)2, back.CompletedSuboperations);
        Assert.Equal((ushort)1, back.FailedSuboperations);
        Assert.Equal("DEST", DimseMessage.DecodeCommand(rq.EncodeCommand()).MoveDestination);
    }

    [Theory]
    [InlineData(0x0000, DicomStatusCategory.Success)]
    [InlineData(0xFF00, DicomStatusCategory.Pending)]
    [InlineData(0xFF01, DicomStatusCategory.Pending)]
    [InlineData(0xFE00, DicomStatusCategory.Cancel)]
    [InlineData(0xB000, DicomStatusCategory.Warning)]
    [InlineData(0x0107, DicomStatusCategory.Warning)]
    [InlineData(0xA700, DicomStatusCategory.Failure)]
    [InlineData(0xC001, DicomStatusCategory.Failure)]
    [InlineData(0x0110, DicomStatusCategory.Failure)]
    public void Status_Categories(int code, DicomStatusCategory category) => Assert.Equal(category, new DicomStatus((ushort)code).Category);

    [Fact]
    public void Decode_RejectsGarbage()
    {
        Assert.Equal(DicomNetworkErrorReason.DimseProtocolError, Assert.ThrowsAny<DicomNetworkException>(() => DimseMessage.DecodeCommand(new byte[] { 8, 0, 16, 0, 4, 0, 0, 0, 1, 2, 3, 4 })).Reason);
        Assert.Equal(DicomNetworkErrorReason.DimseProtocolError, Assert.ThrowsAny<DicomNetworkException>(() => DimseMessage.DecodeCommand(new byte[] { 0, 0, 0, 1, 2, 0, 0, 0, 0x34, 0x12 })).Reason);
    }
}
