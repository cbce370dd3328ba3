using System.Text.RegularExpressions;

namespace Dicom.Typed.Definitions.Tests;

/// <summary>Concrete facts of the typed network / media / character-set / application sections of the three Philips devices,
/// checked against the statement text they were extracted from.</summary>
public class PhilipsNetworkTests
{
    private const string Vereos = "philips-vereos-2.0";
    private const string SmartCt = "philips-smartct-r1.3";
    private const string Avw = "philips-avw-ct-15.1.3";

    private static DeviceDefinition Device(string id) => DefinitionsJson.Load<DeviceDefinition>(Path.Combine(Repo.Definitions, id, "device.json"));

    private static string[] Statement(string id) => File.ReadAllLines(Path.Combine(Repo.Definitions, id, "statement.txt"));

    /// <summary>Statement line n (1-based).</summary>
    private static string Line(string id, int n) => Statement(id)[n - 1];

    private static NetworkDefinition CorrectedNetwork(string id)
    {
        var net = Device(id).Network!;
        Assert.Empty(NetworkErrataApplier.Apply(net, Repo.Errata(id)));
        return net;
    }

    [Fact]
    public void Vereos_application_entities_carry_the_printed_implementation_identifiers()
    {
        var net = Device(Vereos).Network!;
        Assert.Equal(["DICOM Manager", "Print Manager", "Media AE"], net.ApplicationEntities.Select(a => a.Name));
        foreach (var ae in net.ApplicationEntities)
        {
            Assert.Equal(["1.3.46.670589.28.2.1000.4.20151008"], ae.ImplementationClassUids);
            Assert.Equal(["VEREOS_2.0.1"], ae.ImplementationVersionNames);
            // the last provenance line is the "Implementation Version Name⇥VEREOS_2.0.1" row of Table 10, 54 or 85
            Assert.Equal("Implementation Version Name\tVEREOS_2.0.1", Line(Vereos, ae.Provenance.Lines[1]));
            Assert.Equal("Implementation Class UID\t1.3.46.670589.28.2.1000.4.20151008", Line(Vereos, ae.Provenance.Lines[1] - 1));
        }
        var dm = net.ApplicationEntities[0];
        Assert.Equal("1.2.840.10008.3.1.1.1", dm.ApplicationContext);
        Assert.Equal("104 (configurable)", dm.DefaultPort);
        Assert.Null(net.ApplicationEntities[2].ApplicationContext);
        Assert.Equal("media", net.ApplicationEntities[2].Kind);
        // Table 5: 38 SOP classes; MWL is SCU only (L540)
        Assert.Equal(38, dm.SopClasses!.Count);
        var mwl = dm.SopClasses.Single(s => s.Uid == "1.2.840.10008.5.1.4.31");
        Assert.True(mwl.Scu);
        Assert.False(mwl.Scp);
        Assert.Contains("1.2.840.10008.5.1.4.31\tYes\tNo", Line(Vereos, mwl.Provenance.Lines[0]), StringComparison.Ordinal);
        // Table 50: Basic Film Session printed under each print meta SOP class
        var pm = net.ApplicationEntities[1];
        Assert.Equal(["1.2.840.10008.5.1.1.18", "1.2.840.10008.5.1.1.9"], pm.SopClasses!.Where(s => s.MetaSopClassUid is not null).Select(s => s.MetaSopClassUid!));
    }

    [Fact]
    public void Vereos_network_services_overview_agrees_with_the_application_entities()
    {
        // Table 1 (overview, L45-98) against Tables 5 and 50 (AE specifications): same SOP classes, same SCU/SCP flags
        var dev = Device(Vereos);
        var overview = dev.Tables.Single(t => t.Id == "Table 1").Rows.Where(r => r.Cells.Count >= 4 && Regex.IsMatch(r.Cells[1], @"^\d+(\.\d+)+$")).ToList();
        var aes = dev.Network!.ApplicationEntities.SelectMany(a => a.SopClasses ?? []).ToList();
        Assert.Equal(38 + 4, overview.Count);
        foreach (var r in overview)
        {
            var match = aes.Where(s => s.Uid == r.Cells[1] && s.Name == r.Cells[0].TrimStart('>')).ToList();
            Assert.True(match.Count > 0, $"L{r.Provenance.Lines[0]} {r.Cells[0]} not in an AE SOP class table");
            Assert.All(match, s => Assert.Equal((r.Cells[2] == "Yes", r.Cells[3] == "Yes"), (s.Scu, s.Scp)));
        }
    }

    [Fact]
    public void Vereos_worklist_context_is_joined_across_the_repeated_header()
    {
        var pc = Device(Vereos).Network!.PresentationContexts.Single(p => p.Provenance.Table == "Table 17");
        Assert.Equal("Modality Worklist Information Model - FIND SOP Class", pc.SopClassName);
        Assert.Equal("1.2.840.10008.5.1.4.31", pc.SopClassUid);
        Assert.Equal([699, 704], pc.Provenance.Lines);
        Assert.StartsWith("Modality Worklist Information\t1.2.840.10008.5.1.4.31\tExplicit VR Little Endian", Line(Vereos, 699), StringComparison.Ordinal);
        Assert.StartsWith("Model - FIND SOP Class\t\tImplicit VR Little Endian", Line(Vereos, 704), StringComparison.Ordinal);
        Assert.Equal(["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"], pc.TransferSyntaxes.Select(t => t.Uid));
        Assert.Equal(("DICOM Manager", "proposed", "SCU"), (pc.ApplicationEntity, pc.Direction, pc.Role));
    }

    [Fact]
    public void Vereos_print_contexts_negotiate_the_meta_sop_classes()
    {
        var pcs = Device(Vereos).Network!.PresentationContexts.Where(p => p.Provenance.Table == "Table 57").ToList();
        Assert.Equal(["1.2.840.10008.5.1.1.18", "1.2.840.10008.5.1.1.9"], pcs.Select(p => p.SopClassUid));
        Assert.All(pcs, p => Assert.Equal("Print Manager", p.ApplicationEntity));
        Assert.Equal(["1.2.840.10008.5.1.1.1", "1.2.840.10008.5.1.1.16", "1.2.840.10008.5.1.1.2", "1.2.840.10008.5.1.1.4.1"], pcs[0].IncludedSopClasses!.Select(s => s.Uid));
        Assert.Equal(["1.2.840.10008.5.1.1.1", "1.2.840.10008.5.1.1.16", "1.2.840.10008.5.1.1.2", "1.2.840.10008.5.1.1.4"], pcs[1].IncludedSopClasses!.Select(s => s.Uid));
        // L2053: the colour image box row, under the colour meta SOP class row of L2052
        Assert.StartsWith(">Basic Color Image Box SOP Class\t1.2.840.10008.5.1.1.4.1", Line(Vereos, 2053), StringComparison.Ordinal);
        Assert.StartsWith("Basic Color Print Management Meta SOP Class\t1.2.840.10008.5.1.1.18", Line(Vereos, 2052), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Vereos)]
    [InlineData("shimadzu-trinias")]
    public void Every_presentation_context_starts_on_the_line_printing_its_abstract_syntax(string device)
    {
        var lines = Statement(device);
        var bad = Device(device).Network!.PresentationContexts
            .Where(p => !Regex.Replace(lines[p.Provenance.Lines[0] - 1], @"\s+", "").Contains(p.SopClassUid, StringComparison.Ordinal))
            .Select(p => $"{p.Provenance.Table} L{p.Provenance.Lines[0]} {p.SopClassUid}").ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad));
    }

    [Fact]
    public void Vereos_storage_contexts_after_errata_offer_ILE_once_and_agree_between_export_and_import()
    {
        var net = CorrectedNetwork(Vereos);
        var export = net.PresentationContexts.Where(p => p.Provenance.Table == "Table 30").ToList();
        var import = net.PresentationContexts.Where(p => p.Provenance.Table == "Table 48").ToList();
        // every storage SOP class of Table 5 (DICOM Manager, SCU and SCP) is exported (Table 30) and imported (Table 48)
        var storage = net.ApplicationEntities[0].SopClasses!.Where(s => s.Uid.StartsWith("1.2.840.10008.5.1.4.1.1.", StringComparison.Ordinal)).Select(s => s.Uid).Order().ToList();
        Assert.Equal(32, storage.Count);
        Assert.Equal(storage, export.Select(p => p.SopClassUid).Order());
        foreach (var p in export.Concat(import))
        {
            var uids = p.TransferSyntaxes.Select(t => t.Uid).ToList();
            Assert.True(uids.Distinct().Count() == uids.Count, $"{p.Provenance.Table} L{p.Provenance.Lines[0]}: duplicate transfer syntax");
            Assert.Contains("1.2.840.10008.1.2", uids); // "All SOP Classes support the default ILE Transfer Syntax" (L100)
        }
        // the same SOP classes are exported and imported, with the same transfer syntaxes
        Assert.Equal(export.Select(p => p.SopClassUid).Order(), import.Select(p => p.SopClassUid).Order());
        foreach (var e in export)
        {
            var i = import.Single(p => p.SopClassUid == e.SopClassUid);
            Assert.True(e.TransferSyntaxes.Select(t => t.Uid).Order().SequenceEqual(i.TransferSyntaxes.Select(t => t.Uid).Order()),
                $"{e.SopClassName}: export L{e.Provenance.Lines[0]} vs import L{i.Provenance.Lines[0]}");
        }
        // DX For Processing: the UID printed at L1218 is corrected to the one of Table 5 (L502)
        Assert.Contains(export, p => p.Provenance.Lines[0] == 1218 && p.SopClassUid == "1.2.840.10008.5.1.4.1.1.1.1.1");
        Assert.Contains("1.2.840.10008.5.1.4.1.1.1.1.1", Line(Vereos, 502), StringComparison.Ordinal);
        // no JPEG for SOP classes without pixel data (L1353, L1878)
        Assert.DoesNotContain(export.Concat(import).Where(p => p.SopClassName.StartsWith("Encapsulated PDF", StringComparison.Ordinal) || p.SopClassName.Contains("Presentation State", StringComparison.Ordinal)),
            p => p.TransferSyntaxes.Any(t => t.Uid == "1.2.840.10008.1.2.4.70"));
    }

    [Fact]
    public void Vereos_policies_carry_the_configured_values()
    {
        var net = Device(Vereos).Network!;
        var pdu = net.Policies.Single(p => p.Kind == "maxPduLength" && p.ApplicationEntity == "DICOM Manager");
        Assert.Equal(("65536", "bytes", false), (pdu.Value, pdu.Unit, pdu.Configurable));
        Assert.Equal("PDU\tNo\t65536 (Fixed)", Line(Vereos, pdu.Provenance.Lines[0]));
        var artim = net.Policies.Single(p => p.Kind == "artimTimeout" && p.Value is not null);
        Assert.Equal(("300", "s"), (artim.Value, artim.Unit));
        Assert.Equal("ARTIM timeout\tYes\t300 seconds", Line(Vereos, artim.Provenance.Lines[0]));
        var port = net.Policies.Single(p => p.Kind == "port");
        Assert.Equal("104", port.Value);
        Assert.Equal("1", net.Policies.Single(p => p.Kind == "asynchronousWindow" && p.ApplicationEntity == "DICOM Manager").Value);
        Assert.Equal(["1", "1"], net.Policies.Where(p => p.Kind == "maxAssociations" && p.ApplicationEntity == "Print Manager").Select(p => p.Value!));
        var acceptor = net.Policies.Single(p => p.Kind == "maxAssociations" && p.AssociationRole == "acceptor");
        Assert.Equal(("DICOM Manager", "Unlimited"), (acceptor.ApplicationEntity, acceptor.Value));
        Assert.Equal("Maximum number of simultaneous associations\tUnlimited", Line(Vereos, acceptor.Provenance.Lines[0]));
        Assert.Contains("Association Acceptor", Line(Vereos, acceptor.Provenance.Lines[0] - 3), StringComparison.Ordinal);
        var store = net.Policies.Single(p => p.Kind == "associationTimeout" && p.Text.StartsWith("Advanced Parameter - Store", StringComparison.Ordinal));
        Assert.Equal("120", store.Value);
        Assert.Equal("Association Timeout In Seconds\tYes\t120", Line(Vereos, store.Provenance.Lines[0]));
        Assert.Equal(2, net.Policies.Count(p => p.Kind == "storageCommitmentReply"));
        Assert.Equal(["1.3.46.670589.33.1.4.1"], net.PrivateTransferSyntaxes!.Select(t => t.Uid));
    }

    [Fact]
    public void Vereos_media_profiles_match_the_overview_table()
    {
        var dev = Device(Vereos);
        var profiles = dev.Media!.Profiles;
        Assert.Equal(8, profiles.Count);
        Assert.Equal(["STD-CTMR-CD", "STD-GEN-CD", "STD-CTMR-DVD", "STD-GEN-DVD-JPEG"], profiles.Select(p => p.Identifier!).Distinct());
        // Table 2 (L113-121): FSC Yes, FSU No, FSR Yes per profile name
        foreach (var r in dev.Tables.Single(t => t.Id == "Table 2").Rows.Where(r => r.Cells.Count == 4 && r.Cells[1] is "Yes" or "No"))
        {
            var roles = profiles.Where(p => p.Profile == r.Cells[0]).Select(p => p.Role).ToHashSet();
            Assert.Equal(r.Cells[1] == "Yes", roles.Contains("FSC"));
            Assert.Equal(r.Cells[2] == "Yes", roles.Contains("FSU"));
            Assert.Equal(r.Cells[3] == "Yes", roles.Contains("FSR"));
        }
        var jpeg = profiles.Single(p => p.Identifier == "STD-GEN-DVD-JPEG" && p.Role == "FSC");
        Assert.Equal("General Purpose DVD Interchange with JPEG\tSTD-GEN-DVD-JPEG\tCreate File-set\tFSC", Line(Vereos, jpeg.Provenance.Lines[0]));
    }

    [Fact]
    public void Vereos_character_sets_are_typed_from_table_88()
    {
        var cs = Device(Vereos).CharacterSetSupport!;
        Assert.Null(cs.Delegation);
        var latin1 = cs.Sets[0];
        Assert.Equal(("Latin alphabet No. 1", "ISO_IR 100"), (latin1.Description, latin1.DefinedTerm));
        Assert.Equal(["ISO-IR 6", "ISO-IR 100"], latin1.IsoRegistrations);
        Assert.Equal(["G0", "G1"], latin1.CodeElements);
        Assert.Equal([2822, 2823], latin1.Provenance.Lines);
        Assert.StartsWith("Latin alphabet No. 1\tISO_IR 100", Line(Vereos, 2822), StringComparison.Ordinal);
        Assert.Null(cs.Sets[1].DefinedTerm);
        Assert.Equal(["ISO_IR 100", "Default repertoire"], Device(Vereos).CharacterSets);
    }

    [Theory]
    [InlineData(Vereos)]
    [InlineData(SmartCt)]
    [InlineData(Avw)]
    public void Every_created_iod_belongs_to_an_application_that_creates_its_sop_class(string device)
    {
        var dev = Device(device);
        var apps = dev.Applications!;
        var iods = Repo.Iods(device).Where(i => i.Dimse is null).ToList();
        foreach (var iod in iods)
        {
            // AVW spectral overlays are specializations of the CT application's CT/SC IODs
            var app = apps.SingleOrDefault(a => iod.Context == a.Context || iod.Context.StartsWith(a.Context + " /", StringComparison.Ordinal));
            Assert.True(app is not null, $"{iod.TypeName}: no application with context '{iod.Context}'");
            Assert.Contains(app!.SopClasses, s => s.Uid == iod.SopClassUid && s.Created);
        }
        foreach (var app in apps)
        {
            foreach (var s in app.SopClasses.Where(s => s.Created))
            {
                Assert.Contains(iods, i => i.SopClassUid == s.Uid && (i.Context == app.Context || i.Context.StartsWith(app.Context + " /", StringComparison.Ordinal)));
                Assert.Contains(s.Uid, Line(device, s.Provenance.Lines[0]), StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData(SmartCt, "1068450")]
    [InlineData(Avw, "2399300")]
    public void Annex_statements_record_their_delegated_sections(string device, string document)
    {
        var dev = Device(device);
        foreach (var d in new[] { dev.Network!.Delegation, dev.Media!.Delegation, dev.CharacterSetSupport!.Delegation })
        {
            Assert.NotNull(d);
            Assert.StartsWith(document, d!.DelegatedTo, StringComparison.Ordinal);
            var sentence = Line(device, d.Provenance.Lines[1]);
            Assert.Contains(document, sentence, StringComparison.Ordinal);
            Assert.Matches("[Rr]efer", sentence);
        }
        Assert.Empty(dev.Network!.PresentationContexts);
        Assert.Empty(dev.Media!.Profiles);
        Assert.Empty(dev.CharacterSetSupport!.Sets);
        Assert.Null(dev.CharacterSets);
    }

    [Fact]
    public void Avw_accepted_transfer_syntaxes_split_the_shared_cells()
    {
        var app = Device(Avw).Applications!.Single();
        Assert.Equal("Advanced Visualization Workspace V15.1.3", app.HostedOn);
        var mr = app.SopClasses.Single(s => s.Uid == "1.2.840.10008.5.1.4.1.1.4");
        // L240 prints "Implicit VR Little Endian JPEG Lossless, ..." with two UIDs in one cell
        Assert.Equal(["1.3.46.670589.33.1.4.1", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2", "1.2.840.10008.1.2.4.70"], mr.AcceptedTransferSyntaxes!.Select(t => t.Uid));
        Assert.Equal("JPEG Lossless, Non-Hierarchical, FOP (Process 14)", mr.AcceptedTransferSyntaxes![3].Name);
        Assert.Contains("1.2.840.10008.1.2 1.2.840.10008.1.2.4.70", Line(Avw, 240), StringComparison.Ordinal);
        var pdf = app.SopClasses.Single(s => s.Uid == "1.2.840.10008.5.1.4.1.1.104.1");
        Assert.Equal((false, true), (pdf.Accepted, pdf.Created));
        Assert.Null(pdf.AcceptedTransferSyntaxes);
        var nm = app.SopClasses.Single(s => s.Uid == "1.2.840.10008.5.1.4.1.1.20");
        Assert.Equal((true, false), (nm.Accepted, nm.Created));
        Assert.Equal(["Explicit VR Little Endian", "Implicit VR Little Endian"], nm.AcceptedTransferSyntaxes!.Select(t => t.Name));
    }

    [Fact]
    public void Vereos_worklist_keys_keep_their_key_columns_and_nesting()
    {
        var mwl = Repo.Iods(Vereos).Single(i => i.TypeName == "VereosWorklistQuery");
        Assert.Equal("1.2.840.10008.5.1.4.31", mwl.SopClassUid);
        var sps = mwl.Modules.Single(m => m.Name == "Scheduled Procedure Step Module").Attributes.Single(a => a.Tag == "0040,0100");
        var aet = sps.Items!.Single(a => a.Tag == "0040,0001");
        Assert.Equal(["M", "R"], aet.KeyUsage);
        Assert.Equal("Single Value", aet.Matching);
        Assert.Equal(809, aet.Provenance.Lines[0]);
        Assert.StartsWith(">Scheduled Station AE Title\t0040,0001\tAE\tX\tX", Line(Vereos, 809), StringComparison.Ordinal);
        // L761 + L764: the name broken by the page break is joined; the code items nest under it
        var lang = mwl.Modules.Single(m => m.Name == "Patient Demographic Module").Attributes.Single(a => a.Tag == "0010,0101");
        Assert.Equal("Patient's Primary Language Code Sequence", lang.Name);
        Assert.Equal(["0008,0104", "0008,0100", "0008,0102"], lang.Items!.Select(a => a.Tag));
        var nset = Repo.Iods(Vereos).Single(i => i.TypeName == "VereosMppsNSet");
        var status = nset.Modules.SelectMany(m => m.Attributes).Single(a => a.Tag == "0040,0252");
        Assert.Equal(["COMPLETED", "DISCONTINUED"], status.Value!.Values);
    }

    [Fact]
    public void Vereos_dicomdir_keys_are_typed_per_record_level()
    {
        var media = Device(Vereos).Media!;
        Assert.Equal(["PATIENT", "STUDY", "SERIES", "IMAGE"], media.DirectoryRecords!.Where(r => r.RecordType is not null).Select(r => r.RecordType!));
        var patient = media.DirectoryRecords!.Single(r => r.RecordType == "PATIENT");
        Assert.Equal(["0004,1400", "0004,1410", "0004,1420", "0004,1430", "0010,0010", "0010,0020"], patient.Keys.Select(k => k.Tag));
        Assert.Equal("Patient level\t", Line(Vereos, patient.Provenance.Lines[0]));
        var image = media.DirectoryRecords!.Single(r => r.RecordType == "IMAGE");
        var tsKey = image.Keys.Single(k => k.Tag == "0004,1512");
        Assert.StartsWith("0004,1512\t", Line(Vereos, tsKey.Provenance.Lines[0]), StringComparison.Ordinal);
        // the File Meta group has no heading; 0004,1220 follows the repeated header after the page break (L2706-2707)
        Assert.Null(media.DirectoryRecords![0].Level);
        Assert.Contains(media.DirectoryRecords![1].Keys, k => k.Tag == "0004,1220" && k.Provenance.Lines[0] == 2707);
        var generated = media.GeneratedKeys!.Single(k => k.Tag == "0020,0013");
        Assert.Equal(("Image Keys", "1 (if empty)"), (generated.Group, generated.GeneratedValue));
        Assert.Equal("Instance Number\t(0020,0013)\t1 (if empty)", Line(Vereos, generated.Provenance.Lines[0]));
    }
}
