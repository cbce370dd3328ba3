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

        // SR templates (§6.4.13 – §6.4.23): TID tables → sr-templates.json; §6.4.12 (root template list) stays a grid.
        var srTables = new List<string>();
        var sr = new SrTemplateFile();
        foreach (var sub in headings.Where(h => h.Number.StartsWith("6.4.", StringComparison.Ordinal) && h.Number.Count(c => c == '.') == 2))
        {
            var span = Span(text, sub);
            if (HasAttributeHeader(text, span))
            {
                continue;
            }
            srTables.Add(span.Id);
            var tm = TidHeading().Match(sub.Title);
            if (!tm.Success)
            {
                int first = FirstRow(text, span);
                bool hasHeader = first > 0 && text[first].StartsWith("SOP Class\t", StringComparison.Ordinal);
                var grid = PhilipsAnnex.Grid(text, span, hasHeader ? 1 : 0, stopAtProse: false);
                output.Device.Tables.Add(grid);
                DeviceHelpers.Cover(output, span, "extracted", "device.json", PhilipsAnnex.TagRows(grid));
                sr.Root = grid.Rows.Count > 0 && grid.Rows[0].Cells.Count > 1 ? grid.Rows[0].Cells[1] : "";
                continue;
            }
            var template = new SrTemplate { Tid = tm.Groups[1].Value, Name = tm.Groups[2].Value.Trim(), Provenance = span.Whole() };
            for (int n = span.CaptionLine + 1; n <= span.EndLine; n++)
            {
                if (!text.IsRow(n) || text.IsSeparator(n) || text[n].StartsWith("VT\t", StringComparison.Ordinal))
                {
                    continue;
                }
                var c = text.Cells(n).Select(StatementText.Clean).Concat(Enumerable.Repeat("", 5)).ToArray();
                var row = new SrTemplateRow
                {
                    ValueType = c[0],
                    ConceptText = c[1],
                    Vm = c[2],
                    Constraint = c[3].Length > 0 ? c[3] : null,
                    Remarks = c[4].Length > 0 ? c[4] : null,
                    Provenance = span.At(n, n),
                };
                if (IncludeRx().Match(c[1]) is { Success: true } inc)
                {
                    row.IncludedTemplate = inc.Groups[1].Value;
                    template.Includes.Add(inc.Groups[1].Value);
                }
                else if (CidRx().Match(c[1]) is { Success: true } cc)
                {
                    row.ConceptContextGroup = cc.Groups[1].Value;
                }
                else
                {
                    row.Concept = Code(c[1]);
                }
                if (row.Constraint is { } k)
                {
                    if (CidRx().Match(k) is { Success: true } cg)
                    {
                        row.ContextGroup = cg.Groups[1].Value;
                    }
                    else if (k.StartsWith("Units", StringComparison.OrdinalIgnoreCase) || row.ValueType == "NUM")
                    {
                        row.Units = Code(k);
                    }
                    else
                    {
                        row.Value = Code(k);
                    }
                }
                template.Rows.Add(row);
            }
            sr.Templates.Add(template);
            DeviceHelpers.Cover(output, span, "extracted", "sr-templates.json", 0);
        }
        output.SrTemplates = sr;

        // Private dictionary (§6.5): two uncaptioned tables.
        var pd = headings.Single(h => h.Number == "6.5");
        int split = DeviceHelpers.FindLine(text, @"^The following tags are never present", pd.Line);
        var private1 = new TableSpan { Id = "§6.5", Title = pd.Title, CaptionLine = pd.Line, EndLine = LastNonBlank(text, pd.Line, split - 1) };
        var private2 = new TableSpan { Id = "§6.5/2", Title = pd.Title + " (never present in Reference and Annotated images)", CaptionLine = split, EndLine = LastNonBlank(text, split, text.Count) };
        output.PrivateDictionary = BuildPrivate(ctx, [private1, private2], output, issues);

        // per-message datasets: Q/R keys (Table 4), MWL keys (Table 9), MPPS N-CREATE (Table 13) and N-SET (Table 16)
        var messages = new (int Table, string TypeName, string Uid, string SopName, string Dimse, ColumnMap Map)[]
        {
            (4, "TriniasStudyRootFindQuery", "1.2.840.10008.5.1.4.1.2.2.1", "Study Root Query/Retrieve Information Model - FIND", "C-FIND-RQ identifier", new ColumnMap(Name: 0, Tag: 2, Vr: -1, Value: -1, Presence: 1, Source: -1, Comment: -1)),
            (9, "TriniasWorklistQuery", "1.2.840.10008.5.1.4.31", "Modality Worklist Information Model - FIND", "C-FIND-RQ identifier", new ColumnMap(Name: 0, Tag: 2, Vr: 1, Value: -1, Presence: -1, Source: -1, Comment: -1)),
            (13, "TriniasMppsNCreate", "1.2.840.10008.3.1.2.3.3", "Modality Performed Procedure Step", "N-CREATE-RQ", new ColumnMap(Name: 2, Tag: 0, Vr: 1, Value: 3, Presence: -1, Source: -1, Comment: -1)),
            (16, "TriniasMppsNSet", "1.2.840.10008.3.1.2.3.3", "Modality Performed Procedure Step", "N-SET-RQ", new ColumnMap(Name: 2, Tag: 0, Vr: 1, Value: 3, Presence: -1, Source: -1, Comment: -1)),
        };
        foreach (var m in messages)
        {
            var t = ctx.Tables.Single(x => x.Number == m.Table);
            var msg = BuildMessage(ctx, t, m.Map, issues);
            msg.TypeName = m.TypeName;
            msg.SopClassUid = m.Uid;
            msg.SopClassName = m.SopName;
            msg.Dimse = m.Dimse;
            output.Messages.Add(msg);
            used[t.Id] = ("messages/" + m.TypeName + ".json", msg.Modules.Sum(x => PhilipsAnnex.CountRows(x.Attributes)));
        }

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
            new Section { Kind = "network", Text = "AE DAR-9500f / Gateway: verification, Q/R (study root find/move), storage SCU and SCP, MWL, print, MPPS. Q/R keys, MWL keys and MPPS N-CREATE/N-SET attributes are message datasets (messages/); the other tables are grids.", TableIds = Enumerable.Range(1, 18).Where(n => n is not (4 or 9 or 13 or 16)).Select(n => ids[n]).ToList(), Provenance = Lines(text, @"^3\. ", @"^3\.2\. ") },
            new Section { Kind = "media", TableIds = Enumerable.Range(19, 5).Select(n => ids[n]).ToList(), Provenance = Lines(text, @"^3\.2\. ", @"^4\. ") },
            new Section { Kind = "characterSets", TableIds = [ids[24]], Provenance = Lines(text, @"^4\.4\. ", @"^5\. ") },
            new Section { Kind = "security", Text = "NA (§4.2 Extensions/Specialization/Privatization: NA; no security chapter)", Provenance = Lines(text, @"^4\.2\. ", @"^4\.3\. ") },
            new Section { Kind = "srTemplates", Text = "Root template TID 10001 X-Ray Radiation Dose (heading printed as TID 1001). TID tables are in sr-templates.json; the root list (§6.4.12) and Table 25 (codes of CID 10008 used by TID 10003B) are grids.", TableIds = [srTables[0], ids[25]], Provenance = Lines(text, @"^6\.4\.12\. ", @"^6\.5\. ") },
            new Section { Kind = "uidGeneration", Text = "UID roots and templates, incl. anonymisation roots (§5)", Provenance = Lines(text, @"^5\. ", @"^6\. ") },
        ];
        output.Device.Network = BuildNetwork(text, output.Device.Tables);
        output.Device.Media = BuildMedia(output.Device.Tables);
        output.Device.CharacterSets = charsets.Rows.Select(r => r.Cells[0]).ToList();
        output.Coverage.Tables.Sort((a, b) => a.Lines[0].CompareTo(b.Lines[0]));
        output.Coverage.Issues.AddRange(issues);
        return output;
    }

    private static NetworkDefinition BuildNetwork(StatementText text, List<RawTable> grids)
    {
        var net = new NetworkDefinition();
        int ctxLine = DeviceHelpers.FindLine(text, @"DICOM 3\.0 Application Context");
        int implLine = DeviceHelpers.FindLine(text, @"^Implementation Class UID \(acquisition\)");
        int verLine = DeviceHelpers.FindLine(text, @"^Implementation Version Name");
        var uid = new Regex(@"\*\*([0-9.X]+)\*\*");
        var ae = new ApplicationEntity
        {
            Name = "DAR-9500f",
            ApplicationContext = ctxLine == 0 ? null : uid.Match(text[ctxLine]).Groups[1].Value,
            Provenance = new Provenance { Title = "3.1. DAR-9500f AE Specification", Lines = [ctxLine, verLine] },
        };
        for (int n = implLine; n > 0 && n < verLine; n++)
        {
            if (text[n].StartsWith("Implementation Class UID", StringComparison.Ordinal) && uid.Match(text[n]) is { Success: true } m)
            {
                ae.ImplementationClassUids.Add(m.Groups[1].Value);
            }
        }
        if (verLine > 0)
        {
            ae.ImplementationVersionNames.Add(uid.Match(text[verLine]).Groups[1].Value.Length > 0 ? uid.Match(text[verLine]).Groups[1].Value : Regex.Match(text[verLine], @"\*\*(\S+)\*\*").Groups[1].Value);
        }
        net.ApplicationEntities.Add(ae);
        int maxLine = DeviceHelpers.FindLine(text, @"^The maximum number of association");
        if (maxLine > 0)
        {
            net.Policies.Add(new PolicyItem { Kind = "maxAssociations", Value = Regex.Match(text[maxLine], @"up to (\d+)").Groups[1].Value, Text = StatementText.Clean(text[maxLine]), Provenance = new Provenance { Lines = [maxLine, maxLine] } });
        }
        int asyncLine = DeviceHelpers.FindLine(text, @"allows a single outstanding operation");
        if (asyncLine > 0)
        {
            net.Policies.Add(new PolicyItem { Kind = "asynchronousWindow", Value = "1", Text = StatementText.Clean(text[asyncLine]), Provenance = new Provenance { Lines = [asyncLine, asyncLine] } });
        }
        int cfg = DeviceHelpers.FindLine(text, @"Configurable parameters are:");
        for (int n = cfg + 1; cfg > 0 && n <= text.Count && !Regex.IsMatch(text[n], @"^\d+\.\d+\."); n++) // numbered list items look like headings
        {
            if (Regex.Match(text[n], @"^\d+\.\s+(.*)$") is { Success: true } item)
            {
                net.Policies.Add(new PolicyItem { Kind = "configurable", Text = item.Groups[1].Value.Trim(), Provenance = new Provenance { Lines = [n, n] } });
            }
        }
        int gwLine = DeviceHelpers.FindLine(text, @"^When send the image via Gateway");
        int gwVer = DeviceHelpers.FindLine(text, @"^Implementation version name is:");
        if (gwLine > 0)
        {
            net.ApplicationEntities.Add(new ApplicationEntity
            {
                Name = "Gateway",
                ApplicationContext = ae.ApplicationContext,
                ImplementationClassUids = [Regex.Match(text[gwLine], @"(\d+(?:\.\d+)+)\s*$").Groups[1].Value],
                ImplementationVersionNames = gwVer == 0 ? [] : [text[gwVer]["Implementation version name is:".Length..].Trim().TrimEnd('.')],
                Provenance = new Provenance { Title = "3.1.1.4. Implementation Identifying Information", Lines = [gwLine, Math.Max(gwLine, gwVer)] },
            });
        }
        foreach (var g in grids.Where(g => g.Header.Count > 0 && g.Header[0].StartsWith("Abstract Syntax", StringComparison.Ordinal)))
        {
            int name = 0, sop = 1;
            int tsName = g.Header.FindIndex(h => h.StartsWith("Transfer Syntax", StringComparison.Ordinal));
            int tsUid = g.Header.FindIndex(h => h == "UID List");
            int role = g.Header.FindIndex(h => h == "Role");
            int ext = g.Header.FindIndex(h => h.StartsWith("Extended", StringComparison.Ordinal));
            PresentationContext? cur = null;
            foreach (var r in g.Rows)
            {
                string Cell(int i) => i >= 0 && i < r.Cells.Count ? r.Cells[i] : "";
                if (Cell(name).Length > 0)
                {
                    cur = new PresentationContext
                    {
                        SopClassName = Cell(name),
                        SopClassUid = NoSpace(Cell(sop)),
                        Role = NoSpace(Cell(role)),
                        ExtendedNegotiation = Cell(ext).Length > 0 ? Cell(ext) : null,
                        Provenance = new Provenance { Table = g.Id, Title = g.Title, Lines = [r.Provenance.Lines[0], r.Provenance.Lines[1]] },
                    };
                    net.PresentationContexts.Add(cur);
                }
                if (cur is null || Cell(tsName).Length == 0)
                {
                    continue;
                }
                if (Cell(tsUid).Length == 0 && Regex.Match(Cell(tsName), @"Table (\d+)") is { Success: true } tref
                    && grids.FirstOrDefault(x => x.Id == "Table " + tref.Groups[1].Value) is { } tsTable)
                {
                    // "all from Table 11": expand the referenced transfer syntax table
                    cur.TransferSyntaxes.AddRange(tsTable.Rows.Select(x => new TransferSyntaxRef { Name = x.Cells[0], Uid = NoSpace(x.Cells.Count > 1 ? x.Cells[1] : "") }));
                }
                else
                {
                    cur.TransferSyntaxes.Add(new TransferSyntaxRef { Name = Cell(tsName), Uid = NoSpace(Cell(tsUid)) });
                }
                cur.Provenance.Lines = [cur.Provenance.Lines[0], r.Provenance.Lines[1]];
            }
        }
        return net;
    }

    private static MediaDefinition BuildMedia(List<RawTable> grids)
    {
        var media = new MediaDefinition();
        var fsr = grids.Single(g => g.Id == "Table 20").Rows.Select(r => NoSpace(r.Cells[1])).ToList();
        var fsc = grids.Single(g => g.Id == "Table 22").Rows.Select(r => NoSpace(r.Cells[1])).ToList();
        string profile = "";
        foreach (var r in grids.Single(g => g.Id == "Table 19").Rows)
        {
            profile = r.Cells[0].Length > 0 ? r.Cells[0] : profile;
            var role = r.Cells.Count > 2 ? r.Cells[2] : "";
            media.Profiles.Add(new MediaProfile
            {
                Profile = profile,
                Activity = r.Cells.Count > 1 ? r.Cells[1] : "",
                Role = role,
                Option = r.Cells.Count > 3 && r.Cells[3].Length > 0 ? r.Cells[3] : null,
                SopClassUids = role == "FSR" ? fsr : role == "FSC" ? fsc : [],
                Provenance = r.Provenance,
            });
        }
        return media;
    }

    private static string NoSpace(string s) => Regex.Replace(s, @"\s+", "");

    private static ModuleDefinition BuildModule(ExtractionContext ctx, TableSpan span, string title, ConditionMapper conditions, List<string> issues)
    {
        var parsed = AttributeTableParser.Parse(ctx.Text, span.CaptionLine + 1, span.EndLine, Columns, acceptMalformedTags: true);
        var rows = new List<(int, AttributeDefinition)>();
        foreach (var r in parsed.Rows)
        {
            var a = new AttributeDefinition
            {
                Name = Vocabulary.StripLevel(r[Columns.Name]),
                Tag = r.Tag,
                TagRaw = r.TagRaw,
                Vr = Vocabulary.Vr(r[Columns.Vr]),
                Provenance = span.At(r.First, r.Last),
            };
            if (r.TagRaw is not null)
            {
                issues.Add($"{span.Id}: line {r.First}: unreadable tag '{r.TagRaw}' kept as tagRaw (see errata)");
            }
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

    /// <summary>A message table: group rows ("SOP Common Module⇥⇥⇥", "STUDY LEVEL⇥⇥") start modules; attribute rows in between.</summary>
    private static IodDefinition BuildMessage(ExtractionContext ctx, TableSpan t, ColumnMap map, List<string> issues)
    {
        var text = ctx.Text;
        var msg = new IodDefinition { Context = Context, Provenance = t.Whole() };
        msg.Modules.AddRange(MessageTable.Modules(text, t, new MessageTable.Options
        {
            Map = map,
            IsGroup = (cells, _) => !cells.Any(Vocabulary.IsTag)
                && (cells[0].Contains("Module", StringComparison.Ordinal) || cells[0].EndsWith("LEVEL", StringComparison.Ordinal)),
            CaptionGroup = (span, groups) => groups.Count == 0 || groups[0].Line > span.CaptionLine + 3,
            Attribute = r => MessageRow(ctx, t, map, r),
            Module = (module, group) =>
            {
                var gm = Regex.Match(group.Name, @"^(.*?Module)\s*\((.*)\)\s*$");
                if (gm.Success)
                {
                    module.Name = gm.Groups[1].Value;
                    module.Usage = "C";
                    module.PresenceWord = "CONDITIONAL";
                    module.ConditionText = gm.Groups[2].Value;
                    module.Condition = new Condition { Op = "unmapped", Text = gm.Groups[2].Value };
                }
            },
        }, issues));
        return msg;
    }

    private static AttributeDefinition MessageRow(ExtractionContext ctx, TableSpan t, ColumnMap map, FlatRow r)
    {
        var a = new AttributeDefinition
        {
            Name = Vocabulary.StripLevel(r[map.Name]).TrimEnd('*').Trim(),
            Tag = r.Tag,
            Vr = map.Vr >= 0 ? Vocabulary.Vr(r[map.Vr]) : "",
            Provenance = t.At(r.First, r.Last),
        };
        if (map.Presence >= 0)
        {
            a.Presence = new Presence { Word = StatementText.Clean(r[map.Presence]), Type = "" };
        }
        if (map.Value >= 0)
        {
            a.Value = ValueParser.Parse(r[map.Value], []);
            a.Source = MppsSources(a.Value?.Raw ?? "");
            if (a.Value?.Raw is { } v && (v.StartsWith("Zero length", StringComparison.Ordinal) || v.StartsWith("No length", StringComparison.Ordinal)))
            {
                a.Presence = new Presence { Word = v, Type = "2" }; // sent with zero length
            }
        }
        if (a.Vr.Length == 0 && ctx.Dictionary.Find(a.Tag) is { } std)
        {
            a.Vr = string.Join("/", std.Vrs); // Q/R key table prints no VR: standard VR
        }
        PhilipsAnnex.FillVm(a, ctx.Dictionary);
        return a;
    }

    private static List<string> MppsSources(string value)
    {
        var list = new List<string>();
        if (value.Contains("Modality Worklist", StringComparison.OrdinalIgnoreCase))
        {
            list.Add("MWL");
        }
        if (value.Contains("user input", StringComparison.OrdinalIgnoreCase))
        {
            list.Add("USER");
        }
        if (value.Contains("configuration", StringComparison.OrdinalIgnoreCase))
        {
            list.Add("CONFIG");
        }
        if (value.StartsWith("Actual", StringComparison.OrdinalIgnoreCase) || value.StartsWith("Automatically", StringComparison.OrdinalIgnoreCase))
        {
            list.Add("AUTO");
        }
        return list;
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

    /// <summary>Lenient coded entry: EV/DT(value, scheme, "meaning") with missing quotes/commas and curly quotes tolerated.</summary>
    private static CodeTriple? Code(string cell)
    {
        var m = CodeRx().Match(cell);
        return m.Success
            ? new CodeTriple { Value = m.Groups[1].Value.Trim(), Scheme = m.Groups[2].Value.Trim(), Meaning = m.Groups[3].Value.Trim().Trim('"', '“', '”', ' ') }
            : null;
    }

    [GeneratedRegex(@"^TID\s*(\d+[A-Z]?)\s+(.*)$")]
    private static partial Regex TidHeading();

    [GeneratedRegex(@"DTID\s*\(\s*(\d+[A-Z]?)\s*\)")]
    private static partial Regex IncludeRx();

    [GeneratedRegex(@"[DB]CID\s*\(?\s*(\d+)\s*\)?")]
    private static partial Regex CidRx();

    [GeneratedRegex(@"(?:EV|DT)\s*\(\s*([^,()]+?)\s*,\s*([A-Za-z0-9_\-]+)\s*,?\s*(.+?)\s*\)")]
    private static partial Regex CodeRx();

    [GeneratedRegex(@"\b(available|present)\b", RegexOptions.IgnoreCase)]
    private static partial Regex RemarkIsCondition();

    [GeneratedRegex(@"^\(?[0-9A-Fa-f]{2,4}\)?\s+[A-Z]{2}\s")]
    private static partial Regex TagLike();
}
