using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Dicom.Typed.Generators.Json;
using Dicom.Typed.Generators.Model;

namespace Dicom.Typed.Generators.Parsing
{
    /// <summary>
    /// Parses one message definition (<c>definitions/&lt;device&gt;/messages/*.json</c>): the attribute tree is parsed by
    /// <see cref="IodParser"/> (same tags, VRs, presence mapping, diagnostics); the message semantics (DIMSE, query keys with
    /// their matching and key usage words, Q/R levels) are added here.
    /// </summary>
    internal static class MessageParser
    {
        public static MessageParseResult Parse(string path, string text, KeywordTable keywords, IEnumerable<Erratum>? errata = null)
        {
            var diagnostics = new List<DiagnosticInfo>();
            JsonNode root;
            try
            {
                root = JsonLite.Parse(text);
                // the device's errata correct message rows like IOD rows (IodParser below reports their DTG010 warnings)
                if (errata != null) ErrataApplier.Apply(root, errata, (_, _) => { });
            }
            catch (JsonLiteException e)
            {
                diagnostics.Add(new DiagnosticInfo("DTG001", "Malformed JSON: " + e.Reason, path, e.Line, e.Column, true));
                return new MessageParseResult(null, new EquatableArray<DiagnosticInfo>(diagnostics));
            }
            string dimse = root.Kind == JsonKind.Object ? root.GetString("dimse") ?? "" : "";
            if (root.Kind == JsonKind.Object && dimse.Length == 0)
            {
                var n = root["dimse"] ?? root;
                diagnostics.Add(new DiagnosticInfo("DTG011", "A message definition needs a 'dimse' string (e.g. \"C-FIND-RQ identifier\", \"N-CREATE-RQ\")", path, n.Line, n.Column, true));
            }
            bool isQuery = dimse.IndexOf("C-FIND", StringComparison.Ordinal) >= 0 || dimse.IndexOf("C-MOVE", StringComparison.Ordinal) >= 0 || dimse.IndexOf("C-GET", StringComparison.Ordinal) >= 0;

            var parsed = IodParser.Parse(path, text, keywords, errata);
            foreach (var d in parsed.Diagnostics)
            {
                // a query key's column word (R, O, M) is not an attribute type: every key is optional
                if (isQuery && d.Id == "DTG006") continue;
                diagnostics.Add(d);
            }
            if (parsed.Iod == null || dimse.Length == 0 || diagnostics.Any(d => d.IsError))
                return new MessageParseResult(null, new EquatableArray<DiagnosticInfo>(diagnostics));

            var keys = new Dictionary<string, (string Matching, string Usage, List<string> Levels)>(StringComparer.Ordinal);
            if (root["modules"]?.Items is List<JsonNode> modules)
            {
                foreach (var m in modules)
                {
                    string module = m.GetString("name") ?? "";
                    string level = module.IndexOf("level", StringComparison.OrdinalIgnoreCase) >= 0 ? module : "";
                    if (m["attributes"]?.Items is List<JsonNode> attrs) CollectKeys(attrs, "", level, keys);
                }
            }

            string folder = DeviceFolder(path);
            var body = parsed.Iod with { Attributes = Normalize(parsed.Iod.Attributes, isQuery, folder) };
            bool isQr = body.SopClassUid.StartsWith("1.2.840.10008.5.1.4.1.2.", StringComparison.Ordinal);
            var infos = keys.OrderBy(k => k.Key, StringComparer.Ordinal)
                .Select(k => new MessageKeyInfo(k.Key, k.Value.Matching, k.Value.Usage, string.Join(", ", k.Value.Levels)))
                .ToList();
            return new MessageParseResult(new MessageModel(body, dimse, isQuery, isQr, new EquatableArray<MessageKeyInfo>(infos)), new EquatableArray<DiagnosticInfo>(diagnostics));
        }

        private static void CollectKeys(List<JsonNode> attrs, string prefix, string level, Dictionary<string, (string Matching, string Usage, List<string> Levels)> keys)
        {
            foreach (var a in attrs)
            {
                if (a.Kind != JsonKind.Object) continue;
                if (!IodParser.TryParseTag(a.GetString("tag") ?? "", out uint tag, out _)) continue;
                string path = prefix + tag.ToString("X8", CultureInfo.InvariantCulture);
                string matching = a.GetString("matching") ?? "";
                var usage = new List<string>();
                if (a["keyUsage"]?.Items is List<JsonNode> u) foreach (var x in u) if (x.Text != null) usage.Add(x.Text);
                if (keys.TryGetValue(path, out var existing))
                {
                    // a key listed at several levels: the first level's words, every level listed
                    if (level.Length > 0 && !existing.Levels.Contains(level)) existing.Levels.Add(level);
                    if (existing.Matching.Length == 0 && matching.Length > 0) keys[path] = (matching, existing.Usage, existing.Levels);
                }
                else
                {
                    keys[path] = (matching, string.Join(", ", usage), level.Length > 0 ? new List<string> { level } : new List<string>());
                }
                if (a["items"]?.Items is List<JsonNode> items) CollectKeys(items, path + "/", level, keys);
            }
        }

        private static EquatableArray<AttributeModel> Normalize(EquatableArray<AttributeModel> attrs, bool isQuery, string folder)
        {
            var list = new List<AttributeModel>();
            foreach (var a in attrs)
            {
                var b = a;
                if (isQuery) b = b with { Type = "3" };
                // "fixed" prose ("N.A.", "Automatically created", "Actual start date") describes the value, it is not a literal
                if (b.ValueKind == "fixed" && b.Values.Any(v => v == "N.A." || v.Any(char.IsLower))) b = b with { ValueKind = "text" };
                // "One or more items" on a sequence is item-count prose the extraction read as enumerated values
                if (b.VR == "SQ" && b.ValueKind.Length > 0) b = b with { ValueKind = "text" };
                if (b.Provenance.Length > 0 && b.Provenance.IndexOf('/') < 0) b = b with { Provenance = folder + b.Provenance };
                if (b.Items.Count > 0) b = b with { Items = Normalize(b.Items, isQuery, folder) };
                list.Add(b);
            }
            return new EquatableArray<AttributeModel>(list);
        }

        /// <summary>"…/definitions/dev/messages/X.json" → "dev/".</summary>
        private static string DeviceFolder(string path)
        {
            string p = path.Replace('\\', '/');
            int i = p.LastIndexOf("/messages/", StringComparison.Ordinal);
            if (i < 0) return "";
            int start = p.LastIndexOf('/', i - 1);
            return p.Substring(start + 1, i - start - 1) + "/";
        }
    }
}
