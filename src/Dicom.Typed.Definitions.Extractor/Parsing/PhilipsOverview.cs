using System.Text.RegularExpressions;

namespace Dicom.Typed.Definitions.Extractor.Parsing;

/// <summary>Typed overview sections of the Philips application annexes (SmartCT, AVW): the delegated network, media and
/// character-set chapters, and the application with its supported SOP classes.</summary>
public static partial class PhilipsOverview
{
    /// <summary>The identity of a Philips application annex: vendor, product, version, the document id printed after
    /// "Doc Id:", and the chapters 1 and 4–7 that the annex delegates to the hosting platform's statement (heading patterns
    /// for network, media and character sets as the annex prints them).</summary>
    public static DeviceDefinition AnnexDevice(StatementText text, string product, string version, string network, string media, string characterSets)
    {
        int docLine = DeviceHelpers.FindLine(text, @"^Doc Id:");
        return new DeviceDefinition
        {
            Vendor = "Philips Medical Systems Nederland B.V.",
            Product = product,
            Version = version,
            DocumentId = docLine == 0 ? null : text[docLine]["Doc Id:".Length..].Trim(),
            Sections =
            [
                DeviceHelpers.Delegated(text, "overview", @"^1\. DICOM Conformance Statement Overview"),
                DeviceHelpers.Delegated(text, "network", network),
                DeviceHelpers.Delegated(text, "media", media),
                DeviceHelpers.Delegated(text, "characterSets", characterSets),
                DeviceHelpers.Delegated(text, "security", @"^7\. Security"),
            ],
        };
    }

    /// <summary>For each delegated network / media / characterSets section, records the delegation in the typed section so that a
    /// consumer sees "stated elsewhere" instead of a silent null.</summary>
    public static void ApplyDelegations(DeviceDefinition device)
    {
        foreach (var s in device.Sections.Where(s => s.DelegatedTo is not null))
        {
            var d = new Delegation { DelegatedTo = s.DelegatedTo!, Text = s.Text ?? "", Provenance = s.Provenance };
            switch (s.Kind)
            {
                case "network":
                    device.Network = new NetworkDefinition { Delegation = d };
                    break;
                case "media":
                    device.Media = new MediaDefinition { Delegation = d };
                    break;
                case "characterSets":
                    device.CharacterSetSupport = new CharacterSetSupport { Delegation = d };
                    break;
            }
        }
    }

    /// <summary>The application of an annex from its "Supported IOD's" grid (name, UID, accepted, created; footnote markers removed)
    /// and, when stated, the grid of accepted transfer syntaxes per IOD (several names and UIDs may share a cell).</summary>
    public static ApplicationDefinition Application(string name, string context, string? hostedOn, RawTable supported, RawTable? acceptedTs, Provenance provenance)
    {
        var app = new ApplicationDefinition { Name = name, Context = context, HostedOn = hostedOn, Provenance = provenance };
        foreach (var r in supported.Rows)
        {
            app.SopClasses.Add(new ApplicationSopClass
            {
                Name = Cell(r, 0).TrimEnd('*').Trim(),
                Uid = NoSpace(Cell(r, 1)),
                Accepted = Cell(r, 2) switch { "Yes" => true, "No" => false, _ => null },
                Created = Cell(r, 3) == "Yes",
                Provenance = new Provenance { Table = supported.Id, Title = supported.Title, Lines = [.. r.Provenance.Lines] },
            });
        }
        if (acceptedTs is null)
        {
            return app;
        }
        // names of cells holding one UID, to pair the names of cells holding several (L240-243 of the AVW statement)
        var names = acceptedTs.Rows.Where(r => Cell(r, 3).Length > 0 && !Cell(r, 3).Contains(' ', StringComparison.Ordinal))
            .GroupBy(r => Cell(r, 3)).ToDictionary(g => g.Key, g => Cell(g.First(), 2), StringComparer.Ordinal);
        ApplicationSopClass? cur = null;
        foreach (var r in acceptedTs.Rows)
        {
            if (Cell(r, 1).Length > 0)
            {
                cur = app.SopClasses.FirstOrDefault(s => s.Uid == NoSpace(Cell(r, 1)));
                if (cur is not null)
                {
                    cur.AcceptedTransferSyntaxes ??= [];
                }
            }
            if (cur?.AcceptedTransferSyntaxes is null)
            {
                continue;
            }
            var uids = Cell(r, 3).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var u in uids)
            {
                cur.AcceptedTransferSyntaxes.Add(new TransferSyntaxRef { Uid = u, Name = uids.Length == 1 ? Cell(r, 2) : names.TryGetValue(u, out var n) ? n : u });
            }
        }
        return app;
    }

    private static string Cell(RawRow r, int i) => i < r.Cells.Count ? r.Cells[i] : "";

    private static string NoSpace(string s) => Regex.Replace(s, @"\s+", "");
}
