using Dicom.Typed.Iod;

namespace Dicom.Typed.Sr;

/// <summary>Marks a class generated from an SR template (TID table) of a device's conformance statement.</summary>
/// <param name="tid">Template id as the statement prints it (e.g. <c>10011</c>).</param>
/// <param name="device">Device id (definitions folder).</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SrTemplateAttribute(string tid, string device) : Attribute
{
    /// <summary>Template id.</summary>
    public string Tid { get; } = tid;

    /// <summary>Device id.</summary>
    public string Device { get; } = device;
}

/// <summary>Marks a member generated from one row of an SR template table (or the typed content of an SR document).</summary>
/// <param name="table">Statement table of the row.</param>
/// <param name="firstLine">First statement line of the row.</param>
/// <param name="lastLine">Last statement line of the row.</param>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class SrRowAttribute(string table, int firstLine, int lastLine) : Attribute
{
    /// <summary>Statement table.</summary>
    public string Table { get; } = table;

    /// <summary>First line.</summary>
    public int FirstLine { get; } = firstLine;

    /// <summary>Last line.</summary>
    public int LastLine { get; } = lastLine;

    /// <summary>True when the template row is mandatory (presence ALWAYS / M).</summary>
    public bool Mandatory { get; init; }
}

/// <summary>Builders of content items, used by the generated template classes.</summary>
public static class SrItems
{
    /// <summary>A CONTAINER.</summary>
    /// <param name="relationship">Relationship to the parent (null at the root).</param>
    /// <param name="concept">Concept name.</param>
    /// <param name="children">Children.</param>
    /// <param name="templateIdentifier">DCMR template id written in Content Template Sequence, or null.</param>
    public static SrContentItem Container(SrRelationshipType? relationship, DicomCode concept, IReadOnlyList<SrContentItem> children, string? templateIdentifier = null) =>
        new() { ValueType = SrValueType.Container, Relationship = relationship, ConceptName = concept, Children = children, TemplateIdentifier = templateIdentifier };

    /// <summary>A TEXT item.</summary>
    /// <param name="relationship">Relationship to the parent.</param>
    /// <param name="concept">Concept name.</param>
    /// <param name="value">Text.</param>
    /// <param name="children">Children.</param>
    public static SrContentItem Text(SrRelationshipType? relationship, DicomCode concept, string value, IReadOnlyList<SrContentItem>? children = null) =>
        new() { ValueType = SrValueType.Text, Relationship = relationship, ConceptName = concept, Text = value, Children = children ?? [] };

    /// <summary>A CODE item.</summary>
    /// <param name="relationship">Relationship to the parent.</param>
    /// <param name="concept">Concept name.</param>
    /// <param name="value">Coded value.</param>
    /// <param name="children">Children.</param>
    public static SrContentItem Code(SrRelationshipType? relationship, DicomCode concept, DicomCode value, IReadOnlyList<SrContentItem>? children = null) =>
        new() { ValueType = SrValueType.Code, Relationship = relationship, ConceptName = concept, Code = value, Children = children ?? [] };

    /// <summary>A NUM item with the template's fixed units.</summary>
    /// <param name="relationship">Relationship to the parent.</param>
    /// <param name="concept">Concept name.</param>
    /// <param name="value">Number.</param>
    /// <param name="units">Units code (UCUM).</param>
    /// <param name="children">Children.</param>
    public static SrContentItem Num(SrRelationshipType? relationship, DicomCode concept, double value, DicomCode units, IReadOnlyList<SrContentItem>? children = null) =>
        new() { ValueType = SrValueType.Num, Relationship = relationship, ConceptName = concept, Measurement = SrMeasurement.Of(value, units), Children = children ?? [] };

    /// <summary>A NUM item with its own units.</summary>
    /// <param name="relationship">Relationship to the parent.</param>
    /// <param name="concept">Concept name.</param>
    /// <param name="value">Measurement.</param>
    /// <param name="children">Children.</param>
    public static SrContentItem Num(SrRelationshipType? relationship, DicomCode concept, SrMeasurement value, IReadOnlyList<SrContentItem>? children = null) =>
        new() { ValueType = SrValueType.Num, Relationship = relationship, ConceptName = concept, Measurement = value, Children = children ?? [] };

    /// <summary>A DATETIME item.</summary>
    /// <param name="relationship">Relationship to the parent.</param>
    /// <param name="concept">Concept name.</param>
    /// <param name="value">Value.</param>
    /// <param name="children">Children.</param>
    public static SrContentItem DateTime(SrRelationshipType? relationship, DicomCode concept, DicomDateTime value, IReadOnlyList<SrContentItem>? children = null) =>
        new() { ValueType = SrValueType.DateTime, Relationship = relationship, ConceptName = concept, DateTime = value, Children = children ?? [] };

    /// <summary>A DATE item.</summary>
    /// <param name="relationship">Relationship to the parent.</param>
    /// <param name="concept">Concept name.</param>
    /// <param name="value">Value.</param>
    /// <param name="children">Children.</param>
    public static SrContentItem Date(SrRelationshipType? relationship, DicomCode concept, DicomDate value, IReadOnlyList<SrContentItem>? children = null) =>
        new() { ValueType = SrValueType.Date, Relationship = relationship, ConceptName = concept, Date = value, Children = children ?? [] };

    /// <summary>A TIME item.</summary>
    /// <param name="relationship">Relationship to the parent.</param>
    /// <param name="concept">Concept name.</param>
    /// <param name="value">Value.</param>
    /// <param name="children">Children.</param>
    public static SrContentItem Time(SrRelationshipType? relationship, DicomCode concept, DicomTime value, IReadOnlyList<SrContentItem>? children = null) =>
        new() { ValueType = SrValueType.Time, Relationship = relationship, ConceptName = concept, Time = value, Children = children ?? [] };

    /// <summary>A UIDREF item.</summary>
    /// <param name="relationship">Relationship to the parent.</param>
    /// <param name="concept">Concept name.</param>
    /// <param name="value">UID.</param>
    /// <param name="children">Children.</param>
    public static SrContentItem Uid(SrRelationshipType? relationship, DicomCode concept, string value, IReadOnlyList<SrContentItem>? children = null) =>
        new() { ValueType = SrValueType.UidRef, Relationship = relationship, ConceptName = concept, Uid = value, Children = children ?? [] };

    /// <summary>A PNAME item.</summary>
    /// <param name="relationship">Relationship to the parent.</param>
    /// <param name="concept">Concept name.</param>
    /// <param name="value">Person name.</param>
    /// <param name="children">Children.</param>
    public static SrContentItem PName(SrRelationshipType? relationship, DicomCode concept, DicomPersonName value, IReadOnlyList<SrContentItem>? children = null) =>
        new() { ValueType = SrValueType.PName, Relationship = relationship, ConceptName = concept, PersonName = value, Children = children ?? [] };

    /// <summary>An IMAGE or COMPOSITE item.</summary>
    /// <param name="valueType">IMAGE or COMPOSITE.</param>
    /// <param name="relationship">Relationship to the parent.</param>
    /// <param name="concept">Concept name (optional for references).</param>
    /// <param name="value">The reference.</param>
    /// <param name="children">Children.</param>
    public static SrContentItem Reference(SrValueType valueType, SrRelationshipType? relationship, DicomCode? concept, SrReference value, IReadOnlyList<SrContentItem>? children = null) =>
        new() { ValueType = valueType, Relationship = relationship, ConceptName = concept, Reference = value, Children = children ?? [] };
}

/// <summary>
/// Reads the rows of a template from a list of sibling content items (used by the generated template classes): each row takes
/// the items with its concept name and value type; a missing mandatory row, a value of the wrong kind and items no row takes
/// become findings with the items' paths.
/// </summary>
public sealed class SrReader
{
    private readonly List<SrContentItem> _pool;
    private readonly ICollection<DicomFinding> _findings;
    private readonly string _path;

    /// <summary>A reader over <paramref name="items"/>.</summary>
    /// <param name="items">Sibling content items.</param>
    /// <param name="path">Path of the parent (prefix of findings about missing rows).</param>
    /// <param name="findings">Where findings go.</param>
    public SrReader(IReadOnlyList<SrContentItem> items, string path, ICollection<DicomFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(items);
        _pool = [.. items];
        _path = path;
        _findings = findings ?? throw new ArgumentNullException(nameof(findings));
    }

    /// <summary>Number of items taken so far.</summary>
    public int Taken { get; private set; }

    /// <summary>The findings.</summary>
    public ICollection<DicomFinding> Findings => _findings;

    private string ContentPath => (_path.Length > 0 ? _path + "." : "") + SrTags.ContentSequence;

    /// <summary>A reader over the children of <paramref name="item"/>.</summary>
    /// <param name="item">The parent item.</param>
    public SrReader Children(SrContentItem item) => new(item.Children, item.Path ?? _path, _findings);

    private static bool Matches(SrContentItem i, DicomCode? concept, SrValueType valueType) =>
        i.ValueType == valueType && (concept is null ? i.ConceptName is null || valueType is SrValueType.Image or SrValueType.Composite : SrCodes.SameConcept(i.ConceptName, concept));

    /// <summary>Takes every item of the row.</summary>
    /// <param name="concept">The row's concept name (null for unnamed IMAGE/COMPOSITE rows).</param>
    /// <param name="valueType">The row's value type.</param>
    /// <param name="name">Row name for messages.</param>
    /// <param name="mandatory">True when the template requires the row.</param>
    public IReadOnlyList<SrContentItem> Take(DicomCode? concept, SrValueType valueType, string name, bool mandatory)
    {
        var found = _pool.Where(i => Matches(i, concept, valueType)).ToList();
        foreach (var f in found) _pool.Remove(f);
        Taken += found.Count;
        if (found.Count == 0 && mandatory)
        {
            var wrongType = concept is null ? null : _pool.FirstOrDefault(i => SrCodes.SameConcept(i.ConceptName, concept));
            _findings.Add(wrongType is not null
                ? new DicomFinding(wrongType.Path ?? ContentPath, DicomFindingRule.WrongVR, DicomFindingSeverity.Error, $"{name} {concept} is {SrTerms.Text(wrongType.ValueType)}, the template says {SrTerms.Text(valueType)}")
                : new DicomFinding(ContentPath, DicomFindingRule.MissingType1, DicomFindingSeverity.Error, $"mandatory content item {name} {concept?.ToString() ?? SrTerms.Text(valueType)} is missing"));
        }
        return found;
    }

    /// <summary>Takes the first item of a row of VM 1. Further items with the row's concept stay for the following rows with the
    /// same concept (order is significant: two rows of a template may share a code) and are otherwise reported by <see cref="Finish"/>.</summary>
    /// <param name="concept">The row's concept name.</param>
    /// <param name="valueType">The row's value type.</param>
    /// <param name="name">Row name for messages.</param>
    /// <param name="mandatory">True when the template requires the row.</param>
    public SrContentItem? TakeOne(DicomCode? concept, SrValueType valueType, string name, bool mandatory)
    {
        var first = _pool.FirstOrDefault(i => Matches(i, concept, valueType));
        if (first is null)
        {
            Take(concept, valueType, name, mandatory); // reports the missing mandatory row (or the wrong value type)
            return null;
        }
        _pool.Remove(first);
        Taken++;
        return first;
    }

    /// <summary>Reports the items no row took (content the template does not describe).</summary>
    public void Finish()
    {
        foreach (var i in _pool)
            _findings.Add(new DicomFinding(i.Path ?? ContentPath, DicomFindingRule.UnexpectedAttribute, DicomFindingSeverity.Warning, $"content item not in the template: {i}"));
        _pool.Clear();
    }

    private T? Missing<T>(SrContentItem item, string what)
    {
        _findings.Add(new DicomFinding(item.Path ?? ContentPath, DicomFindingRule.MissingType1, DicomFindingSeverity.Error, $"{item.ConceptName} has no {what}"));
        return default;
    }

    /// <summary>The TEXT value.</summary>
    /// <param name="item">The item.</param>
    public string? Text(SrContentItem item) => item.Text ?? Missing<string>(item, "text value");

    /// <summary>The CODE value.</summary>
    /// <param name="item">The item.</param>
    public DicomCode? Code(SrContentItem item) => item.Code ?? Missing<DicomCode>(item, "coded value");

    /// <summary>The CODE value checked against the template's fixed value.</summary>
    /// <param name="item">The item, or null when the row is absent.</param>
    /// <param name="expected">The fixed value.</param>
    public void CheckCode(SrContentItem? item, DicomCode expected)
    {
        if (item?.Code is { } c && !SrCodes.SameConcept(c, expected))
            _findings.Add(new DicomFinding(item.Path ?? ContentPath, DicomFindingRule.FixedValueMismatch, DicomFindingSeverity.Error, $"{item.ConceptName} is {c}, the template fixes {expected}"));
    }

    /// <summary>The NUM value in the template's units (a value in other units is reported and returned as sent).</summary>
    /// <param name="item">The item.</param>
    /// <param name="units">The template's units.</param>
    public double? Number(SrContentItem item, DicomCode units)
    {
        if (item.Measurement is not { } m) return Missing<double?>(item, "measured value");
        if (!SrCodes.SameConcept(m.Units, units))
            _findings.Add(new DicomFinding(item.Path ?? ContentPath, DicomFindingRule.FixedValueMismatch, DicomFindingSeverity.Warning, $"{item.ConceptName} in {m.Units}, the template says {units}"));
        return m.Number;
    }

    /// <summary>The NUM value with its units.</summary>
    /// <param name="item">The item.</param>
    public SrMeasurement? Measurement(SrContentItem item) => item.Measurement ?? Missing<SrMeasurement>(item, "measured value");

    /// <summary>The DATETIME value.</summary>
    /// <param name="item">The item.</param>
    public DicomDateTime? DateTime(SrContentItem item) => item.DateTime ?? Missing<DicomDateTime?>(item, "date/time");

    /// <summary>The DATE value.</summary>
    /// <param name="item">The item.</param>
    public DicomDate? Date(SrContentItem item) => item.Date ?? Missing<DicomDate?>(item, "date");

    /// <summary>The TIME value.</summary>
    /// <param name="item">The item.</param>
    public DicomTime? Time(SrContentItem item) => item.Time ?? Missing<DicomTime?>(item, "time");

    /// <summary>The UIDREF value.</summary>
    /// <param name="item">The item.</param>
    public string? Uid(SrContentItem item) => item.Uid ?? Missing<string>(item, "UID");

    /// <summary>The PNAME value.</summary>
    /// <param name="item">The item.</param>
    public DicomPersonName? PName(SrContentItem item) => item.PersonName ?? Missing<DicomPersonName>(item, "person name");

    /// <summary>The IMAGE / COMPOSITE reference.</summary>
    /// <param name="item">The item.</param>
    public SrReference? Reference(SrContentItem item) => item.Reference ?? Missing<SrReference>(item, "reference");

    /// <summary>Parses the document root of <paramref name="dataset"/> and checks its concept name (the document title).</summary>
    /// <param name="dataset">The top-level data set.</param>
    /// <param name="title">The template's root concept.</param>
    /// <param name="findings">Where findings go.</param>
    /// <returns>The root, or null when the data set has no content (Value Type and Content Sequence absent).</returns>
    public static SrContentItem? ReadRoot(DicomDataset dataset, DicomCode title, ICollection<DicomFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(findings);
        if (!dataset.Contains(SrTags.ContentSequence) && !dataset.Contains(SrTags.ConceptNameCodeSequence)) return null;
        var root = SrContent.Parse(dataset, "", findings, isRoot: true);
        if (root is not null && root.ConceptName is { } name && !SrCodes.SameConcept(name, title))
            findings.Add(new DicomFinding(SrTags.ConceptNameCodeSequence.ToString(), DicomFindingRule.FixedValueMismatch, DicomFindingSeverity.Error, $"document title is {name}, the template's root is {title}"));
        return root;
    }
}
