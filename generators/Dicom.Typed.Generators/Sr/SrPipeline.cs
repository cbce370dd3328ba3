using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Dicom.Typed.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Dicom.Typed.Generators.Sr
{
    /// <summary>Names of the SR template pipeline steps, for caching tests.</summary>
    public static class SrTrackingNames
    {
        /// <summary>sr-templates.json files with their device's sr-errata.json applied.</summary>
        public const string SrTemplates = nameof(SrTemplates);
        /// <summary>The root template class of every device's SR IODs.</summary>
        public const string SrBindings = nameof(SrBindings);
    }

    /// <summary>
    /// The SR template pipeline of <see cref="IodGenerator"/>: <c>definitions/&lt;device&gt;/sr-templates.json</c> (+ <c>sr-errata.json</c>)
    /// → one file of typed template classes per device (namespace <c>Dicom.Typed.Devices.&lt;Device&gt;.Sr</c>), and the bindings that
    /// give the device's SR IODs a typed <c>Content</c> member.
    /// </summary>
    internal static class SrPipeline
    {
        internal static readonly DiagnosticDescriptor DTG020 = new DiagnosticDescriptor("DTG020", "SR erratum the generator cannot apply", "{0}", "Dicom.Typed.Definitions", DiagnosticSeverity.Error, true);
        internal static readonly DiagnosticDescriptor DTG021 = new DiagnosticDescriptor("DTG021", "Invalid SR template definition", "{0}", "Dicom.Typed.Definitions", DiagnosticSeverity.Error, true);
        internal static readonly DiagnosticDescriptor DTG022 = new DiagnosticDescriptor("DTG022", "SR template row not modelled", "{0}", "Dicom.Typed.Definitions", DiagnosticSeverity.Info, true);

        public static IncrementalValueProvider<EquatableArray<SrContentBinding>> Register(IncrementalGeneratorInitializationContext context)
        {
            var errata = context.AdditionalTextsProvider
                .Where(static f => Path.GetFileName(f.Path) == "sr-errata.json")
                .Select(static (f, ct) => new SrFile(f.Path, f.GetText(ct)?.ToString() ?? ""))
                .Collect()
                .Select(static (all, _) => new EquatableArray<SrFile>(all.OrderBy(f => f.Path, StringComparer.Ordinal)));
            var devices = context.AdditionalTextsProvider
                .Where(static f => Path.GetFileName(f.Path) == "sr-templates.json")
                .Select(static (f, ct) => new SrFile(f.Path, f.GetText(ct)?.ToString() ?? ""))
                .Combine(errata)
                .Select(static (pair, _) =>
                {
                    string folder = SrParser.FolderOf(pair.Left.Path);
                    var e = pair.Right.FirstOrDefault(x => SrParser.FolderOf(x.Path) == folder);
                    return SrParser.Parse(pair.Left.Path, pair.Left.Text, e?.Path, e?.Text);
                })
                .WithTrackingName(SrTrackingNames.SrTemplates);

            context.RegisterSourceOutput(devices, static (spc, device) =>
            {
                foreach (var d in device.Diagnostics) spc.ReportDiagnostic(ToDiagnostic(d));
                if (device.Diagnostics.Any(d => d.IsError) || device.Namespace.Length == 0) return;
                var diagnostics = new List<DiagnosticInfo>();
                string source = SrEmitter.Emit(device, diagnostics);
                foreach (var d in diagnostics) spc.ReportDiagnostic(ToDiagnostic(d));
                spc.AddSource(device.Namespace + ".g.cs", SourceText.From(source, Encoding.UTF8));
            });

            return devices.Collect()
                .Select(static (all, _) => new EquatableArray<SrContentBinding>(all.SelectMany(Bindings).OrderBy(b => b.Device + "/" + b.Iod, StringComparer.Ordinal)))
                .WithTrackingName(SrTrackingNames.SrBindings);
        }

        /// <summary>The device's default binding (Iod empty: every SR IOD of the device) and the per-IOD ones of sr-errata.json.</summary>
        private static IEnumerable<SrContentBinding> Bindings(SrDeviceModel device)
        {
            if (device.Diagnostics.Any(d => d.IsError) || device.Namespace.Length == 0) yield break;
            var names = SrEmitter.ClassNames(device);
            SrContentBinding? Bind(string iod, string tid)
            {
                var t = device.Templates.FirstOrDefault(x => x.Tid == tid);
                if (t == null || !SrEmitter.IsSingleRoot(t) || t.Rows[0].ValueType != "CONTAINER" || t.Rows[0].Concept == null) return null;
                return new SrContentBinding(device.Device, iod, "global::" + device.Namespace + "." + names[tid], tid);
            }
            if (Bind("", device.Root) is { } root) yield return root;
            foreach (var i in device.IodTemplates)
                if (Bind(i.Iod, i.Tid) is { } b) yield return b;
        }

        internal static Diagnostic ToDiagnostic(DiagnosticInfo d)
        {
            var descriptor = d.Id switch { "DTG020" => DTG020, "DTG022" => DTG022, "DTG001" => DTG021, _ => DTG021 };
            if (d.Id == "DTG001") return IodGenerator.ToDiagnostic(d);
            var pos = new LinePosition(Math.Max(0, d.Line - 1), Math.Max(0, d.Column - 1));
            var location = Location.Create(d.File, default, new LinePositionSpan(pos, pos));
            return Diagnostic.Create(descriptor, location, d.IsError ? DiagnosticSeverity.Error : descriptor.DefaultSeverity, null, null, d.Message);
        }

        internal sealed record SrFile(string Path, string Text);
    }
}
