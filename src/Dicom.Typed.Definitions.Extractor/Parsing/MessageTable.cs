namespace Dicom.Typed.Definitions.Extractor.Parsing;

/// <summary>A message key table (MWL keys, MPPS N-CREATE/N-SET, Q/R identifiers) split into groups: a row with one filled cell
/// ("SOP Common Module", "STUDY LEVEL", "Q/R Study level") starts a module; attribute rows in between.</summary>
public static class MessageTable
{
    /// <summary>One group row of a message table and the lines of its attribute rows.</summary>
    /// <param name="Line">Line of the group row (the caption line for the rows before the first group row).</param>
    /// <param name="Name">Group name as the device parser wants it.</param>
    public readonly record struct Group(int Line, string Name);

    /// <summary>How a device reads its message tables.</summary>
    public sealed class Options
    {
        /// <summary>Is this row (cleaned cells, raw cells) a group row? It is already known to have exactly one filled cell, the first.</summary>
        public required Func<string[], string[], bool> IsGroup { get; init; }
        /// <summary>The group name from the first cell (cleaned, raw).</summary>
        public Func<string, string, string> Name { get; init; } = (clean, _) => clean;
        /// <summary>Whether the rows before the first group row form a group of their own, named after the caption.</summary>
        public required Func<TableSpan, IReadOnlyList<Group>, bool> CaptionGroup { get; init; }
        /// <summary>Column map for <see cref="AttributeTableParser.Parse"/>.</summary>
        public required ColumnMap Map { get; init; }
        /// <summary>One attribute (with provenance) from a parsed row.</summary>
        public required Func<FlatRow, AttributeDefinition> Attribute { get; init; }
        /// <summary>Called with the rows without a tag of each group (before its nesting issues).</summary>
        public Action<ParsedTable>? Notes { get; init; }
        /// <summary>Completes the module of a group (name, usage, condition); attribute table, attributes and provenance are set.</summary>
        public Action<ModuleDefinition, Group>? Module { get; init; }
    }

    /// <summary>The group rows of table <paramref name="t"/>, in document order (with the caption group first when
    /// <see cref="Options.CaptionGroup"/> says so).</summary>
    public static List<Group> Groups(StatementText text, TableSpan t, Options options)
    {
        var groups = new List<Group>();
        for (int n = t.CaptionLine + 1; n <= t.EndLine; n++)
        {
            if (!text.IsRow(n))
            {
                continue;
            }
            var raw = text.Cells(n);
            var cells = raw.Select(StatementText.Clean).ToArray();
            if (cells.Count(c => c.Length > 0) == 1 && cells[0].Length > 0 && options.IsGroup(cells, raw))
            {
                groups.Add(new Group(n, options.Name(cells[0], raw[0])));
            }
        }
        if (options.CaptionGroup(t, groups))
        {
            groups.Insert(0, new Group(t.CaptionLine, t.Title));
        }
        return groups;
    }

    /// <summary>The modules of table <paramref name="t"/>: one per group, its rows nested into trees; a caption group without
    /// rows is dropped. Nesting problems go to <paramref name="issues"/> prefixed with the table id.</summary>
    public static List<ModuleDefinition> Modules(StatementText text, TableSpan t, Options options, List<string> issues)
    {
        var groups = Groups(text, t, options);
        var modules = new List<ModuleDefinition>();
        for (int i = 0; i < groups.Count; i++)
        {
            int from = groups[i].Line + 1;
            int to = i + 1 < groups.Count ? groups[i + 1].Line - 1 : t.EndLine;
            var parsed = AttributeTableParser.Parse(text, from, to, options.Map);
            var rows = parsed.Rows.Select(r => (r.Level, options.Attribute(r))).ToList();
            options.Notes?.Invoke(parsed);
            var nest = new List<string>();
            var module = new ModuleDefinition
            {
                Name = groups[i].Name,
                Usage = "M",
                Kind = "standard",
                AttributeTable = t.Id,
                Attributes = Nesting.Build(rows, nest),
                Provenance = t.At(groups[i].Line, to),
            };
            issues.AddRange(nest.Select(x => $"{t.Id}: {x}"));
            options.Module?.Invoke(module, groups[i]);
            if (module.Attributes.Count > 0 || groups[i].Line != t.CaptionLine)
            {
                modules.Add(module);
            }
        }
        return modules;
    }
}
