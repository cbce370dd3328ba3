using System.Text.RegularExpressions;
using Dicom.Typed.Definitions.Extractor.Parsing;
using static Dicom.Typed.Definitions.Extractor.Parsing.ConditionMapper;

namespace Dicom.Typed.Definitions.Extractor.Devices;

/// <summary>003 Shimadzu Trinias / BRANSIST alexa (DAR-9500f Rev.6.9). Older layout: no IOD tables, uncaptioned module tables
/// under numbered headings, tag-first columns (Tag, VR, Type, Attribute Name, Remarks), DICOM types instead of presence words.</summary>
public sealed partial class Trinias : IDeviceParser
{
    private const string Context = "DAR-9500f";
    private static readonly ColumnMap Columns = new(Name: 3, Tag: 0, Vr: 1, Value: -1, Presence: 2, Source: -1, Comment: 4);
    private static readonly string[] Rotational = ["3D-DA", "3D-DSA"];

    /// <inheritdoc />
    public string Id => "shimadzu-trinias";

    /// <inheritdoc />
    public DeviceOutput Parse(ExtractionContext ctx)
    {
        var text = ctx.Text;
        var output = new DeviceOutput
        {
            Device = new DeviceDefinition
            {
                Vendor = "Shimadzu Corporation",
                Product = "Trinias / BRANSIST alexa (DAR-9500f)",
                Version = "Rev.6.9",
            },
        };
        var headings = Headings(text);
        var used = new Dictionary<string, (string, int)>(StringComparer.Ordinal);
        var issues = new List<string>();

        var conditions = new ConditionMapper()
            .Rule(@"^Not available on Reference image", _ => new Condition { Op = "not", Args = [Variant("Reference")] })
            .Rule(@"^Available on Reference image", _ => Variant("Reference"))
            .Rule(@"^Present in (rotational acquisition|3D) images", _ => Variant(Rotational))
            .Rule(@"^Available on 3D and rotational image", _ => Variant(Rotational))
            .Rule(@"^This tag is present in processed DICOM file but not in original", _ => Present("0008,2111"))
            .Rule(@"^Present in original DICOM file, not in processed", _ => Absent("0008,2111"))
            .Rule(@"only if the image is DSA", _ => Variant("DSA", "3D-DSA"));

        var xaVariants = new IodVariant[]
        {
            new() { Key = "DA", Description = "X-ray radiography image (live), single-plane or bi-plane" },
            new() { Key = "3D-DA", Description = "Rotational acquisition for 3D reconstruction" },
            new() { Key = "3D-DSA", Description = "Rotational subtracted acquisition for 3D reconstruction" },
            new() { Key = "DSA", Description = "Subtraction image (live), single-plane or bi-plane" },
            new() { Key = "Reference", Description = "One selected frame of a radiography image" },
            new() { Key = "AutoStitching", Description = "Image combined from acquired images" },
        };
        var iods = new (string Section, string TypeName, string Uid, string SopName, IodVariant[] Variants)[]
        {
            ("6.1", "TriniasXaImage", "1.2.840.10008.5.1.4.1.1.12.1", "X-Ray Angiographic Image Storage", xaVariants),
            ("6.2", "TriniasScImage", "1.2.840.10008.5.1.4.1.1.7", "Secondary Capture Image Storage", [new() { Key = "PhotoFile", Description = "Still image captured from a radiography image" }]),
            ("6.3", "TriniasDoseReportImage", "1.2.840.10008.5.1.4.1.1.7.2", "Multi-frame Grayscale Byte Secondary Capture Image Storage", [new() { Key = "DoseReport", Description = "Exposure information of the study as a multi-frame image" }]),
            ("6.4", "TriniasXRayRadiationDoseSr", "1.2.840.10008.5.1.4.1.1.88.67", "X-Ray Radiation Dose SR Storage", []),
        };

        foreach (var (section, typeName, uid, sopName, variants) in iods)
        {
            var head = headings.Single(h => h.Number == section);
            var iod = new IodDefinition
            {
                TypeName = typeName,
                Context = Context,
                SopClassUid = uid,
                SopClassName = sopName,
                Variants = [.. variants],
                Provenance = new Provenance { Table = "§" + section, Title = head.Title, Lines = [head.Line, head.Line] },
            };
            foreach (var sub in headings.Where(h => h.Number.StartsWith(section + ".", StringComparison.Ordinal) && h.Number.Count(c => c == '.') == 2))
            {
                var span = Span(text, sub);
                if (!HasAttributeHeader(text, span))
                {
                    continue; // SR template sections: handled below
                }
                var module = BuildModule(ctx, span, sub.Title, conditions, issues);
                iod.Modules.Add(module);
                iod.Provenance.Lines = [head.Line, span.EndLine];
                used[span.Id] = ("iods/" + typeName + ".json", PhilipsAnnex.CountRows(module.Attributes));
                DeviceHelpers.Cover(output, span, "extracted", "iods/" + typeName + ".json", PhilipsAnnex.CountRows(module.Attributes));
            }
            output.Iods.Add(iod);
        }

        // SR templates (§6.4.12 – §6.4.23): grids (VT, Concept Name, VM, Value Set Constraint, Remarks) in device.json.
        var srTables = new List<string>();
        foreach (var sub in headings.Where(h => h.Number.StartsWith("6.4.", StringComparison.Ordinal) && h.Number.Count(c => c == '.') == 2))
        {
            var span = Span(text, sub);
            if (HasAttributeHeader(text, span))
            {
                continue;
            }
            int first = FirstRow(text, span);
            bool hasHeader = first > 0 && (text[first].StartsWith("VT\t", StringComparison.Ordinal) || text[first].StartsWith("SOP Class\t", StringComparison.Ordinal));
            var grid = PhilipsAnnex.Grid(text, span, hasHeader ? 1 : 0, stopAtProse: false);
            if (!hasHeader)
            {
                grid.Header = ["VT", "Concept Name", "VM", "Value Set Constraint", "Remarks"];
            }
            output.Device.Tables.Add(grid);
            srTables.Add(span.Id);
            DeviceHelpers.Cover(output, span, "extracted", "device.json", PhilipsAnnex.TagRows(grid));
        }

        // Private dictionary (§6.5): two uncaptioned tables.
        var pd = headings.Single(h => h.Number == "6.5");
        int split = DeviceHelpers.FindLine(text, @"^The following tags are never present", pd.Line);
        var private1 = new TableSpan { Id = "§6.5", Title = pd.Title, CaptionLine = pd.Line, EndLine = LastNonBlank(text, pd.Line, split - 1) };
        var private2 = new TableSpan { Id = "§6.5/2", Title = pd.Title + " (never present in Reference and Annotated images)", CaptionLine = split, EndLine = LastNonBlank(text, split, text.Count) };
        output.PrivateDictionary = BuildPrivate(ctx, [private1, private2], output, issues);

        // captioned tables: network (1–18), media (19–23), character sets (24), dose distance codes (25)
        DeviceHelpers.CoverRemainingAsGrids(ctx, output, used, stopAtProse: false);
        var ids = ctx.Tables.ToDictionary(t => t.Number, t => t.Id);
        // Table 24 has no header row: its first row is data
        int charsetIndex = output.Device.Tables.FindIndex(t => t.Id == ids[24]);
        var charsets = PhilipsAnnex.Grid(text, ctx.Tables.Single(t => t.Number == 24), 0, stopAtProse: false);
        charsets.Header = ["Character Set", "Description"];
        output.Device.Tables[charsetIndex] = charsets;
        output.Device.Sections =
        [
            new Section { Kind = "network", Text = "AE DAR-9500f / Gateway: verification, Q/R (study root find/move), storage SCU and SCP, MWL, print, MPPS", TableIds = Enumerable.Range(1, 18).Select(n => ids[n]).ToList(), Provenance = Lines(text, @"^3\. ", @"^3\.2\. ") },
            new Section { Kind = "media", TableIds = Enumerable.Range(19, 5).Select(n => ids[n]).ToList(), Provenance = Lines(text, @"^3\.2\. ", @"^4\. ") },
            new Section { Kind = "characterSets", TableIds = [ids[24]], Provenance = Lines(text, @"^4\.4\. ", @"^5\. ") },
            new Section { Kind = "security", Text = "NA (§4.2 Extensions/Specialization/Privatization: NA; no security chapter)", Provenance = Lines(text, @"^4\.2\. ", @"^4\.3\. ") },
            new Section { Kind = "srTemplates", Text = "Root template TID 10001 X-Ray Radiation Dose (printed as TID 1001)", TableIds = [.. srTables, ids[25]], Provenance = Lines(text, @"^6\.4\.12\. ", @"^6\.5\. ") },
            new Section { Kind = "uidGeneration", Text = "UID roots and templates, incl. anonymisation roots (§5)", Provenance = Lines(text, @"^5\. ", @"^6\. ") },
        ];
        output.Coverage.Tables.Sort((a, b) => a.Lines[0].CompareTo(b.Lines[0]));
        output.Coverage.Issues.AddRange(issues);
        return output;
    }

    private static ModuleDefinition BuildModule(ExtractionContext ctx, TableSpan span, string title, ConditionMapper conditions, List<string> issues)
    {
        var parsed = AttributeTableParser.Parse(ctx.Text, span.CaptionLine + 1, span.EndLine, Columns);
        var rows = new List<(int, AttributeDefinition)>();
        foreach (var r in parsed.Rows)
        {
            var a = new AttributeDefinition
            {
                Name = Vocabulary.StripLevel(r[Columns.Name]),
                Tag = r.Tag,
                Vr = Vocabulary.Vr(r[Columns.Vr]),
                Provenance = span.At(r.First, r.Last),
            };
            var remark = StatementText.Clean(r[Columns.Comment]);
            a.Comment = remark.Length == 0 ? null : remark;
            bool mapped = false;
            if (a.Comment is not null && RemarkIsCondition().IsMatch(a.Comment))
            {
                a.ConditionText = a.Comment;
                a.Condition = conditions.Map(a.Comment);
                mapped = a.Condition.Op != "unmapped";
            }
            _ = mapped;
            a.Presence = Vocabulary.MapPresence(StatementText.Clean(r[Columns.Presence]), false);
            PhilipsAnnex.FillVm(a, ctx.Dictionary);
            rows.Add((r.Level, a));
        }
        var nestIssues = new List<string>();
        var attributes = Nesting.Build(rows, nestIssues);
        issues.AddRange(nestIssues.Select(i => $"{span.Id}: {i}"));
        foreach (var (line, note) in parsed.Notes)
        {
            if (TagLike().IsMatch(note))
            {
                issues.Add($"{span.Id}: line {line}: row with an unreadable tag not extracted: {note}");
            }
        }
        var module = new ModuleDefinition
        {
            Name = title,
            Usage = "M",
            Kind = title.StartsWith("Dicom Meta", StringComparison.OrdinalIgnoreCase) ? "meta" : title.StartsWith("Additional Attributes", StringComparison.OrdinalIgnoreCase) ? "additional" : "standard",
            AttributeTable = span.Id,
            Attributes = attributes,
            Provenance = span.Whole(),
        };
        var cond = parsed.Notes.FirstOrDefault(n => n.Text.StartsWith("(This module", StringComparison.OrdinalIgnoreCase));
        if (cond.Text is not null)
        {
            module.Usage = "C";
            module.ConditionText = cond.Text.Trim('(', ')', ' ');
            module.Condition = conditions.Map(module.ConditionText);
            module.Provenance = span.At(cond.Line, span.EndLine);
        }
        if (module.Kind == "additional")
        {
            module.Usage = "U";
        }
        return module;
    }

    private static PrivateDictionary BuildPrivate(ExtractionContext ctx, TableSpan[] spans, DeviceOutput output, List<string> issues)
    {
        var creators = new List<PrivateCreator>();
        var pending = new List<(string Group, string Block, PrivateElement E)>();
        foreach (var span in spans)
        {
            var parsed = AttributeTableParser.Parse(ctx.Text, span.CaptionLine + 1, span.EndLine, Columns);
            foreach (var r in parsed.Rows)
            {
                string group = r.Tag[..4];
                string hi = r.Tag[5..7];
                string lo = r.Tag[7..9];
                var name = Vocabulary.StripLevel(r[Columns.Name]);
                if (hi == "00")
                {
                    // reservation (gggg,00bb): the statement prints a description instead of the creator string
                    creators.Add(new PrivateCreator
                    {
                        Creator = "?" + name,
                        CreatorKnown = false,
                        Groups = [group],
                        Reservations = [new PrivateReservation { Group = group, Block = lo, Vr = Vocabulary.Vr(r[Columns.Vr]), Text = name, Provenance = span.At(r.First, r.Last) }],
                    });
                    continue;
                }
                var remark = StatementText.Clean(r[Columns.Comment]);
                pending.Add((group, hi, new PrivateElement
                {
                    Group = group,
                    Element = lo,
                    PrintedBlock = hi,
                    Vr = Vocabulary.Vr(r[Columns.Vr]),
                    Vm = "1",
                    Name = name,
                    Keyword = Vocabulary.Keyword(name),
                    Description = StatementText.Clean(r[Columns.Presence]) is { Length: > 0 } type
                        ? "Type " + type + (remark.Length > 0 ? ". " + remark : "")
                        : remark.Length > 0 ? remark : null,
                    Provenance = span.At(r.First, r.Last),
                }));
            }
            foreach (var (line, note) in parsed.Notes)
            {
                if (TagLike().IsMatch(note))
                {
                    issues.Add($"{span.Id}: line {line}: row with an unreadable tag not extracted: {note}");
                }
            }
            DeviceHelpers.Cover(output, span, "extracted", "private-dictionary.json", parsed.Rows.Count);
        }
        foreach (var (group, block, e) in pending)
        {
            var c = creators.FirstOrDefault(c => c.Reservations.Any(r => r.Group == group && r.Block == block));
            if (c is null)
            {
                c = new PrivateCreator { Creator = $"?{group},00{block}", CreatorKnown = false, Groups = [group] };
                creators.Add(c);
                issues.Add($"private {group},{block}{e.Element}: no reservation row for block {block}");
            }
            c.Elements.Add(e);
        }
        return new PrivateDictionary { Creators = creators };
    }

    private sealed record Heading(string Number, string Title, int Line);

    private static List<Heading> Headings(StatementText text)
    {
        var list = new List<Heading>();
        for (int n = 1; n <= text.Count; n++)
        {
            if (TableScanner.Heading(text[n]) is { } h)
            {
                list.Add(new Heading(h.Number, h.Title, n));
            }
        }
        return list;
    }

    private static TableSpan Span(StatementText text, Heading h) =>
        new() { Id = "§" + h.Number, Title = h.Title, CaptionLine = h.Line, EndLine = TableScanner.FindEnd(text, h.Line) };

    private static bool HasAttributeHeader(StatementText text, TableSpan span)
    {
        for (int n = span.CaptionLine + 1; n <= span.EndLine; n++)
        {
            if (text[n].StartsWith("Tag\tVR\tType", StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static int FirstRow(StatementText text, TableSpan span)
    {
        for (int n = span.CaptionLine + 1; n <= span.EndLine; n++)
        {
            if (text.IsRow(n))
            {
                return n;
            }
        }
        return 0;
    }

    private static int LastNonBlank(StatementText text, int from, int to)
    {
        for (int n = Math.Min(to, text.Count); n > from; n--)
        {
            if (text[n].Trim().Length > 0)
            {
                return n;
            }
        }
        return from;
    }

    private static Provenance Lines(StatementText text, string startPattern, string endPattern)
    {
        int s = DeviceHelpers.FindLine(text, startPattern);
        int e = DeviceHelpers.FindLine(text, endPattern, s + 1);
        return new Provenance { Title = StatementText.Clean(text[s]), Lines = [s, e == 0 ? text.Count : e - 1] };
    }

    [GeneratedRegex(@"\b(available|present)\b", RegexOptions.IgnoreCase)]
    private static partial Regex RemarkIsCondition();

    [GeneratedRegex(@"^\(?[0-9A-Fa-f]{2,4}\)?\s+[A-Z]{2}\s")]
    private static partial Regex TagLike();
}
