using System.Globalization;
using System.Text.RegularExpressions;
using Dicom.Typed.Definitions.Extractor.Parsing;

namespace Dicom.Typed.Definitions.Extractor.Devices;

/// <summary>004 syngo CT: the typed network, media and character-set sections built from the grids of the space layout.</summary>
public sealed partial class SyngoCt
{
    private static void NetworkMediaCharsets(ExtractionContext ctx, DeviceOutput output, Dictionary<string, (string Output, int Rows)> used, List<string> issues)
    {
        BuildMessages(ctx, output, used, issues);
        var grids = new List<RawTable>();
        foreach (var t in ctx.Tables)
        {
            if (used.ContainsKey(t.Id) || KindOf(ctx.Text, t) is not { } kind)
            {
                continue;
            }
            if (BuildGrid(ctx, t, kind, issues) is { } grid)
            {
                grids.Add(grid);
                used[t.Id] = ("device.json", PhilipsAnnex.TagRows(grid));
            }
        }
        output.Device.Tables.AddRange(grids);
        output.Device.Tables.Sort((a, b) => a.Provenance.Lines[0].CompareTo(b.Provenance.Lines[0]));
        output.Device.Network = BuildNetwork(ctx, grids, issues);
        output.Device.Media = BuildMedia(ctx, grids);
        output.Device.CharacterSets = grids.Where(g => g.Id is "Table 69" or "Table 70" or "Table 71" or "Table 72")
            .SelectMany(g => g.Rows.Select(r => r.Cells[1]))
            .Where(term => term != "None") // the default repertoire is the absence of a value
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var cs = output.Device.Sections.FirstOrDefault(s => s.Kind == "characterSets");
        if (cs is not null)
        {
            cs.Text = "Defined terms of Tables 69–72 (characterSets); the default repertoire (Defined Term 'None', no value of Specific Character Set) is always supported.";
        }
    }

    private static readonly Regex AeHeading = new(@"^\s*4\.2\.\d+\s+(?<ae>.+?)\s+AE Specification\s*$");

    /// <summary>AE sections 4.2.x: name and line range.</summary>
    private static List<(string Name, int First, int Last)> AeSections(StatementText text)
    {
        var list = new List<(string, int, int)>();
        int end = DeviceHelpers.FindLine(text, @"^\s*4\.3\.1\s");
        for (int n = 1; n <= text.Count; n++)
        {
            var m = AeHeading.Match(text[n]);
            if (m.Success)
            {
                if (list.Count > 0)
                {
                    list[^1] = (list[^1].Item1, list[^1].Item2, n - 1);
                }
                list.Add((m.Groups["ae"].Value + " AE", n, end == 0 ? text.Count : end - 1));
            }
        }
        return list;
    }

    private static NetworkDefinition BuildNetwork(ExtractionContext ctx, List<RawTable> grids, List<string> issues)
    {
        var text = ctx.Text;
        var net = new NetworkDefinition();
        RawTable? G(string id) => grids.FirstOrDefault(g => g.Id == id);
        var aes = AeSections(text);
        string? AeOf(RawTable g) => aes.Where(a => a.First <= g.Provenance.Lines[0] && g.Provenance.Lines[0] <= a.Last).Select(a => a.Name).FirstOrDefault();
        string Cell(RawRow r, int i) => i < r.Cells.Count ? r.Cells[i] : "";

        // implementation identification (Table 3) is shared by every AE; the application context is taken from each AE's policy table
        var impl = G("Table 3");
        string? implUid = impl?.Rows.FirstOrDefault(r => r.Cells[0] == "Implementation Class UID")?.Cells[1];
        string? implName = impl?.Rows.FirstOrDefault(r => r.Cells[0] == "Implementation Version Name")?.Cells[1];
        foreach (var (name, first, last) in aes)
        {
            var policy = grids.FirstOrDefault(g => g.Title.StartsWith("Association Polic", StringComparison.Ordinal) && AeOf(g) == name);
            var ctxName = policy?.Rows.FirstOrDefault(r => r.Cells[0] == "Application Context Name")?.Cells[1];
            net.ApplicationEntities.Add(new ApplicationEntity
            {
                Name = name,
                ApplicationContext = ctxName,
                ImplementationClassUids = implUid is null ? [] : [implUid],
                ImplementationVersionNames = implName is null ? [] : [implName],
                Provenance = new Provenance { Title = StatementText.Clean(text[first]), Lines = [first, last] },
            });
        }

        // association policies per AE (Tables 4, 8, 14, 20, 30, 37, 43) and asynchronous window (Tables 5, 9, 15, …)
        foreach (var g in grids.Where(g => g.Title.StartsWith("Association Polic", StringComparison.Ordinal) || g.Title.StartsWith("Asynchronous Nature", StringComparison.Ordinal)))
        {
            var ae = AeOf(g);
            foreach (var r in g.Rows)
            {
                var (label, value) = (r.Cells[0], Cell(r, 1));
                string? kind = label switch
                {
                    "PDU size" => "maxPduLength",
                    _ when label.Contains("association acceptor", StringComparison.Ordinal) => "maxAssociationsAcceptor",
                    _ when label.Contains("association initiator", StringComparison.Ordinal) => "maxAssociationsInitiator",
                    _ when label.StartsWith("Maximum number of outstanding asynchronous", StringComparison.Ordinal) => "asynchronousWindow",
                    _ => null,
                };
                if (kind is null)
                {
                    continue; // the application context is kept on the AE
                }
                net.Policies.Add(new PolicyItem
                {
                    Kind = CommonKind(kind),
                    Value = PolicyValue(kind, value),
                    Unit = kind == "maxPduLength" ? "bytes" : null,
                    AssociationRole = RoleOf(kind) ?? (kind == "asynchronousWindow" && g.Title.Contains("Initiator", StringComparison.Ordinal) ? "initiator" : null),
                    ApplicationEntity = ae,
                    Text = $"{label}: {value}" + (FootnoteMarked(kind, value) ? " (trailing 1 is the marker of footnote 1: \"Default, the value is configurable\")" : ""),
                    Provenance = r.Provenance,
                });
            }
        }
        // AE titles and ports (Table 63), parameters for all AEs (Table 64)
        foreach (var id in new[] { "Table 63", "Table 64" })
        {
            foreach (var r in G(id)?.Rows ?? [])
            {
                var (label, configurable, value) = (r.Cells[0], Cell(r, 1), Cell(r, 2));
                var l = label.ToLowerInvariant();
                string kind = l switch
                {
                    "default ae title" => "aeTitle",
                    "default basic port" => "port",
                    "default secure port" => "tlsPort",
                    "pdu size" => "maxPduLength",
                    "max number of parallel receiving associations" => "maxAssociationsAcceptor",
                    "max matches query limit" => "maxQueryMatches",
                    // ARTIM guards the association request/release exchange (PS3.8 9.1.5); the DIMSE time-outs wait for messages
                    _ when l.StartsWith("time-out for accepting/rejecting an association", StringComparison.Ordinal)
                        || l.StartsWith("time-out for responding to an association", StringComparison.Ordinal) => "artimTimeout",
                    _ when l.StartsWith("time-out for accepting a message", StringComparison.Ordinal)
                        || l.StartsWith("time-outs for waiting for a service request/response", StringComparison.Ordinal)
                        || l.StartsWith("time-out for waiting for a c-move-rsp", StringComparison.Ordinal) => "dimseTimeout",
                    _ when l.StartsWith("time-out", StringComparison.Ordinal) => "timeout",
                    _ => "configurable",
                };
                var num = Regex.Match(value, @"^(\d+)\s*(s|Bytes)?$");
                net.Policies.Add(new PolicyItem
                {
                    Kind = CommonKind(kind),
                    Value = num.Success ? num.Groups[1].Value : null,
                    Unit = num.Success && num.Groups[2].Success ? (num.Groups[2].Value == "s" ? "s" : "bytes") : null,
                    Configurable = configurable switch { "Yes" => true, "No" => false, _ => null },
                    AssociationRole = RoleOf(kind),
                    Text = $"{label}: {value} (configurable: {configurable})",
                    Provenance = r.Provenance,
                });
            }
        }

        // storage commitment (4.2.3): how the N-EVENT-REPORT may come back, and the delay before the N-ACTION
        var commitAe = aes.Select(a => a.Name).FirstOrDefault(n => n.StartsWith("Storage Commitment", StringComparison.Ordinal));
        void Sentence(string kind, string startPattern, string endPattern, Func<string, string?> value)
        {
            int a = DeviceHelpers.FindLine(text, startPattern);
            int b = a == 0 ? 0 : DeviceHelpers.FindLine(text, endPattern, a);
            if (a == 0 || b == 0 || b - a > 6)
            {
                issues.Add($"storage commitment sentence for '{kind}' not found");
                return;
            }
            var sentence = Regex.Replace(string.Join(" ", Enumerable.Range(a, b - a + 1).Select(n => text[n].Trim()).Where(l => l.Length > 0)), @"-\s+(?=[A-Z])", "-");
            net.Policies.Add(new PolicyItem { Kind = kind, Value = value(sentence), ApplicationEntity = commitAe, Text = sentence, Provenance = new Provenance { Lines = [a, b] } });
        }
        Sentence("storageCommitmentReplySameAssociation", @"will accept the N-Event-Report-Request on the same association", @"association is closed after", s =>
            Regex.Match(s, @"closed after (\w+) seconds") is { Success: true } m ? WordNumber(m.Groups[1].Value) : null);
        Sentence("storageCommitmentReplyNewAssociation", @"accepts incoming N-EVENT-REPORT-Request, if they do not arrive", @"same association as the N-ACTION-Request", _ => null);
        Sentence("storageCommitmentDelay", @"The Storage Commitment Request will be sent out with a delay", @"default delay of", s =>
            Regex.Match(s, @"default delay of (\d+) minutes") is { Success: true } m ? (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 60).ToString(CultureInfo.InvariantCulture) : null);

        // "Yes" in the Ext. Neg. cell refers to the "Extended Negotiation as an SCU" table of the same AE (Table 23: relational query)
        string? ExtendedNegotiation(string cell, string uid, string? ae)
        {
            if (cell.Length == 0)
            {
                return null;
            }
            var detail = grids.Where(x => x.Title.StartsWith("Extended Negotiation", StringComparison.Ordinal) && AeOf(x) == ae)
                .SelectMany(x => x.Rows).FirstOrDefault(x => x.Cells.Count > 2 && x.Cells[1] == uid);
            return cell == "Yes" && detail is not null ? "Yes: " + detail.Cells[2] : cell;
        }

        // presentation contexts printed as tables (verification, storage commitment, Q/R, MWL, MPPS, print)
        foreach (var g in grids.Where(g => g.Header.Count > 0 && g.Header[0] == "Abstract Syntax Name"))
        {
            PresentationContext? cur = null;
            foreach (var r in g.Rows)
            {
                if (r.Cells[1].Length > 0)
                {
                    cur = new PresentationContext
                    {
                        SopClassName = r.Cells[0],
                        SopClassUid = r.Cells[1],
                        Role = r.Cells[4],
                        ExtendedNegotiation = ExtendedNegotiation(r.Cells[5], r.Cells[1], AeOf(g)),
                        ApplicationEntity = AeOf(g),
                        Provenance = new Provenance { Table = g.Id, Title = g.Title, Lines = [.. r.Provenance.Lines] },
                    };
                    if (cur.Role.Length == 0)
                    {
                        issues.Add($"{g.Id} L{r.Provenance.Lines[0]}: presentation context {cur.SopClassName} without a role");
                    }
                    net.PresentationContexts.Add(cur);
                }
                if (cur is not null && r.Cells[3].Length > 0)
                {
                    cur.TransferSyntaxes.Add(new TransferSyntaxRef { Name = r.Cells[2], Uid = r.Cells[3] });
                    cur.Provenance.Lines = [cur.Provenance.Lines[0], Math.Max(cur.Provenance.Lines[1], r.Provenance.Lines[1])];
                }
            }
        }

        // storage: every storage SOP class of Table 1 (created, managed, private transfer) × the transfer syntaxes of Table 10 for image
        // or non-image objects (4.2.2.3.1.2, 4.2.2.4.1.2). SCU when the class is sent, SCP when it is stored.
        var ts = G("Table 10");
        var services = G("Table 1");
        var storageAe = aes.Select(a => a.Name).FirstOrDefault(n => n.StartsWith("Storage AE", StringComparison.Ordinal));
        if (ts is not null && services is not null)
        {
            foreach (var r in services.Rows.Where(r => r.Cells[0].StartsWith("SOP Classes", StringComparison.Ordinal) || r.Cells[0].StartsWith("Transfer", StringComparison.Ordinal)))
            {
                bool fourFlags = r.Cells.Count >= 7;
                bool scu = fourFlags ? Cell(r, 4) == "Yes" : Cell(r, 3) == "Yes";
                bool scp = fourFlags ? Cell(r, 5) == "Yes" : Cell(r, 4) == "Yes";
                bool image = IsImageStorage(ctx.Uids.Name(r.Cells[2]) ?? r.Cells[1]);
                var syntaxes = ts.Rows.Where(x => Cell(x, image ? 2 : 3) == "Yes").Select(x => new TransferSyntaxRef { Name = x.Cells[1], Uid = x.Cells[0] }).ToList();
                if (!ctx.Uids.IsTransferSyntax(syntaxes.FirstOrDefault()?.Uid ?? "") && syntaxes.Count > 0)
                {
                    issues.Add($"Table 10: {syntaxes[0].Uid} is not a registered transfer syntax");
                }
                foreach (var role in new[] { scu ? "SCU" : null, scp ? "SCP" : null }.OfType<string>())
                {
                    net.PresentationContexts.Add(new PresentationContext
                    {
                        SopClassName = r.Cells[1],
                        SopClassUid = r.Cells[2],
                        Role = role,
                        ExtendedNegotiation = "None",
                        ApplicationEntity = storageAe,
                        TransferSyntaxes = syntaxes,
                        Provenance = new Provenance { Table = services.Id, Title = services.Title + " × " + ts.Id + " (" + (image ? "Image" : "Non-Image") + " Objects)", Lines = [.. r.Provenance.Lines] },
                    });
                }
            }
        }
        return net;
    }

    private static string? WordNumber(string w) => w switch
    {
        "one" => "1", "two" => "2", "three" => "3", "four" => "4", "five" => "5", "ten" => "10",
        _ => Regex.IsMatch(w, @"^\d+$") ? w : null,
    };

    /// <summary>Image objects in the sense of PS3.3 A.1.4, which the statement points to for Table 10: the registry name says Image
    /// (or Volume); everything else (SR, RT plans and records, registration, waveforms, raw data, presentation states) is non-image.</summary>
    private static bool IsImageStorage(string name) =>
        name.Contains("Image", StringComparison.OrdinalIgnoreCase) || name.Contains("Volume", StringComparison.OrdinalIgnoreCase);

    private static bool FootnoteMarked(string kind, string value) =>
        (kind == "maxPduLength" && Regex.IsMatch(value, @"^\d+\s*kB\s+1$")) || (kind == "maxAssociationsAcceptor" && value == "121");

    /// <summary>Normalized policy value: PDU sizes in bytes, counts without the glued footnote marker ("121" is 12 plus footnote 1,
    /// which 4.2.2.2 confirms: "By default, the maximum number of associations is set to 12"), "unlimited" kept as a word.</summary>
    private static string? PolicyValue(string kind, string value)
    {
        var kb = Regex.Match(value, @"^(\d+)\s*kB(?:\s+1)?$");
        if (kind == "maxPduLength" && kb.Success)
        {
            return (int.Parse(kb.Groups[1].Value, CultureInfo.InvariantCulture) * 1024).ToString(CultureInfo.InvariantCulture);
        }
        if (FootnoteMarked(kind, value))
        {
            return value[..^1];
        }
        return Regex.IsMatch(value, @"^\d+$") || value is "unlimited" or "infinite" ? value : null;
    }

    /// <summary>Media profiles (Table 66) × roles, with the SOP classes of Table 1 (created and managed sections, 5.2.1.2) plus the
    /// private CSA Non-Image class for the augmented profiles (Table 68), and the transfer syntaxes of Table 67 (compressing profiles)
    /// or Explicit VR Little Endian only (the others, 5.2.1.2).</summary>
    private static MediaDefinition BuildMedia(ExtractionContext ctx, List<RawTable> grids)
    {
        var media = new MediaDefinition();
        var profiles = grids.FirstOrDefault(g => g.Id == "Table 66");
        var services = grids.FirstOrDefault(g => g.Id == "Table 1");
        var t67 = grids.FirstOrDefault(g => g.Id == "Table 67");
        var t68 = grids.FirstOrDefault(g => g.Id == "Table 68");
        if (profiles is null || services is null)
        {
            return media;
        }
        var standard = services.Rows.Where(r => r.Cells[0].StartsWith("SOP Classes", StringComparison.Ordinal)).Select(r => r.Cells[2]).ToList();
        var privateUids = t68?.Rows.Select(r => r.Cells[1]).ToList() ?? [];
        var explicitLe = new TransferSyntaxRef { Name = ctx.Uids.Name("1.2.840.10008.1.2.1") ?? "Explicit VR Little Endian", Uid = "1.2.840.10008.1.2.1" };
        foreach (var r in profiles.Rows)
        {
            var profile = Regex.Replace(r.Cells[0], @"-\s+", "-"); // "AUG- GEN-DVD-J2K": a line-wrap space inside the id
            bool augmented = profile.StartsWith("AUG", StringComparison.Ordinal);
            var syntaxes = profile.EndsWith("J2K", StringComparison.Ordinal) && t67 is not null
                ? t67.Rows.Select(x => new TransferSyntaxRef { Name = x.Cells[1], Uid = x.Cells[0] }).ToList()
                : [explicitLe];
            foreach (var role in r.Cells[2].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                media.Profiles.Add(new MediaProfile
                {
                    Profile = profile,
                    Activity = r.Cells[1],
                    Role = role,
                    Option = r.Cells[3].Length > 0 ? r.Cells[3] : null,
                    SopClassUids = augmented ? [.. standard, .. privateUids] : [.. standard],
                    TransferSyntaxes = syntaxes,
                    Provenance = r.Provenance,
                });
            }
        }
        return media;
    }

    /// <summary>The policy vocabulary shared by all devices: association counts are one kind with an association role.</summary>
    private static string CommonKind(string kind) => kind is "maxAssociationsAcceptor" or "maxAssociationsInitiator" ? "maxAssociations" : kind;

    private static string? RoleOf(string kind) => kind switch
    {
        "maxAssociationsAcceptor" => "acceptor",
        "maxAssociationsInitiator" => "initiator",
        _ => null,
    };
}
