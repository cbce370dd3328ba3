using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dicom.Typed.Definitions.Tests;

/// <summary>004 syngo CT: the typed network/media sections against an independent, deliberately simple reading of the statement text
/// (UIDs between a caption and the next heading, "Default Basic Port Yes 104", profile ids of Table 66).</summary>
public partial class SyngoNetworkTests
{
    private const string Device = "siemens-syngo-ct-va50a";

    private static readonly Lazy<Dictionary<string, string>> UidTypes = new(() =>
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Repo.Definitions, "dicom-standard", "uids.json")));
        return doc.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("uid").GetString()!, e => e.GetProperty("type").GetString()!);
    });

    private static string[] Lines() => File.ReadAllText(Path.Combine(Repo.Definitions, Device, "statement.txt")).Replace("\r\n", "\n").Split('\n');

    private static DeviceDefinition Dev() => DefinitionsJson.Load<DeviceDefinition>(Path.Combine(Repo.Definitions, Device, "device.json"));

    [GeneratedRegex(@"^\s*Table (\d+):\s*(.*Presentation Context.*)$")]
    private static partial Regex PcCaption();

    // a numbered heading ("4.2.1.3.1.3 SOP specific …"), not a UID line ("1.2.840.10008.1.2 SCU None")
    [GeneratedRegex(@"^\s*\d\.\d+(\.\d+)*\s+[A-Z][a-z]")]
    private static partial Regex Heading();

    [GeneratedRegex(@"\b1\.2\.840\.10008(?:\.\d+)+\b")]
    private static partial Regex DicomUid();

    [Fact]
    public void Presentation_context_tables_yield_the_abstract_syntaxes_printed_in_them()
    {
        var lines = Lines();
        var net = Dev().Network!;
        int checkedTables = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            var m = PcCaption().Match(lines[i]);
            if (!m.Success || m.Groups[2].Value.Contains("below lists", StringComparison.Ordinal) || m.Groups[1].Value == "10")
            {
                continue; // Table 10 lists transfer syntaxes only; "Table 6: … below lists …" is a sentence
            }
            var printed = new HashSet<string>();
            for (int k = i + 1; k < lines.Length && !Heading().IsMatch(lines[k]) && !lines[k].TrimStart().StartsWith("Table ", StringComparison.Ordinal); k++)
            {
                foreach (Match u in DicomUid().Matches(lines[k]))
                {
                    if (UidTypes.Value.TryGetValue(u.Value, out var type) && type != "Transfer Syntax")
                    {
                        printed.Add(u.Value);
                    }
                }
            }
            var typed = net.PresentationContexts.Where(p => p.Provenance.Table == "Table " + m.Groups[1].Value).Select(p => p.SopClassUid).ToHashSet();
            Assert.True(printed.SetEquals(typed), $"Table {m.Groups[1].Value}: printed {string.Join(",", printed)} typed {string.Join(",", typed)}");
            Assert.All(net.PresentationContexts.Where(p => p.Provenance.Table == "Table " + m.Groups[1].Value), p => Assert.NotEmpty(p.TransferSyntaxes));
            checkedTables++;
        }
        Assert.True(checkedTables >= 10, $"only {checkedTables} presentation-context tables found");
    }

    [Fact]
    public void Every_storage_sop_class_of_table_1_is_negotiated_by_the_storage_ae()
    {
        var lines = Lines();
        int end = Array.FindIndex(lines, l => l.StartsWith("Table 2:", StringComparison.Ordinal));
        var storage = lines.Take(end).SelectMany(l => DicomUid().Matches(l).Select(x => x.Value))
            .Where(u => UidTypes.Value.TryGetValue(u, out var t) && t == "SOP Class" && u.StartsWith("1.2.840.10008.5.1.4.1.1.", StringComparison.Ordinal))
            .ToHashSet();
        var typed = Dev().Network!.PresentationContexts.Where(p => p.ApplicationEntity == "Storage AE").ToList();
        Assert.NotEmpty(storage);
        foreach (var uid in storage)
        {
            Assert.Contains(typed, p => p.SopClassUid == uid && p.Role == "SCP");
        }
        // Table 10: JPEG and RLE syntaxes are marked "No" for non-image objects
        var sr = typed.First(p => p.SopClassUid == "1.2.840.10008.5.1.4.1.1.88.22" && p.Role == "SCU");
        Assert.DoesNotContain(sr.TransferSyntaxes, t => t.Uid.StartsWith("1.2.840.10008.1.2.4", StringComparison.Ordinal));
        var ct = typed.First(p => p.SopClassUid == "1.2.840.10008.5.1.4.1.1.2" && p.Role == "SCU");
        Assert.Contains(ct.TransferSyntaxes, t => t.Uid == "1.2.840.10008.1.2.4.70");
    }

    [Fact]
    public void Ports_and_pdu_size_match_the_configuration_tables()
    {
        var text = string.Join("\n", Lines());
        var net = Dev().Network!;
        var port = Regex.Match(text, @"Default Basic Port Yes (\d+)").Groups[1].Value;
        var tls = Regex.Match(text, @"Default Secure Port Yes (\d+)").Groups[1].Value;
        var pdu = Regex.Match(text, @"PDU size Yes (\d+) Bytes").Groups[1].Value;
        Assert.Equal(port, net.Policies.Single(p => p.Kind == "port").Value);
        Assert.Equal(tls, net.Policies.Single(p => p.Kind == "tlsPort").Value);
        Assert.Equal(pdu, net.Policies.Single(p => p.Kind == "maxPduLength" && p.ApplicationEntity is null).Value);
        // per-AE tables print "32 kB" plus the marker of footnote 1: the typed value is the same number of bytes
        Assert.All(net.Policies.Where(p => p.Kind == "maxPduLength"), p => Assert.Equal(pdu, p.Value));
        Assert.Equal(7, net.ApplicationEntities.Count);
        Assert.All(net.ApplicationEntities, ae => Assert.Equal("1.2.840.10008.3.1.1.1", ae.ApplicationContext));
    }

    [Fact]
    public void Every_media_profile_of_table_66_has_reader_and_creator_roles_and_transfer_syntaxes()
    {
        var lines = Lines();
        int start = Array.FindIndex(lines, l => l.StartsWith("Table 66:", StringComparison.Ordinal));
        int end = Array.FindIndex(lines, start, l => l.Contains("Real-World Activities", StringComparison.Ordinal) && Heading().IsMatch(l));
        var printed = lines[start..end].SelectMany(l => Regex.Matches(l, @"(?:AUG|STD)-\s?GEN-[A-Z0-9]+(?:-[A-Z0-9]+)?").Select(x => x.Value.Replace(" ", ""))).ToHashSet();
        var media = Dev().Media!;
        Assert.Equal(12, printed.Count);
        foreach (var profile in printed)
        {
            Assert.Contains(media.Profiles, p => p.Profile == profile && p.Role == "FSR");
            Assert.Contains(media.Profiles, p => p.Profile == profile && p.Role == "FSC");
        }
        Assert.All(media.Profiles, p => Assert.NotEmpty(p.TransferSyntaxes!));
        Assert.All(media.Profiles.Where(p => p.Profile.StartsWith("AUG", StringComparison.Ordinal)), p => Assert.Contains("1.3.12.2.1107.5.9.1", p.SopClassUids));
        Assert.All(media.Profiles.Where(p => p.Role == "FSU"), p => Assert.Contains("USB", p.Profile, StringComparison.Ordinal));
    }

    [Fact]
    public void Character_sets_hold_every_defined_term_of_tables_69_to_72()
    {
        var lines = Lines();
        int start = Array.FindIndex(lines, l => l.StartsWith("Table 69:", StringComparison.Ordinal));
        int end = Array.FindIndex(lines, start, l => l.Contains("supports Kanji characters", StringComparison.Ordinal));
        var body = Regex.Replace(string.Join(" ", lines[start..end]), @"\s+", " ");
        var sets = Dev().CharacterSets!;
        foreach (Match m in Regex.Matches(body, @"ISO 2022 IR \d+|ISO_IR \d+|GB18030"))
        {
            if (m.Value is "ISO_IR 6" or "ISO_IR 14" || (m.Value == "ISO_IR 159" && body.Contains("ISO 2022 IR 159", StringComparison.Ordinal)))
            {
                continue; // registration numbers (ISO 646, JIS X 0201 Romaji, JIS X 0212) in the registration column, not defined terms
            }
            Assert.Contains(m.Value, sets);
        }
        Assert.Equal(sets.Count, sets.Distinct().Count());
    }
}
