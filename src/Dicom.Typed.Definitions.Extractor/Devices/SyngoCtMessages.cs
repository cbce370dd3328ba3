using System.Text.RegularExpressions;
using Dicom.Typed.Definitions.Extractor.Parsing;

namespace Dicom.Typed.Definitions.Extractor.Devices;

/// <summary>004 syngo CT: per-message datasets (Q/R identifier, MWL broad-query and return keys, print N-CREATE/N-SET/N-GET
/// attributes) from the space-layout key tables, plus grids for the two N-EVENT-REPORT tables (attributes repeated per event type).
/// The statement prints no MPPS attribute table (4.2.6 has presentation contexts and status tables only).</summary>
public sealed partial class SyngoCt
{
    private sealed record MessageSpec(int Table, string TypeName, string Uid, string SopName, string Dimse, string Module, Func<string, string> Type);

    private static string QueryKeyType(string w) => w switch { "R" => "2", "U" => "3", "O" => "3", _ => "3" };
    private static string PrintUsageType(string w) => w switch { "M" => "1", _ => "3" };
    private static string ReturnKeyType(string w) => w is "1" or "1C" or "2" or "2C" or "3" ? w : "3";

    private static readonly MessageSpec[] MessageSpecs =
    [
        new(26, "SyngoCtStudyRootFindQuery", "1.2.840.10008.5.1.4.1.2.2.1", "Study Root Query/Retrieve Information Model - FIND", "C-FIND-RQ identifier", "Study Root Query", QueryKeyType),
        new(33, "SyngoCtWorklistQuery", "1.2.840.10008.5.1.4.31", "Modality Worklist Information Model - FIND", "C-FIND-RQ identifier", "Scheduled Procedure Step", QueryKeyType),
        new(34, "SyngoCtWorklistResult", "1.2.840.10008.5.1.4.31", "Modality Worklist Information Model - FIND", "C-FIND-RSP identifier", "SOP Common", ReturnKeyType),
        new(46, "SyngoCtFilmSessionNCreate", "1.2.840.10008.5.1.1.1", "Basic Film Session SOP Class", "N-CREATE-RQ", "Basic Film Session Presentation Module", PrintUsageType),
        new(48, "SyngoCtFilmBoxNCreate", "1.2.840.10008.5.1.1.2", "Basic Film Box SOP Class", "N-CREATE-RQ", "Basic Film Box Presentation Module", PrintUsageType),
        new(51, "SyngoCtGrayscaleImageBoxNSet", "1.2.840.10008.5.1.1.4", "Basic Grayscale Image Box SOP Class", "N-SET-RQ", "Image Box Pixel Presentation Module", PrintUsageType),
        new(53, "SyngoCtColorImageBoxNSet", "1.2.840.10008.5.1.1.4.1", "Basic Color Image Box SOP Class", "N-SET-RQ", "Image Box Pixel Presentation Module", PrintUsageType),
        new(55, "SyngoCtPresentationLutNCreate", "1.2.840.10008.5.1.1.23", "Presentation LUT SOP Class", "N-CREATE-RQ", "Presentation LUT Module", PrintUsageType),
        new(57, "SyngoCtPrinterNGet", "1.2.840.10008.5.1.1.16", "Printer SOP Class", "N-GET-RSP attributes", "Printer Module", PrintUsageType),
    ];

    private sealed class KeyRow
    {
        public string Heading = "";
        public string NameRaw = "";
        public string PrintedTag = "";
        public string Type = "";
        public List<string> Rest = [];
        public List<string> Notes = [];
        public int TagLine;
        public int Last;
    }

    private static readonly Regex KeyTagRx = new(@"\(\s*(?<g>[0-9A-Fa-f]{4})\s*,\s*(?<e>[0-9A-Fa-f]{4})\s*\)");
    private static readonly HashSet<string> TypeWords = new(StringComparer.Ordinal) { "R", "O", "U", "M", "1", "1C", "2", "2C", "3" };

    /// <summary>Rows of a key/attribute table anchored on the tag: the name is the text before the tag on its line, or else the block
    /// printed just before the tag line; the type/usage is the first token after the tag; further blocks up to the next row are its
    /// notes or values (one enumerated value per block in the print tables). Group headings ("Study Level", "SOP Common", and
    /// headings split over blank lines such as "Scheduled" / "Procedure Step") are marked in the text by trailing blanks.</summary>
    private static List<KeyRow> KeyRows(StatementText text, TableSpan t)
    {
        int end = GridEnd(text, t.CaptionLine);
        var rows = new List<KeyRow>();
        string header = "";
        string heading = "";
        var pending = new List<List<(int Line, string Text)>>();
        var block = new List<(int Line, string Text)>();
        KeyRow? cur = null;
        bool inTagBlock = false;

        void FlushBlock()
        {
            if (block.Count > 0)
            {
                pending.Add(block);
                block = [];
            }
        }
        void PendingToNotes()
        {
            if (cur is not null)
            {
                foreach (var b in pending)
                {
                    cur.Notes.Add(Join(b));
                    cur.Last = Math.Max(cur.Last, b[^1].Line);
                }
            }
            pending.Clear();
        }

        // an unmarked group heading left between two rows ("Imaging Service" / "Request", "Patient Identification")
        void TakeKnownHeading()
        {
            for (int k = Math.Min(3, pending.Count); k >= 1; k--)
            {
                var joined = string.Join(" ", pending.Skip(pending.Count - k).Select(Join));
                if (KnownHeadingRx().IsMatch(joined))
                {
                    pending.RemoveRange(pending.Count - k, k);
                    PendingToNotes();
                    heading = joined;
                    return;
                }
            }
        }

        for (int n = t.CaptionLine + 1; n <= end; n++)
        {
            var rawLine = text[n];
            var line = StatementText.Clean(rawLine);
            if (SpaceTable.IsNoise(rawLine) || FootnoteRx().IsMatch(line) || PageFooterRx().IsMatch(line) || (line.StartsWith('(') && line.EndsWith(')') && line.Contains("->", StringComparison.Ordinal)))
            {
                continue;
            }
            if (line.Length == 0)
            {
                FlushBlock();
                inTagBlock = false;
                continue;
            }
            if (IsProse(line) || (!inTagBlock && !KeyTagRx.IsMatch(line) && line.Split(' ').Length >= 5 && !line.EndsWith('.') && line != line.ToUpperInvariant()
                && IsProse(NextContent(text, n, end))))
            {
                break; // running text, or an unnumbered sub-heading right before it ("Return Key Attributes of the …")
            }
            if (header.Length == 0)
            {
                header = line;
                continue;
            }
            if (line == header)
            {
                FlushBlock();
                inTagBlock = false;
                continue;
            }
            var m = KeyTagRx.Match(line);
            if (m.Success && (Regex.IsMatch(line[(m.Index + m.Length)..], @"^\s*[a-z]")
                || (line[(m.Index + m.Length)..].Trim().Length == 0 && Regex.IsMatch(line[..m.Index], @"[a-z]\s*$"))))
            {
                m = Match.Empty; // a tag inside a note ("Old tag (0040,2006) is retired and not used.")
            }
            if (!m.Success)
            {
                if (inTagBlock && cur is not null)
                {
                    cur.Rest.Add(line); // wrapped value on the lines right under the tag line
                    cur.Last = n;
                    continue;
                }
                bool headingMark = Regex.IsMatch(rawLine, @"\S {3,}$") || (text[n + 1].Length >= 3 && text[n + 1].Trim().Length == 0)
                    || (text[n + 1].Length == 0 && text[n + 2].Length >= 3 && text[n + 2].Trim().Length == 0);
                if (headingMark)
                {
                    // a heading; its first words may stand in short blocks just before it ("Scheduled" / "Procedure Step")
                    var parts = new List<string>();
                    while (pending.Count > 0 && Join(pending[^1]).Split(' ').Length <= 2 && char.IsUpper(Join(pending[^1])[0]) && block.Count == 0)
                    {
                        parts.Insert(0, Join(pending[^1]));
                        pending.RemoveAt(pending.Count - 1);
                    }
                    parts.AddRange(block.Select(b => b.Text));
                    block.Clear();
                    parts.Add(line);
                    PendingToNotes();
                    heading = string.Join(" ", parts);
                    continue;
                }
                block.Add((n, line));
                continue;
            }
            var inline = line[..m.Index].Trim();
            List<(int Line, string Text)> nameLines;
            if (inline.Length > 0)
            {
                nameLines = [.. block, (n, inline)];
                block.Clear();
                FlushBlock();
                TakeKnownHeading();
                PendingToNotes();
            }
            else
            {
                FlushBlock();
                if (pending.Count > 0)
                {
                    nameLines = pending[^1];
                    pending.RemoveAt(pending.Count - 1);
                    // a name wrapped across a blank line ("Order Callback" / "Phone Number"): a short Title Case fragment just before
                    if (pending.Count > 0 && NameFragmentRx().IsMatch(Join(pending[^1])) && !KnownHeadingRx().IsMatch(Join(pending[^1])))
                    {
                        nameLines = [.. pending[^1], .. nameLines];
                        pending.RemoveAt(pending.Count - 1);
                    }
                }
                else
                {
                    nameLines = [];
                }
                if (cur is null && pending.Count > 0 && heading.Length == 0)
                {
                    heading = string.Join(" ", pending.Select(Join)); // first group heading printed without a mark
                    pending.Clear();
                }
                TakeKnownHeading();
                PendingToNotes();
            }
            var rest = line[(m.Index + m.Length)..].Trim();
            var toks = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
            cur = new KeyRow
            {
                Heading = heading,
                NameRaw = string.Join(" ", nameLines.Select(x => x.Text)),
                PrintedTag = m.Value,
                Type = toks.Count > 0 && TypeWords.Contains(toks[0]) ? toks[0] : "",
                TagLine = n,
                Last = n,
            };
            cur.Rest.Add(string.Join(" ", cur.Type.Length > 0 ? toks.Skip(1) : toks));
            rows.Add(cur);
            inTagBlock = true;
        }
        FlushBlock();
        PendingToNotes();
        return rows;
    }

    [GeneratedRegex(@"^(?:[A-Z][a-z][A-Za-z’']*)(?: [A-Z][a-z][A-Za-z’']*){0,2}$")]
    private static partial Regex NameFragmentRx();

    [GeneratedRegex(@"^\.\s*(?<c>\(\s*[0-9A-Fa-f]{4}\s*,\s*[0-9A-Fa-f]{4}\s*\))\s+(?<w>[A-Z0-9]{1,2})\b(?<rest>.*)$")]
    private static partial Regex DottedRx();

    [GeneratedRegex(@"^(SOP Common|Scheduled Procedure Step|Requested Procedure|Imaging Service Request|Visit (Identification|Status|Admission|Relationship)|Patient (Identification|Demographic|Medical|Relationship)|(Study|Series|Image|Patient) Level)$")]
    private static partial Regex KnownHeadingRx();

    /// <summary>"Supported Values" of the print tables: one value per block (Medium Type), a ", " list (Film Orientation), a UID
    /// (fixed), or text kept as printed ("STANDARD\1,1", "8,16", "0 &lt; Value &lt; 50": the comma there is not a list separator).</summary>
    private static ValueSpec? PrintValue(List<string> values)
    {
        var raw = string.Join(" ", values).Trim();
        if (raw.Length == 0)
        {
            return null;
        }
        if (values.Count > 1 && values.All(v => Regex.IsMatch(v, @"^[A-Z0-9][A-Z0-9 _]*$")))
        {
            return new ValueSpec { Raw = string.Join(", ", values), Kind = "enumerated", Values = values };
        }
        var parts = raw.Split(", ");
        if (parts.Length > 1 && parts.All(v => Regex.IsMatch(v, @"^[A-Z0-9][A-Z0-9_]*$")))
        {
            return new ValueSpec { Raw = raw, Kind = "enumerated", Values = [.. parts] };
        }
        if (Regex.IsMatch(raw, @"^\d+(\.\d+){3,}$"))
        {
            return new ValueSpec { Raw = raw, Kind = "fixed", Values = [raw] };
        }
        return new ValueSpec { Raw = raw, Kind = "text" };
    }

    private static string NextContent(StatementText text, int n, int end)
    {
        for (int k = n + 1; k <= end; k++)
        {
            var l = StatementText.Clean(text[k]);
            if (l.Length > 0 && !SpaceTable.IsNoise(text[k]))
            {
                return l;
            }
        }
        return "";
    }

    private static void BuildMessages(ExtractionContext ctx, DeviceOutput output, Dictionary<string, (string Output, int Rows)> used, List<string> issues)
    {
        var text = ctx.Text;
        foreach (var spec in MessageSpecs)
        {
            var t = ctx.Tables.FirstOrDefault(x => x.Number == spec.Table);
            if (t is null)
            {
                continue;
            }
            var rows = KeyRows(text, t);
            t.EndLine = Math.Max(t.CaptionLine, rows.Count == 0 ? t.CaptionLine : rows.Max(r => r.Last));
            var msg = new IodDefinition
            {
                TypeName = spec.TypeName,
                Context = Context,
                SopClassUid = spec.Uid,
                SopClassName = spec.SopName,
                Dimse = spec.Dimse,
                Provenance = t.Whole(),
            };
            foreach (var group in rows.GroupBy(r => r.Heading))
            {
                var flat = new List<(int, AttributeDefinition)>();
                string? dottedParent = null;
                foreach (var r in group)
                {
                    var tag = Vocabulary.Tag(r.PrintedTag.Replace(" ", "")) ?? "";
                    var dm = DottedRx().Match(r.Rest[0]);
                    if (dm.Success)
                    {
                        // "(0040,0275).(0040,1001) O …" under the name "Request Attributes Sequence .Requested Procedure ID": an item
                        // attribute of the sequence, one row; the sequence is added once for consecutive rows of the same parent
                        var names = r.NameRaw.Split(" .", 2);
                        if (dottedParent != tag)
                        {
                            var seq = new AttributeDefinition
                            {
                                Name = names[0].Trim(),
                                Tag = tag,
                                Vr = ctx.Dictionary.Find(tag) is { } ps ? string.Join("/", ps.Vrs) : "",
                                Presence = new Presence { Word = dm.Groups["w"].Value, Type = spec.Type(dm.Groups["w"].Value) },
                                Provenance = t.At(r.TagLine, r.Last),
                            };
                            PhilipsAnnex.FillVm(seq, ctx.Dictionary);
                            flat.Add((Vocabulary.Level(r.NameRaw), seq));
                            dottedParent = tag;
                        }
                        var childTag = Vocabulary.Tag(dm.Groups["c"].Value) ?? "";
                        var child = new AttributeDefinition
                        {
                            Name = names.Length > 1 ? names[1].Trim() : r.NameRaw,
                            Tag = childTag,
                            Vr = ctx.Dictionary.Find(childTag) is { } cs ? string.Join("/", cs.Vrs) : "",
                            Presence = new Presence { Word = dm.Groups["w"].Value, Type = spec.Type(dm.Groups["w"].Value) },
                            Comment = dm.Groups["rest"].Value.Trim() is { Length: > 0 } cm ? cm : null,
                            Provenance = t.At(r.TagLine, r.Last),
                        };
                        PhilipsAnnex.FillVm(child, ctx.Dictionary);
                        flat.Add((Vocabulary.Level(r.NameRaw) + 1, child));
                        continue;
                    }
                    dottedParent = null;
                    var std = ctx.Dictionary.Find(tag);
                    var value = string.Join(" ", r.Rest.Where(x => x.Length > 0));
                    var a = new AttributeDefinition
                    {
                        Name = Vocabulary.StripLevel(r.NameRaw.Replace('\u00b4', '\'')),
                        Tag = tag,
                        Vr = std is null ? "" : string.Join("/", std.Vrs),
                        Presence = r.Type.Length > 0 ? new Presence { Word = r.Type, Type = spec.Type(r.Type) } : null,
                        Provenance = t.At(r.TagLine, r.Last),
                    };
                    if (spec.Table is 26 or 33 or 34)
                    {
                        // Table 26 "User input UI", Table 33 "Query Value", Table 34 "UI Notes": kept as the comment
                        var comment = string.Join(" ", new[] { value }.Concat(r.Notes).Where(x => x.Length > 0)).Trim();
                        a.Comment = comment.Length > 0 ? comment : null;
                    }
                    else
                    {
                        // print tables: "Supported Values", one enumerated value per block after the first
                        var values = new[] { value }.Concat(r.Notes).Where(x => x.Length > 0).ToList();
                        a.Value = PrintValue(values);
                    }
                    PhilipsAnnex.FillVm(a, ctx.Dictionary);
                    flat.Add((Vocabulary.Level(r.NameRaw), a));
                }
                var nestIssues = new List<string>();
                msg.Modules.Add(new ModuleDefinition
                {
                    Name = group.Key.Length > 0 ? group.Key : spec.Module,
                    Usage = "M",
                    Kind = "standard",
                    AttributeTable = t.Id,
                    Attributes = Nesting.Build(flat, nestIssues),
                    Provenance = t.At(group.First().TagLine, group.Max(r => r.Last)),
                });
                issues.AddRange(nestIssues.Select(x => $"{t.Id}: {x}"));
            }
            output.Messages.Add(msg);
            used[t.Id] = ("messages/" + spec.TypeName + ".json", rows.Count);
        }

        // N-EVENT-REPORT tables (60, 62): the same attributes repeat under each event type, so they stay grids with one row per tag
        foreach (var n in new[] { 60, 62 })
        {
            var t = ctx.Tables.FirstOrDefault(x => x.Number == n);
            if (t is null)
            {
                continue;
            }
            t.EndLine = GridEnd(text, t.CaptionLine);
            var raw = new RawTable { Id = t.Id, Title = t.Title, Header = ["Event Type Name / Event Type ID / Attribute Name", "Tag", "Usage SCU"] };
            string evt = "";
            foreach (var (line, l) in BodyLines(text, t.CaptionLine + 1, t.EndLine))
            {
                if (IsProse(l) || SectionHeadingRx().IsMatch(text[line]) || Regex.IsMatch(l, @"^Activity\b"))
                {
                    break;
                }
                var em = Regex.Match(l, @"^(Normal|Warning|Failure|Pending|Printing|Done|Failure)\s+(\d)\b");
                if (em.Success)
                {
                    evt = em.Groups[1].Value + " " + em.Groups[2].Value;
                }
                var m = KeyTagRx.Match(l);
                if (!m.Success)
                {
                    continue;
                }
                var before = l[..m.Index].Trim();
                if (em.Success)
                {
                    before = before[em.Length..].Trim();
                }
                raw.Rows.Add(new RawRow { Cells = [evt + ": " + before, m.Value, l[(m.Index + m.Length)..].Trim()], Provenance = t.At(line, line) });
            }
            if (raw.Rows.Count > 0)
            {
                t.EndLine = raw.Rows.Max(r => r.Provenance.Lines[1]);
                raw.Provenance = t.Whole();
                output.Device.Tables.Add(raw);
                used[t.Id] = ("device.json", PhilipsAnnex.TagRows(raw));
            }
        }
    }
}
