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
            foreach (var arg in inv.Arguments)
            {
                var value = DicomSymbols.Unwrap(arg.Value);
                if (!sop.IsDefault && value.Type is INamedTypeSymbol t)
                {
                    var iod = DicomSymbols.Find(t, s.Iod);
                    if (iod != null && iod.ConstructorArguments.Length > 0 && iod.ConstructorArguments[0].Value is string uid && !sop.Contains(uid))
                        c.ReportDiagnostic(Diagnostic.Create(Descriptors.NotAccepted, arg.Syntax.GetLocation(), "SOP class of " + t.Name, uid, peerName, string.Join(", ", sop)));
                }
                if (!ts.IsDefault && arg.Parameter != null && DicomSymbols.Find(arg.Parameter, s.TransferSyntaxParameter) != null
                    && value.ConstantValue.HasValue && value.ConstantValue.Value is string tsUid && !ts.Contains(tsUid))
                    c.ReportDiagnostic(Diagnostic.Create(Descriptors.NotAccepted, arg.Syntax.GetLocation(), "Transfer syntax", tsUid, tsPeerName, string.Join(", ", ts)));
            }
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
