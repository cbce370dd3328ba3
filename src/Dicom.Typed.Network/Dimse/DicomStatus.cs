namespace Dicom.Typed.Network;

/// <summary>Status categories (PS3.7 annex C).</summary>
public enum DicomStatusCategory
{
    /// <summary>Success (0000).</summary>
    Success,
    /// <summary>Pending (FF00, FF01).</summary>
    Pending,
    /// <summary>Cancel (FE00).</summary>
    Cancel,
    /// <summary>Warning (0001, 0107, 0116, Bxxx).</summary>
    Warning,
    /// <summary>Failure (everything else).</summary>
    Failure,
}

/// <summary>A DIMSE status code (0000,0900) with its category (PS3.7 annex C).</summary>
/// <param name="Code">The code.</param>
public readonly record struct DicomStatus(ushort Code)
{
    /// <summary>Success.</summary>
    public static readonly DicomStatus Success = new(0x0000);
    /// <summary>Pending: matches are continuing, current match supplied.</summary>
    public static readonly DicomStatus Pending = new(0xFF00);
    /// <summary>Pending: matches are continuing, warning that optional keys were not supported.</summary>
    public static readonly DicomStatus PendingWarning = new(0xFF01);
    /// <summary>Cancel: sub-operations terminated due to a cancel indication.</summary>
    public static readonly DicomStatus Cancel = new(0xFE00);
    /// <summary>Warning: sub-operations completed, one or more failures or warnings (B000).</summary>
    public static readonly DicomStatus SubOperationsCompleteWithFailures = new(0xB000);
    /// <summary>Warning: coercion of data elements (B000 for storage).</summary>
    public static readonly DicomStatus CoercionOfDataElements = new(0xB000);
    /// <summary>Warning: data set does not match SOP class (B007).</summary>
    public static readonly DicomStatus DatasetDoesNotMatchSopClassWarning = new(0xB007);
    /// <summary>Warning: elements discarded (B006).</summary>
    public static readonly DicomStatus ElementsDiscarded = new(0xB006);
    /// <summary>Refused: out of resources (A700).</summary>
    public static readonly DicomStatus OutOfResources = new(0xA700);
    /// <summary>Refused: out of resources, unable to calculate number of matches (A701).</summary>
    public static readonly DicomStatus OutOfResourcesNumberOfMatches = new(0xA701);
    /// <summary>Refused: out of resources, unable to perform sub-operations (A702).</summary>
    public static readonly DicomStatus OutOfResourcesSubOperations = new(0xA702);
    /// <summary>Refused: move destination unknown (A801).</summary>
    public static readonly DicomStatus MoveDestinationUnknown = new(0xA801);
    /// <summary>Error: data set does not match SOP class (A900).</summary>
    public static readonly DicomStatus IdentifierDoesNotMatchSopClass = new(0xA900);
    /// <summary>Error: data set does not match SOP class (A900, storage).</summary>
    public static readonly DicomStatus DatasetDoesNotMatchSopClassError = new(0xA900);
    /// <summary>Error: cannot understand (C000).</summary>
    public static readonly DicomStatus CannotUnderstand = new(0xC000);
    /// <summary>Failed: unable to process (C001 in Q/R).</summary>
    public static readonly DicomStatus UnableToProcess = new(0xC001);
    /// <summary>Refused: SOP class not supported (0122).</summary>
    public static readonly DicomStatus SopClassNotSupported = new(0x0122);
    /// <summary>Failure: processing failure (0110).</summary>
    public static readonly DicomStatus ProcessingFailure = new(0x0110);
    /// <summary>Failure: no such SOP instance (0112).</summary>
    public static readonly DicomStatus NoSuchObjectInstance = new(0x0112);
    /// <summary>Failure: no such action type (0123).</summary>
    public static readonly DicomStatus NoSuchActionType = new(0x0123);
    /// <summary>Failure: no such event type (0113).</summary>
    public static readonly DicomStatus NoSuchEventType = new(0x0113);
    /// <summary>Failure: unrecognized operation (0211).</summary>
    public static readonly DicomStatus UnrecognizedOperation = new(0x0211);
    /// <summary>Failure: duplicate invocation (0210).</summary>
    public static readonly DicomStatus DuplicateInvocation = new(0x0210);
    /// <summary>Failure: not authorized (0124).</summary>
    public static readonly DicomStatus NotAuthorized = new(0x0124);

    /// <summary>The category of the code.</summary>
    public DicomStatusCategory Category => Code switch
    {
        0x0000 => DicomStatusCategory.Success,
        0xFF00 or 0xFF01 => DicomStatusCategory.Pending,
        0xFE00 => DicomStatusCategory.Cancel,
        0x0001 or 0x0107 or 0x0116 => DicomStatusCategory.Warning,
        >= 0xB000 and <= 0xBFFF => DicomStatusCategory.Warning,
        _ => DicomStatusCategory.Failure,
    };

    /// <summary>True for success.</summary>
    public bool IsSuccess => Category == DicomStatusCategory.Success;

    /// <summary>True for pending (more responses follow).</summary>
    public bool IsPending => Category == DicomStatusCategory.Pending;

    /// <summary>True for success or warning.</summary>
    public bool IsSuccessOrWarning => Category is DicomStatusCategory.Success or DicomStatusCategory.Warning;

    /// <inheritdoc />
    public override string ToString() => $"{Category} (0x{Code:X4})";
}

/// <summary>DIMSE command field values (PS3.7 E.1).</summary>
public enum DimseCommandField : ushort
{
    /// <summary>C-STORE-RQ.</summary>
    CStoreRequest = 0x0001,
    /// <summary>C-STORE-RSP.</summary>
    CStoreResponse = 0x8001,
    /// <summary>C-GET-RQ.</summary>
    CGetRequest = 0x0010,
    /// <summary>C-GET-RSP.</summary>
    CGetResponse = 0x8010,
    /// <summary>C-FIND-RQ.</summary>
    CFindRequest = 0x0020,
    /// <summary>C-FIND-RSP.</summary>
    CFindResponse = 0x8020,
    /// <summary>C-MOVE-RQ.</summary>
    CMoveRequest = 0x0021,
    /// <summary>C-MOVE-RSP.</summary>
    CMoveResponse = 0x8021,
    /// <summary>C-ECHO-RQ.</summary>
    CEchoRequest = 0x0030,
    /// <summary>C-ECHO-RSP.</summary>
    CEchoResponse = 0x8030,
    /// <summary>N-EVENT-REPORT-RQ.</summary>
    NEventReportRequest = 0x0100,
    /// <summary>N-EVENT-REPORT-RSP.</summary>
    NEventReportResponse = 0x8100,
    /// <summary>N-GET-RQ.</summary>
    NGetRequest = 0x0110,
    /// <summary>N-GET-RSP.</summary>
    NGetResponse = 0x8110,
    /// <summary>N-SET-RQ.</summary>
    NSetRequest = 0x0120,
    /// <summary>N-SET-RSP.</summary>
    NSetResponse = 0x8120,
    /// <summary>N-ACTION-RQ.</summary>
    NActionRequest = 0x0130,
    /// <summary>N-ACTION-RSP.</summary>
    NActionResponse = 0x8130,
    /// <summary>N-CREATE-RQ.</summary>
    NCreateRequest = 0x0140,
    /// <summary>N-CREATE-RSP.</summary>
    NCreateResponse = 0x8140,
    /// <summary>N-DELETE-RQ.</summary>
    NDeleteRequest = 0x0150,
    /// <summary>N-DELETE-RSP.</summary>
    NDeleteResponse = 0x8150,
    /// <summary>C-CANCEL-RQ.</summary>
    CCancelRequest = 0x0FFF,
}

/// <summary>DIMSE priority (0000,0700).</summary>
public enum DimsePriority : ushort
{
    /// <summary>Medium.</summary>
    Medium = 0x0000,
    /// <summary>High.</summary>
    High = 0x0001,
    /// <summary>Low.</summary>
    Low = 0x0002,
}
