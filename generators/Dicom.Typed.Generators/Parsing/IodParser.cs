using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Dicom.Typed.Generators.Json;
using Dicom.Typed.Generators.Model;

namespace Dicom.Typed.Generators.Parsing
{
    /// <summary>Parses one IOD definition file into an equatable model, collecting diagnostics with positions.</summary>
    internal sealed class IodParser
    {
        private static readonly HashSet<string> KnownVRs = new HashSet<string>(StringComparer.Ordinal)
        {
            "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO", "LT", "OB", "OD", "OF", "OL", "OV", "OW", "PN",
            "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV",
        };

        private static readonly HashSet<string> KnownTypes = new HashSet<string>(StringComparer.Ordinal) { "1", "1C", "2", "2C", "3" };

        private readonly string _path;
        private readonly KeywordTable _keywords;
        private readonly List<DiagnosticInfo> _diagnostics = new List<DiagnosticInfo>();

        private IodParser(string path, KeywordTable keywords)
        {
            _path = path;
            _keywords = keywords;
        }

        public static ParseResult Parse(string path, string text, KeywordTable keywords, IEnumerable<Erratum>? errata = null)
        {
            var p = new IodParser(path, keywords);
            IodModel? model = null;
            try
            {
                var root = JsonLite.Parse(text);
                if (errata != null) ErrataApplier.Apply(root, errata, (message, node) => p.Warning("DTG010", message, node.Line, node.Column));
                model = p.ParseIod(root);
            }
            catch (JsonLiteException e)
            {
                p.Error("DTG001", "Malformed JSON: " + e.Reason, e.Line, e.Column);
            }
            return new ParseResult(model, new EquatableArray<DiagnosticInfo>(p._diagnostics));
        }

        private void Error(string id, string message, int line, int column) => _diagnostics.Add(new DiagnosticInfo(id, message, _path, line, column, true));

        private void Warning(string id, string message, int line, int column) => _diagnostics.Add(new DiagnosticInfo(id, message, _path, line, column, false));

        private string Required(JsonNode node, string name)
        {
            var v = node[name];
            if (v == null || v.Kind != JsonKind.String || string.IsNullOrEmpty(v.Text))
            {
                Error("DTG002", "Missing or empty string property '" + name + "'", (v ?? node).Line, (v ?? node).Column);
                return "";
            }
            return v.Text!;
        }

        private IodModel? ParseIod(JsonNode root)
        {
            if (root.Kind != JsonKind.Object)
            {
                Error("DTG002", "An IOD definition must be a JSON object", root.Line, root.Column);
                return null;
            }
            string typeName = Required(root, "typeName");
            string device = Required(root, "device");
            string sop = Required(root, "sopClassUid");
            if (typeName.Length > 0 && !IsIdentifier(typeName)) Error("DTG002", "typeName '" + typeName + "' is not a C# identifier", root["typeName"]!.Line, root["typeName"]!.Column);
            var modulesNode = root["modules"];
            if (modulesNode == null || modulesNode.Kind != JsonKind.Array || modulesNode.Items == null)
            {
                Error("DTG002", "Missing 'modules' array", root.Line, root.Column);
                return null;
            }
            var attributes = new List<AttributeModel>();
            var modules = new List<ModuleRef>();
            var seen = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
            foreach (var m in modulesNode.Items)
            {
                string moduleName = m.GetString("name") ?? "";
                var attrs = m["attributes"];
                var names = new List<string>();
                if (attrs != null && attrs.Kind == JsonKind.Array && attrs.Items != null)
                {
                    foreach (var a in attrs.Items)
                    {
                        var model = ParseAttribute(a, moduleName);
                        if (model == null) continue;
                        model = EmptySequenceRule(ConditionalByModule(model, moduleName, m.GetString("usage") ?? ""), moduleName, topLevel: true);
                        if (model.PrivateCreator.Length > 0 && seen.ContainsKey(model.PropertyName)
                            && attributes.Find(x => x.PropertyName == model.PropertyName) is { } same && same.Tag != model.Tag)
                        {
                            // private rows with the same (often generic) name, e.g. Vereos "Private" (7053,xxD8)/(7053,xxD9): the element byte tells them apart
                            model = model with { PropertyName = model.PropertyName + "_" + (model.Tag & 0xFF).ToString("X2", CultureInfo.InvariantCulture) };
                        }
                        if (seen.TryGetValue(model.PropertyName, out var first))
                        {
                            // Statements list an attribute in every module that contains it: one property, the strictest type.
                            int index = attributes.FindIndex(x => x.PropertyName == model.PropertyName);
                            var existing = attributes[index];
                            if (existing.VR != model.VR || existing.Tag != model.Tag)
                            {
                                Warning("DTG003", "Attribute " + model.Name + " " + FormatTag(model.Tag) + " " + model.VR + " conflicts with " + existing.Name + " " + FormatTag(existing.Tag) + " " + existing.VR + " at line " + first.Line + "; the first definition is used", a.Line, a.Column);
                            }
                            else if (Rank(model.Type) < Rank(existing.Type))
                            {
                                attributes[index] = existing with { Type = model.Type, PresenceWord = model.PresenceWord };
                            }
                            names.Add(model.PropertyName);
                            continue;
                        }
                        seen[model.PropertyName] = a;
                        attributes.Add(model);
                        names.Add(model.PropertyName);
                    }
                }
                modules.Add(new ModuleRef(moduleName, m.GetString("usage") ?? "", new EquatableArray<string>(names)));
            }
            if (typeName.Length == 0 || sop.Length == 0) return null;
            if (ImpliedSopInstanceUid(root, attributes) is { } implied)
            {
                attributes.Add(implied);
                modules.Add(new ModuleRef(implied.Table, "M", new EquatableArray<string>(new List<string> { implied.PropertyName })));
            }
            var variants = new List<string>();
            if (root["variants"]?.Items is List<JsonNode> vlist)
            {
                foreach (var v in vlist)
                {
                    string key = v.GetString("key") ?? "";
                    if (key.Length > 0) variants.Add(key + "\u001f" + (v.GetString("description") ?? ""));
                }
            }
            return new IodModel(typeName, Namespace(device), device, root.GetString("context") ?? "", sop, root.GetString("sopClassName") ?? "",
                FileName(_path), new EquatableArray<AttributeModel>(attributes), new EquatableArray<ModuleRef>(modules), root.GetString("baseTypeName") ?? "",
                root.GetString("dimse") ?? "",
                new EquatableArray<string>(variants));
        }

        /// <summary>
        /// SOP Instance UID (0008,0018) of an IOD whose statement lists no SOP Common Module (Vereos ECG, Table 305): every composite
        /// instance has one (SOP Common is Mandatory in every composite IOD, PS3.3 C.12.1; C-STORE carries it as the Affected SOP
        /// Instance UID, PS3.4), so it is implied like SOP Class UID. Not for message datasets, nor for IODs built on a base type.
        /// </summary>
        private AttributeModel? ImpliedSopInstanceUid(JsonNode root, List<AttributeModel> attributes)
        {
            if ((root.GetString("dimse") ?? "").Length > 0 || (root.GetString("baseTypeName") ?? "").Length > 0) return null;
            if (attributes.Any(a => a.Tag == 0x00080018u && a.PrivateCreator.Length == 0)) return null;
            return new AttributeModel("SOP Instance UID", _keywords.Lookup(0x00080018u) ?? "SOPInstanceUID", 0x00080018u, "", "UI", "1", "1", "", "",
                "Not listed by the statement; implied: every composite instance has a SOP Instance UID (PS3.3 C.12.1).", "", EquatableArray<string>.Empty, "", "",
                "", 0, 0, "SOP Common Module (implied, PS3.3 C.12.1)", EquatableArray<AttributeModel>.Empty);
        }

        /// <summary>
        /// The Type 1 and 2 attributes of a conditional (C) or user-optional (U) module are required only when the module
        /// is present (PS3.3 C.1.2): they become 1C/2C, written when set, so that an instance without the module does not
        /// carry an empty or half-filled module (e.g. a Multi-energy CT Image module on a single-energy image).
        /// </summary>
        /// <summary>A Type 2/2C sequence row the standard has as Type 1 or 3 is not sent empty: it becomes Type 3 (see <see cref="StandardSequences"/>).</summary>
        private static AttributeModel EmptySequenceRule(AttributeModel model, string moduleName, bool topLevel)
        {
            if (model.VR != "SQ" || (model.Type != "2" && model.Type != "2C") || model.PrivateCreator.Length > 0) return model;
            if (StandardSequences.MayBeEmpty(moduleName, model.Tag, topLevel)) return model;
            return model with { Type = "3", Comment = (model.Comment.Length > 0 ? model.Comment + " " : "") + "(Vendor " + (model.PresenceWord.Length > 0 ? model.PresenceWord : "Type " + model.Type) + "; not sent empty: the standard has no Type 2 for this sequence.)" };
        }

        private static AttributeModel ConditionalByModule(AttributeModel model, string moduleName, string usage)
        {
            if ((usage != "C" && usage != "U") || (model.Type != "1" && model.Type != "2")) return model;
            string text = model.ConditionText.Length > 0 ? model.ConditionText : "required when the " + moduleName + " module (usage " + usage + ") is present";
            return model with { Type = model.Type + "C", ConditionText = text };
        }

        private AttributeModel? ParseAttribute(JsonNode a, string module)
        {
            if (a.Kind != JsonKind.Object)
            {
                Error("DTG002", "An attribute must be a JSON object", a.Line, a.Column);
                return null;
            }
            string name = a.GetString("name") ?? "";
            string tagText = a.GetString("tag") ?? "";
            var tagNode = a["tag"] ?? a;
            string creator = a.GetString("privateCreator") ?? "";
            if (!TryParseTag(tagText, out uint tag, out bool privateWildcard))
            {
                Error("DTG004", "Attribute '" + name + "' has an invalid tag '" + tagText + "'", tagNode.Line, tagNode.Column);
                return null;
            }
            bool isPrivate = ((tag >> 16) & 1) == 1 && (tag >> 16) > 0x0007;
            uint element = tag & 0xFFFF;
            if ((tag >> 16) == 0x0002) return null; // File Meta Information is written by DicomFile, not by the IOD
            if (isPrivate && element <= 0x00FF && (privateWildcard || element >= 0x0010))
            {
                return null; // a Private Creator Data Element: written by the private accessors when they reserve a block
            }
            if (isPrivate && element >= 0x0100)
            {
                // "gggg,xxyy" (block-independent) or a block-specific element: keep the element byte, canonical block 0x10
                tag = (tag & 0xFFFF0000u) | 0x1000u | (element & 0xFFu);
            }
            if (isPrivate && creator.Length == 0)
            {
                Warning("DTG008", "Private attribute '" + name + "' " + FormatTag(tag) + " has no private creator; it is not generated", tagNode.Line, tagNode.Column);
                return null;
            }
            _ = privateWildcard;
            string vrText = a.GetString("vr") ?? "";
            var vrNode = a["vr"] ?? a;
            // "US/SS", "OB or OW": alternatives chosen by the data (Pixel Representation, transfer syntax); the first is used for the property type.
            var alternatives = vrText.Replace(" or ", "/").Split('/').Select(v => v.Trim()).Where(v => v.Length > 0).ToArray();
            string vr = alternatives.Length > 0 && alternatives.All(KnownVRs.Contains) ? (alternatives.Contains("OW") ? "OW" : alternatives[0]) : vrText;
            if (!KnownVRs.Contains(vr))
            {
                Error("DTG005", "Attribute '" + name + "' " + FormatTag(tag) + " has an invalid VR '" + vrText + "'", vrNode.Line, vrNode.Column);
                return null;
            }
            var presence = a["presence"];
            string type = presence?.GetString("type") ?? "3";
            if (type.Length == 0)
            {
                // rows whose presence word was corrected by an erratum: the statements' legend maps the word to a type
                switch (presence?.GetString("word"))
                {
                    case "ALWAYS": type = "1"; break;
                    case "VNAP": case "EMPTY": type = "2"; break;
                    case "ANAP": case "ANAPCV": type = "3"; break;
                }
            }
            if (!KnownTypes.Contains(type))
            {
                Error("DTG006", "Attribute '" + name + "' has an invalid type '" + type + "'", (presence ?? a).Line, (presence ?? a).Column);
                type = "3";
            }
            string vm = a.GetString("vm") ?? "1";
            var sources = new List<string>();
            var src = a["source"];
            if (src?.Items != null) foreach (var s in src.Items) if (s.Text != null) sources.Add(s.Text);
            var value = a["value"];
            string kind = value?.GetString("kind") ?? "";
            var values = new List<string>();
            if (value?["values"]?.Items is List<JsonNode> vs) foreach (var v in vs) if (v.Text != null) values.Add(v.Text);
            var cond = a["condition"];
            string conditionJson = "";
            if (cond != null)
            {
                conditionJson = ConditionCompiler.Validate(cond, out string? problem);
                if (problem != null) Error("DTG007", "Attribute '" + name + "': invalid condition: " + problem, cond.Line, cond.Column);
            }
            // a row with a condition is conditional whatever its presence word says (e.g. Laterality "EMPTY, only if the
            // body part is paired" is the standard's 2C): written when its condition holds or when set, never blindly empty
            if (conditionJson.Length > 0 && (type == "1" || type == "2")) type += "C";
            var prov = a["provenance"];
            int first = 0, last = 0;
            if (prov?["lines"]?.Items is List<JsonNode> lines && lines.Count > 0)
            {
                int.TryParse(lines[0].Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out first);
                int.TryParse(lines[lines.Count - 1].Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out last);
            }
            string table = (prov?.GetString("table") ?? "") + (prov?.GetString("title") is string title ? " \"" + title + "\"" : "");
            var items = new List<AttributeModel>();
            var itemsNode = a["items"];
            if (itemsNode?.Items is { Count: > 0 })
            {
                if (vr != "SQ") Error("DTG005", "Attribute '" + name + "' has items but VR " + vr, itemsNode.Line, itemsNode.Column);
                foreach (var child in itemsNode.Items)
                {
                    var c = ParseAttribute(child, module);
                    if (c == null) continue;
                    c = EmptySequenceRule(c, module, topLevel: false);
                    int existing = items.FindIndex(x => x.PropertyName == c.PropertyName);
                    if (existing >= 0)
                    {
                        // repeated rows of one item (statements print shared macros twice): one member, the strictest type
                        if (items[existing].VR != c.VR || items[existing].Tag != c.Tag)
                            Warning("DTG003", "Item attribute " + c.Name + " " + FormatTag(c.Tag) + " " + c.VR + " conflicts with an earlier row in " + name + "; the first is used", child.Line, child.Column);
                        else if (Rank(c.Type) < Rank(items[existing].Type)) items[existing] = items[existing] with { Type = c.Type, PresenceWord = c.PresenceWord };
                        continue;
                    }
                    items.Add(c);
                }
            }
            if (vr == "SQ" && items.Count == 0 && kind == "code" && value?["codes"]?.Items is { Count: > 0 } codes)
            {
                items.AddRange(CodeItemMembers(codes, presence?.GetString("word") ?? "", string.Join(", ", sources), prov, first, last, table));
            }
            string property = isPrivate ? Pascal(creator) + "_" + Pascal(name) : _keywords.Lookup(tag) ?? Pascal(name);
            if (property.Length == 0 || !IsIdentifier(property)) property = "Attribute" + tag.ToString("X8", CultureInfo.InvariantCulture);
            return new AttributeModel(name, property, tag, creator, vr, vm, type, presence?.GetString("word") ?? "", string.Join(", ", sources),
                a.GetString("comment") ?? "", kind, new EquatableArray<string>(values), conditionJson, a.GetString("conditionText") ?? "",
                prov?.GetString("file") is string pf ? DeviceFolder(_path) + pf : "", first, last, table, new EquatableArray<AttributeModel>(items));
        }

        /// <summary>
        /// A code sequence printed with its code in the value cell and no item rows ("Registration Type Code Sequence …
        /// (125021, DCM, “Frame of Reference Identity”)", syngo L8539): its item is the Basic Code Sequence Macro (PS3.3 Table
        /// 8.8-1), Code Value, Coding Scheme Designator and Code Meaning, Type 1 like the row. They are not fixed to the printed
        /// code: statements print one code per item of a repeated sequence (the syngo Registration Sequence's two items carry
        /// 125021 and 125025), so the code is named in the members' comment.
        /// </summary>
        private IEnumerable<AttributeModel> CodeItemMembers(List<JsonNode> codes, string word, string sources, JsonNode? prov, int first, int last, string table)
        {
            string printed = string.Join("; ", codes.Select(c => "(" + c.GetString("value") + ", " + c.GetString("scheme") + ", \"" + c.GetString("meaning") + "\")"));
            string file = prov?.GetString("file") is string pf ? DeviceFolder(_path) + pf : "";
            foreach (var (tag, member, memberVr) in new[] { (0x00080100u, "Code Value", "SH"), (0x00080102u, "Coding Scheme Designator", "SH"), (0x00080104u, "Code Meaning", "LO") })
            {
                yield return new AttributeModel(member, _keywords.Lookup(tag) ?? Pascal(member), tag, "", memberVr, "1", "1", word, sources,
                    "Code Sequence Macro member (not printed); the statement's value cell gives " + printed + ".", "", new EquatableArray<string>(new List<string>()), "", "",
                    file, first, last, table, new EquatableArray<AttributeModel>(new List<AttributeModel>()));
            }
        }

        private static int Rank(string type) => type switch { "1" => 0, "1C" => 1, "2" => 2, "2C" => 3, _ => 4 };

        internal static bool TryParseTag(string text, out uint tag, out bool privateWildcard)
        {
            tag = 0;
            privateWildcard = false;
            var sb = new StringBuilder();
            foreach (char c in text)
            {
                if (c == '(' || c == ')' || c == ',' || c == ' ') continue;
                sb.Append(c);
            }
            // "gggg,xxee": a private element in whatever block its creator reserved — canonical block 0x10, so that it is
            // not mistaken for a Private Creator element "gggg,00xx" (whose wildcard is the low byte)
            if (sb.Length == 8 && (sb[4] == 'x' || sb[4] == 'X') && (sb[5] == 'x' || sb[5] == 'X'))
            {
                sb[4] = '1';
                sb[5] = '0';
                privateWildcard = true;
            }
            for (int i = 0; i < sb.Length; i++)
            {
                if (sb[i] == 'x' || sb[i] == 'X') { sb[i] = '0'; privateWildcard = true; }
            }
            return sb.Length == 8 && uint.TryParse(sb.ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out tag);
        }

        internal static string FormatTag(uint tag) => "(" + (tag >> 16).ToString("X4", CultureInfo.InvariantCulture) + "," + (tag & 0xFFFF).ToString("X4", CultureInfo.InvariantCulture) + ")";

        private static string FileName(string path)
        {
            string p = path.Replace('\\', '/');
            int i = p.LastIndexOf("/definitions/", StringComparison.Ordinal);
            return i >= 0 ? p.Substring(i + 1) : p.Substring(p.LastIndexOf('/') + 1);
        }

        /// <summary>"…/definitions/dev/iods/X.json" → "dev/".</summary>
        private static string DeviceFolder(string path)
        {
            string p = path.Replace('\\', '/');
            int iods = p.LastIndexOf("/iods/", StringComparison.Ordinal);
            if (iods < 0) return "";
            int start = p.LastIndexOf('/', iods - 1);
            return p.Substring(start + 1, iods - start - 1) + "/";
        }

        internal static string Namespace(string device) => "Dicom.Typed.Devices." + Pascal(device);

        internal static bool IsIdentifier(string s)
        {
            if (s.Length == 0 || !(char.IsLetter(s[0]) || s[0] == '_')) return false;
            foreach (char c in s) if (!(char.IsLetterOrDigit(c) || c == '_')) return false;
            return true;
        }

        /// <summary>"Patient's Name" → "PatientsName"; "philips-smartct-r1.3" → "PhilipsSmartctR13".</summary>
        internal static string Pascal(string text)
        {
            var sb = new StringBuilder();
            bool upper = true;
            foreach (char c in text)
            {
                if (char.IsLetterOrDigit(c) && c < 128)
                {
                    sb.Append(upper ? char.ToUpperInvariant(c) : c);
                    upper = false;
                }
                else if (c != '\'')
                {
                    upper = true;
                }
            }
            if (sb.Length > 0 && char.IsDigit(sb[0])) sb.Insert(0, '_');
            return sb.ToString();
        }
    }

    /// <summary>Keywords of the standard data dictionary by tag (from attributes.json), for property names.</summary>
    internal sealed class KeywordTable : IEquatable<KeywordTable>
    {
        private readonly Dictionary<uint, string> _map;
        private readonly string _source;

        public KeywordTable(Dictionary<uint, string> map, string source)
        {
            _map = map;
            _source = source;
        }

        public static KeywordTable Empty { get; } = new KeywordTable(new Dictionary<uint, string>(), "");

        public string? Lookup(uint tag) => _map.TryGetValue(tag, out var k) ? k : null;

        public static KeywordTable FromAttributesJson(string text)
        {
            var map = new Dictionary<uint, string>();
            try
            {
                var root = JsonLite.Parse(text);
                if (root.Items != null)
                {
                    foreach (var n in root.Items)
                    {
                        string? kw = n.GetString("keyword");
                        string? id = n.GetString("id");
                        if (string.IsNullOrEmpty(kw) || id == null || id.IndexOf('x') >= 0) continue;
                        if (uint.TryParse(id, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint tag)) map[tag] = kw!;
                    }
                }
            }
            catch (JsonLiteException)
            {
                // the core's standard generator reports a malformed attributes.json
            }
            return new KeywordTable(map, text);
        }

        public bool Equals(KeywordTable? other) => other != null && (ReferenceEquals(other._source, _source) || string.Equals(other._source, _source, StringComparison.Ordinal));

        public override bool Equals(object? obj) => Equals(obj as KeywordTable);

        public override int GetHashCode() => _source.Length;
    }
}
