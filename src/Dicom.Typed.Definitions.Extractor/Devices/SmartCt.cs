using Dicom.Typed.Definitions.Extractor.Parsing;
using static Dicom.Typed.Definitions.Extractor.Parsing.ConditionMapper;

namespace Dicom.Typed.Definitions.Extractor.Devices;

/// <summary>000 Philips SmartCT R1.3 (application annex hosted on Interventional Workspot R1.8).</summary>
public sealed class SmartCt : IDeviceParser
{
    private const string Context = "SmartCT R1.3 Application";
    private static readonly string[] ScKeys = ["SNS", "SES", "CB", "MC", "SKULL"];

    /// <inheritdoc />
    public string Id => "philips-smartct-r1.3";

    /// <inheritdoc />
    public DeviceOutput Parse(ExtractionContext ctx)
    {
        var text = ctx.Text;
        var output = new DeviceOutput
        {
            Device = PhilipsOverview.AnnexDevice(text, "SmartCT", "R1.3", @"^4\. Networking", @"^5\. Media Interchange", @"^6\. Support of Character Set"),
        };

        var specs = new[]
        {
            new IodSpec("SmartCtXaImage", "Table 8", "1.2.840.10008.5.1.4.1.1.12.1", "X-Ray Angiographic Image Storage", Context,
            [
                new IodVariant { Key = "2DXA", Description = "2D exposure overlay series" },
                new IodVariant { Key = "FLUO", Description = "Fluoroscopy overlay series" },
            ]),
            new IodSpec("SmartCtScImage", "Table 27", "1.2.840.10008.5.1.4.1.1.7", "Secondary Capture Image Storage", Context,
            [
                new IodVariant { Key = "SNS", Description = "Snapshot" },
                new IodVariant { Key = "SES", Description = "Session" },
                new IodVariant { Key = "CB", Description = "Contrast/Brightness" },
                new IodVariant { Key = "MC", Description = "Motion Correction" },
                new IodVariant { Key = "SKULL", Description = "Skull Segmentation" },
            ]),
            new IodSpec("SmartCtMovieImage", "Table 39", "1.2.840.10008.5.1.4.1.1.7.4", "Multi-frame True Color Secondary Capture Image Storage", Context, []),
            new IodSpec("SmartCtXa3dImage", "Table 55", "1.2.840.10008.5.1.4.1.1.13.1.1", "X-Ray 3D Angiographic Image Storage", Context, []),
        };

        var conditions = new ConditionMapper()
            .Rule(@"only present in multi[ -]frame XA", _ => Present("0028,0008"))
            .Rule(@"^not present in the (.*?) objects?$", m => Variant(ScKeys.Where(k => !Keys(m.Groups[1].Value).Contains(k)).ToArray()))
            .Rule(@"^only present in (?:the )?(.*?)(?: objects?)?$", m => Keys(m.Groups[1].Value).Length > 0 ? Variant(Keys(m.Groups[1].Value)) : new Condition { Op = "unmapped", Text = m.Value });

        var used = new Dictionary<string, (string, int)>(StringComparer.Ordinal);
        var issues = new List<string>();
        for (int i = 0; i < specs.Length; i++)
        {
            var spec = specs[i];
            var annex = new PhilipsAnnex(ctx, conditions, spec.Variants.Select(v => v.Key).ToArray());
            int from = annex.Table(spec.IodTable).CaptionLine;
            int to = i + 1 < specs.Length ? annex.Table(specs[i + 1].IodTable).CaptionLine : int.MaxValue;
            var moduleTables = ctx.Tables.Where(t => t.CaptionLine > from && t.CaptionLine < to);
            output.Iods.Add(annex.BuildIod(spec, moduleTables));
            foreach (var (k, v) in annex.Used)
            {
                used[k] = v;
            }
            issues.AddRange(annex.Issues);
        }
        DeviceHelpers.CoverRemainingAsGrids(ctx, output, used);
        PhilipsOverview.ApplyDelegations(output.Device);
        var grids = output.Device.Tables.ToDictionary(t => t.Id, StringComparer.Ordinal);
        int annexLine = DeviceHelpers.FindLine(text, @"^8\. Annexes of ""SmartCT R1\.3 Application""");
        int host = DeviceHelpers.FindLine(text, @"^SmartCT R1\.3 on Interventional Workspot");
        output.Device.Applications =
        [
            // Table 5 (accepted transfer syntaxes per IOD) is delegated to the IW R1.8 statement (L214)
            PhilipsOverview.Application("SmartCT R1.3 Application", Context, host == 0 ? null : text[host]["SmartCT R1.3 on ".Length..].Trim(),
                grids["Table 3"], null, new Provenance { Title = annexLine == 0 ? null : text[annexLine], Lines = [annexLine, annexLine] }),
        ];
        output.Coverage.Issues.AddRange(issues);
        return output;

        static string[] Keys(string prose) =>
            ScKeys.Where(k => System.Text.RegularExpressions.Regex.IsMatch(prose, @"\b" + k + @"\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase)).ToArray();
    }
}
