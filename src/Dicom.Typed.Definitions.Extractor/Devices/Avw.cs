using Dicom.Typed.Definitions.Extractor.Parsing;
using static Dicom.Typed.Definitions.Extractor.Parsing.ConditionMapper;

namespace Dicom.Typed.Definitions.Extractor.Devices;

/// <summary>001 Philips CT Applications on Advanced Visualization Workspace V15.1.3 (application annex).</summary>
public sealed class Avw : IDeviceParser
{
    private const string Context = "CT Applications on AVW V15.1.3";
    private const string SpectralContext = "CT Applications on AVW V15.1.3 / Spectral";
    private const string Creator = "ELSCINT1";

    /// <inheritdoc />
    public string Id => "philips-avw-ct-15.1.3";

    /// <inheritdoc />
    public DeviceOutput Parse(ExtractionContext ctx)
    {
        var text = ctx.Text;
        var output = new DeviceOutput
        {
            Device = PhilipsOverview.AnnexDevice(text, "CT Applications on Advanced Visualization Workspace", "V15.1.3", @"^4\. Network", @"^5\. Media", @"^6\. .*Character"),
        };

        // "CONDITIONAL - IF PRESENT IN THE SOURCE DATA" is about the input, not the created object: unmapped by design.
        var conditions = new ConditionMapper();
        var used = new Dictionary<string, (string, int)>(StringComparer.Ordinal);
        var issues = new List<string>();
        TableSpan T(int n) => ctx.Tables.Single(t => t.Number == n);

        var bases = new (IodSpec Spec, int LastModuleTable, int? Extended)[]
        {
            (new IodSpec("AvwCtImage", "Table 6", "1.2.840.10008.5.1.4.1.1.2", "CT Image Storage", Context, []), 22, 23),
            (new IodSpec("AvwScImage", "Table 24", "1.2.840.10008.5.1.4.1.1.7", "Secondary Capture Image Storage", Context, []), 39, 40),
            (new IodSpec("AvwEncapsulatedPdf", "Table 41", "1.2.840.10008.5.1.4.1.1.104.1", "Encapsulated PDF Storage", Context, []), 49, null),
            (new IodSpec("AvwMrImage", "Table 50", "1.2.840.10008.5.1.4.1.1.4", "MR Image Storage", Context, []), 65, 66),
            (new IodSpec("AvwKeyObjectSelection", "Table 67", "1.2.840.10008.5.1.4.1.1.88.59", "Key Object Selection Document Storage", Context, []), 75, null),
        };
        foreach (var (spec, last, extended) in bases)
        {
            var annex = new PhilipsAnnex(ctx, conditions, []);
            int first = annex.Table(spec.IodTable).Number;
            var iod = annex.BuildIod(spec, ctx.Tables.Where(t => t.Number > first && t.Number <= last));
            if (extended is int x)
            {
                annex.AddTableModule(iod, T(x), "extended", "U", "Extended DICOM and private attributes");
            }
            output.Iods.Add(iod);
            Merge(annex);
        }

        // Spectral overlays: partial module tables patching the CT or SC IOD (Table 76 lists the modules copied unchanged).
        var overlays = new (string Name, string Label, string Heading, int[] Tables, string[] Bases)[]
        {
            ("MonoE", "Monochromatic (Mono-E)", @"^8\.1\.3\.1\.1\.", [78, 79, 80, 81, 82], ["Ct", "Sc"]),
            ("HuModified", "HU-Modified", @"^8\.1\.3\.1\.2\.", [83, 84, 85, 86, 87], ["Ct", "Sc"]),
            ("NonHu", "non-HU", @"^8\.1\.3\.1\.3\.", [88, 89, 90, 91, 92, 93, 94], ["Ct"]),
            ("Color", "Color", @"^8\.1\.3\.1\.4\.", [95, 96, 97, 98, 99], ["Sc"]),
        };
        foreach (var (name, label, heading, tables, baseKinds) in overlays)
        {
            int h = DeviceHelpers.FindLine(text, heading);
            foreach (var b in baseKinds)
            {
                var annex = new PhilipsAnnex(ctx, conditions, []);
                var iod = new IodDefinition
                {
                    TypeName = $"Avw{name}{b}Image",
                    Context = SpectralContext + " " + label,
                    SopClassUid = b == "Ct" ? "1.2.840.10008.5.1.4.1.1.2" : "1.2.840.10008.5.1.4.1.1.7",
                    SopClassName = b == "Ct" ? "CT Image Storage" : "Secondary Capture Image Storage",
                    BaseTypeName = b == "Ct" ? "AvwCtImage" : "AvwScImage",
                    Provenance = new Provenance { Title = StatementText.Clean(text[h]), Lines = [h, T(tables[^1]).EndLine] },
                };
                foreach (var n in tables)
                {
                    var t = T(n);
                    bool isPrivate = t.Title.StartsWith("Private attributes", StringComparison.Ordinal);
                    var module = annex.AddTableModule(iod, t, isPrivate ? "private" : "overlay", isPrivate ? "M" : "M");
                    foreach (var a in Walk(module.Attributes).Where(a => StandardDictionary.IsPrivate(a.Tag)))
                    {
                        a.PrivateCreator = Creator;
                    }
                }
                output.Iods.Add(iod);
                Merge(annex);
            }
        }

        output.PrivateDictionary = BuildPrivateDictionary(output.Iods, issues);
        DeviceHelpers.CoverRemainingAsGrids(ctx, output, used);
        PhilipsOverview.ApplyDelegations(output.Device);
        var grids = output.Device.Tables.ToDictionary(t => t.Id, StringComparer.Ordinal);
        int annexLine = DeviceHelpers.FindLine(text, @"^8\. Annexes of application ""CT applications""");
        output.Device.Applications =
        [
            PhilipsOverview.Application("CT Applications", Context, "Advanced Visualization Workspace V15.1.3", grids["Table 3"], grids["Table 4"],
                new Provenance { Title = annexLine == 0 ? null : text[annexLine], Lines = [annexLine, annexLine] }),
        ];
        output.Coverage.Issues.AddRange(issues.Distinct());
        return output;

        void Merge(PhilipsAnnex annex)
        {
            foreach (var (k, v) in annex.Used)
            {
                used[k] = used.TryGetValue(k, out var prev) && prev.Item1 != v.Output && !prev.Item1.Contains(v.Output, StringComparison.Ordinal)
                    ? (prev.Item1 + " " + v.Output, prev.Item2)
                    : v;
            }
            issues.AddRange(annex.Issues);
        }
    }

    private static PrivateDictionary BuildPrivateDictionary(IEnumerable<IodDefinition> iods, List<string> issues)
    {
        var creator = new PrivateCreator { Creator = Creator, CreatorKnown = true };
        var seen = new Dictionary<string, PrivateElement>(StringComparer.Ordinal);
        foreach (var iod in iods)
        {
            foreach (var a in iod.Modules.SelectMany(m => Walk(m.Attributes)))
            {
                if (!StandardDictionary.IsPrivate(a.Tag))
                {
                    continue;
                }
                string group = a.Tag[..4];
                if (!creator.Groups.Contains(group))
                {
                    creator.Groups.Add(group);
                }
                if (a.Tag[5..7] == "00" || a.Name.StartsWith("Private Creator", StringComparison.OrdinalIgnoreCase))
                {
                    if (!creator.Reservations.Any(r => r.Provenance.Table == a.Provenance.Table && r.Provenance.Lines[0] == a.Provenance.Lines[0]))
                    {
                        creator.Reservations.Add(new PrivateReservation
                        {
                            Group = group,
                            Block = a.Tag[5..7] == "00" ? a.Tag[7..9] : a.Tag[5..7],
                            Vr = a.Vr,
                            Text = a.Value?.Raw ?? "",
                            Provenance = a.Provenance,
                        });
                    }
                    continue; // creator reservation row
                }
                string element = a.Tag[7..9];
                string key = group + "," + element;
                if (seen.TryGetValue(key, out var prev))
                {
                    if (prev.Vr != a.Vr || prev.Name != a.Name)
                    {
                        issues.Add($"private {key}: line {a.Provenance.Lines[0]} '{a.Name}' {a.Vr} differs from line {prev.Provenance.Lines[0]} '{prev.Name}' {prev.Vr}");
                    }
                    continue;
                }
                var e = new PrivateElement
                {
                    Group = group,
                    Element = element,
                    PrintedBlock = a.Tag[5..7] == "xx" ? null : a.Tag[5..7],
                    Vr = a.Vr,
                    Vm = "1",
                    Name = a.Name,
                    Keyword = Vocabulary.Keyword(a.Name),
                    Description = a.Comment,
                    Provenance = a.Provenance,
                };
                seen[key] = e;
            }
        }
        creator.Groups.Sort(StringComparer.Ordinal);
        creator.Reservations = creator.Reservations.OrderBy(r => r.Provenance.Lines[0]).ToList();
        creator.Elements = seen.Values.OrderBy(e => e.Group, StringComparer.Ordinal).ThenBy(e => e.Element, StringComparer.Ordinal).ToList();
        return new PrivateDictionary { Creators = [creator] };
    }

    private static IEnumerable<AttributeDefinition> Walk(IEnumerable<AttributeDefinition> attrs)
    {
        foreach (var a in attrs)
        {
            yield return a;
            foreach (var c in Walk(a.Items ?? []))
            {
                yield return c;
            }
        }
    }
}
