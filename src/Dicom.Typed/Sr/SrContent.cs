using System.Globalization;
using Dicom.Typed.Iod;

namespace Dicom.Typed.Sr;

/// <summary>
/// Parses SR content trees (PS3.3 C.17.3): the document root from the top-level data set, children from Content Sequence
/// items. Tolerant: never throws on a parsed data set; what does not conform becomes a <see cref="DicomFinding"/> with the
/// path of the item (e.g. <c>(0040,A730)[2].(0040,A730)[0]</c>), and an item that cannot be understood is left out.
/// </summary>
public static class SrContent
{
    /// <summary>Deepest nesting read; deeper content is reported and left out (bounded recursion on hostile input).</summary>
    public const int MaxDepth = 64;

    /// <summary>Parses the document root (the SR Document Content module of <paramref name="dataset"/>) and its tree.</summary>
    /// <param name="dataset">The top-level data set of an SR document.</param>
    /// <returns>The root content item (null when the data set has no Value Type) and the findings.</returns>
    public static DicomReadResult<SrContentItem?> ParseDocument(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var findings = new List<DicomFinding>();
        var root = Parse(dataset, "", findings, isRoot: true, depth: 0);
        return new DicomReadResult<SrContentItem?>(root, findings);
    }

    /// <summary>Parses one content item (and its children).</summary>
    /// <param name="item">The content item data set (or the document's top-level data set when <paramref name="isRoot"/>).</param>
    /// <param name="path">Path of the item, prefixed to the findings' paths.</param>
    /// <param name="findings">Where findings go.</param>
    /// <param name="isRoot">True for the document root (no Relationship Type, must be a CONTAINER with a concept name).</param>
    /// <param name="depth">Nesting depth of the item.</param>
    /// <returns>The item, or null when it has no (valid) Value Type.</returns>
    public static SrContentItem? Parse(DicomDataset item, string path, ICollection<DicomFinding> findings, bool isRoot = false, int depth = 0)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(findings);
        string At(DicomTag tag) => (path.Length > 0 ? path + "." : "") + tag.ToString();
        void Error(DicomTag tag, DicomFindingRule rule, string message) => findings.Add(new DicomFinding(At(tag), rule, DicomFindingSeverity.Error, message));

        string? vtText = item.GetStringOrDefault(SrTags.ValueType);
        if (vtText is null)
        {
            if (!isRoot || item.Contains(SrTags.ContentSequence) || item.Contains(SrTags.ConceptNameCodeSequence))
                Error(SrTags.ValueType, DicomFindingRule.MissingType1, "Value Type (0040,A040) missing: the content item is left out");
            return null;
        }
        if (!SrTerms.TryParseValueType(vtText, out var vt))
        {
            Error(SrTags.ValueType, DicomFindingRule.NotEnumerated, $"Value Type '{vtText}' is not supported (CONTAINER, TEXT, CODE, NUM, DATETIME, DATE, TIME, UIDREF, PNAME, COMPOSITE, IMAGE, SCOORD): the content item is left out");
            return null;
        }
        SrRelationshipType? rel = null;
        string? relText = item.GetStringOrDefault(SrTags.RelationshipType);
        if (isRoot)
        {
            if (relText is not null) findings.Add(new DicomFinding(At(SrTags.RelationshipType), DicomFindingRule.UnexpectedAttribute, DicomFindingSeverity.Warning, "the document root has no Relationship Type"));
            if (vt != SrValueType.Container) Error(SrTags.ValueType, DicomFindingRule.NotEnumerated, $"the document root is a CONTAINER (PS3.3 C.17.3.2.1), not {vtText}");
        }
        else if (relText is null) Error(SrTags.RelationshipType, DicomFindingRule.MissingType1, "Relationship Type (0040,A010) missing");
        else if (SrTerms.TryParseRelationship(relText, out var r)) rel = r;
        else Error(SrTags.RelationshipType, DicomFindingRule.NotEnumerated, $"Relationship Type '{relText}' is not one of PS3.3 C.17.3.2.4");

        DicomCode? concept = null;
        var cn = item.GetSequence(SrTags.ConceptNameCodeSequence);
        if (cn is { Items.Count: > 0 })
        {
            if (cn.Items.Count > 1) Error(SrTags.ConceptNameCodeSequence, DicomFindingRule.WrongVM, "Concept Name Code Sequence has more than one item");
            concept = SrCodes.Read(cn.Items[0], At(SrTags.ConceptNameCodeSequence) + "[0]", findings);
        }
        else if (isRoot || vt is not (SrValueType.Container or SrValueType.Composite or SrValueType.Image or SrValueType.SCoord))
            Error(SrTags.ConceptNameCodeSequence, DicomFindingRule.MissingType1, $"Concept Name Code Sequence (0040,A043) is required for {(isRoot ? "the document root" : vtText + " content items")} (PS3.3 C.17.3.2.2)");

        if (item.Contains(SrTags.ReferencedContentItemIdentifier))
            findings.Add(new DicomFinding(At(SrTags.ReferencedContentItemIdentifier), DicomFindingRule.UnexpectedAttribute, DicomFindingSeverity.Warning, "by-reference relationships are not supported: the reference is left out"));

        string? text = null, uid = null, graphicType = null, templateId = null, mapping = null;
        DicomCode? code = null;
        SrMeasurement? measurement = null;
        DicomDateTime? dateTime = null;
        DicomDate? date = null;
        DicomTime? time = null;
        DicomPersonName? personName = null;
        SrReference? reference = null;
        IReadOnlyList<float>? graphicData = null;
        bool separate = true;
        string? Required(DicomTag tag, string name)
        {
            string? s = item.GetStringOrDefault(tag);
            if (s is null) Error(tag, DicomFindingRule.MissingType1, $"{name} {tag} is required for {vtText} content items");
            else if (s.Length == 0) Error(tag, DicomFindingRule.EmptyType1, $"{name} {tag} is empty");
            return string.IsNullOrEmpty(s) ? null : s;
        }
        switch (vt)
        {
            case SrValueType.Container:
                string? continuity = Required(SrTags.ContinuityOfContent, "Continuity Of Content");
                if (continuity is not null and not ("SEPARATE" or "CONTINUOUS")) Error(SrTags.ContinuityOfContent, DicomFindingRule.NotEnumerated, $"Continuity Of Content '{continuity}' is not SEPARATE or CONTINUOUS");
                separate = continuity != "CONTINUOUS";
                if (item.GetSequence(SrTags.ContentTemplateSequence) is { Items.Count: > 0 } tpl)
                {
                    templateId = tpl.Items[0].GetStringOrDefault(SrTags.TemplateIdentifier);
                    mapping = tpl.Items[0].GetStringOrDefault(SrTags.MappingResource);
                    if (templateId is null || mapping is null) Error(SrTags.ContentTemplateSequence, DicomFindingRule.MissingType1, "Content Template Sequence item without Mapping Resource or Template Identifier");
                }
                break;
            case SrValueType.Text:
                text = Required(SrTags.TextValue, "Text Value");
                break;
            case SrValueType.Code:
                var cc = item.GetSequence(SrTags.ConceptCodeSequence);
                if (cc is not { Items.Count: 1 }) Error(SrTags.ConceptCodeSequence, DicomFindingRule.MissingType1, "Concept Code Sequence (0040,A168) with exactly one item is required for CODE content items");
                else code = SrCodes.Read(cc.Items[0], At(SrTags.ConceptCodeSequence) + "[0]", findings);
                break;
            case SrValueType.Num:
                var mv = item.GetSequence(SrTags.MeasuredValueSequence);
                if (mv is null) Error(SrTags.MeasuredValueSequence, DicomFindingRule.MissingType2, "Measured Value Sequence (0040,A300) is required (Type 2) for NUM content items");
                else if (mv.Items.Count > 1) Error(SrTags.MeasuredValueSequence, DicomFindingRule.WrongVM, "Measured Value Sequence has more than one item");
                else if (mv.Items.Count == 1)
                {
                    var m = mv.Items[0];
                    string mPath = At(SrTags.MeasuredValueSequence) + "[0]";
                    string? number = m.GetStringOrDefault(SrTags.NumericValue)?.Trim();
                    DicomCode? units = m.GetSequence(SrTags.MeasurementUnitsCodeSequence) is { Items.Count: > 0 } u ? SrCodes.Read(u.Items[0], mPath + "." + SrTags.MeasurementUnitsCodeSequence + "[0]", findings) : null;
                    if (units is null && m.GetSequence(SrTags.MeasurementUnitsCodeSequence) is not { Items.Count: > 0 })
                        findings.Add(new DicomFinding(mPath + "." + SrTags.MeasurementUnitsCodeSequence, DicomFindingRule.MissingType1, DicomFindingSeverity.Error, "Measurement Units Code Sequence (0040,08EA) missing"));
                    var ds = new DicomDecimalString(number ?? "");
                    if (string.IsNullOrEmpty(number) || !ds.IsValid)
                        findings.Add(new DicomFinding(mPath + "." + SrTags.NumericValue, string.IsNullOrEmpty(number) ? DicomFindingRule.MissingType1 : DicomFindingRule.InvalidValue, DicomFindingSeverity.Error, $"Numeric Value (0040,A30A) '{number}' is not a valid DS"));
                    else if (units is not null) measurement = new SrMeasurement(ds, units);
                }
                break;
            case SrValueType.DateTime:
                if (Required(SrTags.DateTime, "DateTime") is { } dt)
                {
                    if (DicomDateTime.TryParse(dt.Trim(), out var v)) dateTime = v;
                    else Error(SrTags.DateTime, DicomFindingRule.InvalidValue, $"'{dt}' is not a DT value");
                }
                break;
            case SrValueType.Date:
                if (Required(SrTags.Date, "Date") is { } da)
                {
                    if (DicomDate.TryParse(da.Trim(), out var v)) date = v;
                    else Error(SrTags.Date, DicomFindingRule.InvalidValue, $"'{da}' is not a DA value");
                }
                break;
            case SrValueType.Time:
                if (Required(SrTags.Time, "Time") is { } tm)
                {
                    if (DicomTime.TryParse(tm.Trim(), out var v)) time = v;
                    else Error(SrTags.Time, DicomFindingRule.InvalidValue, $"'{tm}' is not a TM value");
                }
                break;
            case SrValueType.UidRef:
                uid = Required(SrTags.Uid, "UID");
                if (uid is not null && !DicomUid.IsValid(uid)) Error(SrTags.Uid, DicomFindingRule.InvalidValue, $"'{uid}' is not a valid UID");
                break;
            case SrValueType.PName:
                if (Required(SrTags.PersonName, "Person Name") is { } pn) personName = DicomPersonName.Parse(pn);
                break;
            case SrValueType.Composite:
            case SrValueType.Image:
                var refs = item.GetSequence(SrTags.ReferencedSopSequence);
                if (refs is not { Items.Count: 1 }) Error(SrTags.ReferencedSopSequence, DicomFindingRule.MissingType1, "Referenced SOP Sequence (0008,1199) with exactly one item is required");
                else
                {
                    var ri = refs.Items[0];
                    string? cls = ri.GetStringOrDefault(SrTags.ReferencedSopClassUid), inst = ri.GetStringOrDefault(SrTags.ReferencedSopInstanceUid);
                    if (string.IsNullOrEmpty(cls) || string.IsNullOrEmpty(inst))
                        Error(SrTags.ReferencedSopSequence, DicomFindingRule.MissingType1, "Referenced SOP Class UID and Referenced SOP Instance UID are required in the reference item");
                    else
                    {
                        int[]? frames = null;
                        if (ri.GetElement(SrTags.ReferencedFrameNumber) is { IsEmpty: false } fe)
                            frames = fe.GetStrings().Select(s => int.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int f) ? f : -1).ToArray();
                        if (frames is not null && frames.Any(f => f < 1)) { Error(SrTags.ReferencedFrameNumber, DicomFindingRule.InvalidValue, "Referenced Frame Number values are positive integers"); frames = null; }
                        reference = new SrReference(cls, inst, frames);
                    }
                }
                break;
            case SrValueType.SCoord:
                graphicType = Required(SrTags.GraphicType, "Graphic Type");
                if (item.GetElement(SrTags.GraphicData) is { IsEmpty: false } gd && gd.VR == DicomVR.FL) graphicData = gd.GetValues<float>();
                else Error(SrTags.GraphicData, DicomFindingRule.MissingType1, "Graphic Data (0070,0022), FL, is required for SCOORD content items");
                break;
        }

        var children = new List<SrContentItem>();
        if (item.GetSequence(SrTags.ContentSequence) is { Items.Count: > 0 } cs)
        {
            if (depth >= MaxDepth)
                Error(SrTags.ContentSequence, DicomFindingRule.InvalidValue, $"content nested deeper than {MaxDepth} levels: the children are left out");
            else
                for (int i = 0; i < cs.Items.Count; i++)
                {
                    string childPath = At(SrTags.ContentSequence) + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                    if (Parse(cs.Items[i], childPath, findings, isRoot: false, depth + 1) is { } child) children.Add(child);
                }
        }
        return new SrContentItem
        {
            ValueType = vt, Relationship = rel, ConceptName = concept, Text = text, Code = code, Measurement = measurement, DateTime = dateTime,
            Date = date, Time = time, Uid = uid, PersonName = personName, Reference = reference, GraphicType = graphicType, GraphicData = graphicData,
            Separate = separate, TemplateIdentifier = templateId, MappingResource = mapping ?? "DCMR", Children = children, Path = path,
        };
    }
}
