using System.Globalization;

namespace Dicom.Typed.Sr;

/// <summary>Value Type (0040,A040) of an SR content item, PS3.3 C.17.3.2.1.</summary>
public enum SrValueType
{
    /// <summary>CONTAINER: a heading with child content items.</summary>
    Container,
    /// <summary>TEXT: free text (Text Value, UT).</summary>
    Text,
    /// <summary>CODE: a coded concept (Concept Code Sequence).</summary>
    Code,
    /// <summary>NUM: a measured value with units (Measured Value Sequence).</summary>
    Num,
    /// <summary>DATETIME (DateTime, DT).</summary>
    DateTime,
    /// <summary>DATE (Date, DA).</summary>
    Date,
    /// <summary>TIME (Time, TM).</summary>
    Time,
    /// <summary>UIDREF (UID, UI).</summary>
    UidRef,
    /// <summary>PNAME (Person Name, PN).</summary>
    PName,
    /// <summary>COMPOSITE: a reference to a composite object (Referenced SOP Sequence).</summary>
    Composite,
    /// <summary>IMAGE: a reference to an image (Referenced SOP Sequence).</summary>
    Image,
    /// <summary>SCOORD: spatial coordinates in an image (Graphic Data, Graphic Type).</summary>
    SCoord,
}

/// <summary>Relationship Type (0040,A010) between a content item and its parent, PS3.3 C.17.3.2.4.</summary>
public enum SrRelationshipType
{
    /// <summary>CONTAINS.</summary>
    Contains,
    /// <summary>HAS PROPERTIES.</summary>
    HasProperties,
    /// <summary>HAS OBS CONTEXT.</summary>
    HasObsContext,
    /// <summary>HAS ACQ CONTEXT.</summary>
    HasAcqContext,
    /// <summary>INFERRED FROM.</summary>
    InferredFrom,
    /// <summary>SELECTED FROM.</summary>
    SelectedFrom,
    /// <summary>HAS CONCEPT MOD.</summary>
    HasConceptMod,
}

/// <summary>The defined text of <see cref="SrValueType"/> and <see cref="SrRelationshipType"/> values.</summary>
public static class SrTerms
{
    private static readonly string[] ValueTypes = ["CONTAINER", "TEXT", "CODE", "NUM", "DATETIME", "DATE", "TIME", "UIDREF", "PNAME", "COMPOSITE", "IMAGE", "SCOORD"];
    private static readonly string[] Relationships = ["CONTAINS", "HAS PROPERTIES", "HAS OBS CONTEXT", "HAS ACQ CONTEXT", "INFERRED FROM", "SELECTED FROM", "HAS CONCEPT MOD"];

    /// <summary>The Value Type text, e.g. <c>CONTAINER</c>.</summary>
    /// <param name="valueType">The value type.</param>
    public static string Text(SrValueType valueType) => ValueTypes[(int)valueType];

    /// <summary>The Relationship Type text, e.g. <c>HAS OBS CONTEXT</c>.</summary>
    /// <param name="relationship">The relationship type.</param>
    public static string Text(SrRelationshipType relationship) => Relationships[(int)relationship];

    /// <summary>Parses a Value Type; false for a value this model does not support.</summary>
    /// <param name="text">The text.</param>
    /// <param name="valueType">The value type.</param>
    public static bool TryParseValueType(string? text, out SrValueType valueType)
    {
        int i = Array.IndexOf(ValueTypes, text?.Trim());
        valueType = (SrValueType)Math.Max(0, i);
        return i >= 0;
    }

    /// <summary>Parses a Relationship Type; false for an unknown one.</summary>
    /// <param name="text">The text.</param>
    /// <param name="relationship">The relationship type.</param>
    public static bool TryParseRelationship(string? text, out SrRelationshipType relationship)
    {
        int i = Array.IndexOf(Relationships, text?.Trim());
        relationship = (SrRelationshipType)Math.Max(0, i);
        return i >= 0;
    }
}

/// <summary>A measured value of a NUM content item: the number and its units (PS3.3 Table C.18.1-1, Measured Value Sequence).</summary>
/// <param name="Value">Numeric Value (0040,A30A), DS.</param>
/// <param name="Units">Measurement Units Code Sequence (0040,08EA), UCUM.</param>
public sealed record SrMeasurement(DicomDecimalString Value, DicomCode Units)
{
    /// <summary>A measurement from a number, formatted as a DS of at most 16 characters.</summary>
    /// <param name="value">The number.</param>
    /// <param name="units">The units code.</param>
    public static SrMeasurement Of(double value, DicomCode units) => new(FormatDs(value), units);

    /// <summary>The value as a number.</summary>
    public double Number => Value.Value;

    /// <summary>Formats a double as a DS (round-trip text when it fits in 16 characters).</summary>
    /// <param name="value">A finite number.</param>
    public static DicomDecimalString FormatDs(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "a DS value is a finite number");
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        for (int digits = 15; text.Length > 16 && digits > 1; digits--) text = value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return new DicomDecimalString(text);
    }
}

/// <summary>A reference to a composite object or image (PS3.3 Table C.17-5 SOP Instance Reference macro).</summary>
/// <param name="SopClassUid">Referenced SOP Class UID (0008,1150).</param>
/// <param name="SopInstanceUid">Referenced SOP Instance UID (0008,1155).</param>
/// <param name="Frames">Referenced Frame Number (0008,1160), or null.</param>
public sealed record SrReference(string SopClassUid, string SopInstanceUid, IReadOnlyList<int>? Frames = null);

/// <summary>
/// One SR content item (PS3.3 C.17.3, Table C.17-4/5/6): its relationship to the parent, value type, concept name, value and
/// children. The value members that do not belong to <see cref="ValueType"/> stay null. Built with object initializers;
/// written with <see cref="ToDataset"/> and parsed with <see cref="SrContent.Parse"/>.
/// </summary>
public sealed class SrContentItem
{
    /// <summary>Value Type (0040,A040).</summary>
    public required SrValueType ValueType { get; init; }

    /// <summary>Relationship Type (0040,A010) to the parent; null for the document root.</summary>
    public SrRelationshipType? Relationship { get; init; }

    /// <summary>Concept Name Code Sequence (0040,A043): the question the item answers (null where optional, e.g. IMAGE).</summary>
    public DicomCode? ConceptName { get; init; }

    /// <summary>TEXT: Text Value (0040,A160).</summary>
    public string? Text { get; init; }

    /// <summary>CODE: Concept Code Sequence (0040,A168).</summary>
    public DicomCode? Code { get; init; }

    /// <summary>NUM: the measured value; null for an empty Measured Value Sequence (no value).</summary>
    public SrMeasurement? Measurement { get; init; }

    /// <summary>DATETIME: DateTime (0040,A120).</summary>
    public DicomDateTime? DateTime { get; init; }

    /// <summary>DATE: Date (0040,A121).</summary>
    public DicomDate? Date { get; init; }

    /// <summary>TIME: Time (0040,A122).</summary>
    public DicomTime? Time { get; init; }

    /// <summary>UIDREF: UID (0040,A124).</summary>
    public string? Uid { get; init; }

    /// <summary>PNAME: Person Name (0040,A123).</summary>
    public DicomPersonName? PersonName { get; init; }

    /// <summary>IMAGE / COMPOSITE: the referenced object.</summary>
    public SrReference? Reference { get; init; }

    /// <summary>SCOORD: Graphic Type (0070,0023), e.g. POINT, POLYLINE.</summary>
    public string? GraphicType { get; init; }

    /// <summary>SCOORD: Graphic Data (0070,0022), column/row pairs.</summary>
    public IReadOnlyList<float>? GraphicData { get; init; }

    /// <summary>CONTAINER: Continuity Of Content (0040,A050) is SEPARATE (false: CONTINUOUS).</summary>
    public bool Separate { get; init; } = true;

    /// <summary>CONTAINER: Template Identifier (0040,DB00) of the DCMR template the container is built from, or null.</summary>
    public string? TemplateIdentifier { get; init; }

    /// <summary>CONTAINER: Mapping Resource (0008,0105) of <see cref="TemplateIdentifier"/> (DCMR by default).</summary>
    public string MappingResource { get; init; } = "DCMR";

    /// <summary>Content Sequence (0040,A730): the children, in order.</summary>
    public IReadOnlyList<SrContentItem> Children { get; init; } = [];

    /// <summary>Where the item was read from (e.g. <c>(0040,A730)[3]</c>; empty for the root), null for an item built in code.
    /// Not written.</summary>
    public string? Path { get; init; }

    /// <summary>A copy with another relationship type (an included template takes the relationship of its INCLUDE row).</summary>
    /// <param name="relationship">The relationship type.</param>
    public SrContentItem WithRelationship(SrRelationshipType? relationship) => relationship is null || relationship == Relationship ? this : Copy(relationship);

    private SrContentItem Copy(SrRelationshipType? relationship) => new()
    {
        ValueType = ValueType, Relationship = relationship, ConceptName = ConceptName, Text = Text, Code = Code, Measurement = Measurement,
        DateTime = DateTime, Date = Date, Time = Time, Uid = Uid, PersonName = PersonName, Reference = Reference, GraphicType = GraphicType,
        GraphicData = GraphicData, Separate = Separate, TemplateIdentifier = TemplateIdentifier, MappingResource = MappingResource, Children = Children, Path = Path,
    };

    /// <summary>The item as a Content Sequence item data set (or, for the root, the attributes of the SR Document Content module).</summary>
    public DicomDataset ToDataset()
    {
        var ds = new DicomDataset();
        WriteTo(ds);
        return ds;
    }

    /// <summary>Writes the item's attributes into <paramref name="ds"/> (replacing those present): for the document root, the
    /// top-level data set of the SR document.</summary>
    /// <param name="ds">The target data set.</param>
    public void WriteTo(DicomDataset ds)
    {
        ArgumentNullException.ThrowIfNull(ds);
        if (Relationship is { } rel) ds.AddOrUpdate(SrTags.RelationshipType, DicomVR.CS, SrTerms.Text(rel));
        ds.AddOrUpdate(SrTags.ValueType, DicomVR.CS, SrTerms.Text(ValueType));
        if (ConceptName is { } name) SrCodes.WriteTo(Attach(ds, SrTags.ConceptNameCodeSequence), name);
        else ds.Remove(SrTags.ConceptNameCodeSequence);
        switch (ValueType)
        {
            case SrValueType.Container:
                ds.AddOrUpdate(SrTags.ContinuityOfContent, DicomVR.CS, Separate ? "SEPARATE" : "CONTINUOUS");
                if (TemplateIdentifier is { } tid)
                {
                    var t = Attach(ds, SrTags.ContentTemplateSequence);
                    t.AddOrUpdate(SrTags.MappingResource, DicomVR.CS, MappingResource);
                    t.AddOrUpdate(SrTags.TemplateIdentifier, DicomVR.CS, tid);
                }
                break;
            case SrValueType.Text:
                ds.AddOrUpdate(SrTags.TextValue, DicomVR.UT, Text ?? "");
                break;
            case SrValueType.Code:
                if (Code is { } c) SrCodes.WriteTo(Attach(ds, SrTags.ConceptCodeSequence), c);
                else ds.AddOrUpdate(new DicomSequence(SrTags.ConceptCodeSequence));
                break;
            case SrValueType.Num:
                if (Measurement is { } m)
                {
                    var mv = Attach(ds, SrTags.MeasuredValueSequence);
                    SrCodes.WriteTo(Attach(mv, SrTags.MeasurementUnitsCodeSequence), m.Units);
                    mv.AddOrUpdate(SrTags.NumericValue, DicomVR.DS, m.Value.Text);
                }
                else ds.AddOrUpdate(new DicomSequence(SrTags.MeasuredValueSequence));
                break;
            case SrValueType.DateTime:
                ds.AddOrUpdate(SrTags.DateTime, DicomVR.DT, DateTime?.ToString() ?? "");
                break;
            case SrValueType.Date:
                ds.AddOrUpdate(SrTags.Date, DicomVR.DA, Date?.ToString() ?? "");
                break;
            case SrValueType.Time:
                ds.AddOrUpdate(SrTags.Time, DicomVR.TM, Time?.ToString() ?? "");
                break;
            case SrValueType.UidRef:
                ds.AddOrUpdate(SrTags.Uid, DicomVR.UI, Uid ?? "");
                break;
            case SrValueType.PName:
                ds.AddOrUpdate(SrTags.PersonName, DicomVR.PN, PersonName?.ToString() ?? "");
                break;
            case SrValueType.Composite:
            case SrValueType.Image:
                if (Reference is { } r)
                {
                    var item = Attach(ds, SrTags.ReferencedSopSequence);
                    item.AddOrUpdate(SrTags.ReferencedSopClassUid, DicomVR.UI, r.SopClassUid);
                    item.AddOrUpdate(SrTags.ReferencedSopInstanceUid, DicomVR.UI, r.SopInstanceUid);
                    if (r.Frames is { Count: > 0 } frames) item.AddOrUpdate(SrTags.ReferencedFrameNumber, DicomVR.IS, frames.Select(f => f.ToString(CultureInfo.InvariantCulture)).ToArray());
                }
                break;
            case SrValueType.SCoord:
                ds.AddOrUpdate(SrTags.GraphicType, DicomVR.CS, GraphicType ?? "");
                ds.AddOrUpdate<float>(SrTags.GraphicData, [.. GraphicData ?? []]);
                break;
        }
        if (Children.Count > 0)
        {
            // items are attached before they are written: their text is encoded in the document's Specific Character Set
            var items = Children.Select(_ => new DicomDataset()).ToArray();
            ds.AddOrUpdate(new DicomSequence(SrTags.ContentSequence, items));
            for (int i = 0; i < items.Length; i++) Children[i].WriteTo(items[i]);
        }
        else ds.Remove(SrTags.ContentSequence);
    }

    /// <summary>A new item of a one-item sequence <paramref name="tag"/> in <paramref name="ds"/> (attached first, so it inherits the character set).</summary>
    private static DicomDataset Attach(DicomDataset ds, DicomTag tag)
    {
        var item = new DicomDataset();
        ds.AddOrUpdate(new DicomSequence(tag, item));
        return item;
    }

    /// <inheritdoc />
    public override string ToString() =>
        (Relationship is { } r ? SrTerms.Text(r) + " " : "") + SrTerms.Text(ValueType) + " " + (ConceptName?.ToString() ?? "(no concept name)") + (Children.Count > 0 ? $" [{Children.Count} children]" : "");
}

/// <summary>Tags of the SR content item attributes (PS3.3 C.17.3, C.18).</summary>
public static class SrTags
{
    /// <summary>Relationship Type (0040,A010).</summary>
    public static readonly DicomTag RelationshipType = new(0x0040A010);
    /// <summary>Value Type (0040,A040).</summary>
    public static readonly DicomTag ValueType = new(0x0040A040);
    /// <summary>Concept Name Code Sequence (0040,A043).</summary>
    public static readonly DicomTag ConceptNameCodeSequence = new(0x0040A043);
    /// <summary>Continuity Of Content (0040,A050).</summary>
    public static readonly DicomTag ContinuityOfContent = new(0x0040A050);
    /// <summary>DateTime (0040,A120).</summary>
    public static readonly DicomTag DateTime = new(0x0040A120);
    /// <summary>Date (0040,A121).</summary>
    public static readonly DicomTag Date = new(0x0040A121);
    /// <summary>Time (0040,A122).</summary>
    public static readonly DicomTag Time = new(0x0040A122);
    /// <summary>Person Name (0040,A123).</summary>
    public static readonly DicomTag PersonName = new(0x0040A123);
    /// <summary>UID (0040,A124).</summary>
    public static readonly DicomTag Uid = new(0x0040A124);
    /// <summary>Text Value (0040,A160).</summary>
    public static readonly DicomTag TextValue = new(0x0040A160);
    /// <summary>Concept Code Sequence (0040,A168).</summary>
    public static readonly DicomTag ConceptCodeSequence = new(0x0040A168);
    /// <summary>Measured Value Sequence (0040,A300).</summary>
    public static readonly DicomTag MeasuredValueSequence = new(0x0040A300);
    /// <summary>Numeric Value (0040,A30A).</summary>
    public static readonly DicomTag NumericValue = new(0x0040A30A);
    /// <summary>Measurement Units Code Sequence (0040,08EA).</summary>
    public static readonly DicomTag MeasurementUnitsCodeSequence = new(0x004008EA);
    /// <summary>Content Template Sequence (0040,A504).</summary>
    public static readonly DicomTag ContentTemplateSequence = new(0x0040A504);
    /// <summary>Mapping Resource (0008,0105).</summary>
    public static readonly DicomTag MappingResource = new(0x00080105);
    /// <summary>Template Identifier (0040,DB00).</summary>
    public static readonly DicomTag TemplateIdentifier = new(0x0040DB00);
    /// <summary>Content Sequence (0040,A730).</summary>
    public static readonly DicomTag ContentSequence = new(0x0040A730);
    /// <summary>Referenced SOP Sequence (0008,1199).</summary>
    public static readonly DicomTag ReferencedSopSequence = new(0x00081199);
    /// <summary>Referenced SOP Class UID (0008,1150).</summary>
    public static readonly DicomTag ReferencedSopClassUid = new(0x00081150);
    /// <summary>Referenced SOP Instance UID (0008,1155).</summary>
    public static readonly DicomTag ReferencedSopInstanceUid = new(0x00081155);
    /// <summary>Referenced Frame Number (0008,1160).</summary>
    public static readonly DicomTag ReferencedFrameNumber = new(0x00081160);
    /// <summary>Graphic Data (0070,0022).</summary>
    public static readonly DicomTag GraphicData = new(0x00700022);
    /// <summary>Graphic Type (0070,0023).</summary>
    public static readonly DicomTag GraphicType = new(0x00700023);
    /// <summary>Referenced Content Item Identifier (0040,DB73): by-reference relationships (not supported).</summary>
    public static readonly DicomTag ReferencedContentItemIdentifier = new(0x0040DB73);
    /// <summary>Code Value (0008,0100).</summary>
    public static readonly DicomTag CodeValue = new(0x00080100);
    /// <summary>Coding Scheme Designator (0008,0102).</summary>
    public static readonly DicomTag CodingSchemeDesignator = new(0x00080102);
    /// <summary>Coding Scheme Version (0008,0103).</summary>
    public static readonly DicomTag CodingSchemeVersion = new(0x00080103);
    /// <summary>Code Meaning (0008,0104).</summary>
    public static readonly DicomTag CodeMeaning = new(0x00080104);
    /// <summary>Long Code Value (0008,0119).</summary>
    public static readonly DicomTag LongCodeValue = new(0x00080119);
    /// <summary>URN Code Value (0008,0120).</summary>
    public static readonly DicomTag UrnCodeValue = new(0x00080120);
}

/// <summary>Code Sequence Macro items (PS3.3 Table 8.8-1).</summary>
public static class SrCodes
{
    /// <summary>The code as one Code Sequence item: a value longer than 16 characters goes to Long Code Value (0008,0119).</summary>
    /// <param name="code">The code.</param>
    public static DicomDataset ToDataset(DicomCode code)
    {
        var ds = new DicomDataset();
        WriteTo(ds, code);
        return ds;
    }

    /// <summary>Writes the code's attributes into a Code Sequence item (attach the item first for non-ASCII meanings).</summary>
    /// <param name="ds">The item.</param>
    /// <param name="code">The code.</param>
    public static void WriteTo(DicomDataset ds, DicomCode code)
    {
        ArgumentNullException.ThrowIfNull(ds);
        ArgumentNullException.ThrowIfNull(code);
        if (code.Value.Length > 16) ds.AddOrUpdate(SrTags.LongCodeValue, DicomVR.UC, code.Value);
        else ds.AddOrUpdate(SrTags.CodeValue, DicomVR.SH, code.Value);
        ds.AddOrUpdate(SrTags.CodingSchemeDesignator, DicomVR.SH, code.Scheme);
        if (code.SchemeVersion is { } v) ds.AddOrUpdate(SrTags.CodingSchemeVersion, DicomVR.SH, v);
        ds.AddOrUpdate(SrTags.CodeMeaning, DicomVR.LO, code.Meaning);
    }

    /// <summary>Reads a Code Sequence item; null (with a finding) when the value, scheme or meaning is missing.</summary>
    /// <param name="item">The item.</param>
    /// <param name="path">Its path, for findings.</param>
    /// <param name="findings">Where findings go.</param>
    public static DicomCode? Read(DicomDataset item, string path, ICollection<Iod.DicomFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(findings);
        string? value = item.GetStringOrDefault(SrTags.CodeValue) ?? item.GetStringOrDefault(SrTags.LongCodeValue) ?? item.GetStringOrDefault(SrTags.UrnCodeValue);
        string? scheme = item.GetStringOrDefault(SrTags.CodingSchemeDesignator);
        string? meaning = item.GetStringOrDefault(SrTags.CodeMeaning);
        if (string.IsNullOrEmpty(value) || string.IsNullOrEmpty(meaning) || (scheme is null && item.Contains(SrTags.CodeValue)))
        {
            findings.Add(new Iod.DicomFinding(path, Iod.DicomFindingRule.MissingType1, Iod.DicomFindingSeverity.Error,
                "code item without Code Value, Coding Scheme Designator or Code Meaning (PS3.3 Table 8.8-1)"));
            return null;
        }
        return new DicomCode(value, scheme ?? "", meaning, item.GetStringOrDefault(SrTags.CodingSchemeVersion));
    }

    /// <summary>True when two codes name the same concept (value and scheme; meaning and version may differ).</summary>
    /// <param name="a">A code.</param>
    /// <param name="b">Another code.</param>
    public static bool SameConcept(DicomCode? a, DicomCode? b) =>
        a is not null && b is not null && a.Value == b.Value && string.Equals(a.Scheme, b.Scheme, StringComparison.Ordinal);
}
