using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Dicom.Typed.Generators.Model;
using Dicom.Typed.Generators.Parsing;

namespace Dicom.Typed.Generators.Emit
{
    /// <summary>A module interface shared by several IODs: the members every IOD containing the module has, with one type.</summary>
    internal sealed record ModuleInterface(string Name, string ModuleName, EquatableArray<InterfaceMember> Members, EquatableArray<string> Implementers);

    internal sealed record InterfaceMember(string Name, string Type, string Doc, uint Tag);

    /// <summary>The interfaces and which IOD implements which, computed from all models.</summary>
    internal sealed record ModuleInterfaceSet(EquatableArray<ModuleInterface> Interfaces, EquatableArray<IodImplementation> Implementations);

    internal sealed record IodImplementation(string Namespace, string TypeName, EquatableArray<string> Interfaces, EquatableArray<ImplementedMember> Members);

    internal sealed record ImplementedMember(string Interface, string Name, string Type, string Expression);

    /// <summary>Builds module interfaces (IPatientModule, IGeneralSeriesModule, …) shared across IODs and devices (the dcm4che-typeddicom pattern).</summary>
    internal static class ModuleInterfaceEmitter
    {
        public const string Namespace = "Dicom.Typed.Modules";

        public static ModuleInterfaceSet Build(EquatableArray<IodModel> models)
        {
            var byModule = new Dictionary<string, List<(IodModel Iod, ModuleRef Module)>>(StringComparer.Ordinal);
            foreach (var iod in models)
            {
                foreach (var m in iod.Modules)
                {
                    string name = InterfaceName(m.Name);
                    if (name.Length == 0) continue;
                    if (!byModule.TryGetValue(name, out var list)) byModule[name] = list = new List<(IodModel, ModuleRef)>();
                    if (!list.Any(x => x.Iod == iod)) list.Add((iod, m));
                }
            }
            var interfaces = new List<ModuleInterface>();
            var impls = new Dictionary<string, (IodModel Iod, List<string> Ifaces, List<ImplementedMember> Members)>(StringComparer.Ordinal);
            foreach (var kv in byModule.OrderBy(k => k.Key, StringComparer.Ordinal))
            {
                if (kv.Value.Count < 2) continue; // an interface is for sharing
                var members = new List<InterfaceMember>();
                var first = kv.Value[0];
                foreach (var prop in first.Module.PropertyNames.Distinct())
                {
                    string? type = null;
                    AttributeModel? sample = null;
                    bool ok = true;
                    foreach (var (iod, module) in kv.Value)
                    {
                        var a = iod.Attributes.FirstOrDefault(x => x.PropertyName == prop);
                        if (a == null || !module.PropertyNames.Contains(prop)) { ok = false; break; }
                        string? t = InterfaceType(a);
                        if (t == null || (type != null && t != type)) { ok = false; break; }
                        type = t;
                        sample ??= a;
                    }
                    if (!ok || type == null || sample == null) continue;
                    members.Add(new InterfaceMember(prop, type, sample.Name + " " + IodParser.FormatTag(sample.Tag), sample.Tag));
                }
                if (members.Count == 0) continue;
                interfaces.Add(new ModuleInterface(kv.Key, kv.Value[0].Module.Name, new EquatableArray<InterfaceMember>(members),
                    new EquatableArray<string>(kv.Value.Select(x => x.Iod.Namespace + "." + x.Iod.TypeName).OrderBy(x => x, StringComparer.Ordinal))));
                foreach (var (iod, _) in kv.Value)
                {
                    string key = iod.Namespace + "." + iod.TypeName;
                    if (!impls.TryGetValue(key, out var impl)) impls[key] = impl = (iod, new List<string>(), new List<ImplementedMember>());
                    impl.Ifaces.Add(kv.Key);
                    foreach (var m in members)
                    {
                        var a = iod.Attributes.First(x => x.PropertyName == m.Name);
                        impl.Members.Add(new ImplementedMember(kv.Key, m.Name, m.Type, Expression(a)));
                    }
                }
            }
            var implementations = impls.OrderBy(k => k.Key, StringComparer.Ordinal)
                .Select(k => new IodImplementation(k.Value.Iod.Namespace, k.Value.Iod.TypeName, new EquatableArray<string>(k.Value.Ifaces), new EquatableArray<ImplementedMember>(k.Value.Members)));
            return new ModuleInterfaceSet(new EquatableArray<ModuleInterface>(interfaces), new EquatableArray<IodImplementation>(implementations));
        }

        /// <summary>"General Series Module" → "IGeneralSeriesModule"; "Private …" and overlay-only names are not shared.</summary>
        internal static string InterfaceName(string moduleName)
        {
            string n = moduleName.Replace("(overlay)", "").Trim();
            if (n.StartsWith("Private", StringComparison.OrdinalIgnoreCase) || n.IndexOf("Module", StringComparison.OrdinalIgnoreCase) < 0) return "";
            n = n.Replace(" Module", "").Replace("Module", "");
            string p = IodParser.Pascal(n);
            return p.Length == 0 ? "" : "I" + p + "Module";
        }

        private static string? InterfaceType(AttributeModel a)
        {
            if (a.VR == "SQ" || a.PrivateCreator.Length > 0 || a.Tag == 0x00080016u) return null;
            if (IodEmitter.IsEnum(a)) return IodEmitter.IsMulti(a) ? "global::System.Collections.Generic.IReadOnlyList<string>?" : "string?";
            string b = IodEmitter.BaseType(a.VR, out _);
            if (IodEmitter.IsMulti(a)) return "global::System.Collections.Generic.IReadOnlyList<" + b + ">?";
            return b + "?";
        }

        private static string Expression(AttributeModel a)
        {
            if (IodEmitter.IsEnum(a))
            {
                string e = IodEmitter.EnumName(a);
                return IodEmitter.IsMulti(a)
                    ? a.PropertyName + " is { } l ? global::System.Linq.Enumerable.ToArray(global::System.Linq.Enumerable.Select(l, " + e + "Text)) : null"
                    : a.PropertyName + " is { } e ? " + e + "Text(e) : null";
            }
            return a.PropertyName;
        }

        public static string EmitInterfaces(ModuleInterfaceSet set)
        {
            var w = new CodeWriter();
            w.Line("// <auto-generated/> by Dicom.Typed.Generators: module interfaces shared by the IODs of all devices");
            w.Line("#nullable enable");
            w.Open("namespace " + Namespace);
            foreach (var i in set.Interfaces)
            {
                w.Line("/// <summary>The " + IodEmitter.Xml(i.ModuleName) + " as the devices send it: the members every implementing IOD has. Implemented by " + IodEmitter.Xml(string.Join(", ", i.Implementers.Select(x => x.Substring(x.LastIndexOf('.') + 1)))) + ".</summary>");
                w.Open("public partial interface " + i.Name);
                foreach (var m in i.Members)
                {
                    w.Line("/// <summary>" + IodEmitter.Xml(m.Doc) + ".</summary>");
                    w.Line(m.Type + " " + m.Name + " { get; }");
                }
                w.Close();
                w.Line();
            }
            w.Close();
            return w.ToString();
        }

        public static string EmitImplementation(IodImplementation impl)
        {
            var w = new CodeWriter();
            w.Line("// <auto-generated/> by Dicom.Typed.Generators: module interfaces of " + impl.TypeName);
            w.Line("#nullable enable");
            w.Open("namespace " + impl.Namespace);
            w.Open("partial class " + impl.TypeName + " : " + string.Join(", ", impl.Interfaces.Select(i => "global::" + Namespace + "." + i)));
            foreach (var m in impl.Members)
            {
                w.Line(m.Type + " global::" + Namespace + "." + m.Interface + "." + m.Name + " => " + m.Expression + ";");
            }
            w.Close();
            w.Close();
            return w.ToString();
        }
    }
}
