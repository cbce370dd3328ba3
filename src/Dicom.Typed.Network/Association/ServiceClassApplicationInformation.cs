namespace Dicom.Typed.Network;

/// <summary>Level of Support of a Storage SCP (PS3.4 B.3.1, Table B.3-1, byte 1 of the Storage SOP Class Extended Negotiation; levels defined in B.4.1).</summary>
public enum DicomStorageLevelOfSupport : byte
{
    /// <summary>Level 0 (Local): the SCP keeps only the Type 1 and Type 2 attributes it needs.</summary>
    Level0 = 0,
    /// <summary>Level 1 (Base): all Type 1 and Type 2 attributes are kept.</summary>
    Level1 = 1,
    /// <summary>Level 2 (Full): all attributes, including Type 3 and private ones, are kept.</summary>
    Level2 = 2,
    /// <summary>The level of support is not specified.</summary>
    Unspecified = 3,
}

/// <summary>Level of Digital Signature support of a Storage SCP (PS3.4 B.3.1, Table B.3-1, byte 3).</summary>
public enum DicomDigitalSignatureSupport : byte
{
    /// <summary>The signature level is unspecified (the SCP is only Level 2 or does not say).</summary>
    Unspecified = 0,
    /// <summary>Signature Level 1: the SCP may not preserve digital signatures and does not replace them.</summary>
    Level1 = 1,
    /// <summary>Signature Level 2: the SCP preserves digital signatures for the instances it stores at Level 2.</summary>
    Level2 = 2,
    /// <summary>Signature Level 3: the SCP preserves digital signatures and may replace them with its own.</summary>
    Level3 = 3,
}

/// <summary>Element Coercion of a Storage SCP (PS3.4 B.3.1, Table B.3-1, byte 5).</summary>
public enum DicomElementCoercion : byte
{
    /// <summary>The SCP does not coerce any element.</summary>
    DoesNotCoerce = 0,
    /// <summary>The SCP may coerce elements.</summary>
    MayCoerce = 1,
    /// <summary>Coercion is not specified.</summary>
    Unspecified = 2,
}

/// <summary>Service-Class-Application-Information of the Storage SOP Class Extended Negotiation (PS3.4 B.3.1, six bytes:
/// Level of Support, reserved, Level of Digital Signature support, reserved, Element Coercion, reserved). A Storage SCU may
/// propose it; the SCP answers what it does.</summary>
/// <param name="LevelOfSupport">Byte 1.</param>
/// <param name="DigitalSignatureSupport">Byte 3.</param>
/// <param name="ElementCoercion">Byte 5.</param>
public sealed record DicomStorageApplicationInformation(
    DicomStorageLevelOfSupport LevelOfSupport,
    DicomDigitalSignatureSupport DigitalSignatureSupport = DicomDigitalSignatureSupport.Unspecified,
    DicomElementCoercion ElementCoercion = DicomElementCoercion.Unspecified)
{
    /// <summary>The six bytes of the sub-item.</summary>
    public byte[] ToBytes() => [(byte)LevelOfSupport, 0, (byte)DigitalSignatureSupport, 0, (byte)ElementCoercion, 0];

    /// <summary>The extended negotiation sub-item for <paramref name="sopClassUid"/> (a Storage SOP class).</summary>
    /// <param name="sopClassUid">The Storage SOP Class UID.</param>
    public ExtendedNegotiation For(string sopClassUid) => new(sopClassUid, ToBytes());

    /// <summary>Reads the field. Missing trailing bytes (senders of older editions sent fewer) read as unspecified; a value
    /// outside its range, or an empty field, is an error.</summary>
    /// <param name="bytes">The Service-Class-Application-Information field.</param>
    /// <exception cref="DicomNetworkException">Malformed field (reason <see cref="DicomNetworkErrorReason.MalformedPdu"/>).</exception>
    public static DicomStorageApplicationInformation Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 0) throw Malformed("Storage", "is empty");
        var level = bytes[0];
        var signature = bytes.Length > 2 ? bytes[2] : (byte)DicomDigitalSignatureSupport.Unspecified;
        var coercion = bytes.Length > 4 ? bytes[4] : (byte)DicomElementCoercion.Unspecified;
        if (level > 3) throw Malformed("Storage", $"byte 1 (Level of Support) is {level}, expected 0-3");
        if (signature > 3) throw Malformed("Storage", $"byte 3 (Level of Digital Signature support) is {signature}, expected 0-3");
        if (coercion > 2) throw Malformed("Storage", $"byte 5 (Element Coercion) is {coercion}, expected 0-2");
        return new((DicomStorageLevelOfSupport)level, (DicomDigitalSignatureSupport)signature, (DicomElementCoercion)coercion);
    }

    internal static DicomNetworkException Malformed(string service, string what) =>
        new(DicomNetworkErrorReason.MalformedPdu, $"{service} SOP Class Extended Negotiation: the Service-Class-Application-Information {what}");
}

/// <summary>Features of the Query/Retrieve C-FIND SOP Class Extended Negotiation (PS3.4 C.5.1.1; one byte each, 1 = requested
/// by the SCU / supported by the SCP).</summary>
[Flags]
public enum DicomQueryExtendedFeatures
{
    /// <summary>None of the features.</summary>
    None = 0,
    /// <summary>Byte 1: relational-queries.</summary>
    RelationalQueries = 1,
    /// <summary>Byte 2: combined Date and Time range matching.</summary>
    CombinedDateTimeMatching = 2,
    /// <summary>Byte 3: fuzzy semantic matching of person names.</summary>
    FuzzySemanticMatchingOfPersonNames = 4,
    /// <summary>Byte 4: timezone query adjustment.</summary>
    TimezoneQueryAdjustment = 8,
    /// <summary>Byte 5: Enhanced Multi-Frame Image Conversion.</summary>
    EnhancedMultiFrameImageConversion = 16,
}

/// <summary>Features of the Query/Retrieve C-MOVE and C-GET SOP Class Extended Negotiation (PS3.4 C.5.2.1, C.5.3.1).</summary>
[Flags]
public enum DicomRetrieveExtendedFeatures
{
    /// <summary>None of the features.</summary>
    None = 0,
    /// <summary>Byte 1: relational-retrieval.</summary>
    RelationalRetrieval = 1,
    /// <summary>Byte 2: Enhanced Multi-Frame Image Conversion.</summary>
    EnhancedMultiFrameImageConversion = 2,
}

/// <summary>Encodes and reads the Query/Retrieve Service-Class-Application-Information fields: one byte per feature, 0 or 1,
/// in the order of the flags. A shorter field (older editions defined fewer bytes) leaves the missing features off.</summary>
public static class DicomQueryRetrieveApplicationInformation
{
    /// <summary>The C-FIND field: as many bytes as the highest feature needs (at least one).</summary>
    /// <param name="features">The features.</param>
    public static byte[] ToBytes(DicomQueryExtendedFeatures features) => Encode((int)features);

    /// <summary>The C-MOVE / C-GET field: as many bytes as the highest feature needs (at least one).</summary>
    /// <param name="features">The features.</param>
    public static byte[] ToBytes(DicomRetrieveExtendedFeatures features) => Encode((int)features);

    /// <summary>Reads a C-FIND field.</summary>
    /// <param name="bytes">The Service-Class-Application-Information field.</param>
    /// <exception cref="DicomNetworkException">Empty field or a byte other than 0 and 1 (reason <see cref="DicomNetworkErrorReason.MalformedPdu"/>).</exception>
    public static DicomQueryExtendedFeatures ParseQuery(ReadOnlySpan<byte> bytes) => (DicomQueryExtendedFeatures)Decode(bytes, 5, "C-FIND");

    /// <summary>Reads a C-MOVE / C-GET field.</summary>
    /// <param name="bytes">The Service-Class-Application-Information field.</param>
    /// <exception cref="DicomNetworkException">Empty field or a byte other than 0 and 1 (reason <see cref="DicomNetworkErrorReason.MalformedPdu"/>).</exception>
    public static DicomRetrieveExtendedFeatures ParseRetrieve(ReadOnlySpan<byte> bytes) => (DicomRetrieveExtendedFeatures)Decode(bytes, 2, "C-MOVE/C-GET");

    private static byte[] Encode(int flags)
    {
        int n = 1;
        for (int bit = 0; bit < 31; bit++)
            if ((flags & (1 << bit)) != 0) n = bit + 1;
        var bytes = new byte[n];
        for (int i = 0; i < n; i++) bytes[i] = (byte)((flags >> i) & 1);
        return bytes;
    }

    private static int Decode(ReadOnlySpan<byte> bytes, int defined, string service)
    {
        if (bytes.Length == 0) throw DicomStorageApplicationInformation.Malformed(service, "is empty");
        int flags = 0;
        // Bytes beyond those defined here are reserved: ignored.
        for (int i = 0; i < Math.Min(bytes.Length, defined); i++)
        {
            if (bytes[i] > 1) throw DicomStorageApplicationInformation.Malformed(service, $"byte {i + 1} is {bytes[i]}, expected 0 or 1");
            flags |= bytes[i] << i;
        }
        return flags;
    }
}
