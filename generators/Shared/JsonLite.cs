// A small JSON reader for source generators (netstandard2.0, no System.Text.Json).
// Every node keeps the 1-based line and column where it starts, so generators can report
// diagnostics that point into the JSON file.
#nullable enable
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Dicom.Typed.Generators.Json
{
    /// <summary>Kinds of JSON nodes.</summary>
    internal enum JsonKind { Null, Boolean, Number, String, Array, Object }

    /// <summary>A parsed JSON node with its position in the source text.</summary>
    internal sealed class JsonNode
    {
        public JsonNode(JsonKind kind, int line, int column)
        {
            Kind = kind;
            Line = line;
            Column = column;
        }

        public JsonKind Kind { get; }
        public int Line { get; }
        public int Column { get; }
        public string? Text { get; set; }
        public bool Boolean { get; set; }
        public List<JsonNode>? Items { get; set; }
        public List<KeyValuePair<string, JsonNode>>? Properties { get; set; }

        public JsonNode? this[string name]
        {
            get
            {
                if (Properties == null) return null;
                foreach (var p in Properties)
                {
                    if (p.Key == name) return p.Value;
                }
                return null;
            }
        }

        public string? GetString(string name)
        {
            var n = this[name];
            return n == null || n.Kind == JsonKind.Null ? null : n.Text;
        }

        public bool GetBoolean(string name, bool fallback = false)
        {
            var n = this[name];
            return n != null && n.Kind == JsonKind.Boolean ? n.Boolean : fallback;
        }
    }

    /// <summary>A JSON syntax error with its position.</summary>
    internal sealed class JsonLiteException : Exception
    {
        public JsonLiteException(string message, int line, int column)
            : base(message + " (line " + line.ToString(CultureInfo.InvariantCulture) + ", column " + column.ToString(CultureInfo.InvariantCulture) + ")")
        {
            Line = line;
            Column = column;
            Reason = message;
        }

        public int Line { get; }
        public int Column { get; }
        public string Reason { get; }
    }

    /// <summary>Recursive-descent JSON parser (RFC 8259) with positions.</summary>
    internal sealed class JsonLite
    {
        private readonly string _s;
        private int _i;
        private int _line = 1;
        private int _lineStart;
        private const int MaxDepth = 256;

        private JsonLite(string s) { _s = s; }

        public static JsonNode Parse(string text)
        {
            var p = new JsonLite(text);
            p.SkipWs();
            var node = p.ParseValue(0);
            p.SkipWs();
            if (p._i < p._s.Length) throw p.Error("Unexpected text after the JSON value");
            return node;
        }

        private int Column => _i - _lineStart + 1;

        private JsonLiteException Error(string message) => new JsonLiteException(message, _line, Column);

        private void SkipWs()
        {
            while (_i < _s.Length)
            {
                char c = _s[_i];
                if (c == '\n') { _i++; _line++; _lineStart = _i; }
                else if (c == ' ' || c == '\t' || c == '\r') _i++;
                else if (c == '\uFEFF' && _i == 0) _i++;
                else break;
            }
        }

        private JsonNode ParseValue(int depth)
        {
            if (depth > MaxDepth) throw Error("JSON nested too deeply");
            if (_i >= _s.Length) throw Error("Unexpected end of JSON");
            char c = _s[_i];
            int line = _line, col = Column;
            switch (c)
            {
                case '{': return ParseObject(depth, line, col);
                case '[': return ParseArray(depth, line, col);
                case '"': return new JsonNode(JsonKind.String, line, col) { Text = ParseString() };
                case 't': Expect("true"); return new JsonNode(JsonKind.Boolean, line, col) { Boolean = true, Text = "true" };
                case 'f': Expect("false"); return new JsonNode(JsonKind.Boolean, line, col) { Boolean = false, Text = "false" };
                case 'n': Expect("null"); return new JsonNode(JsonKind.Null, line, col);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) return new JsonNode(JsonKind.Number, line, col) { Text = ParseNumber() };
                    throw Error("Unexpected character '" + c + "'");
            }
        }

        private void Expect(string word)
        {
            if (string.CompareOrdinal(_s, _i, word, 0, word.Length) != 0) throw Error("Expected '" + word + "'");
            _i += word.Length;
        }

        private JsonNode ParseObject(int depth, int line, int col)
        {
            var node = new JsonNode(JsonKind.Object, line, col) { Properties = new List<KeyValuePair<string, JsonNode>>() };
            _i++;
            SkipWs();
            if (_i < _s.Length && _s[_i] == '}') { _i++; return node; }
            while (true)
            {
                SkipWs();
                if (_i >= _s.Length || _s[_i] != '"') throw Error("Expected a property name in double quotes");
                string key = ParseString();
                SkipWs();
                if (_i >= _s.Length || _s[_i] != ':') throw Error("Expected ':' after property name");
                _i++;
                SkipWs();
                var value = ParseValue(depth + 1);
                foreach (var p in node.Properties)
                {
                    if (p.Key == key) throw new JsonLiteException("Duplicate property '" + key + "'", value.Line, value.Column);
                }
                node.Properties.Add(new KeyValuePair<string, JsonNode>(key, value));
                SkipWs();
                if (_i >= _s.Length) throw Error("Unexpected end of JSON inside an object");
                if (_s[_i] == ',') { _i++; continue; }
                if (_s[_i] == '}') { _i++; return node; }
                throw Error("Expected ',' or '}'");
            }
        }

        private JsonNode ParseArray(int depth, int line, int col)
        {
            var node = new JsonNode(JsonKind.Array, line, col) { Items = new List<JsonNode>() };
            _i++;
            SkipWs();
            if (_i < _s.Length && _s[_i] == ']') { _i++; return node; }
            while (true)
            {
                SkipWs();
                node.Items.Add(ParseValue(depth + 1));
                SkipWs();
                if (_i >= _s.Length) throw Error("Unexpected end of JSON inside an array");
                if (_s[_i] == ',') { _i++; continue; }
                if (_s[_i] == ']') { _i++; return node; }
                throw Error("Expected ',' or ']'");
            }
        }

        private string ParseNumber()
        {
            int start = _i;
            if (_s[_i] == '-') _i++;
            while (_i < _s.Length && (char.IsDigit(_s[_i]) || _s[_i] == '.' || _s[_i] == 'e' || _s[_i] == 'E' || _s[_i] == '+' || _s[_i] == '-')) _i++;
            string text = _s.Substring(start, _i - start);
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) throw Error("Invalid number '" + text + "'");
            return text;
        }

        private string ParseString()
        {
            _i++; // opening quote
            StringBuilder? sb = null;
            int runStart = _i;
            while (true)
            {
                if (_i >= _s.Length) throw Error("Unterminated string");
                char c = _s[_i];
                if (c == '"')
                {
                    string result = sb == null ? _s.Substring(runStart, _i - runStart) : sb.Append(_s, runStart, _i - runStart).ToString();
                    _i++;
                    return result;
                }
                if (c == '\n') throw Error("Line break inside a string");
                if (c == '\\')
                {
                    sb ??= new StringBuilder();
                    sb.Append(_s, runStart, _i - runStart);
                    _i++;
                    if (_i >= _s.Length) throw Error("Unterminated escape");
                    char e = _s[_i];
                    switch (e)
                    {
                        case '"': sb.Append('"'); break;
                        case '\\': sb.Append('\\'); break;
                        case '/': sb.Append('/'); break;
                        case 'b': sb.Append('\b'); break;
                        case 'f': sb.Append('\f'); break;
                        case 'n': sb.Append('\n'); break;
                        case 'r': sb.Append('\r'); break;
                        case 't': sb.Append('\t'); break;
                        case 'u':
                            if (_i + 4 >= _s.Length || !int.TryParse(_s.Substring(_i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code))
                                throw Error("Invalid \\u escape");
                            sb.Append((char)code);
                            _i += 4;
                            break;
                        default: throw Error("Invalid escape '\\" + e + "'");
                    }
                    _i++;
                    runStart = _i;
                    continue;
                }
                _i++;
            }
        }
    }
}
