using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using Dicom.Typed.Generators.Emit;
using Dicom.Typed.Generators.Model;
using Dicom.Typed.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Dicom.Typed.Generators
{
    /// <summary>Names of the incremental pipeline steps, for caching tests.</summary>
    public static class TrackingNames
    {
        /// <summary>The keyword table from attributes.json.</summary>
        public const string Keywords = nameof(Keywords);
        /// <summary>The IOD definition files.</summary>
        public const string IodFiles = nameof(IodFiles);
        /// <summary>Parsed models per file.</summary>
        public const string Parse = nameof(Parse);
        /// <summary>The errata of all devices.</summary>
        public const string Errata = nameof(Errata);
        /// <summary>Models with overlays resolved against their base IOD.</summary>
        public const string Resolve = nameof(Resolve);
        /// <summary>Module interfaces computed from all IODs.</summary>
        public const string ModuleInterfaces = nameof(ModuleInterfaces);
        /// <summary>Private dictionaries per device.</summary>
        public const string PrivateDictionaries = nameof(PrivateDictionaries);
        /// <summary>The registry of type names across files.</summary>
        public const string Registry = nameof(Registry);
    }

    /// <summary>
    /// Compiles the vendor IOD definitions (<c>definitions/&lt;device&gt;/iods/*.json</c>, passed as AdditionalFiles) into typed
    /// builders and tolerant readers. Problems in the JSON are reported as diagnostics at file, line and column; the other
    /// files still generate.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class IodGenerator : IIncrementalGenerator
    {
        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var keywords = context.AdditionalTextsProvider
                .Where(static f => Path.GetFileName(f.Path) == "attributes.json")
                .Select(static (f, ct) => KeywordTable.FromAttributesJson(f.GetText(ct)?.ToString() ?? ""))
                .Collect()
                .Select(static (all, _) => all.IsDefaultOrEmpty ? KeywordTable.Empty : all[0])
                .WithTrackingName(TrackingNames.Keywords);

            var files = context.AdditionalTextsProvider
                .Where(static f => IsIodFile(f.Path))
                .Select(static (f, ct) => new SourceFile(f.Path, f.GetText(ct)?.ToString() ?? ""))
                .WithTrackingName(TrackingNames.IodFiles);

            var errata = context.AdditionalTextsProvider
                .Where(static f => Path.GetFileName(f.Path) == "errata.json")
                .Select(static (f, ct) => DeviceErrata.Parse(f.Path, f.GetText(ct)?.ToString() ?? ""))
                .Collect()
                .Select(static (all, _) => new EquatableArray<DeviceErrata>(all.OrderBy(e => e.Folder, StringComparer.Ordinal)))
                .WithTrackingName(TrackingNames.Errata);

            var parsed = files.Combine(keywords).Combine(errata)
                .Select(static (pair, _) =>
                {
                    var file = pair.Left.Left;
                    string folder = DeviceErrata.FolderOf(file.Path);
                    var deviceErrata = pair.Right.FirstOrDefault(e => e.Folder == folder);
                    return IodParser.Parse(file.Path, file.Text, pair.Left.Right, deviceErrata?.Errata);
                })
                .WithTrackingName(TrackingNames.Parse);

            // Overlays (baseTypeName) are the base IOD plus their own modules: resolve them against the other models.
            var models = parsed.Select(static (r, _) => r.Iod).Where(static m => m != null).Collect()
                .Select(static (all, _) => new EquatableArray<IodModel>(all.Select(m => m!).OrderBy(m => m.Namespace + "." + m.TypeName, StringComparer.Ordinal)));
            var resolved = parsed.Combine(models)
                .Select(static (pair, _) => pair.Left.Iod == null || pair.Left.Iod.BaseTypeName.Length == 0 ? pair.Left : Overlay.Resolve(pair.Left, pair.Right))
                .WithTrackingName(TrackingNames.Resolve);

            // Typed DIMSE message data sets (definitions/<device>/messages/*.json): a separate pipeline, see MessagePipeline.cs.
            MessagePipeline.Register(context, keywords, errata);

            // SR templates (definitions/<device>/sr-templates.json): typed content classes; SR IODs get a typed Content member.
            var srBindings = Sr.SrPipeline.Register(context);
            resolved = resolved.Combine(srBindings).Select(static (pair, _) => Sr.SrBinder.Bind(pair.Left, pair.Right));

            context.RegisterSourceOutput(resolved, static (spc, result) =>
            {
                foreach (var d in result.Diagnostics) spc.ReportDiagnostic(ToDiagnostic(d));
                if (result.Iod != null && !result.Diagnostics.Any(d => d.IsError))
                {
                    // The hint includes the definition file so that two files defining one type name give DTG009, not a crash.
                    string file = Path.GetFileNameWithoutExtension(result.Iod.DefinitionFile);
                    string hint = result.Iod.Namespace + "." + result.Iod.TypeName + (file == result.Iod.TypeName ? "" : "." + file) + ".g.cs";
                    spc.AddSource(hint, SourceText.From(IodEmitter.Emit(result.Iod), Encoding.UTF8));
                }
            });

            var privateDictionaries = context.AdditionalTextsProvider
                .Where(static f => Path.GetFileName(f.Path) == "private-dictionary.json")
                .Select(static (f, ct) => PrivateDictionaryEmitter.Parse(f.Path, f.GetText(ct)?.ToString() ?? ""))
                .WithTrackingName(TrackingNames.PrivateDictionaries);
            context.RegisterSourceOutput(privateDictionaries, static (spc, model) =>
            {
                foreach (var d in model.Diagnostics) spc.ReportDiagnostic(ToDiagnostic(d));
                if (model.Creators.Count > 0) spc.AddSource(model.Namespace + ".PrivateDictionary.g.cs", SourceText.From(PrivateDictionaryEmitter.Emit(model), Encoding.UTF8));
            });

            var interfaces = resolved.Select(static (r, _) => r.Diagnostics.Any(d => d.IsError) ? null : r.Iod).Where(static m => m != null).Collect()
                .Select(static (all, _) => ModuleInterfaceEmitter.Build(new EquatableArray<IodModel>(all.Select(m => m!).OrderBy(m => m.Namespace + "." + m.TypeName, StringComparer.Ordinal))))
                .WithTrackingName(TrackingNames.ModuleInterfaces);
            context.RegisterSourceOutput(interfaces, static (spc, set) =>
            {
                if (set.Interfaces.Count == 0) return;
                spc.AddSource(ModuleInterfaceEmitter.Namespace + ".g.cs", SourceText.From(ModuleInterfaceEmitter.EmitInterfaces(set), Encoding.UTF8));
                foreach (var impl in set.Implementations)
                    spc.AddSource(impl.Namespace + "." + impl.TypeName + ".Modules.g.cs", SourceText.From(ModuleInterfaceEmitter.EmitImplementation(impl), Encoding.UTF8));
            });

            var registry = parsed
                .Select(static (r, _) => r.Iod == null ? null : new TypeEntry(r.Iod.Namespace + "." + r.Iod.TypeName, r.Iod.DefinitionFile))
                .Where(static e => e != null)
                .Collect()
                .Select(static (all, _) => new EquatableArray<TypeEntry>(all.Select(e => e!).OrderBy(e => e.FullName, StringComparer.Ordinal).ThenBy(e => e.File, StringComparer.Ordinal)))
                .WithTrackingName(TrackingNames.Registry);

            context.RegisterSourceOutput(registry, static (spc, all) =>
            {
                for (int i = 1; i < all.Count; i++)
                {
                    if (all[i].FullName == all[i - 1].FullName)
                    {
                        spc.ReportDiagnostic(ToDiagnostic(new DiagnosticInfo("DTG009", "Type " + all[i].FullName + " is defined by both " + all[i - 1].File + " and " + all[i].File, all[i].File, 1, 1, true)));
                    }
                }
            });
        }

        private static bool IsIodFile(string path)
        {
            string p = path.Replace('\\', '/');
            return p.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && p.IndexOf("/iods/", StringComparison.Ordinal) >= 0;
        }

        private static readonly DiagnosticDescriptor DTG001 = new DiagnosticDescriptor("DTG001", "Malformed definitions JSON", "{0}", "Dicom.Typed.Definitions", DiagnosticSeverity.Error, true);
        private static readonly DiagnosticDescriptor DTG002 = new DiagnosticDescriptor("DTG002", "Invalid IOD definition", "{0}", "Dicom.Typed.Definitions", DiagnosticSeverity.Error, true);
        private static readonly DiagnosticDescriptor DTG003 = new DiagnosticDescriptor("DTG003", "Duplicate attribute in an IOD definition", "{0}", "Dicom.Typed.Definitions", DiagnosticSeverity.Error, true);
        private static readonly DiagnosticDescriptor DTG004 = new DiagnosticDescriptor("DTG004", "Invalid tag in an IOD definition", "{0}", "Dicom.Typed.Definitions", DiagnosticSeverity.Error, true);
        private static readonly DiagnosticDescriptor DTG005 = new DiagnosticDescriptor("DTG005", "Invalid VR in an IOD definition", "{0}", "Dicom.Typed.Definitions", DiagnosticSeverity.Error, true);
        private static readonly DiagnosticDescriptor DTG006 = new DiagnosticDescriptor("DTG006", "Invalid attribute type in an IOD definition", "{0}", "Dicom.Typed.Definitions", DiagnosticSeverity.Error, true);
        private static readonly DiagnosticDescriptor DTG007 = new DiagnosticDescriptor("DTG007", "Invalid condition in an IOD definition", "{0}", "Dicom.Typed.Definitions", DiagnosticSeverity.Error, true);
        private static readonly DiagnosticDescriptor DTG008 = new DiagnosticDescriptor("DTG008", "Private attribute without private creator", "{0}", "Dicom.Typed.Definitions", DiagnosticSeverity.Error, true);
        private static readonly DiagnosticDescriptor DTG009 = new DiagnosticDescriptor("DTG009", "Duplicate IOD type name", "{0}", "Dicom.Typed.Definitions", DiagnosticSeverity.Error, true);

        private static readonly DiagnosticDescriptor DTG010 = new DiagnosticDescriptor("DTG010", "Erratum the generator cannot apply", "{0}", "Dicom.Typed.Definitions", DiagnosticSeverity.Error, true);

        private static readonly DiagnosticDescriptor[] Descriptors = { DTG010, DTG001, DTG002, DTG003, DTG004, DTG005, DTG006, DTG007, DTG008, DTG009 };

        internal static Diagnostic ToDiagnostic(DiagnosticInfo d)
        {
            var descriptor = Descriptors.FirstOrDefault(x => x.Id == d.Id) ?? Descriptors[1];
            var pos = new LinePosition(Math.Max(0, d.Line - 1), Math.Max(0, d.Column - 1));
            var location = Location.Create(d.File, default, new LinePositionSpan(pos, pos));
            return Diagnostic.Create(descriptor, location, d.IsError ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, null, null, d.Message);
        }

        private sealed record SourceFile(string Path, string Text);

        private sealed record TypeEntry(string FullName, string File);
    }
}
