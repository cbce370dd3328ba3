using System;
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
    /// <summary>Names of the message pipeline steps, for caching tests.</summary>
    public static class MessageTrackingNames
    {
        /// <summary>The message definition files (<c>definitions/&lt;device&gt;/messages/*.json</c>).</summary>
        public const string MessageFiles = nameof(MessageFiles);
        /// <summary>Parsed message models per file.</summary>
        public const string MessageParse = nameof(MessageParse);
    }

    /// <summary>
    /// The typed DIMSE message pipeline of <see cref="IodGenerator"/>: one class per message definition (MWL and Q/R
    /// identifiers, MPPS N-CREATE/N-SET, print film session/film box/image box), one output per file.
    /// </summary>
    internal static class MessagePipeline
    {
        private static readonly DiagnosticDescriptor DTG011 = new DiagnosticDescriptor("DTG011", "Invalid message definition", "{0}", "Dicom.Typed.Definitions", DiagnosticSeverity.Error, true);


        public static void Register(IncrementalGeneratorInitializationContext context, IncrementalValueProvider<KeywordTable> keywords,
            IncrementalValueProvider<EquatableArray<DeviceErrata>> errata)
        {
            var files = context.AdditionalTextsProvider
                .Where(static f => IsMessageFile(f.Path))
                .Select(static (f, ct) => new MessageSource(f.Path, f.GetText(ct)?.ToString() ?? ""))
                .WithTrackingName(MessageTrackingNames.MessageFiles);
            var parsed = files.Combine(keywords).Combine(errata)
                .Select(static (pair, _) =>
                {
                    var file = pair.Left.Left;
                    var deviceErrata = pair.Right.FirstOrDefault(e => e.Folder == DeviceErrata.FolderOf(file.Path));
                    return MessageParser.Parse(file.Path, file.Text, pair.Left.Right, deviceErrata?.Errata);
                })
                .WithTrackingName(MessageTrackingNames.MessageParse);
            context.RegisterSourceOutput(parsed, static (spc, result) =>
            {
                foreach (var d in result.Diagnostics) spc.ReportDiagnostic(ToDiagnostic(d));
                if (result.Message == null) return;
                var body = result.Message.Body;
                string file = Path.GetFileNameWithoutExtension(body.DefinitionFile);
                string hint = body.Namespace + "." + body.TypeName + (file == body.TypeName ? "" : "." + file) + ".Message.g.cs";
                spc.AddSource(hint, SourceText.From(MessageEmitter.Emit(result.Message), Encoding.UTF8));
            });
        }

        private static bool IsMessageFile(string path)
        {
            string p = path.Replace('\\', '/');
            return p.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && p.IndexOf("/messages/", StringComparison.Ordinal) >= 0;
        }

        /// <summary>DTG011 here; the IOD parser's diagnostics (DTG001-DTG008) with the IOD generator's descriptors.</summary>
        private static Diagnostic ToDiagnostic(DiagnosticInfo d)
        {
            if (d.Id != "DTG011") return IodGenerator.ToDiagnostic(d);
            var pos = new LinePosition(Math.Max(0, d.Line - 1), Math.Max(0, d.Column - 1));
            var location = Location.Create(d.File, default, new LinePositionSpan(pos, pos));
            return Diagnostic.Create(DTG011, location, DiagnosticSeverity.Error, null, null, d.Message);
        }

        private sealed record MessageSource(string Path, string Text);
    }
}
