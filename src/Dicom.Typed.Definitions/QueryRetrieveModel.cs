namespace Dicom.Typed.Definitions;

/// <summary>One Query/Retrieve information model as a statement uses it in one role (the keys of one Q/R key table), with its
/// levels and keys; the message dataset with the same rows is <see cref="Message"/> under messages/.</summary>
public sealed class QueryRetrieveModel
{
    /// <summary>SOP class name ("Study Root Query/Retrieve Information Model - FIND").</summary>
    public string SopClassName { get; set; } = "";
    /// <summary>SOP class UID.</summary>
    public string SopClassUid { get; set; } = "";
    /// <summary>Information model: <c>PATIENT</c> (Patient Root), <c>STUDY</c> (Study Root) or <c>PATIENT_STUDY</c> (Patient/Study Only).</summary>
    public string InformationModel { get; set; } = "";
    /// <summary>DIMSE service: C-FIND, C-MOVE or C-GET.</summary>
    public string Dimse { get; set; } = "";
    /// <summary>Role of the device: SCU (keys it sends) or SCP (keys it accepts).</summary>
    public string Role { get; set; } = "";
    /// <summary>Type name of the message dataset under messages/ that holds the same rows.</summary>
    public string Message { get; set; } = "";
    /// <summary>Values of Query/Retrieve Level (0008,0052) as the statement prints them in the key row ("STUDY", "SERIES",
    /// "IMAGES"); non-standard words are corrected by errata (field <c>queryRetrieveLevel</c>). Empty when the row lists none.</summary>
    public List<string> LevelValues { get; set; } = [];
    /// <summary>The Query/Retrieve Level row, when the table prints one.</summary>
    public Provenance? LevelValuesProvenance { get; set; }
    /// <summary>The levels with their keys, in table order.</summary>
    public List<QueryRetrieveLevel> Levels { get; set; } = [];
    /// <summary>Keys printed outside any level group (Query/Retrieve Level, Specific Character Set).</summary>
    public List<QueryRetrieveKey> OtherKeys { get; set; } = [];
    /// <summary>The key table.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>One level of a Q/R information model and the keys the statement lists for it.</summary>
public sealed class QueryRetrieveLevel
{
    /// <summary>Standard level value (PS3.4 C.6): PATIENT, STUDY, SERIES or IMAGE.</summary>
    public string Level { get; set; } = "";
    /// <summary>The group heading as printed ("Q/R Study level", "STUDY LEVEL", "Series Level").</summary>
    public string Heading { get; set; } = "";
    /// <summary>Keys of the level in table order; sequence items follow their sequence with an item path in <see cref="QueryRetrieveKey.Path"/>.</summary>
    public List<QueryRetrieveKey> Keys { get; set; } = [];
    /// <summary>The heading row and the level's rows.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>One key of a Q/R level.</summary>
public sealed class QueryRetrieveKey
{
    /// <summary>Tag <c>gggg,eeee</c>.</summary>
    public string Tag { get; set; } = "";
    /// <summary>Item path for keys inside a sequence item (<c>0040,0275/0040,1001</c>), null at the top level.</summary>
    public string? Path { get; set; }
    /// <summary>Name as printed.</summary>
    public string Name { get; set; } = "";
    /// <summary>VR (as printed, or from the dictionary when the table prints none).</summary>
    public string Vr { get; set; } = "";
    /// <summary>Key type as printed (R, O, U, ...), null when the table has no such column.</summary>
    public string? KeyType { get; set; }
    /// <summary>Type of matching as printed ("Single Value, Universal"), null when the table has no such column.</summary>
    public string? Matching { get; set; }
    /// <summary>The key row.</summary>
    public Provenance Provenance { get; set; } = new();
}
