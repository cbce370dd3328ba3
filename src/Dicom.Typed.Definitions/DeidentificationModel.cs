namespace Dicom.Typed.Definitions;

/// <summary>
/// Typed de-identification conformance of a device (built from the statement's confidentiality tables; the grids in
/// <see cref="DeviceDefinition.Tables"/> keep the raw cells). Actions use the PS3.15 Table E.1-1 codes: D (dummy), Z (zero
/// length), X (remove), K (keep), U (new UID), C (clean).
/// </summary>
public sealed class DeidentificationDefinition
{
    /// <summary>What happens to standard attributes the tables do not list: <c>keep</c> (the statement says they are not
    /// de-identified) or <c>standard</c> (the PS3.15 basic profile applies to them).</summary>
    public string UnlistedAttributes { get; set; } = "keep";
    /// <summary>The sentence that says so, as printed.</summary>
    public string? UnlistedAttributesText { get; set; }
    /// <summary>Origin of <see cref="UnlistedAttributesText"/>.</summary>
    public Provenance? UnlistedAttributesProvenance { get; set; }
    /// <summary>Levels the user chooses from (syngo: Full, Reduced, Service; one level where the statement names none).</summary>
    public List<DeidentificationLevel> Levels { get; set; } = [];
    /// <summary>Options chosen at de-identification time (e.g. in a dialog) that change single rows.</summary>
    public List<DeidentificationOptionDefinition> Options { get; set; } = [];
    /// <summary>Rows for standard attributes.</summary>
    public List<DeidentificationRow> StandardRows { get; set; } = [];
    /// <summary>Rows for private attributes (creator, group, element byte).</summary>
    public List<DeidentificationPrivateRow> PrivateRows { get; set; } = [];
    /// <summary>Rows that apply to Raw Data instances instead of <see cref="StandardRows"/> (empty when the statement has none).</summary>
    public List<DeidentificationRow> RawDataRows { get; set; } = [];
    /// <summary>Origin of the section.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>A de-identification level and its private-attribute policy.</summary>
public sealed class DeidentificationLevel
{
    /// <summary>Level name as printed (the column header of the tables).</summary>
    public string Name { get; set; } = "";
    /// <summary>Description as printed.</summary>
    public string? Description { get; set; }
    /// <summary>Private attributes not listed in <see cref="DeidentificationDefinition.PrivateRows"/>: <c>removeAll</c> (no private
    /// attribute is kept, listed or not), <c>keepListed</c> (only listed ones are kept, as their row says), <c>removeListed</c> (all
    /// are kept except listed ones whose row says otherwise) or <c>unspecified</c> (the statement says nothing).</summary>
    public string PrivatePolicy { get; set; } = "unspecified";
    /// <summary>The sentence that states the policy, as printed.</summary>
    public string? PrivatePolicyText { get; set; }
    /// <summary>Origin.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>An option that changes rows when selected.</summary>
public sealed class DeidentificationOptionDefinition
{
    /// <summary>Option id used by <see cref="DeidentificationLevelAction.Option"/> (e.g. <c>retainInstitutionIdentity</c>).</summary>
    public string Name { get; set; } = "";
    /// <summary>The PS3.15 option it corresponds to, as a DCM code value (e.g. 113112), when there is one.</summary>
    public string? StandardOptionCode { get; set; }
    /// <summary>Words of the statement that introduce it.</summary>
    public string Text { get; set; } = "";
    /// <summary>Origin.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>The action of a row at one level (and optionally only when an option is selected).</summary>
public sealed class DeidentificationLevelAction
{
    /// <summary>Level name.</summary>
    public string Level { get; set; } = "";
    /// <summary>Option that must be selected for this action (null: the default action).</summary>
    public string? Option { get; set; }
    /// <summary>PS3.15 action code: D, Z, X, K, U or C.</summary>
    public string Action { get; set; } = "";
    /// <summary>The statement's words for this cell ("Yes", "[empty]", "New created UID", ...).</summary>
    public string Text { get; set; } = "";
    /// <summary>How the code was derived from the words when they do not name it (e.g. "Yes → E.1-1 basic profile X/Z").</summary>
    public string? Basis { get; set; }
}

/// <summary>A row for a standard attribute.</summary>
public sealed class DeidentificationRow
{
    /// <summary>Tag <c>gggg,eeee</c> upper-case; repeating groups keep lower-case x (<c>60xx,3000</c>).</summary>
    public string Tag { get; set; } = "";
    /// <summary>Tag as printed when it differs from <see cref="Tag"/> (spacing, parentheses).</summary>
    public string? TagRaw { get; set; }
    /// <summary>Attribute name as printed.</summary>
    public string Name { get; set; } = "";
    /// <summary>VR as printed, or from the standard dictionary when the table has no VR column.</summary>
    public string Vr { get; set; } = "";
    /// <summary>Replacement value as printed, when the table has such a column.</summary>
    public string? Replacement { get; set; }
    /// <summary>Actions per level (and option).</summary>
    public List<DeidentificationLevelAction> Actions { get; set; } = [];
    /// <summary>Origin.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>A row for a private attribute.</summary>
public sealed class DeidentificationPrivateRow
{
    /// <summary>Private creator, or null when the statement prints a plain tag without one.</summary>
    public string? Creator { get; set; }
    /// <summary>Odd group <c>gggg</c>.</summary>
    public string Group { get; set; } = "";
    /// <summary>Element byte within the block (two hex digits), or the full element (four digits) when no creator is printed.</summary>
    public string Element { get; set; } = "";
    /// <summary>Tag as printed.</summary>
    public string TagRaw { get; set; } = "";
    /// <summary>Attribute name as printed.</summary>
    public string Name { get; set; } = "";
    /// <summary>Actions per level.</summary>
    public List<DeidentificationLevelAction> Actions { get; set; } = [];
    /// <summary>Origin.</summary>
    public Provenance Provenance { get; set; } = new();
}
