using System;
using System.Collections.Generic;
using System.Globalization;
using Dicom.Typed.Generators.Json;

namespace Dicom.Typed.Analyzers
{
    /// <summary>What an object initializer statically says about one attribute.</summary>
    internal sealed class StaticValue
    {
        /// <summary>True: present; false: absent; null: unknown.</summary>
        public bool? Present { get; set; }

        /// <summary>The constant values when known (multi-values as separate entries).</summary>
        public List<string>? Values { get; set; }
    }

    /// <summary>Three-valued evaluation of the definitions' condition language over constants of one initializer.</summary>
    internal static class ConditionEvaluator
    {
        private static readonly string[] ListKeys = { "args", "operands", "conditions", "terms" };

        /// <summary>Evaluates a condition; null when it cannot be decided statically.</summary>
        public static bool? Evaluate(string json, Func<uint, StaticValue?> lookup)
        {
            try
            {
                return Eval(JsonLite.Parse(json), lookup);
            }
            catch (JsonLiteException)
            {
                return null;
            }
        }

        private static bool? Eval(JsonNode n, Func<uint, StaticValue?> lookup)
        {
            string? op = n.GetString("op");
            switch (op)
            {
                case "present":
                case "absent":
                {
                    var v = Resolve(n.GetString("path"), lookup);
                    if (v?.Present == null) return null;
                    return op == "present" ? v.Present : !v.Present;
                }
                case "equals":
                case "in":
                {
                    var v = Resolve(n.GetString("path"), lookup);
                    if (v?.Present == null) return null;
                    if (v.Present == false) return false;
                    if (v.Values == null) return null;
                    var wanted = new List<string>();
                    if (op == "equals")
                    {
                        var value = n["value"];
                        if (value == null) return null;
                        wanted.Add(value.Text ?? "");
                    }
                    else
                    {
                        var items = n["values"]?.Items;
                        if (items == null) return null;
                        foreach (var i in items) wanted.Add(i.Text ?? "");
                    }
                    foreach (var actual in v.Values)
                    {
                        foreach (var w in wanted)
                        {
                            if (Same(actual, w)) return true;
                        }
                    }
                    return false;
                }
                case "and":
                case "or":
                {
                    var list = Operands(n);
                    if (list == null) return null;
                    bool unknown = false;
                    foreach (var c in list)
                    {
                        var r = Eval(c, lookup);
                        if (r == null) unknown = true;
                        else if (op == "and" && r == false) return false;
                        else if (op == "or" && r == true) return true;
                    }
                    return unknown ? (bool?)null : op == "and";
                }
                case "not":
                {
                    JsonNode? inner = n["condition"];
                    if (inner == null)
                    {
                        var l = Operands(n);
                        if (l != null && l.Count > 0) inner = l[0];
                    }
                    if (inner == null) return null;
                    var r = Eval(inner, lookup);
                    return r == null ? null : !r;
                }
                default:
                    return null;
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

        private static StaticValue? Resolve(string? path, Func<uint, StaticValue?> lookup)
        {
            if (path == null || path.Length != 9 || path[4] != ',') return null;
            if (!uint.TryParse(path.Substring(0, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint g)) return null;
            if (!uint.TryParse(path.Substring(5, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint e)) return null;
            return lookup((g << 16) | e);
        }

        internal static bool Same(string a, string b)
        {
            a = a.Trim();
            b = b.Trim();
            if (string.Equals(a, b, StringComparison.Ordinal)) return true;
            return decimal.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                && decimal.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y)
                && x == y;
        }
    }
}
