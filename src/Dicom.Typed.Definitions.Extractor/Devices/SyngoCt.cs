using System.Text.RegularExpressions;
using Dicom.Typed.Definitions.Extractor.Parsing;
using static Dicom.Typed.Definitions.Extractor.Parsing.ConditionMapper;

namespace Dicom.Typed.Definitions.Extractor.Devices;

/// <summary>004 Siemens syngo CT VA50A: space-separated tables (no TABs), IOD tables referencing shared module tables by number,
/// private tags written with the creator string in place of the block byte.</summary>
public sealed partial class SyngoCt : IDeviceParser
{
    private const string Context = "syngo CT VA50A";

    /// <inheritdoc />
    public string Id => "siemens-syngo-ct-va50a";

    private static readonly (string TypeName, int IodTable, string Uid, string Name)[] Specs =
    [
        ("SyngoCtImage", 76, "1.2.840.10008.5.1.4.1.1.2", "CT Image Storage"),
        ("SyngoCtRawData", 94, "1.2.840.10008.5.1.4.1.1.66", "Raw Data Storage"),
        ("SyngoCtSecondaryCapture", 99, "1.2.840.10008.5.1.4.1.1.7", "Secondary Capture Image Storage"),
        ("SyngoCtDoseReport", 109, "1.2.840.10008.5.1.4.1.1.88.67", "X-Ray Radiation Dose SR Storage"),
        ("SyngoCtExamReport", 115, "1.2.840.10008.5.1.4.1.1.88.22", "Enhanced SR Storage"),
        ("SyngoCtSpatialRegistration", 118, "1.2.840.10008.5.1.4.1.1.66.1", "Spatial Registration Storage"),
        ("SyngoCtRtStructureSet", 125, "1.2.840.10008.5.1.4.1.1.481.3", "RT Structure Set Storage"),
    ];

    /// <inheritdoc />
    public DeviceOutput Parse(ExtractionContext ctx)
    {
        var text = ctx.Text;
        var output = new DeviceOutput
        {
            Device = new DeviceDefinition
            {
                Vendor = "Siemens Healthineers",
                Product = "syngo CT",
                Version = "VA50A",
                DocumentId = DocumentId(text),
                Sections =
                [
                    Section(text, "overview", @"^\s*DICOM Conformance Statement Overview", @"^\s*3 Introduction"),
                    Section(text, "network", @"^\s*4 Networking", @"^\s*5 Media Interchange"),
                    Section(text, "media", @"^\s*5 Media Interchange", @"^\s*6 Support of Character Sets|^\s*6 .*Character"),
                    Section(text, "characterSets", @"^\s*6 .*Character", @"^\s*7 "),
                    Section(text, "deIdentification", @"^\s*7 ", @"^\s*8 Security"),
                    Section(text, "security", @"^\s*8 Security", @"IOD Contents"),
                    Section(text, "privateDictionary", @"^\s*Table 131:", @"Coded Terminology and Templates"),
                    Section(text, "srTemplates", @"Coded Terminology and Templates", @"^\s*Table 141:"),
                ],
            },
        };
        // captions printed with a leading space (" Table 77: Patient Module") are missed by the shared scanner
        for (int n = 1; n <= text.Count; n++)
        {
            var lm = LeadingCaptionRx().Match(text[n]);
            if (lm.Success && !ctx.Tables.Any(t => t.CaptionLine == n))
            {
                ctx.Tables.Add(new TableSpan
                {
                    Id = "Table " + lm.Groups[1].Value,
                    Number = int.Parse(lm.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                    Title = StatementText.Clean(lm.Groups[2].Value),
                    CaptionLine = n,
                    EndLine = TableScanner.FindEnd(text, n),
                });
            }
        }
        ctx.Tables.Sort((a, b) => a.CaptionLine.CompareTo(b.CaptionLine));
        // every real caption of this statement has a colon; "Table 111 ALWAYS" (a module row of an IOD table that begins with
        // its reference) and "Table 12 below indicates …" are not captions: removed, covered as skipped, ignored as table ends
        var pseudo = ctx.Tables.Where(t => !Regex.IsMatch(text[t.CaptionLine], @"Table\s?\d+\s*:")
            || Regex.IsMatch(text[t.CaptionLine], @"Table\s?\d+\s*:.*\bbelow (lists|indicates)\b")).ToList();
        ctx.Tables.RemoveAll(pseudo.Contains);
        foreach (var t in ctx.Tables)
        {
            t.EndLine = FindEnd(text, t.CaptionLine);
        }
        TableSpan T(int n) => ctx.Tables.First(t => t.Number == n);
        var used = new Dictionary<string, (string Output, int Rows)>(StringComparer.Ordinal);
        var issues = new List<string>();
        var conditions = new ConditionMapper()
            .Rule(@"^\(?\s*if multi-energy ct acquisition \((0018,9361)\) is yes\)?", m => EqualsTo(m.Groups[1].Value, "YES"))
            .Rule(@"^\(?\s*if contrast media was used in this image\.?\)?$", _ => Present("0018,0010"));

        var moduleCache = new Dictionary<int, List<AttributeDefinition>>();
        List<AttributeDefinition> ModuleAttributes(int n)
        {
            // a fresh tree per IOD (shared tables are referenced by several IODs)
            var t = T(n);
            var rows = SpaceTable.Parse(text, t.CaptionLine + 1, t.EndLine);
            var flat = rows.Select(r => (r.Level, ToAttribute(r, t, ctx.Dictionary))).ToList();
            var nestIssues = new List<string>();
            var tree = Nesting.Build(flat, nestIssues);
            if (!moduleCache.ContainsKey(n))
            {
                issues.AddRange(nestIssues.Select(i => $"{t.Id}: {i}"));
                moduleCache[n] = tree;
            }
            return tree;
        }

        var referenced = new HashSet<int>();
        for (int i = 0; i < Specs.Length; i++)
        {
            var (typeName, iodTableNo, uid, sopName) = Specs[i];
            var iodTable = T(iodTableNo);
            var iod = new IodDefinition
            {
                TypeName = typeName,
                Context = Context,
                SopClassUid = uid,
                SopClassName = sopName,
                Provenance = iodTable.Whole(),
            };
            used[iodTable.Id] = ("iods/" + typeName + ".json", 0);
            foreach (var (module, refTable) in IodModules(text, iodTable, conditions))
            {
                referenced.Add(refTable);
                var mt = T(refTable);
                module.AttributeTable = mt.Id;
                module.Attributes = ModuleAttributes(refTable);
                iod.Modules.Add(module);
                AddUsed(used, mt.Id, "iods/" + typeName + ".json", PhilipsAnnex.CountRows(module.Attributes));
            }
            // module tables printed in this IOD's section but referenced by no IOD table
            int nextIod = i + 1 < Specs.Length ? Specs[i + 1].IodTable : 131;
            foreach (var t in ctx.Tables.Where(t => t.Number > iodTableNo && t.Number < nextIod && !referenced.Contains(t.Number) && !Specs.Any(s => s.IodTable == t.Number)))
            {
                if (Specs.Skip(i + 1).Any(s => IodReferences(text, T(s.IodTable)).Contains(t.Number)))
                {
                    continue; // referenced by a later IOD
                }
                var attrs = ModuleAttributes(t.Number);
                // the section heading names the module when the caption was copied from the table before it
                // ("9.1.7.3 Spatial Registration Series Module Attributes" over "Table 121: General Image Module", L8463–8465)
                var heading = SectionModule(text, t);
                bool renamed = heading is not null && !t.Title.StartsWith(heading, StringComparison.OrdinalIgnoreCase);
                iod.Modules.Add(new ModuleDefinition
                {
                    Name = renamed ? heading! : t.Title,
                    Usage = "U",
                    Kind = "additional",
                    AttributeTable = t.Id,
                    Attributes = attrs,
                    Provenance = t.Whole(),
                    ConditionText = $"printed in the section of {iodTable.Id} but not referenced by it"
                        + (renamed ? $"; named by its section heading, the caption reads '{t.Title}'" : ""),
                });
                issues.Add($"{t.Id} '{t.Title}' is not referenced by {iodTable.Id}; kept as an additional module of {typeName}"
                    + (renamed ? $" named '{heading}' by its section heading" : ""));
                AddUsed(used, t.Id, "iods/" + typeName + ".json", PhilipsAnnex.CountRows(attrs));
            }
            OverrideSharedRows(iod, iodTableNo, nextIod, ModuleAttributes, issues);
            output.Iods.Add(iod);
        }

        // Comprehensive SR: listed as created (Table 1) with only a content stub (Table 140), no IOD table: an explicit assumption.
        var t140 = T(140);
        output.Iods.Add(new IodDefinition
        {
            TypeName = "SyngoCtComprehensiveSr",
            Context = Context,
            SopClassUid = "1.2.840.10008.5.1.4.1.1.88.33",
            SopClassName = "Comprehensive SR Storage",
            BaseTypeName = "SyngoCtExamReport",
            Variants = [new IodVariant { Key = "ASSUMED", Description = "No IOD or module tables are printed; assumed to carry the modules of SyngoCtExamReport (Enhanced SR, Table 115) with the content of Table 140." }],
            Provenance = t140.Whole(),
        });

        output.PrivateDictionary = PrivateDictionary(text, T(131), issues);
        used[T(131).Id] = ("private-dictionary.json", output.PrivateDictionary.Creators.Sum(c => c.Elements.Count));

        // uncaptioned prose list of attributes recalculated after a patient-position correction (4.2.2)
        int recalc = DeviceHelpers.FindLine(text, @"When the Patient Position \(0018,5100\) attribute is corrected");
        if (recalc > 0)
        {
            int recalcEnd = DeviceHelpers.FindLine(text, @"Frame of Reference UID \(0020,0052\)", recalc);
            output.Coverage.Tables.Add(new CoverageEntry
            {
                Table = "§4.2.2 (L" + Vocabulary.Inv(recalc) + ")",
                Title = "Attributes recalculated when Patient Position is corrected",
                Lines = [recalc, recalcEnd == 0 ? recalc + 16 : recalcEnd],
                Status = "skipped",
                Reason = "prose list (numbered sentence items), not a table: names the attributes the storage application recalculates after a correction",
            });
        }
        // de-identification: Table 73 (standard tags), Table 74 (private tags) and the uncaptioned raw-data table after
        // " De-identification for Raw Data" (L5320)
        var deid = new List<string>();
        int rawDeid = DeviceHelpers.FindLine(text, @"^\s*De-identification for Raw Data\s*$");
        if (rawDeid > 0)
        {
            T(74).EndLine = LastContent(text, T(74).CaptionLine, rawDeid - 1);
        }
        foreach (var n in new[] { 73, 74 })
        {
            var grid = ConfidentialityGrid(text, T(n), T(n).CaptionLine + 1, T(n).EndLine);
            output.Device.Tables.Add(grid);
            used[T(n).Id] = ("device.json", grid.Rows.Count);
            deid.Add(T(n).Id);
        }
        if (rawDeid > 0)
        {
            int security = DeviceHelpers.FindLine(text, @"^\s*8 Security\s*$", rawDeid);
            var span = new TableSpan { Id = "§7 Raw Data", Title = "De-identification for Raw Data", CaptionLine = rawDeid, EndLine = LastContent(text, rawDeid, (security == 0 ? FindEnd(text, rawDeid) + 1 : security) - 1) };
            var grid = ConfidentialityGrid(text, span, rawDeid + 1, span.EndLine);
            output.Device.Tables.Add(grid);
            DeviceHelpers.Cover(output, span, "extracted", "device.json", grid.Rows.Count);
            deid.Add(span.Id);
        }
        output.Device.Sections.First(x => x.Kind == "deIdentification").TableIds.AddRange(deid);

        // private coding scheme 99CT_SOMX (Table 141)
        var codes = CodeGrid(text, T(141));
        output.Device.Tables.Add(codes);
        used[T(141).Id] = ("device.json", 0);
        // SR templates (Tables 132–140) as TID trees, 99CT_SOMX codes resolved against Table 141 (SyngoCtSrTemplates.cs)
        output.SrTemplates = SrTemplates(text, T, codes, issues);
        foreach (var tpl in output.SrTemplates.Templates)
        {
            used[tpl.Provenance.Table!] = ("sr-templates.json", 0); // attributeRows counts tag rows; TID rows are counted by SrTemplateTests
        }
        output.Device.Sections.Add(new Section
        {
            Kind = "codingSchemes",
            Text = "99CT_SOMX",
            TableIds = [T(141).Id],
            Provenance = T(141).Whole(),
        });

        NetworkMediaCharsets(ctx, output, used, issues);

        foreach (var t in pseudo)
        {
            output.Coverage.Tables.Add(new CoverageEntry
            {
                Table = t.Id + " (L" + Vocabulary.Inv(t.CaptionLine) + ")",
                Title = t.Title,
                Lines = [t.CaptionLine, t.CaptionLine],
                Status = "skipped",
                Reason = "not a caption: a line that begins with a table number (module reference row of an IOD table, or a sentence)",
            });
        }
        foreach (var t in ctx.Tables)
        {
            if (used.TryGetValue(t.Id, out var u))
            {
                DeviceHelpers.Cover(output, t, "extracted", u.Output, u.Rows);
            }
            else
            {
                DeviceHelpers.Cover(output, t, "skipped", null, 0, SkipReason(t));
            }
        }
        DeviceHelpers.LinkSectionTables(output);
        output.Coverage.Tables.Sort((a, b) => a.Lines[0].CompareTo(b.Lines[0]));
        output.Coverage.Issues.AddRange(issues.Distinct());
        return output;
    }

    /// <summary>Code table "Code Value Code Meaning Definition Notes": a row starts with a number at the start of a block; the
    /// meaning is the rest of that line (or the next block when the line holds only the number), the definition the remaining lines.
    /// Rows end at a line that is neither, e.g. the prose after the table.</summary>
    private static RawTable CodeGrid(StatementText text, TableSpan t)
    {
        var raw = new RawTable { Id = t.Id, Title = t.Title, Header = ["Code Value", "Code Meaning", "Definition"], Provenance = t.Whole() };
        var blocks = SpaceTable.Blocks(t.CaptionLine + 1, t.EndLine, n =>
        {
            var line = text[n].Trim();
            return SpaceTable.IsNoise(text[n]) || line.StartsWith("Code Value Code Meaning", StringComparison.Ordinal) ? null : line;
        });
        for (int i = 0; i < blocks.Count; i++)
        {
            var m = Regex.Match(blocks[i][0].Text, @"^(\d+)(?:\s+(.*))?$");
            if (!m.Success)
            {
                continue;
            }
            int firstLine = blocks[i][0].Line, lastLine = blocks[i][^1].Line;
            string meaning, definition;
            if (m.Groups[2].Success && m.Groups[2].Value.Trim().Length > 0)
            {
                meaning = m.Groups[2].Value.Trim();
                definition = string.Join(" ", blocks[i].Skip(1).Select(x => x.Text));
            }
            else
            {
                var rest = blocks[i].Skip(1).Select(x => x.Text).ToList();
                if (rest.Count == 0 && i + 1 < blocks.Count && !Regex.IsMatch(blocks[i + 1][0].Text, @"^\d+\b"))
                {
                    i++;
                    rest = blocks[i].Select(x => x.Text).ToList();
                    lastLine = blocks[i][^1].Line;
                }
                meaning = string.Join(" ", rest);
                definition = "";
                if (i + 1 < blocks.Count && !Regex.IsMatch(blocks[i + 1][0].Text, @"^\d+\b"))
                {
                    i++;
                    definition = string.Join(" ", blocks[i].Select(x => x.Text));
                    lastLine = blocks[i][^1].Line;
                }
            }
            raw.Rows.Add(new RawRow { Cells = [m.Groups[1].Value, meaning, definition], Provenance = t.At(firstLine, lastLine) });
        }
        return raw;
    }

    private static int LastContent(StatementText text, int from, int to)
    {
        for (int n = to; n > from; n--)
        {
            if (text[n].Trim().Length > 0 && !SpaceTable.IsNoise(text[n]))
            {
                return n;
            }
        }
        return from;
    }

    /// <summary>
    /// A series module table printed in an IOD's own section but not referenced by its IOD table specializes the shared General
    /// Series table the IOD table references (Table 80, printed for the CT Image with Modality CT FIXED): each top-level row
    /// of the shared General Series whose tag the own series table also lists is replaced by a fresh copy of the own row. The
    /// Spatial Registration IOD (Table 118) references Table 80 while its section prints the Spatial Registration Series table
    /// (Table 121, Modality REG, L8469); the Raw Data IOD (Table 94) references Table 80 while its section prints
    /// "General Series Module – Raw Data" (Table 95).
    /// </summary>
    private static void OverrideSharedRows(IodDefinition iod, int iodTableNo, int nextIod, Func<int, List<AttributeDefinition>> moduleAttributes, List<string> issues)
    {
        static int Number(string? id) => id is not null && Regex.Match(id, @"^Table (\d+)$") is { Success: true } m
            ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        bool Own(ModuleDefinition m) => Number(m.AttributeTable) > iodTableNo && Number(m.AttributeTable) < nextIod;
        var own = new Dictionary<string, (int Table, int Line)>(StringComparer.Ordinal);
        foreach (var m in iod.Modules.Where(m => Own(m) && m.Kind == "additional" && m.Name.Contains(" Series Module", StringComparison.Ordinal)))
        {
            foreach (var a in m.Attributes.Where(a => a.Tag.Length > 0))
            {
                own.TryAdd(a.Tag, (Number(m.AttributeTable), a.Provenance.Lines[0]));
            }
        }
        foreach (var m in iod.Modules.Where(m => !Own(m) && m.Name == "General Series"))
        {
            for (int i = 0; i < m.Attributes.Count; i++)
            {
                var shared = m.Attributes[i];
                if (!own.TryGetValue(shared.Tag, out var src))
                {
                    continue;
                }
                m.Attributes[i] = moduleAttributes(src.Table).First(a => a.Tag == shared.Tag && a.Provenance.Lines[0] == src.Line);
                issues.Add($"{iod.TypeName}: {m.AttributeTable} row {shared.Tag} (L{shared.Provenance.Lines[0]}) replaced by the row of its own section's series table, Table {src.Table} (L{src.Line})");
            }
        }
    }

    /// <summary>The module named by the section heading just above a caption ("9.1.7.3 Spatial Registration Series Module Attributes").</summary>
    private static string? SectionModule(StatementText text, TableSpan t)
    {
        for (int n = t.CaptionLine - 1; n > 0 && n >= t.CaptionLine - 4; n--)
        {
            var line = text[n].Trim();
            if (line.Length == 0)
            {
                continue;
            }
            var m = Regex.Match(line, @"^\d+(?:\.\d+)+\s+(.+?\sModule)\s+Attributes\b");
            return m.Success ? m.Groups[1].Value : null;
        }
        return null;
    }

    private static int FindEnd(StatementText text, int start)
    {
        int last = start;
        for (int n = start + 1; n <= text.Count; n++)
        {
            if (Regex.IsMatch(text[n], @"^\s*\**Table\s?\d+\s*:"))
            {
                break;
            }
            if (TableScanner.Heading(text[n]) is not null && !Regex.IsMatch(text[last], @"^\s*See\b"))
            {
                break; // "See Image Type Values" / "9.1.2.13.2 Value 4" is a cross-reference inside a value cell, not a heading
            }
            if (text[n].Trim().Length > 0)
            {
                last = n;
            }
        }
        return last;
    }

    /// <summary>Confidentiality table "DICOM Tag Attribute Name Full Reduced Service [Value]": rows start with a tag (standard or
    /// creator form) and run until the next tag; the Yes/No triple separates the name from the optional value.</summary>
    private static RawTable ConfidentialityGrid(StatementText text, TableSpan t, int first, int last)
    {
        var raw = new RawTable { Id = t.Id, Title = t.Title, Provenance = t.Whole() };
        int start = 0;
        var acc = new List<string>();
        void Flush(int end)
        {
            if (start == 0)
            {
                return;
            }
            var joined = Regex.Replace(string.Join(" ", acc), @"\s+", " ").Trim();
            var m = Regex.Match(joined, @"^(?<tag>\(\s*[0-9A-Fa-fxX]{4}\s*,[^)]*\))\s*(?<name>.*?)\s+(?<f>Yes|No)\s+(?<r>Yes|No)\s+(?<s>Yes|No)\b\s*(?<v>.*)$");
            var cells = m.Success
                ? new List<string> { m.Groups["tag"].Value, m.Groups["name"].Value, m.Groups["f"].Value, m.Groups["r"].Value, m.Groups["s"].Value }
                : new List<string> { joined };
            if (m.Success && raw.Header.Count == 6)
            {
                cells.Add(m.Groups["v"].Value);
            }
            raw.Rows.Add(new RawRow { Cells = cells, Provenance = t.At(start, end) });
            start = 0;
            acc.Clear();
        }
        int lastContent = first;
        for (int n = first; n <= last; n++)
        {
            var line = text[n];
            if (line.Trim().Length == 0 || SpaceTable.IsNoise(line))
            {
                continue;
            }
            var h = Regex.Match(line.Trim(), @"^DICOM Tag Attribute Name Full Reduced Service( Value)?$");
            if (h.Success)
            {
                if (raw.Header.Count == 0)
                {
                    raw.Header.AddRange(["DICOM Tag", "Attribute Name", "Full", "Reduced", "Service"]);
                    if (h.Groups[1].Success)
                    {
                        raw.Header.Add("Value");
                    }
                }
                continue;
            }
            if (Regex.IsMatch(line, @"^\s*\(\s*[0-9A-Fa-fxX]{4}\s*,")) // repeating groups (50xx,xxxx), (60xx,3000) too
            {
                Flush(lastContent);
                start = n;
            }
            if (start > 0)
            {
                acc.Add(line.Trim());
                lastContent = n;
            }
        }
        Flush(lastContent);
        return raw;
    }

    // value-column conditions on Multi-energy CT Acquisition; a footnote marker may be glued to YES ("YES4", "YES 5")
    private static readonly ConditionMapper AttributeConditions = new ConditionMapper()
        .Rule(@"^only present if multi-\s?energy ct acquisition \((0018,9361)\) is yes\s?\d?$", m => EqualsTo(m.Groups[1].Value, "YES"))
        .Rule(@"^not present if multi-\s?energy ct acquisition \((0018,9361)\) is yes\s?\d?$", m => new Condition { Op = "not", Args = [EqualsTo(m.Groups[1].Value, "YES")] });

    private static void AddUsed(Dictionary<string, (string Output, int Rows)> used, string id, string file, int rows) =>
        used[id] = used.TryGetValue(id, out var prev)
            ? (prev.Output.Split(' ').Contains(file) ? prev.Output : prev.Output + " " + file, prev.Rows)
            : (file, rows);

    private static string SkipReason(TableSpan t) => t.Number switch
    {
        >= 132 and <= 140 => "SR template table (space-separated, wrapped NL/VT/concept cells): TID tree extraction for this layout not implemented yet",
        73 or 74 => "de-identification table (space-separated): grid extraction for this layout not implemented yet",
        _ => "non-attribute table in the space-separated layout: grid extraction for this layout not implemented yet",
    };

    private static AttributeDefinition ToAttribute(SpaceRow r, TableSpan t, StandardDictionary dict)
    {
        var a = new AttributeDefinition
        {
            Name = r.Name,
            Tag = r.Tag,
            Vr = Vocabulary.Vr(r.Vr),
            Value = ValueParser.Parse(r.Value, []),
            Source = Vocabulary.Sources(r.Source),
            Presence = Vocabulary.MapPresence(r.Presence, false),
            Provenance = t.At(r.TagLine, r.Last),
        };
        if (a.Value is not null && ConditionMapper.LooksConditional(a.Value.Raw))
        {
            a.ConditionText = a.Value.Raw;
            a.Condition = AttributeConditions.Map(a.Value.Raw);
            if (a.Condition.Op != "unmapped" && a.Presence is not null && a.Presence.Word is "ANAP" or "ANAPCV")
            {
                a.Presence = Vocabulary.MapPresence(a.Presence.Word, true);
            }
        }
        PhilipsAnnex.FillVm(a, dict);
        return a;
    }

    /// <summary>Module references of an IOD table: "[IE] Module Table NN Presence [condition]" with wrapped cells.</summary>
    private static List<(ModuleDefinition Module, int Table)> IodModules(StatementText text, TableSpan t, ConditionMapper conditions)
    {
        var list = new List<(ModuleDefinition, int)>();
        var pending = new List<string>();
        string? ie = null;
        ModuleDefinition? cur = null;
        int curTable = 0;
        string presence = "";
        bool presenceOpen = false;
        void Close()
        {
            if (cur is null)
            {
                return;
            }
            var p = StatementText.Clean(presence);
            var m = Regex.Match(p, @"^(ALWAYS|CONDITIONAL|M|U|C)\b\s*:?\s*(.*)$");
            var word = m.Success ? m.Groups[1].Value : p;
            var cond = m.Success ? m.Groups[2].Value.Trim() : "";
            cond = Regex.Replace(cond, @"\)\s*\d$", ")"); // footnote marker glued after the condition
            cur.PresenceWord = word;
            cur.Usage = Vocabulary.ModuleUsage(word);
            if (cur.Usage == "C")
            {
                cur.ConditionText = cond.Length > 0 ? cond : word;
                cur.Condition = conditions.Map(cur.ConditionText.Trim());
            }
            list.Add((cur, curTable));
            cur = null;
        }
        for (int n = t.CaptionLine + 1; n <= t.EndLine; n++)
        {
            var line = StatementText.Clean(text[n]);
            if (line.Length == 0 || SpaceTable.IsNoise(line) || line.StartsWith("(see also", StringComparison.Ordinal) || line.StartsWith("IE Module", StringComparison.Ordinal))
            {
                continue;
            }
            var m = RefRx().Match(line);
            if (!m.Success)
            {
                if (cur is not null && (presenceOpen || presence.Length == 0))
                {
                    presence += " " + line;
                    presenceOpen = PresenceOpen(presence);
                    continue;
                }
                Close();
                pending.Add(line);
                continue;
            }
            Close();
            var inline = line[..m.Index].Trim();
            string name;
            if (inline.Length == 0)
            {
                int lead = pending.TakeWhile(Ies.Contains).Count();
                if (lead == pending.Count && lead > 0)
                {
                    lead--;
                }
                if (lead > 0)
                {
                    ie = string.Join(" ", pending.Take(lead));
                }
                name = string.Join(" ", pending.Skip(lead));
            }
            else
            {
                if (pending.Count > 0)
                {
                    // a standalone IE line, or the first half of a wrapped module name ("Multi-energy-CT Image" / "Module")
                    if (Ies.Contains(string.Join(" ", pending)))
                    {
                        ie = string.Join(" ", pending);
                        name = inline;
                    }
                    else
                    {
                        name = string.Join(" ", pending) + " " + inline;
                    }
                }
                else
                {
                    name = inline;
                }
                var prefix = Ies.Where(x => name.StartsWith(x + " ", StringComparison.Ordinal)).OrderByDescending(x => x.Length).FirstOrDefault();
                if (prefix is not null && Ies.Contains(prefix) && !NotIePrefix.Contains(name))
                {
                    ie = prefix;
                    name = name[(prefix.Length + 1)..];
                }
            }
            pending.Clear();
            cur = new ModuleDefinition { Name = name, InformationEntity = ie, Kind = "standard", Provenance = t.At(n, n) };
            curTable = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            presence = line[(m.Index + m.Length)..].Trim();
            presenceOpen = PresenceOpen(presence);
        }
        Close();
        return list;

        static bool PresenceOpen(string p)
        {
            var s = p.Trim();
            if (s.Length == 0)
            {
                return true;
            }
            int open = s.Count(c => c == '('), close = s.Count(c => c == ')');
            if (open > close)
            {
                return true;
            }
            return s.StartsWith("CONDITIONAL:", StringComparison.Ordinal) && !s.EndsWith('.');
        }
    }

    private static HashSet<int> IodReferences(StatementText text, TableSpan t)
    {
        var set = new HashSet<int>();
        for (int n = t.CaptionLine + 1; n <= t.EndLine; n++)
        {
            foreach (Match m in RefRx().Matches(text[n]))
            {
                set.Add(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return set;
    }

    private static readonly HashSet<string> Ies = new(StringComparer.Ordinal)
    {
        "Patient", "Study", "Series", "Frame of Reference", "Equipment", "Acquisition", "Image", "Raw Data", "Documents", "Document",
        "Spatial Registration", "Structure Set", "General Reference", "Registration",
    };

    // module names that begin with an IE word but carry no IE prefix
    private static readonly HashSet<string> NotIePrefix = new(StringComparer.Ordinal)
    {
        "Patient Study", "Frame of Reference", "Image Plane", "Acquisition Context", "Image Pixel", "Raw Data", "Spatial Registration", "Structure Set",
    };

    private static PrivateDictionary PrivateDictionary(StatementText text, TableSpan t, List<string> issues)
    {
        var creators = new Dictionary<string, PrivateCreator>(StringComparer.Ordinal);
        var seen = new Dictionary<string, PrivateElement>(StringComparer.Ordinal);
        int n = t.CaptionLine + 1;
        int end = DeviceHelpers.FindLine(text, @"^Interpretation of the DICOM Tags", t.CaptionLine);
        end = end == 0 ? t.EndLine : end - 1;
        while (n <= end)
        {
            var line = text[n];
            if (!PrivStartRx().IsMatch(line))
            {
                n++;
                continue;
            }
            int first = n;
            var acc = line.Trim();
            // accumulate until "<tag> Name VR VM" is complete
            Match m = PrivRowRx().Match(acc);
            while (!m.Success && n < end)
            {
                n++;
                if (text[n].Trim().Length == 0 || SpaceTable.IsNoise(text[n]) || Regex.IsMatch(text[n], @"^\s*DICOM Tag Name VR VM"))
                {
                    continue;
                }
                if (PrivStartRx().IsMatch(text[n]) && acc.Contains(')', StringComparison.Ordinal))
                {
                    n--;
                    break;
                }
                acc += " " + text[n].Trim();
                m = PrivRowRx().Match(acc);
            }
            if (!m.Success)
            {
                issues.Add($"Table 131 line {first}: private row not understood: {acc}");
                n++;
                continue;
            }
            string group = m.Groups["g"].Value.ToUpperInvariant();
            string creator = Regex.Replace(m.Groups["c"].Value.Trim(), @"\s+", " ");
            string element = m.Groups["e"].Value.ToUpperInvariant();
            if (!creators.TryGetValue(creator, out var pc))
            {
                creators[creator] = pc = new PrivateCreator { Creator = creator, CreatorKnown = true };
            }
            if (!pc.Groups.Contains(group))
            {
                pc.Groups.Add(group);
            }
            string key = creator + "|" + group + "|" + element;
            if (seen.TryGetValue(key, out var prev))
            {
                issues.Add($"Table 131 line {first}: ({group},{creator},{element}) printed again (first at line {prev.Provenance.Lines[0]})");
            }
            var name = StatementText.Clean(m.Groups["name"].Value);
            var e = new PrivateElement
            {
                Group = group,
                Element = element,
                Vr = m.Groups["vr"].Value,
                Vm = m.Groups["vm"].Value.Replace(" ", ""),
                Name = name,
                Keyword = Vocabulary.Keyword(name),
                Provenance = t.At(first, n),
            };
            seen.TryAdd(key, e);
            pc.Elements.Add(e);
            n++;
        }
        foreach (var c in creators.Values)
        {
            c.Groups.Sort(StringComparer.Ordinal);
        }
        return new PrivateDictionary { Creators = creators.Values.OrderBy(c => c.Creator, StringComparer.Ordinal).ToList() };
    }

    private static string? DocumentId(StatementText text)
    {
        int n = DeviceHelpers.FindLine(text, @"^\s*Print No\.");
        return n == 0 ? null : StatementText.Clean(text[n]).Replace("Print No.", "", StringComparison.Ordinal).Trim();
    }

    private static Section Section(StatementText text, string kind, string start, string end)
    {
        int s = DeviceHelpers.FindLine(text, start);
        int e = s == 0 ? 0 : DeviceHelpers.FindLine(text, end, s + 1);
        return new Section
        {
            Kind = kind,
            Text = s == 0 ? null : StatementText.Clean(text[s]),
            Provenance = new Provenance { Title = s == 0 ? null : StatementText.Clean(text[s]), Lines = [s, e == 0 ? text.Count : e - 1] },
        };
    }

    [GeneratedRegex(@"^\s+\**Table\s?(\d+)\s*:\s*(\S.*)$")]
    private static partial Regex LeadingCaptionRx();

    [GeneratedRegex(@"\bTable (\d+)\b")]
    private static partial Regex RefRx();

    [GeneratedRegex(@"^\s*\(?\s*[0-9A-Fa-f]{4}\s*,\s*[A-Z]")]
    private static partial Regex PrivStartRx();

    [GeneratedRegex(@"^\(?\s*(?<g>[0-9A-Fa-f]{4})\s*,\s*(?<c>[^,()]+?)\s*,\s*(?<e>[0-9A-Fa-f]{2})\s*\)?\s+(?<name>.+?)\s+(?<vr>[A-Z]{2}(?:/[A-Z]{2})*)\s+(?<vm>\d+(?:\s*-\s*(?:\d+|[nN]|\d+[nN]))?|[nN])\s*$")]
    private static partial Regex PrivRowRx();
}
