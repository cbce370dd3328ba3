using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Dicom.Typed.Generators.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Dicom.Typed.Generators.Standard
{
    /// <summary>
    /// Generates the core's data dictionary, tag constants, UID registry and transfer syntaxes from
    /// <c>attributes.json</c>, <c>command_elements.dic</c> and <c>uids.json</c> (passed as AdditionalFiles).
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class StandardTablesGenerator : IIncrementalGenerator
    {
        private static readonly DiagnosticDescriptor BadFile = new DiagnosticDescriptor(
            "DTS001", "Invalid standard data file", "{0}", "Dicom.Typed.Standard", DiagnosticSeverity.Error, true);

        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var files = context.AdditionalTextsProvider
                .Where(f => IsInput(Path.GetFileName(f.Path)))
                .Select((f, ct) => new InputFile(Path.GetFileName(f.Path), f.Path, f.GetText(ct)?.ToString() ?? string.Empty))
                .WithTrackingName("StandardFiles");

            context.RegisterSourceOutput(files, (spc, file) =>
            {
                try
                {
                    switch (file.Name)
                    {
                        case "attributes.json":
                            spc.AddSource("DicomDictionary.Attributes.g.cs", SourceText.From(EmitAttributes(file.Text), Encoding.UTF8));
                            break;
                        case "command_elements.dic":
                            spc.AddSource("DicomDictionary.Commands.g.cs", SourceText.From(EmitCommands(file.Text), Encoding.UTF8));
                            break;
                        case "uids.json":
                            spc.AddSource("DicomUid.Registry.g.cs", SourceText.From(EmitUids(file.Text), Encoding.UTF8));
                            break;
                    }
                }
                catch (JsonLiteException e)
                {
                    spc.ReportDiagnostic(Diagnostic.Create(BadFile, Location.Create(file.Path, default, new LinePositionSpan(new LinePosition(e.Line - 1, e.Column - 1), new LinePosition(e.Line - 1, e.Column))), file.Name + ": " + e.Message));
                }
                catch (FormatException e)
                {
                    spc.ReportDiagnostic(Diagnostic.Create(BadFile, Location.Create(file.Path, default, default), file.Name + ": " + e.Message));
                }
            });
        }

        private static bool IsInput(string name) => name == "attributes.json" || name == "command_elements.dic" || name == "uids.json";

        private sealed class InputFile : IEquatable<InputFile>
        {
            public InputFile(string name, string path, string text) { Name = name; Path = path; Text = text; }
            public string Name { get; }
            public string Path { get; }
            public string Text { get; }
            public bool Equals(InputFile? other) => other != null && other.Name == Name && other.Path == Path && other.Text == Text;
            public override bool Equals(object? obj) => Equals(obj as InputFile);
            public override int GetHashCode() => Name.GetHashCode() ^ Text.Length;
        }

        private sealed class Attr
        {
            public uint Tag;
            public uint Mask;
            public string Vr = "";
            public string Vm = "";
            public string Keyword = "";
            public string Name = "";
            public bool Retired;
        }

        private static string Lit(string s)
        {
            var sb = new StringBuilder(s.Length + 2);
            sb.Append('"');
            foreach (char c in s)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    default:
                        if (c < 0x20 || c > 0x7E) sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                        else sb.Append(c);
                        break;
                }
            }
            return sb.Append('"').ToString();
        }

        private static string Xml(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

        // "(60XX,3000)" -> tag 0x60003000, mask 0xFF00FFFF
        private static void ParseTag(string text, out uint tag, out uint mask)
        {
            string hex = text.Replace("(", "").Replace(")", "").Replace(",", "");
            if (hex.Length != 8) throw new FormatException("Bad tag '" + text + "'");
            tag = 0; mask = 0;
            foreach (char c in hex)
            {
                tag <<= 4; mask <<= 4;
                if (c == 'x' || c == 'X') continue;
                int v = Uri.IsHexDigit(c) ? Convert.ToInt32(c.ToString(), 16) : throw new FormatException("Bad tag '" + text + "'");
                tag |= (uint)v; mask |= 0xF;
            }
        }

        private static string EmitAttributes(string text)
        {
            var root = JsonLite.Parse(text);
            if (root.Kind != JsonKind.Array || root.Items == null) throw new JsonLiteException("Expected an array of attributes", root.Line, root.Column);
            var list = new List<Attr>();
            foreach (var n in root.Items)
            {
                string tagText = n.GetString("tag") ?? throw new JsonLiteException("Attribute without 'tag'", n.Line, n.Column);
                ParseTag(tagText, out uint tag, out uint mask);
                list.Add(new Attr
                {
                    Tag = tag,
                    Mask = mask,
                    Vr = n.GetString("valueRepresentation") ?? "",
                    Vm = n.GetString("valueMultiplicity") ?? "",
                    Keyword = n.GetString("keyword") ?? "",
                    Name = n.GetString("name") ?? "",
                    Retired = n.GetString("retired") == "Y",
                });
            }
            return EmitDictionary("Attributes", list, true);
        }

        private static string EmitCommands(string text)
        {
            var list = new List<Attr>();
            using (var reader = new StringReader(text))
            {
                string? line;
                while ((line = reader.ReadLine()) != null)
                {
                    if (line.Length == 0 || line[0] == '#') continue;
                    var cols = line.Split('\t');
                    if (cols.Length < 5) throw new FormatException("Bad dictionary line '" + line + "'");
                    ParseTag(cols[0], out uint tag, out uint mask);
                    bool retired = cols[2].StartsWith("RETIRED_", StringComparison.Ordinal);
                    string keyword = retired ? cols[2].Substring("RETIRED_".Length) : cols[2];
                    list.Add(new Attr { Tag = tag, Mask = mask, Vr = cols[1], Vm = cols[3], Keyword = keyword, Name = SplitWords(keyword), Retired = retired });
                }
            }
            return EmitDictionary("Commands", list, true);
        }

        private static string SplitWords(string keyword)
        {
            var sb = new StringBuilder();
            for (int i = 0; i < keyword.Length; i++)
            {
                char c = keyword[i];
                if (i > 0 && char.IsUpper(c) && (char.IsLower(keyword[i - 1]) || (i + 1 < keyword.Length && char.IsLower(keyword[i + 1]) && char.IsUpper(keyword[i - 1])))) sb.Append(' ');
                sb.Append(c);
            }
            return sb.ToString();
        }

        private static string EmitDictionary(string part, List<Attr> list, bool emitTags)
        {
            var exact = list.Where(a => a.Mask == 0xFFFFFFFF).OrderBy(a => a.Tag).ToList();
            var masked = list.Where(a => a.Mask != 0xFFFFFFFF).OrderBy(a => a.Tag).ToList();
            var sb = new StringBuilder();
            sb.Append("// <auto-generated/> by Dicom.Typed.StandardGenerator\n#nullable enable\nnamespace Dicom.Typed\n{\n");
            sb.Append("    partial class DicomDictionary\n    {\n");
            // The entries are emitted as one compact text table parsed on first use: a method with thousands of constructor
            // calls costs about a second and ~100 MB of JIT memory at run time (measured on the storage SCU/SCP).
            sb.Append("        private static DicomDictionaryEntry[] Create").Append(part).Append("Exact() => Parse").Append(part).Append("(").Append(Table(exact)).Append(");\n\n");
            sb.Append("        private static DicomDictionaryEntry[] Create").Append(part).Append("Masked() => Parse").Append(part).Append("(").Append(Table(masked)).Append(");\n\n");
            sb.Append("        private static DicomDictionaryEntry[] Parse").Append(part).Append("(string table)\n        {\n");
            sb.Append("            var lines = table.Split('\\n', System.StringSplitOptions.RemoveEmptyEntries);\n");
            sb.Append("            var result = new DicomDictionaryEntry[lines.Length];\n");
            sb.Append("            for (int i = 0; i < lines.Length; i++)\n            {\n");
            sb.Append("                var c = lines[i].Split('\\t');\n");
            sb.Append("                var vrs = c[2].Length == 0 ? NoVRs : System.Array.ConvertAll(c[2].Split(' '), DicomVR.Parse);\n");
            sb.Append("                result[i] = new DicomDictionaryEntry(uint.Parse(c[0], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture),\n");
            sb.Append("                    uint.Parse(c[1], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture), vrs, c[3], c[4], c[5], c[6] == \"1\");\n");
            sb.Append("            }\n            return result;\n        }\n    }\n\n");
            if (emitTags)
            {
                sb.Append("    partial struct DicomTag\n    {\n");
                foreach (var a in list.Where(a => a.Keyword.Length > 0).OrderBy(a => a.Tag))
                {
                    sb.Append("        /// <summary>").Append(Xml(FormatTag(a.Tag, a.Mask))).Append(' ').Append(Xml(a.Name)).Append(", VR ").Append(Xml(a.Vr.Length == 0 ? "-" : a.Vr))
                      .Append(", VM ").Append(Xml(a.Vm.Length == 0 ? "-" : a.Vm)).Append(a.Retired ? " (retired)" : "").Append(".</summary>\n");
                    sb.Append("        public static DicomTag ").Append(a.Keyword).Append(" => new DicomTag(0x").Append(a.Tag.ToString("X8", CultureInfo.InvariantCulture)).Append("u);\n");
                }
                sb.Append("    }\n");
            }
            sb.Append("}\n");
            return sb.ToString();
        }

        private static string FormatTag(uint tag, uint mask)
        {
            var hex = tag.ToString("X8", CultureInfo.InvariantCulture).ToCharArray();
            for (int i = 0; i < 8; i++)
            {
                if (((mask >> (28 - 4 * i)) & 0xF) == 0) hex[i] = 'x';
            }
            var s = new string(hex);
            return "(" + s.Substring(0, 4) + "," + s.Substring(4) + ")";
        }

        private static string Table(List<Attr> list)
        {
            var t = new StringBuilder();
            foreach (var a in list)
            {
                string vrs = a.Vr.Length == 0 || a.Vr.StartsWith("See", StringComparison.Ordinal) ? ""
                    : string.Join(" ", a.Vr.Split(new[] { " or " }, StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()));
                t.Append(a.Tag.ToString("X8", CultureInfo.InvariantCulture)).Append('\t').Append(a.Mask.ToString("X8", CultureInfo.InvariantCulture)).Append('\t')
                 .Append(vrs).Append('\t').Append(a.Vm).Append('\t').Append(a.Keyword).Append('\t').Append(a.Name).Append('\t').Append(a.Retired ? '1' : '0').Append('\n');
            }
            return Lit(t.ToString());
        }

        private static string EmitUids(string text)
        {
            var root = JsonLite.Parse(text);
            if (root.Kind != JsonKind.Array || root.Items == null) throw new JsonLiteException("Expected an array of UIDs", root.Line, root.Column);
            var sb = new StringBuilder();
            sb.Append("// <auto-generated/> by Dicom.Typed.StandardGenerator\n#nullable enable\nnamespace Dicom.Typed\n{\n");
            var usedNames = new HashSet<string>(StringComparer.Ordinal);
            var uidFields = new List<string>();
            var tsFields = new List<string>();
            sb.Append("    partial class DicomUid\n    {\n");
            foreach (var n in root.Items)
            {
                string uid = n.GetString("uid") ?? throw new JsonLiteException("UID without 'uid'", n.Line, n.Column);
                string name = n.GetString("name") ?? "";
                string type = n.GetString("type") ?? "";
                string keyword = n.GetString("keyword") ?? "";
                string info = n.GetString("info") ?? "";
                bool retired = n.GetBoolean("retired");
                string field = keyword.Length > 0 ? keyword : "";
                if (field.Length == 0 || !usedNames.Add(field))
                {
                    field = "";
                }
                string typeEnum = UidTypeEnum(type);
                string ctor = "new DicomUid(" + Lit(uid) + ", " + Lit(name) + ", " + Lit(keyword) + ", DicomUidType." + typeEnum + ", " + (retired ? "true" : "false") + ", " + Lit(info) + ")";
                if (field.Length > 0)
                {
                    sb.Append("        /// <summary>").Append(Xml(name.Length > 0 ? name : uid)).Append(" (").Append(Xml(uid)).Append("), ").Append(Xml(type)).Append(retired ? ", retired" : "").Append(".</summary>\n");
                    sb.Append("        public static readonly DicomUid ").Append(field).Append(" = ").Append(ctor).Append(";\n");
                    uidFields.Add(field);
                }
                else
                {
                    uidFields.Add(ctor);
                }
                if (type == "Transfer Syntax" && field.Length > 0) tsFields.Add(field);
            }
            sb.Append("\n        private static DicomUid[] CreateRegistry() => new DicomUid[]\n        {\n");
            foreach (var f in uidFields) sb.Append("            ").Append(f).Append(",\n");
            sb.Append("        };\n    }\n\n");
            sb.Append("    partial class DicomTransferSyntax\n    {\n");
            foreach (var f in tsFields)
            {
                sb.Append("        /// <summary>Transfer syntax <see cref=\"DicomUid.").Append(f).Append("\"/>.</summary>\n");
                sb.Append("        public static readonly DicomTransferSyntax ").Append(f).Append(" = new DicomTransferSyntax(DicomUid.").Append(f).Append(");\n");
            }
            sb.Append("\n        private static DicomTransferSyntax[] CreateKnown() => new DicomTransferSyntax[]\n        {\n");
            foreach (var f in tsFields) sb.Append("            ").Append(f).Append(",\n");
            sb.Append("        };\n    }\n}\n");
            return sb.ToString();
        }

        private static string UidTypeEnum(string type)
        {
            switch (type)
            {
                case "SOP Class": return "SopClass";
                case "Transfer Syntax": return "TransferSyntax";
                case "Meta SOP Class": return "MetaSopClass";
                case "Well-known SOP Instance": return "WellKnownSopInstance";
                case "Well-known frame of reference": return "WellKnownFrameOfReference";
                case "Synchronization Frame of Reference": return "SynchronizationFrameOfReference";
                case "Coding Scheme": return "CodingScheme";
                case "DICOM UIDs as a Coding Scheme": return "CodingScheme";
                case "Application Context Name": return "ApplicationContextName";
                case "Service Class": return "ServiceClass";
                case "LDAP OID": return "LdapOid";
                case "Application Hosting Model": return "ApplicationHostingModel";
                case "Mapping Resource": return "MappingResource";
                default: return "Other";
            }
        }
    }
}
