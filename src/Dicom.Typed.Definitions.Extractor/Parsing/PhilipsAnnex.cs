using System.Text.RegularExpressions;

namespace Dicom.Typed.Definitions.Extractor.Parsing;

/// <summary>An IOD specialization declared by a device parser (Philips annex layout).</summary>
public sealed record IodSpec(
    string TypeName,
    string IodTable,
    string SopClassUid,
    string SopClassName,
    string Context,
    IodVariant[] Variants,
    string? BaseTypeName = null);

/// <summary>Helpers for Philips-style annexes: IOD table "Information Entity⇥Module⇥Presence Of Module" followed by
/// module tables "Attribute Name⇥Tag⇥VR⇥Value⇥Presence of Value⇥Source⇥Comment".</summary>
public sealed partial class PhilipsAnnex
{
    private readonly ExtractionContext _ctx;
    private readonly ConditionMapper _conditions;
    private readonly IReadOnlyList<string> _variantKeys;

    /// <summary>Issues found while building (nesting problems etc.), for findings.</summary>
    public List<string> Issues { get; } = [];

    /// <summary>Tables used (id → output file), for coverage.</summary>
    public Dictionary<string, (string Output, int Rows)> Used { get; } = new(StringComparer.Ordinal);

    /// <summary>Creates the helper.</summary>
    public PhilipsAnnex(ExtractionContext ctx, ConditionMapper conditions, IReadOnlyList<string> variantKeys)
    {
        _ctx = ctx;
        _conditions = conditions;
        _variantKeys = variantKeys;
    }

    /// <summary>Table by id.</summary>
    public TableSpan Table(string id) => _ctx.Tables.Single(t => t.Id == id);

    /// <summary>Builds an IOD: the IOD table's modules, matched by name with the module tables in <paramref name="moduleTables"/>.</summary>
    public IodDefinition BuildIod(IodSpec spec, IEnumerable<TableSpan> moduleTables)
    {
        var iodTable = Table(spec.IodTable);
        var iod = new IodDefinition
        {
            TypeName = spec.TypeName,
            Context = spec.Context,
            SopClassUid = spec.SopClassUid,
            SopClassName = spec.SopClassName,
            BaseTypeName = spec.BaseTypeName,
            Variants = [.. spec.Variants],
            Provenance = iodTable.Whole(),
        };
        string? ie = null;
        for (int n = iodTable.CaptionLine + 1; n <= iodTable.EndLine; n++)
        {
            if (!_ctx.Text.IsRow(n) || _ctx.Text.IsSeparator(n))
            {
                continue;
            }
            var c = _ctx.Text.Cells(n).Select(StatementText.Clean).ToArray();
            if (c.Length < 3 || c[0].StartsWith("Information Entity", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (c[0].Length > 0)
            {
                ie = c[0];
            }
            var word = c[2];
            var module = new ModuleDefinition
            {
                Name = c[1],
                InformationEntity = ie,
                Usage = Vocabulary.ModuleUsage(word),
                PresenceWord = word,
                Provenance = iodTable.At(n, n),
            };
            var m = ParenRx().Match(word);
            var condText = m.Success ? m.Groups[2].Value.Trim() : word.Contains('-') ? word[(word.IndexOf('-') + 1)..].Trim() : null;
            if (module.Usage == "C")
            {
                module.ConditionText = string.IsNullOrEmpty(condText) ? word : condText;
                module.Condition = _conditions.Map(module.ConditionText);
                module.PresenceWord = m.Success ? m.Groups[1].Value.Trim() : word.Split('-')[0].Trim();
            }
            iod.Modules.Add(module);
        }
        Used[iodTable.Id] = ("iods/" + spec.TypeName + ".json", 0);
        foreach (var t in moduleTables)
        {
            var key = ModuleKey(t.Title);
            var module = iod.Modules.FirstOrDefault(x => x.AttributeTable is null && ModuleKey(x.Name) == key);
            if (module is null)
            {
                module = new ModuleDefinition { Name = t.Title, Usage = "M", Kind = "standard", Provenance = t.Whole() };
                Issues.Add($"{t.Id} '{t.Title}' has no row in {spec.IodTable}; added as module of {spec.TypeName}");
                iod.Modules.Add(module);
            }
            module.AttributeTable = t.Id;
            module.Attributes = ParseModuleTable(t);
            Used[t.Id] = ("iods/" + spec.TypeName + ".json", CountRows(module.Attributes));
        }
        return iod;
    }

    /// <summary>Adds a module made of one table that has no row in the IOD table (extended, private, overlay tables).</summary>
    public ModuleDefinition AddTableModule(IodDefinition iod, TableSpan t, string kind, string usage, string? name = null)
    {
        var module = new ModuleDefinition
        {
            Name = name ?? t.Title,
            Usage = usage,
            Kind = kind,
            AttributeTable = t.Id,
            Attributes = ParseModuleTable(t),
            Provenance = t.Whole(),
        };
        iod.Modules.Add(module);
        var file = "iods/" + iod.TypeName + ".json";
        Used[t.Id] = Used.TryGetValue(t.Id, out var prev) ? (prev.Output + " " + file, prev.Rows) : (file, CountRows(module.Attributes));
        return module;
    }

    /// <summary>Parses a module table (Philips columns) into an attribute tree.</summary>
    public List<AttributeDefinition> ParseModuleTable(TableSpan t, ColumnMap? map = null)
    {
        map ??= ColumnMap.Philips;
        var parsed = AttributeTableParser.Parse(_ctx.Text, t.CaptionLine + 1, t.EndLine, map);
        var rows = parsed.Rows.Select(r => (r.Level, ToAttribute(r, map, t))).ToList();
        var issues = new List<string>();
        var tree = Nesting.Build(rows, issues);
        Issues.AddRange(issues.Select(i => $"{t.Id}: {i}"));
        return tree;
    }

    /// <summary>Converts a flat Philips row.</summary>
    public AttributeDefinition ToAttribute(FlatRow r, ColumnMap map, TableSpan t)
    {
        var a = new AttributeDefinition
        {
            Name = Vocabulary.StripLevel(r[map.Name]),
            Tag = r.Tag,
            Vr = Vocabulary.Vr(r[map.Vr]),
            Value = ValueParser.Parse(r[map.Value], _variantKeys),
            Source = map.Source >= 0 ? Vocabulary.Sources(r[map.Source]) : [],
            Provenance = t.At(r.First, r.Last),
        };
        var comment = StatementText.Clean(r[map.Comment]);
        a.Comment = comment.Length == 0 || comment == "-" ? null : comment;
        var word = StatementText.Clean(r[map.Presence]);
        bool mapped = false;
        if (word.Equals("ANAP", StringComparison.OrdinalIgnoreCase) && a.Comment is not null && ConditionMapper.LooksConditional(a.Comment))
        {
            a.ConditionText = a.Comment;
            a.Condition = _conditions.Map(a.Comment);
            mapped = a.Condition.Op != "unmapped";
        }
        a.Presence = Vocabulary.MapPresence(word, mapped);
        FillVm(a, _ctx.Dictionary);
        return a;
    }

    /// <summary>Fills VM from the dictionary (statement layouts here print no VM).</summary>
    public static void FillVm(AttributeDefinition a, StandardDictionary dict)
    {
        if (a.Vm.Length > 0)
        {
            a.VmSource = "statement";
            return;
        }
        var std = StandardDictionary.IsPrivate(a.Tag) ? null : dict.Find(a.Tag);
        if (std is not null && std.Vm.Length > 0)
        {
            a.Vm = std.Vm;
            a.VmSource = "dictionary";
        }
    }

    /// <summary>Counts attribute rows in a tree.</summary>
    public static int CountRows(IEnumerable<AttributeDefinition> attrs) => attrs.Sum(a => 1 + (a.Items is null ? 0 : CountRows(a.Items)));

    /// <summary>Normalized module name for matching IOD rows with captions.</summary>
    public static string ModuleKey(string name) =>
        Vocabulary.NameKey(Regex.Replace(name, @"\bmodule\b", "", RegexOptions.IgnoreCase));

    /// <summary>Generic grid extraction of a non-attribute table (all TAB rows; the first <paramref name="headerRows"/> rows are the
    /// header; with <paramref name="stopAtProse"/> a prose line after the first data row ends the grid).</summary>
    public static RawTable Grid(StatementText text, TableSpan t, int headerRows = 1, bool stopAtProse = true)
    {
        var raw = new RawTable { Id = t.Id, Title = t.Title, Provenance = t.Whole() };
        int seen = 0;
        for (int n = t.CaptionLine + 1; n <= t.EndLine; n++)
        {
            if (!text.IsRow(n))
            {
                if (stopAtProse && raw.Rows.Count > 0 && text[n].Trim().Length > 0)
                {
                    break; // prose after the rows ends the grid (legends printed as TAB rows further down are not part of it)
                }
                continue;
            }
            if (text.IsSeparator(n))
            {
                continue;
            }
            var cells = text.Cells(n).Select(StatementText.Clean).ToList();
            while (cells.Count > 0 && cells[^1].Length == 0 && cells.Count > raw.Header.Count)
            {
                cells.RemoveAt(cells.Count - 1);
            }
            if (seen < headerRows)
            {
                for (int i = 0; i < cells.Count; i++)
                {
                    if (i < raw.Header.Count)
                    {
                        raw.Header[i] = (raw.Header[i] + " " + cells[i]).Trim();
                    }
                    else
                    {
                        raw.Header.Add(cells[i]);
                    }
                }
                seen++;
                continue;
            }
            if (raw.Header.Count > 0 && cells.SequenceEqual(raw.Header))
            {
                continue;
            }
            raw.Rows.Add(new RawRow { Cells = cells, Provenance = t.At(n, n) });
        }
        return raw;
    }

    /// <summary>Number of rows of a grid having a tag cell.</summary>
    public static int TagRows(RawTable raw) => raw.Rows.Count(r => r.Cells.Any(Vocabulary.IsTag));

    [GeneratedRegex(@"^([A-Z ]+?)\s*\((.*)\)\s*$")]
    private static partial Regex ParenRx();
}
