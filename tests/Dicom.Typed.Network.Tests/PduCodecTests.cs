using Dicom.Typed.Network;

namespace Dicom.Typed.Network.Tests;

public class PduCodecTests
{
    private static AssociationParameters FullRequest()
    {
        var p = new AssociationParameters { CallingAE = "CALLING", CalledAE = "CALLED", MaxPduLength = 32768, MaxOperationsInvoked = 3, MaxOperationsPerformed = 2 };
        p.PresentationContexts.Add(new PresentationContext(1, DicomUid.Verification.Value, "1.2.840.10008.1.2.1", "1.2.840.10008.1.2"));
        p.PresentationContexts.Add(new PresentationContext(3, DicomUid.CTImageStorage.Value, "1.2.840.10008.1.2.4.50"));
        p.RoleSelections.Add(new RoleSelection(DicomUid.CTImageStorage.Value, false, true));
        p.ExtendedNegotiations.Add(new ExtendedNegotiation(DicomUid.StudyRootQueryRetrieveInformationModelFind.Value, [1, 0, 1]));
        p.CommonExtendedNegotiations.Add(new CommonExtendedNegotiation("1.2.3", "1.2.840.10008.4.2", ["1.2.4", "1.2.5"]));
        p.UserIdentity = UserIdentity.FromUsername("alice", "secret", true);
        return p;
    }

    [Fact]
    public void AssociateRequest_RoundTrips_AllUserInformationItems()
    {
        var bytes = PduCodec.Encode(new AssociateRequestPdu(FullRequest()));
        Assert.Equal(1, bytes[0]);
        Assert.Equal((uint)(bytes.Length - 6), System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(2)));
        var back = Assert.IsType<AssociateRequestPdu>(PduCodec.Decode(PduType.AssociateRequest, bytes[6..])).Parameters;
        Assert.Equal("CALLING", back.CallingAE);
        Assert.Equal("CALLED", back.CalledAE);
        Assert.Equal(32768u, back.MaxPduLength);
        Assert.Equal((ushort)3, back.MaxOperationsInvoked);
        Assert.Equal((ushort)2, back.MaxOperationsPerformed);
        Assert.Equal(2, back.PresentationContexts.Count);
        Assert.Equal(["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"], back.PresentationContexts[0].TransferSyntaxes);
        Assert.Equal(new RoleSelection(DicomUid.CTImageStorage.Value, false, true), back.RoleSelections.Single());
        Assert.Equal([1, 0, 1], back.ExtendedNegotiations.Single().ServiceClassApplicationInformation);
        Assert.Equal(["1.2.4", "1.2.5"], back.CommonExtendedNegotiations.Single().RelatedGeneralSopClasses);
        Assert.Equal(UserIdentityType.UsernameAndPasscode, back.UserIdentity!.Type);
        Assert.Equal("alice"u8.ToArray(), back.UserIdentity.PrimaryField);
        Assert.Equal("secret"u8.ToArray(), back.UserIdentity.SecondaryField);
        Assert.True(back.UserIdentity.PositiveResponseRequested);
        Assert.Equal(DicomFile.ImplementationClassUid, back.ImplementationClassUid);
    }

    [Fact]
    public void AssociateAccept_RoundTrips()
    {
        var p = new AssociationParameters { CallingAE = "A", CalledAE = "B", UserIdentityServerResponse = [9, 9] };
        p.PresentationContexts.Add(new PresentationContext(1, "", "1.2.840.10008.1.2") { Result = PresentationContextResult.Acceptance, AcceptedTransferSyntax = "1.2.840.10008.1.2" });
        p.PresentationContexts.Add(new PresentationContext(3, "", "1.2.840.10008.1.2") { Result = PresentationContextResult.AbstractSyntaxNotSupported });
        var bytes = PduCodec.Encode(new AssociateAcceptPdu(p));
        var back = Assert.IsType<AssociateAcceptPdu>(PduCodec.Decode(PduType.AssociateAccept, bytes[6..])).Parameters;
        Assert.True(back.PresentationContexts[0].IsAccepted);
        Assert.Equal("1.2.840.10008.1.2", back.PresentationContexts[0].AcceptedTransferSyntax);
        Assert.Equal(PresentationContextResult.AbstractSyntaxNotSupported, back.PresentationContexts[1].Result);
        Assert.Equal([9, 9], back.UserIdentityServerResponse);
    }

    [Fact]
    public void SmallPdus_RoundTrip()
    {
        var rj = new AssociateRejectPdu(RejectResult.Transient, RejectSource.ServiceProviderPresentation, 2);
        Assert.Equal(rj, PduCodec.Decode(PduType.AssociateReject, PduCodec.Encode(rj)[6..]));
        var ab = new AbortPdu(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu);
        Assert.Equal(ab, PduCodec.Decode(PduType.Abort, PduCodec.Encode(ab)[6..]));
        Assert.IsType<ReleaseRequestPdu>(PduCodec.Decode(PduType.ReleaseRequest, PduCodec.Encode(new ReleaseRequestPdu())[6..]));
        Assert.IsType<ReleaseResponsePdu>(PduCodec.Decode(PduType.ReleaseResponse, PduCodec.Encode(new ReleaseResponsePdu())[6..]));
        Assert.Equal("local limit exceeded", rj.DescribeReason());
    }

    [Fact]
    public void DataTransfer_RoundTripsSeveralPdvs()
    {
        var pdu = new DataTransferPdu([new PresentationDataValue(1, true, true, new byte[] { 1, 2, 3 }), new PresentationDataValue(3, false, false, new byte[] { 4 })]);
        var back = Assert.IsType<DataTransferPdu>(PduCodec.Decode(PduType.DataTransfer, PduCodec.Encode(pdu)[6..]));
        Assert.Equal(2, back.Values.Count);
        Assert.True(back.Values[0].IsCommand && back.Values[0].IsLast);
        Assert.Equal([1, 2, 3], back.Values[0].Data.ToArray());
        Assert.False(back.Values[1].IsCommand || back.Values[1].IsLast);
        Assert.Equal((byte)3, back.Values[1].PresentationContextId);
    }

    public static TheoryData<string, byte, byte[]> Malformed => new()
    {
        { "PDV longer than the PDU", 4, [0, 0, 0, 9, 1, 3, 0] },
        { "PDV length below 2", 4, [0, 0, 0, 1, 1] },
        { "even context id", 4, [0, 0, 0, 3, 2, 3, 0] },
        { "empty P-DATA", 4, [] },
        { "short release", 5, [0, 0] },
        { "long abort", 7, [0, 0, 0, 0, 0] },
        { "truncated associate", 1, [0, 1, 0, 0] },
        { "reject with bad source", 3, [0, 1, 9, 1] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_Pdus_Throw(string what, byte type, byte[] body)
    {
        var e = Assert.ThrowsAny<DicomNetworkException>(() => PduCodec.Decode((PduType)type, body));
        Assert.Equal(DicomNetworkErrorReason.MalformedPdu, e.Reason);
        Assert.NotEmpty(what);
    }

    [Fact]
    public void AssociateRequest_WithBadItemLength_Throws()
    {
        var bytes = PduCodec.Encode(new AssociateRequestPdu(FullRequest()));
        bytes[6 + 68 + 3] = 0xFF; // application context item length
        var e = Assert.ThrowsAny<DicomNetworkException>(() => PduCodec.Decode(PduType.AssociateRequest, bytes[6..]));
        Assert.Equal(DicomNetworkErrorReason.MalformedPdu, e.Reason);
    }

    [Fact]
    public async Task ReadAsync_RejectsUnknownTypeTooLongAndTruncated()
    {
        var e1 = await Assert.ThrowsAsync<DicomNetworkException>(() => PduCodec.ReadAsync(new MemoryStream([0x09, 0, 0, 0, 0, 4, 0, 0, 0, 0]), 16384, default));
        Assert.Equal(DicomNetworkErrorReason.UnrecognizedPdu, e1.Reason);
        var e2 = await Assert.ThrowsAsync<DicomNetworkException>(() => PduCodec.ReadAsync(new MemoryStream([0x04, 0, 0x10, 0, 0, 0]), 16384, default));
        Assert.Equal(DicomNetworkErrorReason.PduTooLarge, e2.Reason);
        var e3 = await Assert.ThrowsAsync<DicomNetworkException>(() => PduCodec.ReadAsync(new MemoryStream([0x05, 0, 0, 0, 0, 4, 0]), 16384, default));
        Assert.Equal(DicomNetworkErrorReason.ConnectionClosed, e3.Reason);
        Assert.Null(await PduCodec.ReadAsync(new MemoryStream([]), 16384, default));
    }
}
