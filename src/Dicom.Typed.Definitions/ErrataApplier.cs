namespace Dicom.Typed.Definitions;

/// <summary>Applies an errata file on top of the raw layer (in place).</summary>
public static class ErrataApplier
{
    /// <summary>
    /// Applies field corrections (name, tag, vr, vm, source, value, comment, presence) and drops; structural corrections (parent,
    /// level) are applied when the target exists: <c>level</c> N is the row's true nesting depth (the number of '&gt;'): one
    /// deeper moves the row (with its children) into the item of the nearest preceding sequence, one shallower moves it beside
    /// its printed parent; <c>parent</c> moves a row into the sequence with tag <see cref="Erratum.To"/> in the same module.
    /// Returns one message per erratum that could not be applied.
    /// </summary>
    public static List<string> Apply(IEnumerable<IodDefinition> iods, ErrataFile errata)
    {
        var problems = new List<string>();
        var iodList = iods.ToList();
        // field corrections first, then tag changes (errata are keyed by the raw tag), then structural changes
        static int Order(Erratum e) => e.Field switch { "tag" => 1, "level" or "parent" or "drop" => 2, _ => 0 };
        // errata on the typed network and media sections (presentation contexts, Q/R level values, DICOMDIR key groups) have their own appliers
        foreach (var e in errata.Errata.Where(e => !NetworkErrataApplier.IsNetworkField(e.Field) && e.Field is not (QueryRetrieveErrataApplier.Field or MediaErrataApplier.Field)).OrderBy(Order))
        {
            bool applied = false;
            foreach (var module in iodList.SelectMany(i => i.Modules))
            {
                applied |= ApplyIn(module.Attributes, module, e, 0, null, -1);
            }
            if (!applied)
            {
                problems.Add($"{e.Table} L{e.Line} {e.Tag} {e.Field}: not applied");
            }
        }
        return problems;
    }

    private static bool ApplyIn(List<AttributeDefinition> list, ModuleDefinition module, Erratum e, int depth, List<AttributeDefinition>? parentList, int parentIndex)
    {
        bool any = false;
        for (int i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (a.Provenance.StartsAt(e.Table, e.Line) && (a.Tag == e.Tag || (e.Field is "level" or "parent" or "drop" && a.TagRaw == e.Tag)))
            {
                switch (e.Field)
                {
                    case "name": a.Name = e.To ?? a.Name; break;
                    case "tag": a.TagRaw ??= a.Tag; a.Tag = e.To ?? a.Tag; break;
                    case "vr": a.Vr = e.To ?? a.Vr; break;
                    case "vm": a.Vm = e.To ?? a.Vm; a.VmSource = "statement"; break;
                    case "source": a.Source = e.To is null ? [] : [.. e.To.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]; break;
                    case "comment": a.Comment = e.To; break;
                    case "value": a.Value = e.To is null ? null : new ValueSpec { Raw = e.To, Kind = "fixed", Values = [e.To] }; break;
                    case "enumeratedValues":
                        // the cell lists the allowed values (e.g. "YES NO") and was read as one fixed value: "to" is the comma-separated enumeration
                        var words = (e.To ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
                        a.Value = words.Count == 0 ? null : new ValueSpec { Raw = a.Value?.Raw ?? e.To!, Kind = "enumerated", Values = words };
                        break;
                    case "presence": a.Presence = e.To is null ? null : new Presence { Word = e.To, Type = a.Presence?.Type ?? "" }; break;
                    case "type": a.Presence = new Presence { Word = a.Presence?.Word ?? "", Type = e.To ?? "" }; break;
                    case "drop": list.RemoveAt(i); return true;
                    case "level" when int.TryParse(e.To, out int up) && up == depth - 1 && parentList is not null:
                        // one level too deep: the row belongs beside its printed parent, in the same item
                        list.RemoveAt(i);
                        parentList.Insert(parentIndex + 1, a);
                        return true;
                    case "level" when int.TryParse(e.To, out int down) && down == depth + 1 && i > 0:
                        var seq = list.Take(i).LastOrDefault(x => x.Vr.Contains("SQ", StringComparison.Ordinal));
                        if (seq is null)
                        {
                            return any;
                        }
                        list.RemoveAt(i);
                        seq.Items ??= [];
                        seq.Items.Add(a);
                        if (a.Items is not null)
                        {
                            seq.Items.AddRange(a.Items); // rows nested under the misplaced row belong to the same item
                            a.Items = null;
                        }
                        return true;
                    case "parent":
                        var target = Walk(module.Attributes).FirstOrDefault(x => x.Tag == e.To && x.Vr.Contains("SQ", StringComparison.Ordinal));
                        if (target is null)
                        {
                            return any; // parent row missing in the statement: nothing to attach to
                        }
                        list.RemoveAt(i);
                        target.Items ??= [];
                        target.Items.Add(a);
                        return true;
                    default: return any; // e.g. a row already moved by this erratum, met again beside its old parent
                }
                any = true;
            }
            if (a.Items is not null && ApplyIn(a.Items, module, e, depth + 1, list, i))
            {
                any = true;
            }
        }
        return any;
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
