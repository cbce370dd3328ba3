using System;
using System.IO;
using System.Linq;
using System.Text;
using Dicom.Typed.Generators.Emit;
using Dicom.Typed.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Dicom.Typed.Generators
{
    /// <summary>
    /// Emits one network peer description per device Application Entity that accepts associations, from the <c>network</c>
    /// section of <c>definitions/&lt;device&gt;/device.json</c> (passed as AdditionalFiles): the SOP classes the AE accepts as
    /// SCP and their transfer syntaxes, as <c>[DicomAcceptedSopClasses]</c> / <c>[DicomAcceptedTransferSyntaxes]</c> for
    /// analyzer DT0007 and as static data for the runtime. A pipeline of its own, independent of the IOD pipeline.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class NetworkPeerGenerator : IIncrementalGenerator
    {
        /// <summary>Tracking name of the step that parses each device.json into peer models.</summary>
        public const string NetworkPeersTrackingName = "NetworkPeers";

        private static readonly DiagnosticDescriptor DTG012 = new DiagnosticDescriptor(NetworkPeerEmitter.DiagnosticId, "Invalid network definition",
            "{0}", "Dicom.Typed.Definitions", DiagnosticSeverity.Error, true);

        /// <inheritdoc />
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var peers = context.AdditionalTextsProvider
                .Where(static f => Path.GetFileName(f.Path) == "device.json")
                .Select(static (f, ct) => NetworkPeerEmitter.Parse(f.Path, f.GetText(ct)?.ToString() ?? ""))
                .WithTrackingName(NetworkPeersTrackingName);

            context.RegisterSourceOutput(peers, static (spc, file) =>
            {
                foreach (var d in file.Diagnostics)
                {
                    var pos = new LinePosition(Math.Max(0, d.Line - 1), Math.Max(0, d.Column - 1));
                    spc.ReportDiagnostic(Diagnostic.Create(DTG012, Location.Create(d.File, default, new LinePositionSpan(pos, pos)), d.Message));
                }
                foreach (var peer in file.Peers)
                    spc.AddSource(file.Namespace + "." + peer.TypeName + ".Peer.g.cs", SourceText.From(NetworkPeerEmitter.Emit(file, peer), Encoding.UTF8));
            });
        }
    }
}
