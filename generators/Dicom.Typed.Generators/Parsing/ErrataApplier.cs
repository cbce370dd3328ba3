using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Dicom.Typed.Generators.Json;
using Dicom.Typed.Generators.Model;

namespace Dicom.Typed.Generators.Parsing
{
    /// <summary>One correction from a device's <c>errata.json</c>, pointing at a raw row by table, line and tag.</summary>
    internal sealed record Erratum(string Table, int Line, string Tag, string Field, string? From, string? To, string Reason);

    /// <summary>The errata of one device folder.</summary>
    internal sealed record DeviceErrata(string Folder, EquatableArray<Erratum> Errata)
    {
        public static DeviceErrata Parse(string path, string text)
        {
            var list = new List<Erratum>();
            try
            {
                var root = JsonLite.Parse(text);
                if (root["errata"]?.Items is List<JsonNode> items)
                {
                    foreach (var e in items)
                    {
                        int.TryParse(e["line"]?.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int line);
                        list.Add(new Erratum(e.GetString("table") ?? "", line, e.GetString("tag") ?? "", e.GetString("field") ?? "",
                            e.GetString("from"), e.GetString("to"), e.GetString("reason") ?? ""));
                    }
                }
            }
            catch (JsonLiteException)
            {
                // reported when the IOD files of the device are parsed (DTG010)
            }
            return new DeviceErrata(FolderOf(path), new EquatableArray<Erratum>(list));
        }

        public static string FolderOf(string path)
        {
            string p = path.Replace('\\', '/');
            int slash = p.LastIndexOf('/');
            string dir = slash >= 0 ? p.Substring(0, slash) : "";
            if (dir.EndsWith("/iods", StringComparison.Ordinal)) dir = dir.Substring(0, dir.Length - 5);
            else if (dir.EndsWith("/messages", StringComparison.Ordinal)) dir = dir.Substring(0, dir.Length - 9);
            return dir;
        }
    }

    /// <summary>Applies errata to the raw JSON tree of an IOD before it is modeled (the raw files are never edited).</summary>
    internal static class ErrataApplier
    {
        public static void Apply(JsonNode root, IEnumerable<Erratum> errata, Action<string, JsonNode> warn)
        {
            if (root["modules"]?.Items is not List<JsonNode> modules) return;
            // as in Dicom.Typed.Definitions.ErrataApplier: field corrections, then structural ones (keyed by the raw tag), then tags
            static int Order(Erratum e) => e.Field switch { "level" or "parent" or "drop" => 1, "tag" => 2, _ => 0 };
            foreach (var e in errata.OrderBy(Order))
            {
                foreach (var module in modules)
                {
                    if (module["attributes"] is not JsonNode attrs || attrs.Items == null) continue;
                    if (Find(attrs, e, 0, null, out var owner, out var node, out int depth, out var grandOwner)) ApplyOne(module, owner!, node!, e, depth, grandOwner, warn);
                }
            }
        }

        private static string Norm(string tag) => tag.Replace("(", "").Replace(")", "").Replace(" ", "").ToUpperInvariant();

        private static bool Find(JsonNode list, Erratum e, int level, JsonNode? parentList, out JsonNode? owner, out JsonNode? node, out int depth, out JsonNode? grandOwner)
        {
            foreach (var a in list.Items!)
            {
                var prov = a["provenance"];
                int line = 0;
                if (prov?["lines"]?.Items is List<JsonNode> lines && lines.Count > 0) int.TryParse(lines[0].Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out line);
                if (line == e.Line && Norm(a.GetString("tag") ?? "") == Norm(e.Tag) && (e.Table.Length == 0 || prov?.GetString("table") == e.Table))
                {
                    owner = list;
                    node = a;
                    depth = level;
                    grandOwner = parentList;
                    return true;
                }
                if (a["items"] is JsonNode items && items.Items != null && Find(items, e, level + 1, list, out owner, out node, out depth, out grandOwner)) return true;
            }
            owner = null;
            node = null;
            depth = 0;
            grandOwner = null;
            return false;
        }

        private static void Set(JsonNode node, string name, string? value)
        {
            var props = node.Properties!;
            int i = props.FindIndex(p => p.Key == name);
            if (value == null)
            {
                if (i >= 0) props.RemoveAt(i);
                return;
            }
            var v = new JsonNode(JsonKind.String, node.Line, node.Column) { Text = value };
            if (i >= 0) props[i] = new KeyValuePair<string, JsonNode>(name, v);
            else props.Add(new KeyValuePair<string, JsonNode>(name, v));
        }

        private static void ApplyOne(JsonNode module, JsonNode owner, JsonNode node, Erratum e, int depth, JsonNode? grandOwner, Action<string, JsonNode> warn)
        {
            switch (e.Field)
            {
                case "name":
                case "vr":
                case "vm":
                case "tag":
                case "comment":
                case "privateCreator":
                    Set(node, e.Field, e.To);
                    break;
                case "source":
                    // same semantics as Dicom.Typed.Definitions.ErrataApplier: the new comma-separated list, or none
                    if (node["source"]?.Items is List<JsonNode> sources)
                    {
                        sources.Clear();
                        foreach (var word in (e.To ?? "").Split(','))
                        {
                            if (word.Trim().Length > 0) sources.Add(new JsonNode(JsonKind.String, node.Line, node.Column) { Text = word.Trim() });
                        }
                    }
                    break;
                case "presence":
                    if (node["presence"] is JsonNode presence && presence.Properties != null && e.To != null) Set(presence, "word", e.To);
                    break;
                case "type":
                    // the attribute type the presence word stands for in the statement's legend (e.g. "ALWAYS EMPTY": Type 2, sent empty)
                    if (node["presence"] is JsonNode typed && typed.Properties != null && e.To != null) Set(typed, "type", e.To);
                    break;
                case "value":
                {
                    var props = node.Properties!;
                    props.RemoveAll(p => p.Key == "value");
                    if (e.To != null)
                    {
                        var value = new JsonNode(JsonKind.Object, node.Line, node.Column) { Properties = new List<KeyValuePair<string, JsonNode>>() };
                        Set(value, "kind", "fixed");
                        Set(value, "raw", e.To);
                        value.Properties.Add(new KeyValuePair<string, JsonNode>("values", new JsonNode(JsonKind.Array, node.Line, node.Column) { Items = new List<JsonNode> { new JsonNode(JsonKind.String, node.Line, node.Column) { Text = e.To } } }));
                        props.Add(new KeyValuePair<string, JsonNode>("value", value));
                    }
                    break;
                }
                case "enumeratedValues":
                {
                    // a cell the extractor read as one fixed value that lists the allowed values ("YES NO"): the comma-separated
                    // list in "to" becomes an enumeration (same semantics as Dicom.Typed.Definitions.ErrataApplier)
                    var props = node.Properties!;
                    string raw = node["value"]?.GetString("raw") ?? e.To ?? "";
                    props.RemoveAll(p => p.Key == "value");
                    var words = (e.To ?? "").Split(',').Select(w => w.Trim()).Where(w => w.Length > 0).ToList();
                    if (words.Count > 0)
                    {
                        var value = new JsonNode(JsonKind.Object, node.Line, node.Column) { Properties = new List<KeyValuePair<string, JsonNode>>() };
                        Set(value, "kind", "enumerated");
                        Set(value, "raw", raw);
                        value.Properties.Add(new KeyValuePair<string, JsonNode>("values", new JsonNode(JsonKind.Array, node.Line, node.Column)
                            { Items = words.Select(w => new JsonNode(JsonKind.String, node.Line, node.Column) { Text = w }).ToList() }));
                        props.Add(new KeyValuePair<string, JsonNode>("value", value));
                    }
                    break;
                }
                case "drop":
                    owner.Items!.Remove(node);
                    break;
                case "parent":
                case "level":
                    Move(module, owner, node, e, depth, grandOwner, warn);
                    break;
                case "queryRetrieveLevel":
                    break; // corrects the typed Q/R model in device.json (QueryRetrieveErrataApplier), not the key row
                default:
                    warn("Erratum field '" + e.Field + "' (" + e.Table + " line " + e.Line + ") is not understood by the generator; it is ignored", node);
                    break;
            }
        }

        private static void Move(JsonNode module, JsonNode owner, JsonNode node, Erratum e, int depth, JsonNode? grandOwner, Action<string, JsonNode> warn)
        {
            var attrs = module["attributes"]!;
            if (e.Field == "level" && int.TryParse(e.To, NumberStyles.Integer, CultureInfo.InvariantCulture, out int up) && up == depth - 1 && grandOwner?.Items != null)
            {
                // one level too deep: beside its printed parent, in the same item
                int parentIndex = grandOwner.Items.FindIndex(x => ReferenceEquals(x["items"], owner));
                owner.Items!.Remove(node);
                grandOwner.Items.Insert(parentIndex + 1, node);
                return;
            }
            if (e.Field == "level")
            {
                // level = the true depth; one deeper: into the nearest preceding sequence sibling (same semantics as the definitions library)
                int index = owner.Items!.IndexOf(node);
                var seq = owner.Items.Take(index).LastOrDefault(x => (x.GetString("vr") ?? "").IndexOf("SQ", StringComparison.Ordinal) >= 0);
                if (!int.TryParse(e.To, NumberStyles.Integer, CultureInfo.InvariantCulture, out int down) || down != depth + 1 || seq == null)
                {
                    warn("Erratum 'level' (" + e.Table + " line " + e.Line + ") has no preceding sequence to move into", node);
                    return;
                }
                owner.Items.RemoveAt(index);
                var seqItems = EnsureItems(seq);
                seqItems.Items!.Add(node);
                if (node["items"] is JsonNode own && own.Items is { Count: > 0 })
                {
                    seqItems.Items.AddRange(own.Items); // rows nested under the misplaced row belong to the same item
                    own.Items.Clear();
                }
                return;
            }
            owner.Items!.Remove(node);
            if (e.To == null || e.To.Length == 0)
            {
                attrs.Items!.Add(node);
                return;
            }
            var parent = FindTag(attrs, Norm(e.To));
            // the list that holds the wrong parent: a recreated parent goes beside it
            var siblings = ListHolding(attrs, owner) ?? attrs;
            if (parent == null)
            {
                // The statement lost the parent row (e.g. across a page break): recreate it from the erratum, as a Type 3 sequence.
                parent = new JsonNode(JsonKind.Object, node.Line, node.Column) { Properties = new List<KeyValuePair<string, JsonNode>>() };
                Set(parent, "name", "Sequence " + e.To);
                Set(parent, "tag", e.To);
                Set(parent, "vr", "SQ");
                Set(parent, "vm", "1");
                var presence = new JsonNode(JsonKind.Object, node.Line, node.Column) { Properties = new List<KeyValuePair<string, JsonNode>>() };
                Set(presence, "type", "3");
                Set(presence, "word", "ERRATUM");
                parent.Properties!.Add(new KeyValuePair<string, JsonNode>("presence", presence));
                if (node["provenance"] is JsonNode prov) parent.Properties.Add(new KeyValuePair<string, JsonNode>("provenance", prov));
                parent.Properties.Add(new KeyValuePair<string, JsonNode>("items", new JsonNode(JsonKind.Array, node.Line, node.Column) { Items = new List<JsonNode>() }));
                siblings.Items!.Add(parent);
            }
            EnsureItems(parent).Items!.Add(node);
        }

        private static JsonNode EnsureItems(JsonNode parent)
        {
            if (parent["items"] is JsonNode items && items.Items != null) return items;
            parent.Properties!.RemoveAll(p => p.Key == "items");
            items = new JsonNode(JsonKind.Array, parent.Line, parent.Column) { Items = new List<JsonNode>() };
            parent.Properties.Add(new KeyValuePair<string, JsonNode>("items", items));
            return items;
        }

        private static JsonNode? ListHolding(JsonNode list, JsonNode itemsList)
        {
            foreach (var a in list.Items!)
            {
                if (ReferenceEquals(a["items"], itemsList)) return list;
                if (a["items"] is JsonNode items && items.Items != null && ListHolding(items, itemsList) is JsonNode found) return found;
            }
            return null;
        }

        private static JsonNode? FindTag(JsonNode list, string tag)
        {
            foreach (var a in list.Items!)
            {
                if (Norm(a.GetString("tag") ?? "") == tag) return a;
                if (a["items"] is JsonNode items && items.Items != null && FindTag(items, tag) is JsonNode found) return found;
            }
            return null;
        }
    }
}
