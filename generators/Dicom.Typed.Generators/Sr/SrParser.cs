using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Dicom.Typed.Generators.Json;
using Dicom.Typed.Generators.Model;
using Dicom.Typed.Generators.Parsing;

namespace Dicom.Typed.Generators.Sr
{
    /// <summary>
    /// Reads <c>sr-templates.json</c> and applies <c>sr-errata.json</c> with the semantics of
    /// <c>Dicom.Typed.Definitions.SrErrataApplier</c>: an erratum addresses a row by table and first line, its <c>from</c> must
    /// equal the extracted value, else it is reported (DTG020) and not applied. Codes are written <c>(value, scheme, "meaning")</c>.
    /// </summary>
    internal static class SrParser
    {
        private static readonly Regex CodeText = new Regex("^\\(\\s*([^,]+?)\\s*,\\s*([^,]+?)\\s*,\\s*\"(.*)\"\\s*\\)$", RegexOptions.CultureInvariant);

        /// <summary>Parses a code in the notation <c>(value, scheme, "meaning")</c>.</summary>
        internal static SrCode? ParseCode(string? text)
        {
            if (text == null) return null;
            var m = CodeText.Match(text.Trim());
            return m.Success ? new SrCode(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value) : null;
        }

        internal static string FormatCode(SrCode? c) => c == null ? "" : "(" + c.Value + ", " + c.Scheme + ", \"" + c.Meaning + "\")";

        private sealed class MutableRow
        {
            public int Level = -1;
            public string Relationship = "", ValueType = "", ConceptText = "", IncludedTid = "", Vm = "", Presence = "", Constraint = "", Resolution = "", Table = "";
            public SrCode? Concept, Units, Value;
            public int First, Last;
            public MutableTemplate Template = null!;
        }

        private sealed class MutableTemplate
        {
            public string Tid = "", Name = "", Table = "";
            public int First;
            public List<MutableRow> Rows = new List<MutableRow>();
        }

        public static SrDeviceModel Parse(string path, string text, string? errataPath, string? errataText)
        {
            var diags = new List<DiagnosticInfo>();
            var templates = new List<MutableTemplate>();
            string device = "", root = "";
            try
            {
                var doc = JsonLite.Parse(text);
                device = doc.GetString("device") ?? "";
                root = doc.GetString("root") ?? "";
                if (device.Length == 0) diags.Add(new DiagnosticInfo("DTG021", "sr-templates.json has no 'device'", path, doc.Line, doc.Column, true));
                var list = doc["templates"];
                if (list == null || list.Kind != JsonKind.Array) diags.Add(new DiagnosticInfo("DTG021", "sr-templates.json has no 'templates' array", path, doc.Line, doc.Column, true));
                else
                {
                    foreach (var t in list.Items!)
                    {
                        var mt = new MutableTemplate { Tid = t.GetString("tid") ?? "", Name = t.GetString("name") ?? "" };
                        var tp = t["provenance"];
                        mt.Table = tp?.GetString("table") ?? "";
                        mt.First = FirstLine(tp);
                        if (mt.Tid.Length == 0) diags.Add(new DiagnosticInfo("DTG021", "template without 'tid'", path, t.Line, t.Column, true));
                        var rows = t["rows"];
                        if (rows?.Items != null)
                        {
                            foreach (var r in rows.Items)
                            {
                                var p = r["provenance"];
                                var row = new MutableRow
                                {
                                    Template = mt,
                                    Relationship = r.GetString("relationshipType") ?? "",
                                    ValueType = r.GetString("valueType") ?? "",
                                    ConceptText = r.GetString("conceptText") ?? "",
                                    IncludedTid = r.GetString("includedTemplate") ?? "",
                                    Vm = r.GetString("vm") ?? "",
                                    Presence = r.GetString("presence") ?? "",
                                    Constraint = r.GetString("constraint") ?? "",
                                    Resolution = r.GetString("resolution") ?? "",
                                    Concept = Code(r["concept"]),
                                    Units = Code(r["units"]),
                                    Value = Code(r["value"]),
                                    Table = p?.GetString("table") ?? mt.Table,
                                    First = FirstLine(p),
                                    Last = LastLine(p),
                                };
                                var nl = r["nestingLevel"];
                                if (nl != null && nl.Kind == JsonKind.Number && int.TryParse(nl.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int level)) row.Level = level;
                                if (p == null) diags.Add(new DiagnosticInfo("DTG021", "row '" + row.ConceptText + "' has no provenance", path, r.Line, r.Column, true));
                                mt.Rows.Add(row);
                            }
                        }
                        templates.Add(mt);
                    }
                }
            }
            catch (JsonLiteException e)
            {
                diags.Add(new DiagnosticInfo("DTG001", "Malformed JSON: " + e.Reason, path, e.Line, e.Column, true));
            }

            var iodTemplates = new List<SrIodTemplate>();
            if (errataPath != null && errataText != null) ApplyErrata(errataPath, errataText, templates, iodTemplates, diags);

            var models = templates.Select(t => new SrTemplateModel(t.Tid, t.Name, t.Table, t.First, new EquatableArray<SrRowModel>(t.Rows.Select(r =>
                new SrRowModel(r.Level, r.Relationship, r.ValueType, r.ConceptText, r.Concept, r.Units, r.Value, r.IncludedTid, r.Vm, r.Presence, r.Constraint, r.Resolution, r.Table, r.First, r.Last))))).ToList();
            return new SrDeviceModel(device, device.Length > 0 ? IodParser.Namespace(device) + ".Sr" : "", path, root,
                new EquatableArray<SrTemplateModel>(models), new EquatableArray<SrIodTemplate>(iodTemplates), new EquatableArray<DiagnosticInfo>(diags));
        }

        private static int FirstLine(JsonNode? p) => p?["lines"]?.Items is { Count: > 0 } l && int.TryParse(l[0].Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : 0;

        private static int LastLine(JsonNode? p) => p?["lines"]?.Items is { Count: > 1 } l && int.TryParse(l[1].Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : FirstLine(p);

        private static SrCode? Code(JsonNode? n) =>
            n == null || n.Kind != JsonKind.Object ? null : new SrCode(n.GetString("value") ?? "", n.GetString("scheme") ?? "", n.GetString("meaning") ?? "");

        private static void ApplyErrata(string path, string text, List<MutableTemplate> templates, List<SrIodTemplate> iodTemplates, List<DiagnosticInfo> diags)
        {
            JsonNode doc;
            try { doc = JsonLite.Parse(text); }
            catch (JsonLiteException e)
            {
                diags.Add(new DiagnosticInfo("DTG001", "Malformed JSON: " + e.Reason, path, e.Line, e.Column, true));
                return;
            }
            if (doc["iodTemplates"]?.Items is { } iods)
            {
                foreach (var i in iods)
                {
                    string iod = i.GetString("iod") ?? "", tid = i.GetString("tid") ?? "";
                    if (iod.Length == 0 || tid.Length == 0 || (i.GetString("reason") ?? "").Length < 5)
                        diags.Add(new DiagnosticInfo("DTG020", "iodTemplates entry needs 'iod', 'tid' and a 'reason'", path, i.Line, i.Column, true));
                    else iodTemplates.Add(new SrIodTemplate(iod, tid));
                }
            }
            if (doc["errata"]?.Items is not { } errata) return;
            foreach (var e in errata)
            {
                string table = e.GetString("table") ?? "", field = e.GetString("field") ?? "";
                string? from = e.GetString("from"), to = e.GetString("to");
                int line = int.TryParse(e["line"]?.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int l) ? l : 0;
                void Problem(string message) => diags.Add(new DiagnosticInfo("DTG020", table + " L" + line.ToString(CultureInfo.InvariantCulture) + " " + field + ": " + message, path, e.Line, e.Column, true));
                if ((e.GetString("reason") ?? "").Length < 5) { Problem("erratum without a reason"); continue; }
                var row = templates.SelectMany(t => t.Rows).FirstOrDefault(r => r.Table == table && r.First == line);
                if (row == null) { Problem("no SR row starts at this line"); continue; }
                string? current;
                switch (field)
                {
                    case "nestingLevel": current = row.Level < 0 ? null : row.Level.ToString(CultureInfo.InvariantCulture); break;
                    case "relationshipType": current = Null(row.Relationship); break;
                    case "valueType": current = row.ValueType; break;
                    case "vm": current = row.Vm; break;
                    case "presence": current = Null(row.Presence); break;
                    case "constraint": current = Null(row.Constraint); break;
                    case "concept": current = Null(FormatCode(row.Concept)); break;
                    case "units": current = Null(FormatCode(row.Units)); break;
                    case "value": current = Null(FormatCode(row.Value)); break;
                    case "includedTemplate": current = Null(row.IncludedTid); break;
                    case "tid": current = row.Template.Tid; break;
                    default: Problem("unknown field"); continue;
                }
                if (!string.Equals(current, from, StringComparison.Ordinal)) { Problem("expected '" + from + "', row has '" + current + "'"); continue; }
                if ((field == "concept" || field == "units" || field == "value") && to != null && ParseCode(to) == null) { Problem("'" + to + "' is not a code (value, scheme, \"meaning\")"); continue; }
                switch (field)
                {
                    case "nestingLevel":
                        if (to == null) row.Level = -1;
                        else if (int.TryParse(to, NumberStyles.Integer, CultureInfo.InvariantCulture, out int nl)) row.Level = nl;
                        else Problem("'" + to + "' is not a nesting level");
                        break;
                    case "relationshipType": row.Relationship = to ?? ""; break;
                    case "valueType": row.ValueType = to ?? ""; break;
                    case "vm": row.Vm = to ?? ""; break;
                    case "presence": row.Presence = to ?? ""; break;
                    case "constraint": row.Constraint = to ?? ""; break;
                    case "concept": row.Concept = ParseCode(to); break;
                    case "units": row.Units = ParseCode(to); break;
                    case "value": row.Value = ParseCode(to); break;
                    case "includedTemplate": row.IncludedTid = to ?? ""; break;
                    case "tid": row.Template.Tid = to ?? ""; break;
                }
            }
        }

        private static string? Null(string s) => s.Length == 0 ? null : s;

        /// <summary>The device folder of a definitions file.</summary>
        internal static string FolderOf(string path) => Path.GetFileName(Path.GetDirectoryName(path) ?? "") ?? "";
    }
}
