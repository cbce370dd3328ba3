using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Dicom.Typed.Analyzers
{
    /// <summary>
    /// Rule 7: a call on a peer (receiver symbol or its type marked [DicomAcceptedSopClasses] /
    /// [DicomAcceptedTransferSyntaxes], or the receiver type bound to such a peer by a type argument, e.g. the generated
    /// peer descriptions in DicomDeviceStorageScu&lt;SyngoCtStorageScp&gt;) passing a typed IOD whose SOP class, or a constant transfer syntax for a
    /// parameter marked [DicomTransferSyntax], that the peer does not accept.
    /// </summary>
    internal static class NetworkRule
    {
        public static void Analyze(OperationAnalysisContext c, DicomSymbols s, IInvocationOperation inv)
        {
            if (s.AcceptedSop == null && s.AcceptedTs == null) return;
            var receiver = DicomSymbols.Unwrap(inv.Instance!);
            ISymbol? peer = receiver switch
            {
                IFieldReferenceOperation f => f.Field,
                IPropertyReferenceOperation p => p.Property,
                IParameterReferenceOperation p => p.Parameter,
                ILocalReferenceOperation l => l.Local,
                _ => null,
            };
            var sop = Accepted(peer, receiver.Type, s.AcceptedSop, out string peerName);
            var ts = Accepted(peer, receiver.Type, s.AcceptedTs, out string tsPeerName);
            if (sop.IsDefault && ts.IsDefault) return;
            string? sentSop = null, sentIodName = null;
            IArgumentOperation? tsArgument = null;
            string? sentTs = null;
            foreach (var arg in inv.Arguments)
            {
                var value = DicomSymbols.Unwrap(arg.Value);
                if (!sop.IsDefault && value.Type is INamedTypeSymbol t)
                {
                    var iod = DicomSymbols.Find(t, s.Iod);
                    if (iod != null && iod.ConstructorArguments.Length > 0 && iod.ConstructorArguments[0].Value is string uid)
                    {
                        if (!sop.Contains(uid))
                            c.ReportDiagnostic(Diagnostic.Create(Descriptors.NotAccepted, arg.Syntax.GetLocation(), "SOP class of " + t.Name, uid, peerName, string.Join(", ", sop)));
                        else
                        {
                            sentSop = uid;
                            sentIodName = t.Name;
                        }
                    }
                }
                if (!ts.IsDefault && arg.Parameter != null && DicomSymbols.Find(arg.Parameter, s.TransferSyntaxParameter) != null
                    && value.ConstantValue.HasValue && value.ConstantValue.Value is string tsUid)
                {
                    if (!ts.Contains(tsUid))
                        c.ReportDiagnostic(Diagnostic.Create(Descriptors.NotAccepted, arg.Syntax.GetLocation(), "Transfer syntax", tsUid, tsPeerName, string.Join(", ", ts)));
                    else
                    {
                        tsArgument = arg;
                        sentTs = tsUid;
                    }
                }
            }
            // The syntax is accepted by the peer, but is it accepted for the SOP class sent in the same call?
            if (sentSop != null && sentTs != null && tsArgument != null
                && c.Compilation.GetTypeByMetadataName("Dicom.Typed.Iod.DicomAcceptedPresentationContextAttribute") is INamedTypeSymbol contextAttribute)
            {
                foreach (var a in Contexts(peer, receiver.Type, contextAttribute))
                {
                    if (a.ConstructorArguments.Length < 2 || !(a.ConstructorArguments[0].Value is string contextSop) || contextSop != sentSop) continue;
                    var syntaxes = DicomSymbols.Strings(a, 1);
                    if (!syntaxes.IsDefault && !syntaxes.Contains(sentTs))
                        c.ReportDiagnostic(Diagnostic.Create(Descriptors.NotAccepted, tsArgument.Syntax.GetLocation(), "Transfer syntax for " + sentIodName, sentTs, tsPeerName, string.Join(", ", syntaxes)));
                    break;
                }
            }
        }

        /// <summary>The per-SOP-class presentation contexts of the peer: on the receiver symbol, its type, or a type argument of its type.</summary>
        private static ImmutableArray<AttributeData> Contexts(ISymbol? peer, ITypeSymbol? type, INamedTypeSymbol attribute)
        {
            ImmutableArray<AttributeData> Of(ISymbol symbol) =>
                symbol.GetAttributes().Where(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute)).ToImmutableArray();
            if (peer != null && Of(peer) is { Length: > 0 } onPeer) return onPeer;
            if (type != null && Of(type) is { Length: > 0 } onType) return onType;
            if (type is INamedTypeSymbol generic)
            {
                foreach (var argument in generic.TypeArguments)
                    if (Of(argument) is { Length: > 0 } onArgument) return onArgument;
            }
            return ImmutableArray<AttributeData>.Empty;
        }

        private static ImmutableArray<string> Accepted(ISymbol? peer, ITypeSymbol? type, INamedTypeSymbol? attribute, out string name)
        {
            name = peer?.Name ?? type?.Name ?? "the peer";
            if (attribute == null) return default;
            var a = peer == null ? null : DicomSymbols.Find(peer, attribute);
            if (a == null && type != null)
            {
                a = DicomSymbols.Find(type, attribute);
                if (a != null && peer == null) name = type.Name;
            }
            // A client bound to a peer description by a type argument (DicomDeviceStorageScu<SyngoCtStorageScp>).
            if (a == null && type is INamedTypeSymbol generic)
            {
                foreach (var argument in generic.TypeArguments)
                {
                    a = DicomSymbols.Find(argument, attribute);
                    if (a != null)
                    {
                        name = argument.Name;
                        break;
                    }
                }
            }
            if (a == null) return default;
            var values = DicomSymbols.Strings(a, 0);
            return values.IsDefault ? ImmutableArray<string>.Empty : values;
        }
    }
}
