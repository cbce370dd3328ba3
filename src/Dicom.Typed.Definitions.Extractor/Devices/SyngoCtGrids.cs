using System.Text.RegularExpressions;
using Dicom.Typed.Definitions.Extractor.Parsing;

namespace Dicom.Typed.Definitions.Extractor.Devices;

/// <summary>004 syngo CT: grids of the non-attribute tables of the space-separated layout (network services, association policies,
/// presentation contexts, status behaviour, media, character sets). No column boundaries are printed, so each table kind is read with
/// its own anchors: UIDs (services, presentation contexts, transfer syntaxes), status words (status tables), label/value shapes
/// (policies, parameters), profile identifiers (media) and defined terms (character sets).</summary>
public sealed partial class SyngoCt
{
    private enum GridKind
    {
        Services, MediaServices, KeyValue, Parameters, PresentationContexts, TransferSyntaxes, ExtendedNegotiation, Status, Blocks,
        MediaProfiles, PrivateMedia, CharacterSets,
    }

    private static GridKind? KindOf(StatementText text, TableSpan t)
    {
        if (t.Number == 1)
        {
            return GridKind.Services;
        }
        if (t.Number == 2)
        {
            return GridKind.MediaServices;
        }
        if (t.Number == 66)
        {
            return GridKind.MediaProfiles;
        }
        if (t.Number == 68)
        {
            return GridKind.PrivateMedia;
        }
        if (t.Number is >= 69 and <= 72)
        {
            return GridKind.CharacterSets;
        }
        if (t.Number is 63 or 64)
        {
            return GridKind.Parameters;
        }
        if (t.Number is 10 or 67)
        {
            return GridKind.TransferSyntaxes;
        }
        if (t.Title.StartsWith("Extended Negotiation", StringComparison.Ordinal))
        {
            return GridKind.ExtendedNegotiation;
        }
        if (t.Title.Contains("Presentation Context", StringComparison.Ordinal))
        {
            return GridKind.PresentationContexts;
        }
        if (t.Title.Contains("Association Polic", StringComparison.Ordinal) || t.Title.StartsWith("Asynchronous Nature", StringComparison.Ordinal)
            || t.Title.StartsWith("Implementation", StringComparison.Ordinal))
        {
            return GridKind.KeyValue;
        }
        if (t.Title.Contains("Status Handling", StringComparison.Ordinal) || t.Title.Contains("Response Status", StringComparison.Ordinal))
        {
            return GridKind.Status;
        }
        if (t.Title.Contains("Communication Failure", StringComparison.Ordinal) || t.Number is 75 or 142 or 143)
        {
            return GridKind.Blocks;
        }
        return null;
    }

    /// <summary>Last non-blank line before the next caption or numbered heading (a UID is not a heading number).</summary>
    private static int GridEnd(StatementText text, int caption)
    {
        int last = caption;
        for (int n = caption + 1; n <= text.Count; n++)
        {
            var l = text[n];
            if (CaptionStartRx().IsMatch(l) || IsHeading(l) || SectionHeadingRx().IsMatch(l) || ChapterRx().IsMatch(l))
            {
                break;
            }
            if (l.Trim().Length > 0 && !SpaceTable.IsNoise(l))
            {
                last = n;
            }
        }
        return last;
    }

    /// <summary>A numbered heading (not a line opening with a UID).</summary>
    private static bool IsHeading(string line) => TableScanner.Heading(line) is not null && !IsUid(line.Trim().Split(' ')[0]);

    /// <summary>A UID token: dotted numbers with at least one component of three or more digits (heading numbers have none).</summary>
    private static bool IsUid(string tok) => UidRx().IsMatch(tok) && tok.Split('.').Any(c => c.Length >= 3);

    /// <summary>Non-blank, non-furniture lines of a table body.</summary>
    private static List<(int Line, string Text)> BodyLines(StatementText text, int first, int last)
    {
        var list = new List<(int, string)>();
        for (int n = first; n <= last; n++)
        {
            var l = StatementText.Clean(text[n]);
            if (l.Length == 0 || SpaceTable.IsNoise(text[n]) || FootnoteRx().IsMatch(l) || PageFooterRx().IsMatch(l))
            {
                continue;
            }
            list.Add((n, l));
        }
        return list;
    }

    /// <summary>Blank-line separated blocks of a table body (furniture dropped).</summary>
    private static List<List<(int Line, string Text)>> Blocks(StatementText text, int first, int last) =>
        SpaceTable.Blocks(first, last, n =>
        {
            var l = StatementText.Clean(text[n]);
            return SpaceTable.IsNoise(text[n]) || FootnoteRx().IsMatch(l) || PageFooterRx().IsMatch(l) ? null : l;
        });

    private static string Join(IEnumerable<(int Line, string Text)> lines) => Regex.Replace(string.Join(" ", lines.Select(l => l.Text)), @"\s+", " ").Trim();

    /// <summary>A line of running prose after a table (sentence start, long): the table ends before it.</summary>
    private static bool IsProse(string line) =>
        (line.Length >= 40 && ProseStartRx().IsMatch(line)) || line.StartsWith('•') || AfterTableRx().IsMatch(line);

    /// <summary>Builds the grid of a non-attribute table; <see cref="TableSpan.EndLine"/> is tightened to its last row.</summary>
    private static RawTable? BuildGrid(ExtractionContext ctx, TableSpan t, GridKind kind, List<string> issues)
    {
        var text = ctx.Text;
        var raw = new RawTable { Id = t.Id, Title = t.Title };
        // the shared end finder takes a line opening with a UID ("1.2.840.10008.1.2 Implicit VR …") for a numbered heading
        t.EndLine = GridEnd(text, t.CaptionLine);
        switch (kind)
        {
            case GridKind.Services:
                ServicesGrid(ctx, t, raw);
                break;
            case GridKind.MediaServices:
                MediaServicesGrid(text, t, raw);
                break;
            case GridKind.KeyValue:
            case GridKind.Parameters:
                KeyValueGrid(text, t, raw, kind == GridKind.Parameters);
                break;
            case GridKind.PresentationContexts:
                PresentationContextGrid(ctx, t, raw, issues);
                break;
            case GridKind.TransferSyntaxes:
                TransferSyntaxGrid(text, t, raw);
                break;
            case GridKind.ExtendedNegotiation:
                ExtendedNegotiationGrid(text, t, raw);
                break;
            case GridKind.Status:
                StatusGrid(text, t, raw);
                break;
            case GridKind.Blocks:
                BlockGrid(text, t, raw);
                break;
            case GridKind.MediaProfiles:
                MediaProfileGrid(text, t, raw);
                break;
            case GridKind.PrivateMedia:
                PrivateMediaGrid(text, t, raw);
                break;
            case GridKind.CharacterSets:
                CharacterSetGrid(text, t, raw);
                break;
        }
        if (raw.Rows.Count == 0)
        {
            return null;
        }
        t.EndLine = Math.Max(t.CaptionLine, raw.Rows.Max(r => r.Provenance.Lines[1]));
        raw.Provenance = t.Whole();
        return raw;
    }

    // ---- Table 1: Network Services -------------------------------------------------------------------------------------------

    private static readonly Regex ServicesHeaderLine = new(@"^(SOP Classes SOP Class UID|SOP Classes|SOP Class UID|User of Service|\(SCU\)|Provider of Service|\(SCP\)|Create Send Store Display)$");
    private static readonly Regex ServicesSection = new(@"^(Verification|SOP Classes (created|managed) by .*|Transfer \(Private SOP Class\)|Storage Commitment|Worklist Management|Query/Retrieve|Print Management)$");

    /// <summary>Table 1: rows anchored on the SOP class UID; the name is the text since the previous row, the flags the Yes/No tokens
    /// after the UID (SCU/SCP, or Create/Send/Store/Display in the created/managed sections).</summary>
    private static void ServicesGrid(ExtractionContext ctx, TableSpan t, RawTable raw)
    {
        var text = ctx.Text;
        int end = DeviceHelpers.FindLine(text, @"^\s*Table 2:", t.CaptionLine + 1) - 1;
        raw.Header = ["Section", "SOP Class", "SOP Class UID", "SCU or Create", "SCP or Send", "Store", "Display"];
        string section = "";
        var name = new List<(int Line, string Text)>();
        List<string>? row = null;
        int rowFirst = 0, rowLast = 0;
        void Close()
        {
            if (row is not null)
            {
                raw.Rows.Add(new RawRow { Cells = row, Provenance = t.At(rowFirst, rowLast) });
                row = null;
            }
        }
        foreach (var (n, line) in BodyLines(text, t.CaptionLine + 1, end))
        {
            if (ServicesHeaderLine.IsMatch(line))
            {
                Close();
                continue;
            }
            if (ServicesSection.IsMatch(line) && name.Count == 0)
            {
                Close();
                section = line;
                continue;
            }
            foreach (var tok in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (IsUid(tok))
                {
                    Close();
                    row = [section, Join(name), tok];
                    rowFirst = name.Count > 0 ? name[0].Line : n;
                    rowLast = n;
                    name.Clear();
                }
                else if (row is not null && tok is "Yes" or "No")
                {
                    row.Add(tok);
                    rowLast = n;
                }
                else
                {
                    Close();
                    if (name.Count > 0 && name[^1].Line == n)
                    {
                        name[^1] = (n, name[^1].Text + " " + tok);
                    }
                    else
                    {
                        name.Add((n, tok));
                    }
                }
            }
        }
        Close();
    }

    // ---- Table 2: Media Services ---------------------------------------------------------------------------------------------

    private static void MediaServicesGrid(StatementText text, TableSpan t, RawTable raw)
    {
        raw.Header = ["Media", "Media Storage Application Profile", "Write Files (FSC or FSU)", "Read Files (FSR)"];
        string media = "";
        foreach (var (n, line) in BodyLines(text, t.CaptionLine + 1, t.EndLine))
        {
            if (line.StartsWith("Media Storage Application Profile", StringComparison.Ordinal))
            {
                continue;
            }
            var m = Regex.Match(line, @"^(?<p>(?:STD|AUG)-\s?[A-Z0-9-]+)\s+(?<w>Yes|No)\s+(?<r>Yes|No)$");
            if (m.Success)
            {
                raw.Rows.Add(new RawRow { Cells = [media, m.Groups["p"].Value, m.Groups["w"].Value, m.Groups["r"].Value], Provenance = t.At(n, n) });
            }
            else if (!IsProse(line))
            {
                media = line;
            }
            else
            {
                break;
            }
        }
    }

    // ---- label/value tables: association policies, asynchronous nature, implementation identification, parameters -------------

    private static readonly Regex ValueTail = new(@"^(?<k>.*?)\s*(?<v>(?:\d[\d.\\]*(?:\s*(?:kB|KB|MB|s|Bytes))?(?:\s+\d)?|unlimited|infinite|[A-Z][A-Z0-9]*_[A-Z0-9_]+|[0-9]{2}\\[0-9]{2}))$");

    /// <summary>"Label Value" rows (label may wrap over lines before a block holding only the value); for parameter tables
    /// "Parameter Configurable(Yes/No) Default Value". Stops at the first block that is neither.</summary>
    private static void KeyValueGrid(StatementText text, TableSpan t, RawTable raw, bool parameters)
    {
        raw.Header = parameters ? ["Parameter", "Configurable", "Default Value"] : ["Name", "Value"];
        var pendingLabel = new List<(int Line, string Text)>();
        foreach (var block in Blocks(text, t.CaptionLine + 1, t.EndLine))
        {
            var joined = Join(block);
            if (joined is "Name Value" or "Parameter Configurable Default Value")
            {
                continue;
            }
            if (parameters)
            {
                var pm = Regex.Match(joined, @"^(?<k>.+?)\s+(?<c>Yes|No)\s+(?<v>.+)$");
                var vm = Regex.Match(joined, @"^(?<c>Yes|No)\s+(?<v>.+)$");
                if (vm.Success && pendingLabel.Count > 0)
                {
                    raw.Rows.Add(new RawRow { Cells = [Join(pendingLabel), vm.Groups["c"].Value, vm.Groups["v"].Value], Provenance = t.At(pendingLabel[0].Line, block[^1].Line) });
                    pendingLabel.Clear();
                    continue;
                }
                if (pm.Success && pendingLabel.Count == 0 && !IsProse(block[0].Text))
                {
                    raw.Rows.Add(new RawRow { Cells = [pm.Groups["k"].Value, pm.Groups["c"].Value, pm.Groups["v"].Value], Provenance = t.At(block[0].Line, block[^1].Line) });
                    continue;
                }
                if (pendingLabel.Count == 0 && !IsProse(block[0].Text) && joined.Length < 120 && !Regex.IsMatch(joined, @"\b(Yes|No)\b"))
                {
                    pendingLabel.AddRange(block);
                    continue;
                }
                break;
            }
            var m = ValueTail.Match(joined);
            if (m.Success && m.Groups["k"].Value.Length == 0 && pendingLabel.Count > 0)
            {
                // the value printed in its own block under a wrapped label
                raw.Rows.Add(new RawRow { Cells = [Join(pendingLabel), m.Groups["v"].Value], Provenance = t.At(pendingLabel[0].Line, block[^1].Line) });
                pendingLabel.Clear();
                continue;
            }
            if (m.Success && m.Groups["k"].Value.Length > 0 && pendingLabel.Count == 0)
            {
                raw.Rows.Add(new RawRow { Cells = [m.Groups["k"].Value, m.Groups["v"].Value], Provenance = t.At(block[0].Line, block[^1].Line) });
                continue;
            }
            if (!m.Success && pendingLabel.Count == 0 && block.Count <= 3 && !IsProse(block[0].Text) && Regex.IsMatch(joined, @"^[A-Z][a-z]") && joined.Length < 90
                && !Regex.IsMatch(joined, @"^(Asynchronous Nature|Implementation Identifying Information)$"))
            {
                pendingLabel.AddRange(block); // label whose value follows in the next block
                continue;
            }
            break;
        }
    }

    // ---- presentation contexts ------------------------------------------------------------------------------------------------

    private sealed class PcRow
    {
        public string Name = "";
        public string Uid = "";
        public string Role = "";
        public string Ext = "";
        public List<(string Name, string Uid, int Line)> Syntaxes = [];
        public int First;
        public int Last;
    }

    /// <summary>"Abstract Syntax (Name, UID) Transfer Syntax (Name List, UID List) Role Ext. Neg." with every cell wrapping: read as a
    /// token stream. A UID starts an abstract syntax or, when the registry knows it as a transfer syntax, closes a transfer syntax whose
    /// name is the text since the previous UID; SCU/SCP and the None/Yes/No after it are the role and extended negotiation.</summary>
    private static void PresentationContextGrid(ExtractionContext ctx, TableSpan t, RawTable raw, List<string> issues)
    {
        var text = ctx.Text;
        raw.Header = ["Abstract Syntax Name", "Abstract Syntax UID", "Transfer Syntax Name List", "Transfer Syntax UID List", "Role", "Extended Negotiation"];
        var lines = BodyLines(text, t.CaptionLine + 1, t.EndLine);
        int start = lines.FindIndex(l => l.Text.EndsWith("UID List", StringComparison.Ordinal));
        if (start < 0)
        {
            return;
        }
        var rows = new List<PcRow>();
        var pending = new List<(int Line, string Tok)>();
        PcRow? cur = null;
        bool afterRole = false;
        foreach (var (n, line) in lines.Skip(start + 1))
        {
            if (IsProse(line) || IsHeading(line))
            {
                break;
            }
            foreach (var tok in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (IsUid(tok))
                {
                    var name = string.Join(" ", pending.Select(p => p.Tok));
                    if (ctx.Uids.IsTransferSyntax(tok) && cur is not null)
                    {
                        cur.Syntaxes.Add((name, tok, pending.Count > 0 ? pending[0].Line : n));
                        cur.Last = n;
                    }
                    else
                    {
                        cur = new PcRow { Name = name, Uid = tok, First = pending.Count > 0 ? pending[0].Line : n, Last = n };
                        rows.Add(cur);
                    }
                    pending.Clear();
                    afterRole = false;
                }
                else if (cur is not null && tok is "SCU" or "SCP" or "SCU/SCP")
                {
                    cur.Role = cur.Role.Length == 0 ? tok : cur.Role;
                    cur.Last = Math.Max(cur.Last, n);
                    afterRole = true;
                }
                else if (cur is not null && afterRole && tok is "None" or "Yes" or "No" or "See")
                {
                    cur.Ext = tok;
                    afterRole = false;
                }
                else
                {
                    pending.Add((n, tok));
                    afterRole = false;
                }
            }
        }
        if (pending.Count > 0)
        {
            issues.Add($"{t.Id}: text after the last UID not assigned to a cell: '{string.Join(" ", pending.Select(p => p.Tok))}' (L{pending[0].Line})");
        }
        foreach (var r in rows)
        {
            if (r.Syntaxes.Count == 0)
            {
                raw.Rows.Add(new RawRow { Cells = [r.Name, r.Uid, "", "", r.Role, r.Ext], Provenance = t.At(r.First, r.Last) });
            }
            for (int i = 0; i < r.Syntaxes.Count; i++)
            {
                raw.Rows.Add(new RawRow
                {
                    Cells = i == 0 ? [r.Name, r.Uid, r.Syntaxes[i].Name, r.Syntaxes[i].Uid, r.Role, r.Ext] : ["", "", r.Syntaxes[i].Name, r.Syntaxes[i].Uid, "", ""],
                    Provenance = t.At(i == 0 ? r.First : r.Syntaxes[i].Line, i == 0 ? r.Last : Math.Max(r.Syntaxes[i].Line, i + 1 < r.Syntaxes.Count ? r.Syntaxes[i + 1].Line - 1 : r.Last)),
                });
            }
        }
    }

    /// <summary>"UID value, Transfer Syntax, Image Objects, Non-Image Objects": rows start with the transfer syntax UID; the name runs
    /// until the two Yes/No flags.</summary>
    private static void TransferSyntaxGrid(StatementText text, TableSpan t, RawTable raw)
    {
        raw.Header = ["UID value", "Transfer Syntax", "Image Objects", "Non-Image Objects"];
        List<string>? row = null;
        var name = new List<string>();
        var flags = new List<string>();
        int first = 0, last = 0;
        void Close()
        {
            if (row is not null)
            {
                raw.Rows.Add(new RawRow { Cells = [row[0], string.Join(" ", name), flags.ElementAtOrDefault(0) ?? "", flags.ElementAtOrDefault(1) ?? ""], Provenance = t.At(first, last) });
                row = null;
                name.Clear();
                flags.Clear();
            }
        }
        foreach (var (n, line) in BodyLines(text, t.CaptionLine + 1, t.EndLine))
        {
            if (IsProse(line))
            {
                break;
            }
            var toks = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (IsUid(toks[0]))
            {
                Close();
                row = [toks[0]];
                first = last = n;
                toks = toks[1..];
            }
            if (row is null)
            {
                continue; // header
            }
            foreach (var tok in toks)
            {
                if (tok is "Yes" or "No")
                {
                    flags.Add(tok);
                }
                else
                {
                    name.Add(tok);
                }
            }
            last = n;
            if (flags.Count >= 2)
            {
                Close();
            }
        }
        Close();
    }

    /// <summary>"Name UID Extended Negotiation": anchored on the UID.</summary>
    private static void ExtendedNegotiationGrid(StatementText text, TableSpan t, RawTable raw)
    {
        raw.Header = ["Name", "UID", "Extended Negotiation"];
        var lines = BodyLines(text, t.CaptionLine + 1, t.EndLine).Where(l => l.Text != "Name UID Extended Negotiation").ToList();
        int u = lines.FindIndex(l => IsUid(l.Text.Split(' ')[0]));
        if (u < 0)
        {
            return;
        }
        var uidTok = lines[u].Text.Split(' ')[0];
        var rest = lines.Skip(u).TakeWhile(l => !IsProse(l.Text)).ToList();
        var ext = Join(rest)[uidTok.Length..].Trim();
        raw.Rows.Add(new RawRow { Cells = [Join(lines.Take(u)), uidTok, ext], Provenance = t.At(lines[0].Line, rest[^1].Line) });
    }

    // ---- status and failure behaviour -----------------------------------------------------------------------------------------

    // a status word opening a block starts a row, unless it opens a wrapped Behavior cell ("Failure reported to user; …")
    private static readonly Regex StatusStart = new(@"^(Success|Warning|Error|Failure|Failed|Refused|Cancel|Pending)\b(?!\s+reported\b)");

    /// <summary>"Service Status, Further Meaning, Error Code, Behavior": a row starts at a block opening with a status word; its codes
    /// (0000, A7xx, C000, B000, …) are collected into their own cell, the rest of the text kept as printed.</summary>
    private static void StatusGrid(StatementText text, TableSpan t, RawTable raw)
    {
        raw.Header = ["Service Status", "Further Meaning / Behavior (as printed)", "Error Code"];
        List<(int Line, string Text)>? cur = null;
        string status = "";
        void Close()
        {
            if (cur is null)
            {
                return;
            }
            var all = Join(cur);
            var rest = all[status.Length..].Trim();
            var codes = CodeRx().Matches(rest).Select(m => m.Value).Distinct().ToList();
            raw.Rows.Add(new RawRow { Cells = [status, rest, string.Join(" ", codes)], Provenance = t.At(cur[0].Line, cur[^1].Line) });
            cur = null;
        }
        foreach (var whole in Blocks(text, t.CaptionLine + 1, t.EndLine))
        {
            var block = whole.TakeWhile(l => !IsProse(l.Text) && !IsHeading(l.Text)).ToList();
            if (block.Count == 0)
            {
                break;
            }
            var sm = StatusStart.Match(block[0].Text);
            if (sm.Success)
            {
                Close();
                status = sm.Value;
                cur = [.. block];
            }
            else if (cur is not null)
            {
                cur.AddRange(block);
            }
            if (block.Count < whole.Count)
            {
                break;
            }
        }
        Close();
    }

    /// <summary>Tables whose cells cannot be told apart in this layout (communication failure, TLS profiles, printer status): one row
    /// per printed block, the block text kept as one cell.</summary>
    private static void BlockGrid(StatementText text, TableSpan t, RawTable raw)
    {
        var blocks = Blocks(text, t.CaptionLine + 1, t.EndLine);
        if (blocks.Count == 0)
        {
            return;
        }
        raw.Header = [Join(blocks[0])];
        foreach (var whole in blocks.Skip(1))
        {
            var block = whole.TakeWhile(l => !IsProse(l.Text) && !IsHeading(l.Text)).ToList();
            if (block.Count > 0)
            {
                raw.Rows.Add(new RawRow { Cells = [Join(block)], Provenance = t.At(block[0].Line, block[^1].Line) });
            }
            if (block.Count < whole.Count)
            {
                break;
            }
        }
    }

    // ---- media ------------------------------------------------------------------------------------------------------------------

    /// <summary>Table 66: the activity, role and option cells are merged over all profiles of a family (AUG-…, STD-…) and printed
    /// once, between that family's profile lines; a role printed on a profile's own line ("AUG- GEN-USB-J2K FSR, FSC, FSU") applies to
    /// that profile only.</summary>
    private static void MediaProfileGrid(StatementText text, TableSpan t, RawTable raw)
    {
        raw.Header = ["Application Profiles Supported", "Real-World Activity", "Role", "Service Class Option"];
        var families = new Dictionary<string, (List<string> Activities, string Role, string Option, int Last)>(StringComparer.Ordinal);
        var profiles = new List<(string Family, string Profile, string OwnRole, int Line)>();
        string family = "";
        foreach (var (n, line) in BodyLines(text, t.CaptionLine + 1, t.EndLine))
        {
            if (line is "Application Profiles" or "Supported" || line.StartsWith("Real-World Activity Role", StringComparison.Ordinal))
            {
                continue;
            }
            if (IsProse(line) || IsHeading(line))
            {
                break;
            }
            var pm = ProfileRx().Match(line);
            if (pm.Success)
            {
                family = pm.Value[..3];
                var own = RoleRx().Match(line[pm.Length..]);
                profiles.Add((family, pm.Value, own.Success ? own.Value : "", n));
                continue;
            }
            if (family.Length == 0)
            {
                continue;
            }
            var f = families.TryGetValue(family, out var v) ? v : ([], "", "", 0);
            if (RoleRx().Match(line) is { Success: true, Index: 0 } rm)
            {
                f.Role = rm.Value;
            }
            else if (line == "Interchange")
            {
                f.Option = line;
            }
            else
            {
                f.Activities.Add(line);
            }
            f.Last = n;
            families[family] = f;
        }
        foreach (var p in profiles)
        {
            var f = families.TryGetValue(p.Family, out var v) ? v : ([], "", "", p.Line);
            raw.Rows.Add(new RawRow
            {
                Cells = [p.Profile, string.Join("; ", f.Activities), p.OwnRole.Length > 0 ? p.OwnRole : f.Role, f.Option],
                Provenance = t.At(p.Line, p.Line),
            });
        }
    }

    /// <summary>Table 68: "Information Object Definition, SOP Class UID, Transfer Syntax UID, FSC, FSR" for the one private class.</summary>
    private static void PrivateMediaGrid(StatementText text, TableSpan t, RawTable raw)
    {
        raw.Header = ["Information Object Definition", "SOP Class UID", "Transfer Syntax", "Transfer Syntax UID", "FSC", "FSR"];
        var lines = BodyLines(text, t.CaptionLine + 1, t.EndLine);
        int h = lines.FindIndex(l => l.Text.EndsWith("FSC FSR", StringComparison.Ordinal));
        var body = lines.Skip(h + 1).TakeWhile(l => !IsProse(l.Text)).ToList();
        var uids = body.Where(l => IsUid(l.Text)).ToList();
        var flags = body.FirstOrDefault(l => Regex.IsMatch(l.Text, @"^[MOU] [MOU]$"));
        if (uids.Count < 2 || flags.Text is null)
        {
            return;
        }
        int iu = body.IndexOf(uids[0]), it = body.IndexOf(uids[1]);
        var f = flags.Text.Split(' ');
        raw.Rows.Add(new RawRow
        {
            Cells = [Join(body.Take(iu)), uids[0].Text, Join(body.Skip(iu + 1).Take(it - iu - 1)), uids[1].Text, f[0], f[1]],
            Provenance = t.At(body[0].Line, flags.Line),
        });
    }

    // ---- character sets -------------------------------------------------------------------------------------------------------

    /// <summary>Tables 69–72: cells wrap freely ("ISO 2022" / "IR 100"), so the body is read as one text. A defined term (ISO_IR n,
    /// ISO 2022 IR n, GB18030, GBK, or None for the default repertoire) is a term not followed by what the ISO registration column
    /// prints after a registration number (Supplementary set, ISO 646, JIS X, TIS, KS X); the text between the previous term and it,
    /// without the registration cells, is its description. A row without a description continues the previous one (Japanese).</summary>
    private static void CharacterSetGrid(StatementText text, TableSpan t, RawTable raw)
    {
        raw.Header = ["Character Set Description", "Defined Term", "Other cells (as printed)"];
        var lines = BodyLines(text, t.CaptionLine + 1, t.EndLine).TakeWhile(l => !IsProse(l.Text) && !CaptionStartRx().IsMatch(l.Text)).ToList();
        int firstTerm = lines.FindIndex(l => CharsetTermRx().IsMatch(l.Text));
        int h = lines.FindLastIndex(firstTerm < 0 ? lines.Count - 1 : firstTerm, l => l.Text.EndsWith("Character Set", StringComparison.Ordinal));
        lines = lines.Skip(h + 1).ToList();
        var sb = new System.Text.StringBuilder();
        var lineAt = new List<(int Offset, int Line)>();
        foreach (var (n, l) in lines)
        {
            lineAt.Add((sb.Length, n));
            sb.Append(l).Append(' ');
        }
        var all = sb.ToString();
        int LineOf(int offset) => lineAt.Last(x => x.Offset <= offset).Line;
        var terms = CharsetTermRx().Matches(all).Where(m => !RegistrationTailRx().IsMatch(all[(m.Index + m.Length)..])
            && !Regex.IsMatch(all[..m.Index], @"ESC [0-9/ ]+$")).ToList();
        int prevEnd = 0;
        string prevDesc = "";
        for (int i = 0; i < terms.Count; i++)
        {
            var m = terms[i];
            var desc = RegistrationCellsRx().Replace(all[prevEnd..m.Index], " ");
            desc = Regex.Replace(desc, @"\s+", " ").Trim();
            int rowFirst = LineOf(prevEnd == 0 ? 0 : prevEnd);
            if (desc.Length == 0)
            {
                desc = prevDesc;
            }
            int next = i + 1 < terms.Count ? terms[i + 1].Index : all.Length;
            // the other cells of this row run up to the next row's description: cut at the last registration cell before it
            var tail = all[(m.Index + m.Length)..next];
            var lastReg = RegistrationEndRx().Matches(tail).LastOrDefault();
            int cellsEnd = lastReg is null ? 0 : lastReg.Index + lastReg.Length;
            var other = Regex.Replace(tail[..cellsEnd], @"\s+", " ").Trim();
            int last = LineOf(m.Index + m.Length + Math.Max(0, cellsEnd - 1));
            int first = desc == prevDesc && i > 0 ? LineOf(m.Index) : Math.Max(rowFirst, lineAt.Where(x => x.Offset <= prevEnd + 1).Select(x => x.Line).DefaultIfEmpty(rowFirst).Last());
            first = Math.Min(first, LineOf(m.Index));
            raw.Rows.Add(new RawRow { Cells = [desc, m.Value.Replace("  ", " "), other], Provenance = t.At(first, last) });
            prevEnd = m.Index + m.Length + cellsEnd;
            prevDesc = desc;
        }
    }

    // running footer glued into one line with the page number ("syngo CT VA50A Page 31 of 144 Siemens Healthineers")
    [GeneratedRegex(@"^syngo CT VA50A\s+Page \d+ of \d+")]
    private static partial Regex PageFooterRx();

    [GeneratedRegex(@"^\d+(?:\.\d+){2,}$")]
    private static partial Regex UidRx();

    [GeneratedRegex(@"\b(?:[0-9A-F]{4}|[0-9A-F]{2}xx|[A-F]xxx|[0-9A-F]{3}x)\b")]
    private static partial Regex CodeRx();

    [GeneratedRegex(@"^(?:STD|AUG)-\s?GEN-[A-Z0-9]+(?:-[A-Z0-9]+)?")]
    private static partial Regex ProfileRx();

    [GeneratedRegex(@"FS[RCU](?:,\s*FS[RCU])*")]
    private static partial Regex RoleRx();

    [GeneratedRegex(@"\b(?:ISO_IR \d+|ISO 2022 IR \d+|GB18030|GBK|None)\b")]
    private static partial Regex CharsetTermRx();

    [GeneratedRegex(@"^\s*(?:Supplementary set|ISO 646|JIS X|TIS |KS X|GB 18030)")]
    private static partial Regex RegistrationTailRx();

    // registration cells: "ISO_IR 6 ISO 646:", "ISO_IR 100 Supplementary set", "ISO 2022 ESC 02/08 04/02 ISO-IR 6 ISO 646", "JIS X 0201: Katakana"
    [GeneratedRegex(@"(?:ISO 2022\s+ESC(?:\s+\d\d/\d\d)+\s*)?(?:ISO[-_]IR\s?\d+\s+)?(?:ISO 646:?|Supplementary set|JIS X \d+(?:-\d+)?:?(?:\s+(?:Katakana|Romaji|Supplementary Kanji set))?|TIS 620-2533 \(1990\)|KS X 1001:\s+Hangul and Hanja|ISO 10646 Unicode in UTF-8|GB 18030-2000 \(China Association for Standardization\)|ISO 2022)")]
    private static partial Regex RegistrationCellsRx();

    [GeneratedRegex(@"(?:ISO 646:?|Supplementary set|JIS X \d+(?:-\d+)?:?(?:\s+(?:Katakana|Romaji|Supplementary Kanji set))?|TIS 620-2533 \(1990\)|KS X 1001:\s+Hangul and Hanja|ISO 10646 Unicode in UTF-8|GB 18030-2000 \(China Association for Standardization\))")]
    private static partial Regex RegistrationEndRx();

    [GeneratedRegex(@"^\s+(Asynchronous Nature|Implementation Identifying Information|Activity\b.*|AE SPECIFICATIONS|MEDIA CONFIGURATION|AUGMENTED AND PRIVATE.*)\s*$")]
    private static partial Regex SectionHeadingRx();

    // "Table 25 below indicates …" and the print subsection titles ("Basic Grayscale Image Box SOP Class") after a table
    [GeneratedRegex(@"^(?:Table \d+ below\b|(?:Basic|Printer|Print Job|Presentation LUT)[A-Za-z ]* SOP Class\s*$)")]
    private static partial Regex AfterTableRx();

    [GeneratedRegex(@"^\s+\d{1,2}\s+[A-Z][a-z]+(?:\s+[A-Za-z]+)*\s*$")]
    private static partial Regex ChapterRx();

    [GeneratedRegex(@"^\s*\**Table\s?\d+\s*:")]
    private static partial Regex CaptionStartRx();

    [GeneratedRegex(@"^\d{1,2}\s+(?:A|This|The|Default|Only|If|Depending)\s+\w+\s+\w+")]
    private static partial Regex FootnoteRx();

    [GeneratedRegex(@"^(The|This|In case|If|For|When|Depending|An instance|Using|Generally|There|Note|Restriction|•)\b")]
    private static partial Regex ProseStartRx();
}
