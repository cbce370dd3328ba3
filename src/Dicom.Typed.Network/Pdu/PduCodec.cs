using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Dicom.Typed.Network;

/// <summary>Encodes and decodes PDUs (PS3.8 section 9.3, PS3.7 annex D.3.3).</summary>
public static class PduCodec
{
    /// <summary>PDU header length: type, reserved, 32-bit length.</summary>
    public const int HeaderLength = 6;

    /// <summary>Largest non-P-DATA PDU accepted (associate, release, abort): 1 MiB.</summary>
    public const int MaxControlPduLength = 1 << 20;

    // ---- encoding -------------------------------------------------------------------------------------------------

    /// <summary>Encodes a PDU with its header.</summary>
    /// <param name="pdu">The PDU.</param>
    public static byte[] Encode(Pdu pdu)
    {
        var w = new Writer();
        w.Byte((byte)pdu.Type);
        w.Byte(0);
        int lenPos = w.Reserve32();
        switch (pdu)
        {
            case AssociateRequestPdu rq: EncodeAssociate(w, rq.Parameters, request: true); break;
            case AssociateAcceptPdu ac: EncodeAssociate(w, ac.Parameters, request: false); break;
            case AssociateRejectPdu rj: w.Byte(0); w.Byte((byte)rj.Result); w.Byte((byte)rj.Source); w.Byte(rj.Reason); break;
            case DataTransferPdu data:
                foreach (var pdv in data.Values)
                {
                    w.U32((uint)(pdv.Data.Length + 2));
                    w.Byte(pdv.PresentationContextId);
                    w.Byte((byte)((pdv.IsCommand ? 1 : 0) | (pdv.IsLast ? 2 : 0)));
                    w.Bytes(pdv.Data.Span);
                }
                break;
            case ReleaseRequestPdu or ReleaseResponsePdu: w.U32(0); break;
            case AbortPdu ab: w.Byte(0); w.Byte(0); w.Byte((byte)ab.Source); w.Byte((byte)ab.Reason); break;
            default: throw new ArgumentException($"Unknown PDU {pdu.GetType().Name}", nameof(pdu));
        }
        w.Patch32(lenPos, (uint)(w.Length - HeaderLength));
        return w.ToArray();
    }

    /// <summary>Writes the 6-byte P-DATA-TF header plus the 6-byte header of its single PDV into <paramref name="header"/>.</summary>
    /// <param name="header">12 bytes.</param>
    /// <param name="contextId">Presentation context.</param>
    /// <param name="isCommand">Command fragment.</param>
    /// <param name="isLast">Last fragment.</param>
    /// <param name="dataLength">Fragment length.</param>
    public static void WriteSinglePdvHeader(Span<byte> header, byte contextId, bool isCommand, bool isLast, int dataLength)
    {
        header[0] = (byte)PduType.DataTransfer;
        header[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(header[2..], (uint)(dataLength + 6));
        BinaryPrimitives.WriteUInt32BigEndian(header[6..], (uint)(dataLength + 2));
        header[10] = contextId;
        header[11] = (byte)((isCommand ? 1 : 0) | (isLast ? 2 : 0));
    }

    private static void EncodeAssociate(Writer w, AssociationParameters p, bool request)
    {
        w.U16(p.ProtocolVersion);
        w.U16(0);
        w.Ae(p.CalledAE);
        w.Ae(p.CallingAE);
        w.Zero(32);
        w.Item(0x10, Encoding.ASCII.GetBytes(p.ApplicationContext));
        foreach (var pc in p.PresentationContexts)
        {
            w.Byte(request ? (byte)0x20 : (byte)0x21);
            w.Byte(0);
            int pos = w.Reserve16();
            w.Byte(pc.Id);
            w.Byte(0);
            w.Byte(request ? (byte)0 : (byte)pc.Result);
            w.Byte(0);
            if (request)
            {
                w.Item(0x30, Encoding.ASCII.GetBytes(pc.AbstractSyntax));
                foreach (var ts in pc.TransferSyntaxes) w.Item(0x40, Encoding.ASCII.GetBytes(ts));
            }
            else
            {
                // PS3.8 9.3.3.2: the transfer syntax sub-item is present (its value is not significant when rejected).
                w.Item(0x40, Encoding.ASCII.GetBytes(pc.AcceptedTransferSyntax ?? (pc.TransferSyntaxes.Count > 0 ? pc.TransferSyntaxes[0] : "")));
            }
            w.Patch16(pos, (ushort)(w.Length - pos - 2));
        }
        // User information
        w.Byte(0x50);
        w.Byte(0);
        int ui = w.Reserve16();
        w.Byte(0x51); w.Byte(0); w.U16(4); w.U32(p.MaxPduLength);
        w.Item(0x52, Encoding.ASCII.GetBytes(p.ImplementationClassUid));
        if (p.MaxOperationsInvoked.HasValue || p.MaxOperationsPerformed.HasValue)
        {
            w.Byte(0x53); w.Byte(0); w.U16(4);
            w.U16(p.MaxOperationsInvoked ?? 1);
            w.U16(p.MaxOperationsPerformed ?? 1);
        }
        foreach (var r in p.RoleSelections)
        {
            var uid = Encoding.ASCII.GetBytes(r.SopClassUid);
            w.Byte(0x54); w.Byte(0); w.U16((ushort)(uid.Length + 4));
            w.U16((ushort)uid.Length); w.Bytes(uid);
            w.Byte(r.ScuRole ? (byte)1 : (byte)0); w.Byte(r.ScpRole ? (byte)1 : (byte)0);
        }
        if (!string.IsNullOrEmpty(p.ImplementationVersionName))
            w.Item(0x55, Encoding.ASCII.GetBytes(p.ImplementationVersionName.Length > 16 ? p.ImplementationVersionName[..16] : p.ImplementationVersionName));
        foreach (var e in p.ExtendedNegotiations)
        {
            var uid = Encoding.ASCII.GetBytes(e.SopClassUid);
            w.Byte(0x56); w.Byte(0); w.U16((ushort)(uid.Length + 2 + e.ServiceClassApplicationInformation.Length));
            w.U16((ushort)uid.Length); w.Bytes(uid); w.Bytes(e.ServiceClassApplicationInformation);
        }
        if (request)
        {
            foreach (var c in p.CommonExtendedNegotiations)
            {
                var uid = Encoding.ASCII.GetBytes(c.SopClassUid);
                var svc = Encoding.ASCII.GetBytes(c.ServiceClassUid);
                var related = c.RelatedGeneralSopClasses.Select(Encoding.ASCII.GetBytes).ToList();
                int relLen = related.Sum(r => r.Length + 2);
                w.Byte(0x57); w.Byte(0); w.U16((ushort)(2 + uid.Length + 2 + svc.Length + 2 + relLen));
                w.U16((ushort)uid.Length); w.Bytes(uid);
                w.U16((ushort)svc.Length); w.Bytes(svc);
                w.U16((ushort)relLen);
                foreach (var r in related) { w.U16((ushort)r.Length); w.Bytes(r); }
            }
            if (p.UserIdentity is { } id)
            {
                w.Byte(0x58); w.Byte(0); w.U16((ushort)(6 + id.PrimaryField.Length + id.SecondaryField.Length));
                w.Byte((byte)id.Type); w.Byte(id.PositiveResponseRequested ? (byte)1 : (byte)0);
                w.U16((ushort)id.PrimaryField.Length); w.Bytes(id.PrimaryField);
                w.U16((ushort)id.SecondaryField.Length); w.Bytes(id.SecondaryField);
            }
        }
        else if (p.UserIdentityServerResponse is { } resp)
        {
            w.Byte(0x59); w.Byte(0); w.U16((ushort)(2 + resp.Length));
            w.U16((ushort)resp.Length); w.Bytes(resp);
        }
        w.Patch16(ui, (ushort)(w.Length - ui - 2));
    }

    // ---- decoding -------------------------------------------------------------------------------------------------

    /// <summary>Reads one whole PDU from a stream.</summary>
    /// <param name="stream">The transport stream.</param>
    /// <param name="maxDataPduLength">Largest P-DATA-TF length accepted (our maximum receive length; 0 = no limit).</param>
    /// <param name="cancellationToken">Cancellation (use it for timeouts).</param>
    /// <returns>The PDU, or null when the stream ended cleanly before a new PDU.</returns>
    /// <exception cref="DicomNetworkException">Malformed, unrecognized or too long PDU; connection closed mid-PDU.</exception>
    public static Task<Pdu?> ReadAsync(Stream stream, uint maxDataPduLength, CancellationToken cancellationToken) =>
        ReadAsync(stream, maxDataPduLength, null, null, cancellationToken).AsTask();

    /// <summary>Reads one whole PDU; a P-DATA-TF body is read into <paramref name="dataBuffer"/> when it fits (its PDVs then
    /// point into that buffer and are valid only until the next read with it), so a data set streams without an allocation per PDU.</summary>
    /// <param name="stream">The transport stream.</param>
    /// <param name="maxDataPduLength">Largest P-DATA-TF length accepted (0 = no limit).</param>
    /// <param name="dataBuffer">Reusable buffer for P-DATA-TF bodies, or null.</param>
    /// <param name="headerBuffer">Reusable buffer of at least <see cref="HeaderLength"/> bytes for the header, or null.</param>
    /// <param name="cancellationToken">Cancellation.</param>
    /// <remarks>Pooled state machines (PoolingAsyncValueTaskMethodBuilder): a read that waits for the network allocates
    /// nothing; await the result once.</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    internal static async ValueTask<Pdu?> ReadAsync(Stream stream, uint maxDataPduLength, byte[]? dataBuffer, byte[]? headerBuffer, CancellationToken cancellationToken)
    {
        var header = headerBuffer ?? new byte[HeaderLength];
        int got = await ReadFullyAsync(stream, header.AsMemory(0, HeaderLength), cancellationToken).ConfigureAwait(false);
        if (got == 0) return null;
        if (got < HeaderLength) throw new DicomNetworkException(DicomNetworkErrorReason.ConnectionClosed, $"connection closed inside a PDU header ({got} of 6 bytes)");
        byte type = header[0];
        uint length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(2));
        CheckHeader(type, length, maxDataPduLength);
        bool reuse = type == (byte)PduType.DataTransfer && dataBuffer != null && length <= dataBuffer.Length;
        var body = reuse ? dataBuffer! : new byte[length];
        got = await ReadFullyAsync(stream, body.AsMemory(0, (int)length), cancellationToken).ConfigureAwait(false);
        if (got < length) throw new DicomNetworkException(DicomNetworkErrorReason.ConnectionClosed, $"connection closed inside a {(PduType)type} PDU ({got} of {length} bytes)");
        return reuse ? DecodeDataTransfer(body, 0, (int)length) : Decode((PduType)type, body);
    }

    /// <summary>Rejects an unknown PDU type and a length above the limit (P-DATA-TF: our maximum plus slack; others: 1 MiB).</summary>
    internal static void CheckHeader(byte type, uint length, uint maxDataPduLength)
    {
        if (type is < 1 or > 7)
            throw new DicomNetworkException(DicomNetworkErrorReason.UnrecognizedPdu, $"unrecognized PDU type 0x{type:X2} (length {length})");
        long limit = type == (byte)PduType.DataTransfer
            ? (maxDataPduLength == 0 ? int.MaxValue : Math.Max(maxDataPduLength, 4096u) + 4096L)
            : MaxControlPduLength;
        if (length > limit)
            throw new DicomNetworkException(DicomNetworkErrorReason.PduTooLarge, $"{(PduType)type} PDU of {length} bytes exceeds the limit of {limit}");
    }

    internal static DataTransferPdu DecodeDataTransfer(byte[] body, int offset, int length)
    {
        var r = new Reader(body, PduType.DataTransfer, offset, offset + length);
        var values = new List<PresentationDataValue>(1);
        if (length == 0) throw r.Bad("empty P-DATA-TF");
        while (r.Remaining > 0)
        {
            r.Need(4);
            uint len = r.U32();
            if (len < 2 || len > r.Remaining) throw r.Bad($"PDV item length {len} does not fit in the {r.Remaining} remaining bytes");
            byte id = r.Byte();
            byte hdr = r.Byte();
            if ((id & 1) == 0) throw r.Bad($"even presentation context ID {id}");
            if ((hdr & 0xFC) != 0) throw r.Bad($"invalid message control header 0x{hdr:X2}");
            values.Add(new PresentationDataValue(id, (hdr & 1) != 0, (hdr & 2) != 0, body.AsMemory(r.Position, (int)len - 2)));
            r.Skip((int)len - 2);
        }
        return new DataTransferPdu(values);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<int> ReadFullyAsync(Stream stream, Memory<byte> buffer, CancellationToken ct)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer[total..], ct).ConfigureAwait(false);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>Decodes a PDU body (without its 6-byte header).</summary>
    /// <param name="type">The PDU type from the header.</param>
    /// <param name="body">The body.</param>
    /// <exception cref="DicomNetworkException">Malformed PDU.</exception>
    public static Pdu Decode(PduType type, byte[] body)
    {
        var r = new Reader(body, type);
        switch (type)
        {
            case PduType.AssociateRequest: return new AssociateRequestPdu(DecodeAssociate(r, true));
            case PduType.AssociateAccept: return new AssociateAcceptPdu(DecodeAssociate(r, false));
            case PduType.AssociateReject:
            {
                r.Need(4);
                r.Skip(1);
                byte result = r.Byte(), source = r.Byte(), reason = r.Byte();
                if (result is < 1 or > 2 || source is < 1 or > 3) throw r.Bad($"invalid result/source {result}/{source}");
                return new AssociateRejectPdu((RejectResult)result, (RejectSource)source, reason);
            }
            case PduType.DataTransfer: return DecodeDataTransfer(body, 0, body.Length);
            case PduType.ReleaseRequest:
                if (body.Length != 4) throw r.Bad($"A-RELEASE-RQ length {body.Length} instead of 4");
                return new ReleaseRequestPdu();
            case PduType.ReleaseResponse:
                if (body.Length != 4) throw r.Bad($"A-RELEASE-RP length {body.Length} instead of 4");
                return new ReleaseResponsePdu();
            case PduType.Abort:
            {
                if (body.Length != 4) throw r.Bad($"A-ABORT length {body.Length} instead of 4");
                r.Skip(2);
                byte source = r.Byte(), reason = r.Byte();
                return new AbortPdu(source <= 2 ? (AbortSource)source : AbortSource.Reserved, reason <= 6 ? (AbortReason)reason : AbortReason.NotSpecified);
            }
            default:
                throw new DicomNetworkException(DicomNetworkErrorReason.UnrecognizedPdu, $"unrecognized PDU type 0x{(byte)type:X2}");
        }
    }

    private static AssociationParameters DecodeAssociate(Reader r, bool request)
    {
        var p = new AssociationParameters { MaxPduLength = 0, ImplementationClassUid = "", ImplementationVersionName = null };
        r.Need(68);
        p.ProtocolVersion = r.U16();
        r.Skip(2);
        p.CalledAE = r.Ae();
        p.CallingAE = r.Ae();
        r.Skip(32);
        bool sawContext = false, sawUserInfo = false;
        while (r.Remaining > 0)
        {
            r.Need(4);
            byte itemType = r.Byte();
            r.Skip(1);
            int len = r.U16();
            r.Need(len);
            var item = r.Sub(len);
            switch (itemType)
            {
                case 0x10:
                    p.ApplicationContext = item.String(len);
                    sawContext = true;
                    break;
                case 0x20 when request:
                case 0x21 when !request:
                {
                    item.Need(4);
                    byte id = item.Byte();
                    item.Skip(1);
                    byte result = item.Byte();
                    item.Skip(1);
                    string abs = "";
                    var tss = new List<string>();
                    while (item.Remaining > 0)
                    {
                        item.Need(4);
                        byte st = item.Byte();
                        item.Skip(1);
                        int sl = item.U16();
                        item.Need(sl);
                        string value = item.String(sl);
                        if (st == 0x30) abs = value;
                        else if (st == 0x40) tss.Add(value);
                        else throw r.Bad($"unexpected sub-item 0x{st:X2} in presentation context {id}");
                    }
                    if (request && (abs.Length == 0 || tss.Count == 0)) throw r.Bad($"presentation context {id} without abstract or transfer syntax");
                    var pc = new PresentationContext(id, abs, tss);
                    if (!request)
                    {
                        if (result > 4) throw r.Bad($"invalid presentation context result {result}");
                        pc.Result = (PresentationContextResult)result;
                        if (pc.Result == PresentationContextResult.Acceptance)
                        {
                            if (tss.Count != 1) throw r.Bad($"accepted presentation context {id} must carry one transfer syntax");
                            pc.AcceptedTransferSyntax = tss[0];
                        }
                    }
                    p.PresentationContexts.Add(pc);
                    break;
                }
                case 0x50:
                    DecodeUserInfo(item, p, r);
                    sawUserInfo = true;
                    break;
                default:
                    throw r.Bad($"unexpected item type 0x{itemType:X2}");
            }
        }
        if (!sawContext) throw r.Bad("no application context item");
        if (!sawUserInfo) throw r.Bad("no user information item");
        return p;
    }

    private static void DecodeUserInfo(Reader item, AssociationParameters p, Reader outer)
    {
        while (item.Remaining > 0)
        {
            item.Need(4);
            byte st = item.Byte();
            item.Skip(1);
            int len = item.U16();
            item.Need(len);
            var s = item.Sub(len);
            switch (st)
            {
                case 0x51:
                    s.Need(4);
                    p.MaxPduLength = s.U32();
                    break;
                case 0x52: p.ImplementationClassUid = s.String(len); break;
                case 0x53:
                    s.Need(4);
                    p.MaxOperationsInvoked = s.U16();
                    p.MaxOperationsPerformed = s.U16();
                    break;
                case 0x54:
                {
                    s.Need(2);
                    int ul = s.U16();
                    s.Need(ul + 2);
                    string uid = s.String(ul);
                    p.RoleSelections.Add(new RoleSelection(uid, s.Byte() != 0, s.Byte() != 0));
                    break;
                }
                case 0x55: p.ImplementationVersionName = s.String(len); break;
                case 0x56:
                {
                    s.Need(2);
                    int ul = s.U16();
                    s.Need(ul);
                    string uid = s.String(ul);
                    p.ExtendedNegotiations.Add(new ExtendedNegotiation(uid, s.Rest()));
                    break;
                }
                case 0x57:
                {
                    s.Need(2);
                    int ul = s.U16(); s.Need(ul); string uid = s.String(ul);
                    s.Need(2);
                    int sl = s.U16(); s.Need(sl); string svc = s.String(sl);
                    s.Need(2);
                    int rl = s.U16(); s.Need(rl);
                    var rel = s.Sub(rl);
                    var list = new List<string>();
                    while (rel.Remaining > 0)
                    {
                        rel.Need(2);
                        int l = rel.U16();
                        rel.Need(l);
                        list.Add(rel.String(l));
                    }
                    p.CommonExtendedNegotiations.Add(new CommonExtendedNegotiation(uid, svc, list));
                    break;
                }
                case 0x58:
                {
                    s.Need(4);
                    byte type = s.Byte();
                    bool positive = s.Byte() != 0;
                    int pl = s.U16(); s.Need(pl); var primary = s.Take(pl);
                    s.Need(2);
                    int sl = s.U16(); s.Need(sl); var secondary = s.Take(sl);
                    if (type is < 1 or > 5) throw outer.Bad($"invalid user identity type {type}");
                    p.UserIdentity = new UserIdentity((UserIdentityType)type, positive, primary, secondary);
                    break;
                }
                case 0x59:
                {
                    s.Need(2);
                    int l = s.U16(); s.Need(l);
                    p.UserIdentityServerResponse = s.Take(l);
                    break;
                }
                default:
                    // Unknown user information sub-items are ignored (PS3.7 D.3.3: "shall be ignored").
                    break;
            }
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private sealed class Writer
    {
        private byte[] _buf = new byte[1024];
        public int Length { get; private set; }

        private Span<byte> Grow(int n)
        {
            if (Length + n > _buf.Length) Array.Resize(ref _buf, Math.Max(_buf.Length * 2, Length + n));
            var s = _buf.AsSpan(Length, n);
            Length += n;
            return s;
        }

        public void Byte(byte b) => Grow(1)[0] = b;
        public void U16(ushort v) => BinaryPrimitives.WriteUInt16BigEndian(Grow(2), v);
        public void U32(uint v) => BinaryPrimitives.WriteUInt32BigEndian(Grow(4), v);
        public void Bytes(ReadOnlySpan<byte> b) => b.CopyTo(Grow(b.Length));
        public void Zero(int n) => Grow(n).Clear();
        public int Reserve16() { int p = Length; Grow(2); return p; }
        public int Reserve32() { int p = Length; Grow(4); return p; }
        public void Patch16(int pos, ushort v) => BinaryPrimitives.WriteUInt16BigEndian(_buf.AsSpan(pos), v);
        public void Patch32(int pos, uint v) => BinaryPrimitives.WriteUInt32BigEndian(_buf.AsSpan(pos), v);

        public void Ae(string ae)
        {
            var s = Grow(16);
            s.Fill((byte)' ');
            Encoding.ASCII.GetBytes(ae.Length > 16 ? ae[..16] : ae, s);
        }

        public void Item(byte type, ReadOnlySpan<byte> value)
        {
            Byte(type);
            Byte(0);
            U16((ushort)value.Length);
            Bytes(value);
        }

        public byte[] ToArray() => _buf.AsSpan(0, Length).ToArray();
    }

    private sealed class Reader(byte[] buf, PduType type, int start = 0, int end = -1)
    {
        private readonly int _end = end < 0 ? buf.Length : end;
        public int Position { get; private set; } = start;
        public int Remaining => _end - Position;

        public DicomNetworkException Bad(string what) =>
            new(DicomNetworkErrorReason.MalformedPdu, $"malformed {type} PDU: {what}");

        public void Need(int n)
        {
            if (n > Remaining) throw Bad($"{n} bytes needed at offset {Position}, {Remaining} left");
        }

        public byte Byte() => buf[Position++];
        public ushort U16() { var v = BinaryPrimitives.ReadUInt16BigEndian(buf.AsSpan(Position)); Position += 2; return v; }
        public uint U32() { var v = BinaryPrimitives.ReadUInt32BigEndian(buf.AsSpan(Position)); Position += 4; return v; }
        public void Skip(int n) { Need(n); Position += n; }
        public string String(int n) { var s = Encoding.ASCII.GetString(buf, Position, n).TrimEnd('\0', ' '); Position += n; return s; }
        public string Ae() { var s = Encoding.ASCII.GetString(buf, Position, 16).Trim(' ', '\0'); Position += 16; return s; }
        public byte[] Take(int n) { var b = buf.AsSpan(Position, n).ToArray(); Position += n; return b; }
        public byte[] Rest() => Take(Remaining);

        public Reader Sub(int n)
        {
            var r = new Reader(buf, type, Position, Position + n);
            Position += n;
            return r;
        }
    }
}
