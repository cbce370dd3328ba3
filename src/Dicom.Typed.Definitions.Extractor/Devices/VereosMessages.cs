using System.Text.RegularExpressions;
using Dicom.Typed.Definitions.Extractor.Parsing;

namespace Dicom.Typed.Definitions.Extractor.Devices;

/// <summary>Vereos 2.0 message datasets (messages/): MWL request identifier (Table 18), MPPS N-CREATE / N-SET (Tables 20, 22), Study Root
/// C-FIND keys as SCU and SCP (Tables 25, 44), C-MOVE identifiers (Table 28), and the print N-CREATE / N-SET attribute tables (58–76).</summary>
public sealed partial class Vereos
{
    private const string DicomManagerContext = "Vereos 2.0 DICOM Manager";
    private const string PrintContext = "Vereos 2.0 Print Manager";

    private sealed record KeyTable(int Table, string TypeName, string SopClassUid, string SopClassName, string Dimse, int Comment, int Matching, int Value, int FirstKeyColumn, int LastKeyColumn);

    private static readonly KeyTable[] KeyTables =
    [
        new(18, "VereosWorklistQuery", "1.2.840.10008.5.1.4.31", "Modality Worklist Information Model - FIND", "C-FIND-RQ identifier", 9, 8, -1, 3, 7),
        new(20, "VereosMppsNCreate", "1.2.840.10008.3.1.2.3.3", "Modality Performed Procedure Step", "N-CREATE-RQ", 4, -1, 3, -1, -1),
        new(22, "VereosMppsNSet", "1.2.840.10008.3.1.2.3.3", "Modality Performed Procedure Step", "N-SET-RQ", 4, -1, 3, -1, -1),
        new(25, "VereosStudyRootFindQuery", "1.2.840.10008.5.1.4.1.2.2.1", "Study Root Query/Retrieve Information Model - FIND", "C-FIND-RQ identifier", 4, 3, -1, -1, -1),
        new(28, "VereosStudyRootMoveIdentifier", "1.2.840.10008.5.1.4.1.2.2.2", "Study Root Query/Retrieve Information Model - MOVE", "C-MOVE-RQ identifier", 3, -1, -1, -1, -1),
        new(44, "VereosStudyRootFindScpKeys", "1.2.840.10008.5.1.4.1.2.2.1", "Study Root Query/Retrieve Information Model - FIND", "C-FIND-RQ identifier (received as SCP)", 4, 3, -1, -1, -1),
    ];

    private sealed record PrintTable(int[] Tables, string TypeName, string SopClassUid, string SopClassName, string Dimse, string Meta);

    private static readonly PrintTable[] PrintTables =
    [
        new([58], "VereosColorFilmSessionNCreate", "1.2.840.10008.5.1.1.1", "Basic Film Session", "N-CREATE-RQ", "Basic Color Print Management Meta SOP Class"),
        new([61], "VereosGrayscaleFilmSessionNCreate", "1.2.840.10008.5.1.1.1", "Basic Film Session", "N-CREATE-RQ", "Basic Grayscale Print Management Meta SOP Class"),
        new([64, 65], "VereosGrayscaleFilmBoxNCreate", "1.2.840.10008.5.1.1.2", "Basic Film Box", "N-CREATE-RQ", "Basic Grayscale Print Management Meta SOP Class"),
        new([69, 70], "VereosColorFilmBoxNCreate", "1.2.840.10008.5.1.1.2", "Basic Film Box", "N-CREATE-RQ", "Basic Color Print Management Meta SOP Class"),
        new([74], "VereosGrayscaleImageBoxNSet", "1.2.840.10008.5.1.1.4", "Basic Grayscale Image Box", "N-SET-RQ", "Basic Grayscale Print Management Meta SOP Class"),
        new([76], "VereosColorImageBoxNSet", "1.2.840.10008.5.1.1.4.1", "Basic Color Image Box", "N-SET-RQ", "Basic Color Print Management Meta SOP Class"),
    ];

    private static void BuildMessages(ExtractionContext ctx, DeviceOutput output, Dictionary<string, (string, int)> used, List<string> issues)
    {
        var text = ctx.Text;
        foreach (var k in KeyTables)
        {
            var t = ctx.Tables.Single(x => x.Number == k.Table);
            var msg = new IodDefinition
            {
                TypeName = k.TypeName,
                Context = DicomManagerContext,
                SopClassUid = k.SopClassUid,
                SopClassName = k.SopClassName,
                Dimse = k.Dimse,
                Provenance = t.Whole(),
            };
            // key column names from the header (M, R, Q, D, IOD)
            var header = Enumerable.Range(t.CaptionLine + 1, t.EndLine - t.CaptionLine).Where(text.IsRow)
                .Select(n => text.Cells(n).Select(StatementText.Clean).ToArray()).FirstOrDefault(c => c.Length > 0 && c[0] == "Attribute Name") ?? [];
            var map = new ColumnMap(Name: 0, Tag: 1, Vr: 2, Value: k.Value, Presence: -1, Source: -1, Comment: k.Comment);
            msg.Modules.AddRange(MessageTable.Modules(text, t, new MessageTable.Options
            {
                Map = map,
                IsGroup = (_, raw) => IsGroupRow(raw[0]),
                Name = (clean, _) => Regex.Replace(clean, "<[^>]+>", "").Trim(),
                CaptionGroup = (span, groups) => groups.Count == 0 || FirstTagRow(text, span) < groups[0].Line,
                Attribute = r => KeyRow(ctx, t, k, map, header, r),
                Notes = parsed => issues.AddRange(parsed.Notes.Where(x => text.IsRow(x.Line) && x.Text != "Study Root Information Model")
                    .Select(x => $"{t.Id}: line {x.Line}: row without a tag not extracted: {x.Text}")),
            }, issues));
            output.Messages.Add(msg);
            used[t.Id] = ("messages/" + k.TypeName + ".json", msg.Modules.Sum(x => PhilipsAnnex.CountRows(x.Attributes)));
        }

        var annex = new PhilipsAnnex(ctx, new ConditionMapper(), []);
        foreach (var p in PrintTables)
        {
            var spans = p.Tables.Select(n => ctx.Tables.Single(x => x.Number == n)).ToList();
            var msg = new IodDefinition
            {
                TypeName = p.TypeName,
                Context = PrintContext + " / " + p.Meta,
                SopClassUid = p.SopClassUid,
                SopClassName = p.SopClassName,
                Dimse = p.Dimse,
                Provenance = spans[0].Whole(),
            };
            foreach (var t in spans)
            {
                var module = new ModuleDefinition
                {
                    Name = t.Title,
                    Usage = "M",
                    Kind = "standard",
                    AttributeTable = t.Id,
                    Attributes = annex.ParseModuleTable(t),
                    Provenance = t.Whole(),
                };
                msg.Modules.Add(module);
                used[t.Id] = ("messages/" + p.TypeName + ".json", PhilipsAnnex.CountRows(module.Attributes));
            }
            output.Messages.Add(msg);
        }
        issues.AddRange(annex.Issues);
    }

    private static AttributeDefinition KeyRow(ExtractionContext ctx, TableSpan t, KeyTable k, ColumnMap map, string[] header, FlatRow r)
    {
        var a = new AttributeDefinition
        {
            Name = Vocabulary.StripLevel(r[map.Name]),
            Tag = r.Tag,
            Vr = Vocabulary.Vr(r[map.Vr]),
            Provenance = t.At(r.First, r.Last),
        };
        var comment = StatementText.Clean(r[map.Comment]);
        a.Comment = comment.Length == 0 ? null : comment;
        if (k.Value >= 0 && StatementText.Clean(r[k.Value]).Length > 0)
        {
            a.Value = ValueParser.Parse(r[k.Value], []);
        }
        if (k.Matching >= 0 && StatementText.Clean(r[k.Matching]) is { Length: > 0 } m)
        {
            a.Matching = m;
        }
        if (k.FirstKeyColumn >= 0)
        {
            var marks = Enumerable.Range(k.FirstKeyColumn, k.LastKeyColumn - k.FirstKeyColumn + 1)
                .Where(c => StatementText.Clean(r[c]).Equals("X", StringComparison.OrdinalIgnoreCase))
                .Select(c => c < header.Length ? header[c] : c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
            a.KeyUsage = marks;
        }
        PhilipsAnnex.FillVm(a, ctx.Dictionary);
        return a;
    }

    /// <summary>A module or level row inside a key table: "&lt;b&gt;Patient Identification Module&lt;/b&gt;", "Performed Procedure Step
    /// Information Module", "Q/R Study level" (a lone name such as "Code Sequence" is the tail of a name broken by a page break).</summary>
    private static bool IsGroupRow(string cell) =>
        cell.Contains("<b>", StringComparison.Ordinal) || Regex.IsMatch(cell.Trim(), @"(Module|\blevel)$", RegexOptions.IgnoreCase);

    private static int FirstTagRow(StatementText text, TableSpan t)
    {
        for (int n = t.CaptionLine + 1; n <= t.EndLine; n++)
        {
            if (text.IsRow(n) && text.Cells(n).Any(Vocabulary.IsTag))
            {
                return n;
            }
        }
        return int.MaxValue;
    }
}
