using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Dicom.Typed.Analyzers
{
    /// <summary>
    /// Checks uses of typed IODs against the metadata attributes the generator emits (DT0001-DT0008). Works on
    /// attributes only, so the typed IODs may live in another assembly; generated code is not analyzed.
    /// </summary>
    [DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
    public sealed class DicomTypedAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            Descriptors.EnumeratedValue, Descriptors.FixedValue, Descriptors.NotInIod, Descriptors.Type1Empty,
            Descriptors.PrivateTag, Descriptors.InvalidForVr, Descriptors.NotAccepted, Descriptors.ConditionUnsatisfied);

        /// <inheritdoc />
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var symbols = DicomSymbols.Create(start.Compilation);
                if (symbols == null) return;
                var accessors = new Lazy<List<PrivateAccessor>>(() => PrivateAccessor.Collect(start.Compilation, symbols), isThreadSafe: true);
                start.RegisterOperationAction(c => AnalyzeAssignment(c, symbols), OperationKind.SimpleAssignment);
                start.RegisterOperationAction(c => AnalyzeCreation(c, symbols, accessors), OperationKind.ObjectCreation);
                start.RegisterOperationAction(c => AnalyzeInvocation(c, symbols, accessors), OperationKind.Invocation);
            });
        }

        // Rules 1, 2, 4, 6 on assignments to metadata members (object initializers and plain assignments).
        private static void AnalyzeAssignment(OperationAnalysisContext c, DicomSymbols s)
        {
            var a = (ISimpleAssignmentOperation)c.Operation;
            ISymbol? target = a.Target switch
            {
                IPropertyReferenceOperation p => p.Property,
                IFieldReferenceOperation f => f.Field,
                _ => null,
            };
            if (target == null) return;
            var info = s.Member(target);
            if (info == null) return;
            CheckValues(c, info, a.Value, (a.Syntax as AssignmentExpressionSyntax)?.Right ?? a.Value.Syntax);
        }

        private static void CheckValues(OperationAnalysisContext c, MemberInfo info, IOperation value, SyntaxNode wholeSyntax)
        {
            var constants = DicomSymbols.Constants(value, out bool isCollection);
            if (constants == null) return;

            if (info.Type == 0)
            {
                string? what = null;
                if (isCollection && constants.Count == 0) what = "an empty list";
                else if (constants.All(x => x.Value == null)) what = "null";
                else if (constants.All(x => x.Value == null || (x.Value is string e && e.Trim().Length == 0))) what = "empty";
                if (what != null)
                {
                    c.ReportDiagnostic(Diagnostic.Create(Descriptors.Type1Empty, Where(value, constants, wholeSyntax).GetLocation(), info.Symbol.Name, info.TagText, what));
                    return;
                }
            }

            var texts = new List<(string Text, IOperation Op, bool Splittable)>();
            foreach (var (v, op) in constants)
            {
                if (v == null) continue;
                string t = DicomSymbols.Text(v);
                texts.Add((t, op, v is string));
            }

            if (info.FixedValue != null && texts.Count > 0)
            {
                string written = string.Join("\\", texts.Select(t => t.Text));
                var fixedParts = info.FixedValue.Split('\\');
                var writtenParts = written.Split('\\');
                bool same = fixedParts.Length == writtenParts.Length && fixedParts.Zip(writtenParts, ConditionEvaluator.Same).All(x => x);
                if (!same)
                {
                    c.ReportDiagnostic(Diagnostic.Create(Descriptors.FixedValue, Where(value, constants, wholeSyntax).GetLocation(), info.Symbol.Name, info.TagText, info.FixedValue, Owner(info), written));
                }
                return;
            }

            if (EnumType(info) is INamedTypeSymbol enumType && !constants.Any(x => x.Value is string))
            {
                if (!isCollection && constants[0].Value != null) CheckEnumMember(c, info, enumType, constants[0].Value!, wholeSyntax);
                return;
            }

            foreach (var (text, op, isString) in texts)
            {
                bool reported = false;
                var parts = isString ? text.Split('\\') : new[] { text };
                if (info.EnumeratedValues.Length > 0 && !info.IsDefinedTerms)
                {
                    foreach (var part in parts)
                    {
                        if (part.Length == 0 || info.EnumeratedValues.Contains(part.TrimEnd())) continue;
                        var props = ImmutableDictionary<string, string?>.Empty.Add(Descriptors.ValuesKey, string.Join("\\", info.EnumeratedValues));
                        c.ReportDiagnostic(Diagnostic.Create(Descriptors.EnumeratedValue, op.Syntax.GetLocation(), props, part, info.Display, Owner(info), string.Join(", ", info.EnumeratedValues)));
                        reported = true;
                        break;
                    }
                }
                // An enumerated-value violation is the more specific finding: no second one for the VR format.
                if (isString && !reported) ReportVr(c, info.VR, text, op.Syntax);
            }
        }

        /// <summary>Where to report on a value: a single value passed to a params parameter is reported on the value itself.</summary>
        private static SyntaxNode Where(IOperation value, List<(object? Value, IOperation Op)> constants, SyntaxNode wholeSyntax) =>
            constants.Count == 1 && DicomSymbols.Unwrap(value) is IArrayCreationOperation ac && ac.IsImplicit ? constants[0].Op.Syntax : wholeSyntax;

        /// <summary>The enum type of a member (or of its nullable), when the generator typed it as an enum.</summary>
        private static INamedTypeSymbol? EnumType(MemberInfo info)
        {
            var type = info.Symbol is IPropertySymbol ps ? ps.Type : (info.Symbol as IFieldSymbol)?.Type;
            if (type is INamedTypeSymbol nt && nt.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T) type = nt.TypeArguments[0];
            return type is INamedTypeSymbol e && e.TypeKind == TypeKind.Enum ? e : null;
        }

        // Rule 1 on enum-typed members: a constant cast to the enum that names none of its members.
        private static void CheckEnumMember(OperationAnalysisContext c, MemberInfo info, INamedTypeSymbol enumType, object value, SyntaxNode syntax)
        {
            var members = enumType.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).ToList();
            long? v = DicomSymbols.Int(value);
            if (v == null || members.Any(f => DicomSymbols.Int(f.ConstantValue) == v)) return;
            var props = ImmutableDictionary<string, string?>.Empty
                .Add(Descriptors.ValuesKey, string.Join("\\", members.Select(f => f.Name)))
                .Add(Descriptors.EnumKey, enumType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
            var allowed = info.EnumeratedValues.Length > 0 ? info.EnumeratedValues : members.Select(f => f.Name).ToImmutableArray();
            c.ReportDiagnostic(Diagnostic.Create(Descriptors.EnumeratedValue, syntax.GetLocation(), props,
                DicomSymbols.Text(value), info.Display, Owner(info), string.Join(", ", allowed)));
        }

        private static void ReportVr(OperationAnalysisContext c, string vr, string text, SyntaxNode syntax)
        {
            var parts = text.Split('\\');
            foreach (var part in parts)
            {
                string? problem = VrRules.Problem(vr, part, out string? fix);
                if (problem == null) continue;
                var props = ImmutableDictionary<string, string?>.Empty;
                if (fix != null && parts.Length == 1 && syntax is LiteralExpressionSyntax) props = props.Add(Descriptors.FixKey, fix);
                c.ReportDiagnostic(Diagnostic.Create(Descriptors.InvalidForVr, syntax.GetLocation(), props, part, vr, problem));
                return;
            }
        }

        private static string Owner(MemberInfo info) => info.Symbol.ContainingType.Name;

        // Rule 8 on object initializers; rule 5 on tag constructions.
        private static void AnalyzeCreation(OperationAnalysisContext c, DicomSymbols s, Lazy<List<PrivateAccessor>> accessors)
        {
            var oc = (IObjectCreationOperation)c.Operation;
            if (oc.Type == null) return;
            if (SymbolEqualityComparer.Default.Equals(oc.Type, s.Tag))
            {
                CheckPrivateTag(c, s, oc, accessors);
                return;
            }
            if (SymbolEqualityComparer.Default.Equals(oc.Type, s.PrivateTag))
            {
                if (oc.Arguments.Length == 3)
                {
                    var creator = DicomSymbols.Unwrap(oc.Arguments[1].Value).ConstantValue;
                    if (creator.HasValue && (creator.Value == null || (creator.Value is string cs && cs.Trim().Length == 0)))
                        c.ReportDiagnostic(Diagnostic.Create(Descriptors.PrivateTag, oc.Syntax.GetLocation(), "Private tag without its private creator: the element cannot be found or reserved by creator"));
                }
                return;
            }
            if (oc.Initializer == null || !s.IsTyped(oc.Type)) return;
            CheckConditions(c, s, oc);
        }

        private static void CheckPrivateTag(OperationAnalysisContext c, DicomSymbols s, IObjectCreationOperation oc, Lazy<List<PrivateAccessor>> accessors)
        {
            if (!s.TryTag(oc, out uint tag, out _)) return;
            ushort group = (ushort)(tag >> 16);
            ushort element = (ushort)tag;
            bool isPrivate = (group & 1) == 1 && group > 7 && group != 0xFFFF;
            if (!isPrivate) return;
            string tagText = "(" + group.ToString("X4", CultureInfo.InvariantCulture) + "," + element.ToString("X4", CultureInfo.InvariantCulture) + ")";
            if (element >= 0x0010 && element <= 0x00FF)
            {
                c.ReportDiagnostic(Diagnostic.Create(Descriptors.PrivateTag, oc.Syntax.GetLocation(), "Private creator element " + tagText + " hard-coded: let the private accessor reserve the block"));
                return;
            }
            if (element < 0x1000) return;
            byte elementByte = (byte)element;
            var props = ImmutableDictionary<string, string?>.Empty;
            if (oc.Parent is IArgumentOperation arg && arg.Parent is IInvocationOperation inv && inv.Instance != null
                && SymbolEqualityComparer.Default.Equals(inv.Instance.Type, s.Dataset) && inv.Arguments.Length > 0 && inv.Arguments[0] == arg)
            {
                var candidates = accessors.Value.Where(p => p.Group == group && p.ElementByte == elementByte).ToList();
                var iod = TypedSource(inv.Instance, s);
                if (iod != null && candidates.Count > 1)
                {
                    string ns = iod.ContainingNamespace.ToDisplayString();
                    candidates = candidates.Where(p => p.Namespace == ns).ToList();
                }
                if (candidates.Count == 1)
                {
                    props = props.Add(Descriptors.AccessorKey, candidates[0].Expression).Add(Descriptors.DatasetKey, inv.Instance.Syntax.ToString());
                }
            }
            c.ReportDiagnostic(Diagnostic.Create(Descriptors.PrivateTag, oc.Syntax.GetLocation(), props,
                "Private tag " + tagText + " hard-coded: its block (" + (element >> 8).ToString("X2", CultureInfo.InvariantCulture) + ") depends on the private creator reservation; use the generated private accessor"));
        }

        private static void CheckConditions(OperationAnalysisContext c, DicomSymbols s, IObjectCreationOperation oc)
        {
            var members = s.Members(oc.Type!).ToList();
            var conditional = members.Where(m => (m.Type == 1 || m.Type == 3) && !string.IsNullOrEmpty(m.Condition)).ToList();
            if (conditional.Count == 0) return;
            var assigned = new Dictionary<ISymbol, IOperation>(SymbolEqualityComparer.Default);
            foreach (var init in oc.Initializer!.Initializers)
            {
                if (init is ISimpleAssignmentOperation a)
                {
                    ISymbol? t = a.Target is IPropertyReferenceOperation p ? p.Property : a.Target is IFieldReferenceOperation f ? (ISymbol)f.Field : null;
                    if (t != null) assigned[t.OriginalDefinition] = a.Value;
                }
            }
            var byTag = new Dictionary<uint, MemberInfo>();
            foreach (var m in members)
            {
                if (!byTag.ContainsKey(m.Tag)) byTag[m.Tag] = m;
            }
            bool consultedAssigned = false;
            StaticValue? Lookup(uint tag)
            {
                if (!byTag.TryGetValue(tag, out var m)) return null;
                if (assigned.ContainsKey(m.Symbol)) consultedAssigned = true;
                if (m.FixedValue != null && !assigned.ContainsKey(m.Symbol)) return new StaticValue { Present = true, Values = m.FixedValue.Split('\\').ToList() };
                if (!assigned.TryGetValue(m.Symbol, out var value))
                {
                    var type = m.Symbol is IPropertySymbol ps ? ps.Type : ((IFieldSymbol)m.Symbol).Type;
                    bool nullable = !type.IsValueType || type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T;
                    return nullable ? new StaticValue { Present = false } : new StaticValue { Present = null };
                }
                var constants = DicomSymbols.Constants(value, out bool isCollection);
                if (constants == null) return new StaticValue { Present = DicomSymbols.NeverNull(value) ? true : (bool?)null };
                if (!isCollection && constants[0].Value == null) return new StaticValue { Present = false };
                return new StaticValue { Present = true, Values = constants.Select(x => ConstantText(s, x.Op, x.Value)).SelectMany(t => t.Split('\\')).ToList() };
            }
            foreach (var m in conditional)
            {
                if (assigned.ContainsKey(m.Symbol) || m.FixedValue != null) continue;
                consultedAssigned = false;
                if (ConditionEvaluator.Evaluate(m.Condition!, Lookup) != true || !consultedAssigned) continue;
                var location = oc.Syntax is ObjectCreationExpressionSyntax syn ? syn.Type.GetLocation() : oc.Syntax.GetLocation();
                c.ReportDiagnostic(Diagnostic.Create(Descriptors.ConditionUnsatisfied, location, m.Symbol.Name, m.TagText, m.TypeText));
            }
        }

        /// <summary>The DICOM text of a constant: a member of a generated enumeration (marked [DicomEnumeratedValues], members
        /// in the attribute's order) is its enumerated value, e.g. <c>MultienergyCTAcquisitionValue.YES</c> → "YES".</summary>
        private static string ConstantText(DicomSymbols s, IOperation op, object? value)
        {
            if (op.Type is INamedTypeSymbol { TypeKind: TypeKind.Enum } e && DicomSymbols.Find(e, s.Enumerated) is AttributeData a && DicomSymbols.Int(value) is long i)
            {
                var values = DicomSymbols.Strings(a, 1);
                if (i >= 0 && i < values.Length) return values[(int)i];
            }
            return DicomSymbols.Text(value);
        }

        /// <summary>The typed IOD a data set comes from: <c>x.ToDataset()</c> directly or through a local initialized with it in the same body.</summary>
        internal static INamedTypeSymbol? TypedSource(IOperation receiver, DicomSymbols s)
        {
            var op = DicomSymbols.Unwrap(receiver);
            if (op is ILocalReferenceOperation lr && op.SemanticModel is SemanticModel model)
            {
                foreach (var r in lr.Local.DeclaringSyntaxReferences)
                {
                    if (r.SyntaxTree != op.Syntax.SyntaxTree) continue;
                    if (r.GetSyntax(default) is VariableDeclaratorSyntax d && d.Initializer != null)
                    {
                        var init = model.GetOperation(d.Initializer.Value);
                        if (init != null) op = DicomSymbols.Unwrap(init);
                    }
                }
            }
            if (op is IInvocationOperation inv && inv.TargetMethod.Name == "ToDataset" && inv.Instance?.Type is INamedTypeSymbol t
                && DicomSymbols.Find(t, s.Iod) != null)
                return t;
            return null;
        }

        private static bool IsPrivate(uint tag) => ((tag >> 16) & 1) == 1 && (tag >> 16) > 7 && (tag >> 16) != 0xFFFF && (tag & 0xFFFF) >= 0x0010;

        private static void AnalyzeInvocation(OperationAnalysisContext c, DicomSymbols s, Lazy<List<PrivateAccessor>> accessors)
        {
            var inv = (IInvocationOperation)c.Operation;
            if (inv.TargetMethod.Name == "AddOrUpdate" && SymbolEqualityComparer.Default.Equals(inv.TargetMethod.ContainingType, s.Dataset))
            {
                AnalyzeAddOrUpdate(c, s, inv, accessors);
                return;
            }
            if (inv.Instance != null)
            {
                NetworkRule.Analyze(c, s, inv);
                return;
            }
            // Rule 6 on the value types' parsers: DicomDate.Parse("2024-01-01"), DicomTime.Parse("12:30").
            if ((inv.TargetMethod.Name == "Parse" || inv.TargetMethod.Name == "TryParse") && inv.Arguments.Length > 0)
            {
                string? vr = SymbolEqualityComparer.Default.Equals(inv.TargetMethod.ContainingType, s.Date) ? "DA"
                    : SymbolEqualityComparer.Default.Equals(inv.TargetMethod.ContainingType, s.Time) ? "TM" : null;
                if (vr == null) return;
                var arg = DicomSymbols.Unwrap(inv.Arguments[0].Value);
                if (arg.ConstantValue.HasValue && arg.ConstantValue.Value is string text) ReportVr(c, vr, text, arg.Syntax);
            }
        }

        // Rules 2, 3, 6 on the raw escape hatch (DicomDataset.AddOrUpdate on a typed object's ToDataset()).
        private static void AnalyzeAddOrUpdate(OperationAnalysisContext c, DicomSymbols s, IInvocationOperation inv, Lazy<List<PrivateAccessor>> accessors)
        {
            if (inv.Arguments.Length == 0 || !SymbolEqualityComparer.Default.Equals(inv.TargetMethod.Parameters[0].Type, s.Tag)) return;
            var tagArg = inv.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0);
            if (tagArg == null || !s.TryTag(tagArg.Value, out uint tag, out string? keyword)) return;
            var values = inv.Arguments.FirstOrDefault(a => a.Parameter != null && a.Parameter.IsParams);
            string? vr = null;
            var vrArg = inv.Arguments.FirstOrDefault(a => a.Parameter != null && SymbolEqualityComparer.Default.Equals(a.Parameter.Type, s.VR));
            if (vrArg != null && DicomSymbols.Unwrap(vrArg.Value) is IFieldReferenceOperation vf && vf.Field.IsStatic) vr = vf.Field.Name;
            else if (vrArg != null && DicomSymbols.Unwrap(vrArg.Value) is IPropertyReferenceOperation vp && vp.Property.IsStatic) vr = vp.Property.Name;

            var iod = inv.Instance == null ? null : TypedSource(inv.Instance, s);
            if (iod != null)
            {
                var members = s.Members(iod).ToList();
                MemberInfo? member = keyword != null
                    ? members.FirstOrDefault(m => m.Symbol.Name == keyword)
                    : members.FirstOrDefault(m => m.Tag == tag || (m.PrivateCreator != null && (tag >> 16) == (m.Tag >> 16) && (tag & 0xFFFF) >= 0x1000 && (tag & 0xFF) == (m.Tag & 0xFF)));
                // Private creator elements and private data elements the device's dictionary knows are DT0005's business.
                bool privateWithAccessor = member == null && keyword == null && IsPrivate(tag)
                    && ((tag & 0xFFFF) < 0x1000 || accessors.Value.Any(p => p.Group == (tag >> 16) && p.ElementByte == (byte)tag && p.Namespace == iod.ContainingNamespace.ToDisplayString()));
                if (member == null && !privateWithAccessor)
                {
                    var iodAttr = DicomSymbols.Find(iod, s.Iod);
                    string definition = iodAttr != null && iodAttr.ConstructorArguments.Length == 3 ? iodAttr.ConstructorArguments[2].Value as string ?? "" : "";
                    string name = keyword ?? "(" + (tag >> 16).ToString("X4", CultureInfo.InvariantCulture) + "," + (tag & 0xFFFF).ToString("X4", CultureInfo.InvariantCulture) + ")";
                    c.ReportDiagnostic(Diagnostic.Create(Descriptors.NotInIod, tagArg.Syntax.GetLocation(), name, iod.Name, definition));
                }
                else if (member != null && values != null)
                {
                    // The definition's metadata decides: fixed value, enumerated values, Type 1 and the member's VR.
                    CheckValues(c, member, values.Value, values.Syntax);
                    return;
                }
            }
            if (vr != null && values != null)
            {
                var constants = DicomSymbols.Constants(values.Value, out _);
                if (constants == null) return;
                foreach (var (v, op) in constants)
                {
                    if (v is string text) ReportVr(c, vr, text, op.Syntax);
                }
            }
        }
    }
}
