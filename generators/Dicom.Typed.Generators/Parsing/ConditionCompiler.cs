using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Dicom.Typed.Generators.Json;

namespace Dicom.Typed.Generators.Parsing
{
    /// <summary>
    /// The condition language of the definitions (present, absent, equals, in, and, or, not, unmapped) validated at
    /// parse time and compiled into C# predicates over the data set (calls to Dicom.Typed.Iod.IodConditions).
    /// </summary>
    internal static class ConditionCompiler
    {
        private static readonly string[] ListKeys = { "args", "operands", "conditions", "terms" };

        /// <summary>Validates a condition node; returns its canonical JSON, and a problem description when invalid.</summary>
        public static string Validate(JsonNode node, out string? problem)
        {
            problem = Check(node);
            return Canonical(node);
        }

        private static string? Check(JsonNode node)
        {
            if (node.Kind != JsonKind.Object) return "a condition must be an object";
            string? op = node.GetString("op");
            switch (op)
            {
                case "present":
                case "absent":
                    return node.GetString("path") == null ? "'" + op + "' needs a 'path'" : null;
                case "equals":
                    return node.GetString("path") == null || node["value"] == null ? "'equals' needs 'path' and 'value'" : null;
                case "in":
                    return node.GetString("path") == null || node["values"]?.Items == null ? "'in' needs 'path' and 'values'" : null;
                case "and":
                case "or":
                {
                    var list = Operands(node);
                    if (list == null || list.Count == 0) return "'" + op + "' needs a list of conditions";
                    foreach (var c in list)
                    {
                        var p = Check(c);
                        if (p != null) return p;
                    }
                    return null;
                }
                case "not":
                {
                    var inner = node["condition"] ?? Operands(node)?.FirstOrDefault();
                    return inner == null ? "'not' needs a condition" : Check(inner);
                }
                case "unmapped":
                    return null;
                case null:
                    return "missing 'op'";
                default:
                    return "unknown operator '" + op + "'";
            }
        }

        private static List<JsonNode>? Operands(JsonNode node)
        {
            foreach (var k in ListKeys)
            {
                if (node[k]?.Items is List<JsonNode> l) return l;
            }
            return null;
        }

        private static string Canonical(JsonNode n)
        {
            var sb = new StringBuilder();
            Write(sb, n);
            return sb.ToString();
        }

        private static void Write(StringBuilder sb, JsonNode n)
        {
            switch (n.Kind)
            {
                case JsonKind.Object:
                    sb.Append('{');
                    bool first = true;
                    foreach (var p in n.Properties!.OrderBy(p => p.Key, StringComparer.Ordinal))
                    {
                        if (!first) sb.Append(',');
                        first = false;
                        sb.Append(Quote(p.Key)).Append(':');
                        Write(sb, p.Value);
                    }
                    sb.Append('}');
                    break;
                case JsonKind.Array:
                    sb.Append('[');
                    for (int i = 0; i < n.Items!.Count; i++)
                    {
                        if (i > 0) sb.Append(',');
                        Write(sb, n.Items[i]);
                    }
                    sb.Append(']');
                    break;
                case JsonKind.String: sb.Append(Quote(n.Text!)); break;
                case JsonKind.Null: sb.Append("null"); break;
                default: sb.Append(n.Text); break;
            }
        }

        internal static string Quote(string s)
        {
            var sb = new StringBuilder("\"");
            foreach (char c in s)
            {
                if (c == '"' || c == '\\') sb.Append('\\').Append(c);
                else if (c < 0x20 || c > 0x7E) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                else sb.Append(c);
            }
            return sb.Append('"').ToString();
        }

        /// <summary>Compiles canonical condition JSON into a C# boolean expression, or null when the condition is not machine-checkable.</summary>
        public static string? Compile(string conditionJson, string dataset, string variant)
        {
            if (conditionJson.Length == 0) return null;
            try
            {
                return Compile(JsonLite.Parse(conditionJson), dataset, variant);
            }
            catch (JsonLiteException)
            {
                return null;
            }
        }

        private static string? Compile(JsonNode n, string ds, string variant)
        {
            string? op = n.GetString("op");
            string path = n.GetString("path") ?? "";
            string Subject() => path == "$variant" ? variant : "global::Dicom.Typed.Iod.IodConditions.Value(" + ds + ", " + Quote(path) + ")";
            switch (op)
            {
                case "present":
                    return path == "$variant" ? variant + " != null" : "global::Dicom.Typed.Iod.IodConditions.Present(" + ds + ", " + Quote(path) + ")";
                case "absent":
                    return path == "$variant" ? variant + " == null" : "!global::Dicom.Typed.Iod.IodConditions.Present(" + ds + ", " + Quote(path) + ")";
                case "equals":
                    return "(" + Subject() + " == " + Quote(n["value"]!.Text ?? "") + ")";
                case "in":
                    return "global::System.Array.IndexOf(new string?[] { " + string.Join(", ", n["values"]!.Items!.Select(v => Quote(v.Text ?? ""))) + " }, " + Subject() + ") >= 0";
                case "and":
                case "or":
                {
                    var parts = Operands(n)!.Select(c => Compile(c, ds, variant)).ToList();
                    if (parts.Any(p => p == null)) return null;
                    return "(" + string.Join(op == "and" ? " && " : " || ", parts) + ")";
                }
                case "not":
                {
                    var inner = Compile(n["condition"] ?? Operands(n)!.First(), ds, variant);
                    return inner == null ? null : "!(" + inner + ")";
                }
                default:
                    return null;
            }
        }
    }
}
