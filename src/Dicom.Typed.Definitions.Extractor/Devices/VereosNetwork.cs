using System.Globalization;
using System.Text.RegularExpressions;
using Dicom.Typed.Definitions.Extractor.Parsing;

namespace Dicom.Typed.Definitions.Extractor.Devices;

/// <summary>Vereos 2.0: typed network (§4), media (§5), character sets (§6) and applications (annexes 8–10), built from the raw grids
/// of device.json so that every typed value points back at a grid row.</summary>
public sealed partial class Vereos
{
    private const string DicomManager = "DICOM Manager";
    private const string PrintManager = "Print Manager";
    private const string MediaAe = "Media AE";

    private static void BuildTypedSections(StatementText text, DeviceDefinition device)
    {
        var grids = device.Tables.ToDictionary(t => t.Id, StringComparer.Ordinal);
        RawTable G(int n) => grids["Table " + n.ToString(CultureInfo.InvariantCulture)];
        int printLine = DeviceHelpers.FindLine(text, @"^#+\s*4\.2\.2\.\s+Print Manager");
        string AeAt(int line) => line >= printLine ? PrintManager : DicomManager;

        var net = new NetworkDefinition();
        var t78 = G(78);
        net.ApplicationEntities.Add(Ae(DicomManager, G(6), G(10), G(5), t78, text, @"^#+\s*4\.2\.1\.\s+DICOM Manager"));
        net.ApplicationEntities.Add(Ae(PrintManager, G(51), G(54), G(50), t78, text, @"^#+\s*4\.2\.2\.\s+Print Manager"));
        var media = Ae(MediaAe, null, G(85), null, null, text, @"^#+\s*5\.2\.1\.\s+Media AE");
        media.Kind = "media";
        net.ApplicationEntities.Add(media);

        // association policies: Tables 7–9 (DICOM Manager), 52–53 (Print Manager), communication failure Table 11, configuration 79–82
        void Value(RawTable t, string kind, string? unit = null, string? ae = null)
        {
            foreach (var r in t.Rows)
            {
                net.Policies.Add(new PolicyItem
                {
                    Kind = kind,
                    Value = Cell(r, 1),
                    Unit = unit,
                    ApplicationEntity = ae ?? AeAt(r.Provenance.Lines[0]),
                    AssociationRole = t.Title.Contains("Association Initiator", StringComparison.Ordinal) ? "initiator"
                        : t.Title.Contains("Association Acceptor", StringComparison.Ordinal) ? "acceptor" : null,
                    Text = $"{Caption(t)}: {Cell(r, 0)}",
                    Provenance = Row(t, r),
                });
            }
        }
        Value(G(7), "maxAssociations");
        Value(G(8), "maxAssociations");
        Value(G(9), "asynchronousWindow");
        Value(G(52), "maxAssociations");
        Value(G(53), "asynchronousWindow");
        foreach (var r in G(11).Rows)
        {
            net.Policies.Add(new PolicyItem
            {
                Kind = TimeoutKind(Cell(r, 0)) ?? "communicationFailure",
                ApplicationEntity = DicomManager,
                Configurable = Cell(r, 2).StartsWith("Configurable", StringComparison.Ordinal),
                Text = $"{Cell(r, 0)}: {Cell(r, 1)} {Cell(r, 2)}".Trim(),
                Provenance = Row(G(11), r),
            });
        }
        int pdu = DeviceHelpers.FindLine(text, @"^The maximum PDU Size that the Print-Manager");
        if (pdu > 0)
        {
            net.Policies.Add(new PolicyItem
            {
                Kind = "maxPduLength",
                ApplicationEntity = PrintManager,
                Configurable = true,
                Text = StatementText.Clean(text[pdu]),
                Provenance = new Provenance { Title = "4.2.2.2.1. General", Lines = [pdu, pdu] },
            });
        }
        int one = DeviceHelpers.FindLine(text, @"^Print-Manager can have only one open connection");
        if (one > 0)
        {
            net.Policies.Add(new PolicyItem { Kind = "maxAssociations", Value = "1", ApplicationEntity = PrintManager, Text = StatementText.Clean(text[one]), Provenance = new Provenance { Lines = [one, one] } });
        }
        int commit = DeviceHelpers.FindLine(text, @"N-EVENT-REPORT\) requests on the same association or by establishing another association");
        int reverse = DeviceHelpers.FindLine(text, @"accept the N-EVENT-REPORT-RQ commands over a separate association");
        foreach (int line in new[] { commit, reverse }.Where(l => l > 0))
        {
            net.Policies.Add(new PolicyItem
            {
                Kind = "storageCommitmentReply",
                Value = "same or new association",
                ApplicationEntity = DicomManager,
                Text = StatementText.Clean(text[line]),
                Provenance = new Provenance { Lines = [line, line] },
            });
        }
        foreach (var t in new[] { G(79), G(80), G(81), G(82) })
        {
            string group = "";
            foreach (var r in t.Rows)
            {
                string name = Cell(r, 0);
                if (Cell(r, 1).Length == 0 && Cell(r, 2).Length == 0)
                {
                    group = name; // "Advanced Parameter - Store"
                    continue;
                }
                var (kind, unit) = ConfigKind(name);
                string value = Cell(r, 2);
                var num = Regex.Match(value, @"^\(?(\d+)\)?(?:\s*(seconds|\(Fixed\)))?\s*$");
                net.Policies.Add(new PolicyItem
                {
                    Kind = kind,
                    Value = num.Success ? num.Groups[1].Value : value,
                    Unit = num.Success ? unit ?? (num.Groups[2].Value == "seconds" ? "s" : null) : null,
                    Configurable = Cell(r, 1) switch { "Yes" => true, "No" => false, _ => null },
                    ApplicationEntity = t.Id == "Table 82" ? PrintManager : DicomManager,
                    Text = (group.Length > 0 ? group + ": " : "") + name + (value.Length > 0 ? " = " + value : ""),
                    Provenance = Row(t, r),
                });
            }
        }

        // presentation contexts: every "Presentation Context Table" grid of §4
        foreach (var t in device.Tables.Where(t => t.Header.Count > 0 && t.Header[0] == "Presentation Context Table"))
        {
            var cap = Regex.Match(t.Title, @"^(Proposed|Acceptable) Presentation Contexts for \(Real-World\) Activity\s*[–-]\s*(.+)$");
            string direction = cap.Groups[1].Value == "Acceptable" ? "acceptable" : "proposed";
            string activity = cap.Success ? cap.Groups[2].Value : t.Title;
            PresentationContext? cur = null;
            var metas = new Dictionary<string, PresentationContext>(StringComparer.Ordinal);
            foreach (var r in t.Rows)
            {
                string name = Cell(r, 0), uid = NoSpace(Cell(r, 1)), ts = Cell(r, 2), tsUid = NoSpace(Cell(r, 3));
                if (name is "Abstract Syntax" or "Name")
                {
                    continue; // header repeated after a page break
                }
                if (name.StartsWith('>') && cur?.IncludedSopClasses is not null)
                {
                    // SOP class of the Meta SOP class printed above it: the meta is the negotiated abstract syntax
                    var inc = new SopClassRef { Name = name.TrimStart('>').Trim(), Uid = uid };
                    if (!cur.IncludedSopClasses.Any(x => x.Uid == inc.Uid))
                    {
                        cur.IncludedSopClasses.Add(inc);
                    }
                }
                else if (name.Length > 0 && uid.Length == 0 && cur is not null)
                {
                    cur.SopClassName += " " + name; // name finished after a repeated header (L699/L704)
                }
                else if (name.Length > 0)
                {
                    bool meta = name.Contains("Meta SOP Class", StringComparison.Ordinal);
                    if (meta && metas.TryGetValue(uid, out var existing))
                    {
                        cur = existing;
                        cur.Provenance.Lines = [cur.Provenance.Lines[0], r.Provenance.Lines[1]];
                        continue;
                    }
                    cur = new PresentationContext
                    {
                        SopClassName = name,
                        SopClassUid = uid,
                        Role = NoSpace(Cell(r, 4)),
                        ExtendedNegotiation = Cell(r, 5).Length > 0 ? Cell(r, 5) : null,
                        ApplicationEntity = AeAt(r.Provenance.Lines[0]),
                        Direction = direction,
                        Activity = activity,
                        IncludedSopClasses = meta ? [] : null,
                        Provenance = new Provenance { Table = t.Id, Title = t.Title, Lines = [r.Provenance.Lines[0], r.Provenance.Lines[1]] },
                    };
                    if (meta)
                    {
                        metas[uid] = cur;
                    }
                    net.PresentationContexts.Add(cur);
                }
                if (cur is null)
                {
                    continue;
                }
                cur.Provenance.Lines = [cur.Provenance.Lines[0], Math.Max(cur.Provenance.Lines[1], r.Provenance.Lines[1])];
                if (ts.Length > 0 && !(cur.IncludedSopClasses is not null && cur.TransferSyntaxes.Any(x => x.Uid == tsUid)))
                {
                    cur.TransferSyntaxes.Add(new TransferSyntaxRef { Name = ts, Uid = tsUid });
                }
            }
        }
        var t337 = G(337);
        net.PrivateTransferSyntaxes = t337.Rows.Select(r => new PrivateTransferSyntax
        {
            Name = Cell(r, 0),
            Uid = NoSpace(Cell(r, 1)),
            Comment = Cell(r, 2).Length > 0 ? Cell(r, 2) : null,
            Provenance = Row(t337, r),
        }).ToList();
        device.Network = net;

        // media (§5): Table 84 profiles × roles; "DD" (Display Directory) rows are no PS3.10 role and stay in the grid only
        var mediaDef = new MediaDefinition();
        var t84 = G(84);
        string profile = "", identifier = "";
        foreach (var r in t84.Rows)
        {
            if (Cell(r, 0).Length > 0)
            {
                profile = Cell(r, 0);
                identifier = Cell(r, 1);
            }
            string role = Cell(r, 3);
            if (role is not ("FSC" or "FSR" or "FSU"))
            {
                continue;
            }
            mediaDef.Profiles.Add(new MediaProfile
            {
                Profile = profile,
                Identifier = identifier,
                Activity = Cell(r, 2),
                Role = role,
                ApplicationEntity = MediaAe,
                Provenance = Row(t84, r),
            });
        }
        // DICOMDIR keys (Table 87, group rows "Patient level" …) and generated keys (Table 86)
        var t87 = G(87);
        mediaDef.DirectoryRecords = [];
        DirectoryRecordKeys? level = null;
        foreach (var r in t87.Rows)
        {
            var tag = Vocabulary.Tag(Cell(r, 0));
            if (tag is null)
            {
                string name = Cell(r, 0);
                level = new DirectoryRecordKeys
                {
                    Level = name,
                    RecordType = Regex.Match(name, @"^(Patient|Study|Series|Image) level$") is { Success: true } lm ? lm.Groups[1].Value.ToUpperInvariant() : null,
                    Provenance = Row(t87, r),
                };
                mediaDef.DirectoryRecords.Add(level);
                continue;
            }
            if (level is null)
            {
                level = new DirectoryRecordKeys { Provenance = Row(t87, r) };
                mediaDef.DirectoryRecords.Add(level);
            }
            level.Keys.Add(new DirectoryKey { Tag = tag, Name = Cell(r, 1), Provenance = Row(t87, r) });
            level.Provenance.Lines = [level.Provenance.Lines[0], r.Provenance.Lines[1]];
        }
        var t86 = G(86);
        mediaDef.GeneratedKeys = [];
        string keyGroup = "";
        foreach (var r in t86.Rows)
        {
            if (Vocabulary.Tag(Cell(r, 1)) is not { } gtag)
            {
                keyGroup = Cell(r, 0);
                continue;
            }
            mediaDef.GeneratedKeys.Add(new GeneratedDirectoryKey { Group = keyGroup, Tag = gtag, Name = Cell(r, 0), GeneratedValue = Cell(r, 2), Provenance = Row(t86, r) });
        }
        device.Media = mediaDef;

        // character sets (§6): Table 88, a row group per set (continuation rows add code elements)
        var cs = new CharacterSetSupport();
        var t88 = G(88);
        CharacterSetEntry? set = null;
        foreach (var r in t88.Rows)
        {
            if (Cell(r, 0).Length > 0)
            {
                set = new CharacterSetEntry
                {
                    Description = Cell(r, 0),
                    DefinedTerm = Cell(r, 1) is "-" or "" ? null : Cell(r, 1),
                    Provenance = Row(t88, r),
                };
                cs.Sets.Add(set);
            }
            if (set is null)
            {
                continue;
            }
            if (Cell(r, 3) is { Length: > 0 } iso && iso != "-")
            {
                set.IsoRegistrations.Add(iso);
            }
            if (Cell(r, 4) is { Length: > 0 } ce && ce != "-")
            {
                set.CodeElements.Add(ce);
            }
            set.Provenance.Lines = [set.Provenance.Lines[0], r.Provenance.Lines[1]];
        }
        device.CharacterSetSupport = cs;
        device.CharacterSets = cs.Sets.Select(s => s.DefinedTerm ?? s.Description).ToList();

        // applications (annexes 8–10) with their lists of created SOP classes
        device.Applications =
        [
            App(text, PetCt, "PET CT Acquisition", G(90)),
            App(text, Fusion, "Fusion Viewer", G(188)),
            App(text, Console, "uCT Console", G(276)),
        ];
    }

    private static ApplicationDefinition App(StatementText text, string context, string name, RawTable created)
    {
        int h = DeviceHelpers.FindLine(text, @"^#+\s*\d+\.\s+Annexes of application """ + Regex.Escape(name) + @"""");
        return new ApplicationDefinition
        {
            Name = name,
            Context = context,
            SopClasses = created.Rows.Select(r => new ApplicationSopClass { Name = Cell(r, 0), Uid = NoSpace(Cell(r, 1)), Created = true, Provenance = Row(created, r) }).ToList(),
            Provenance = new Provenance { Title = h == 0 ? null : StatementText.Clean(text[h].Trim('#', ' ')), Lines = [h, h] },
        };
    }

    private static ApplicationEntity Ae(string name, RawTable? context, RawTable impl, RawTable? sops, RawTable? titles, StatementText text, string heading)
    {
        int h = DeviceHelpers.FindLine(text, heading);
        var ae = new ApplicationEntity
        {
            Name = name,
            ApplicationContext = context?.Rows.FirstOrDefault(r => Cell(r, 0) == "Application Context Name") is { } c ? Cell(c, 1) : null,
            // the implementation table has no header: its first row is read as the grid header
            ImplementationClassUids = impl.Header.Count > 1 && impl.Header[0] == "Implementation Class UID" ? [NoSpace(impl.Header[1])] : [],
            ImplementationVersionNames = impl.Rows.Where(r => Cell(r, 0) == "Implementation Version Name").Select(r => Cell(r, 1)).ToList(),
            Provenance = new Provenance { Title = h == 0 ? null : StatementText.Clean(text[h].Trim('#', ' ')), Lines = [h == 0 ? impl.Provenance.Lines[0] : h, impl.Provenance.Lines[1]] },
        };
        if (sops is not null)
        {
            ae.SopClasses = [];
            string? meta = null;
            foreach (var r in sops.Rows)
            {
                bool child = Cell(r, 0).StartsWith('>');
                var sc = new AeSopClass
                {
                    Name = Cell(r, 0).TrimStart('>').Trim(),
                    Uid = NoSpace(Cell(r, 1)),
                    Scu = Cell(r, 2) == "Yes",
                    Scp = Cell(r, 3) == "Yes",
                    MetaSopClassUid = child ? meta : null,
                    Provenance = Row(sops, r),
                };
                if (!child)
                {
                    meta = sc.Name.Contains("Meta SOP Class", StringComparison.Ordinal) ? sc.Uid : null;
                }
                ae.SopClasses.Add(sc);
            }
        }
        if (titles?.Rows.FirstOrDefault(r => Cell(r, 0) == name) is { } row)
        {
            ae.DefaultAeTitle = Cell(row, 1);
            ae.DefaultPort = Cell(row, 2);
        }
        return ae;
    }

    private static (string Kind, string? Unit) ConfigKind(string name) => name switch
    {
        "PDU" => ("maxPduLength", "bytes"),
        "System Port" => ("port", null),
        "Max association number" => ("maxAssociations", null),
        _ when TimeoutKind(name) is { } k => (k, "s"),
        _ => ("configurable", null),
    };

    private static string? TimeoutKind(string name) =>
        name.Contains("ARTIM", StringComparison.OrdinalIgnoreCase) ? "artimTimeout"
        : name.Contains("Association Timeout", StringComparison.OrdinalIgnoreCase) ? "associationTimeout"
        : name.Contains("Timeout", StringComparison.OrdinalIgnoreCase) ? "dimseTimeout"
        : null;

    private static string Caption(RawTable t) => t.Title;

    private static string Cell(RawRow r, int i) => i < r.Cells.Count ? r.Cells[i] : "";

    private static Provenance Row(RawTable t, RawRow r) => new() { Table = t.Id, Title = t.Title, Lines = [r.Provenance.Lines[0], r.Provenance.Lines[1]] };

    private static string NoSpace(string s) => Regex.Replace(s, @"\s+", "");
}
