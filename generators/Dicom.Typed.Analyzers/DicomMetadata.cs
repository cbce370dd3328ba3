using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Dicom.Typed.Analyzers
{
    /// <summary>The metadata of a generated member, read from its attributes.</summary>
    internal sealed class MemberInfo
    {
        public MemberInfo(ISymbol symbol, uint tag, string vr, string vm, int type)
        {
            Symbol = symbol;
            Tag = tag;
            VR = vr;
            VM = vm;
            Type = type;
        }

        public ISymbol Symbol { get; }
        public uint Tag { get; }
        public string VR { get; }
        public string VM { get; }

        /// <summary>DicomAttributeType ordinal: 0 Type1, 1 Type1C, 2 Type2, 3 Type2C, 4 Type3.</summary>
        public int Type { get; }
        public string? Condition { get; set; }
        public string? FixedValue { get; set; }
        public ImmutableArray<string> EnumeratedValues { get; set; } = ImmutableArray<string>.Empty;
        public bool IsDefinedTerms { get; set; }
        public string? PrivateCreator { get; set; }

        public string TypeText => Type switch { 0 => "1", 1 => "1C", 2 => "2", 3 => "2C", _ => "3" };
        public string TagText => "(" + (Tag >> 16).ToString("X4", CultureInfo.InvariantCulture) + "," + (Tag & 0xFFFF).ToString("X4", CultureInfo.InvariantCulture) + ")";
        public string Display => Symbol.Name + " " + TagText;
    }

    /// <summary>Resolved well-known symbols and cached metadata for one compilation.</summary>
    internal sealed class DicomSymbols
    {
        public const string MetadataNamespace = "Dicom.Typed.Iod.";

        private readonly Dictionary<ISymbol, MemberInfo?> _members = new Dictionary<ISymbol, MemberInfo?>(SymbolEqualityComparer.Default);
        private readonly object _gate = new object();

        private DicomSymbols(Compilation c)
        {
            Iod = c.GetTypeByMetadataName(MetadataNamespace + "DicomIodAttribute");
            Attribute = c.GetTypeByMetadataName(MetadataNamespace + "DicomAttributeAttribute");
            Enumerated = c.GetTypeByMetadataName(MetadataNamespace + "DicomEnumeratedValuesAttribute");
            Fixed = c.GetTypeByMetadataName(MetadataNamespace + "DicomFixedValueAttribute");
            Private = c.GetTypeByMetadataName(MetadataNamespace + "DicomPrivateAttributeAttribute");
            AcceptedSop = c.GetTypeByMetadataName(MetadataNamespace + "DicomAcceptedSopClassesAttribute");
            AcceptedTs = c.GetTypeByMetadataName(MetadataNamespace + "DicomAcceptedTransferSyntaxesAttribute");
            TransferSyntaxParameter = c.GetTypeByMetadataName(MetadataNamespace + "DicomTransferSyntaxAttribute");
            PrivateTag = c.GetTypeByMetadataName(MetadataNamespace + "DicomPrivateTag");
            Dataset = c.GetTypeByMetadataName("Dicom.Typed.DicomDataset");
            Tag = c.GetTypeByMetadataName("Dicom.Typed.DicomTag");
            VR = c.GetTypeByMetadataName("Dicom.Typed.DicomVR");
            Date = c.GetTypeByMetadataName("Dicom.Typed.DicomDate");
            Time = c.GetTypeByMetadataName("Dicom.Typed.DicomTime");
        }

        public INamedTypeSymbol? Date { get; }
        public INamedTypeSymbol? Time { get; }

        /// <summary>True when a non-constant value is certainly not null: a creation, a collection, or a non-nullable value type.</summary>
        public static bool NeverNull(IOperation value)
        {
            var op = Unwrap(value);
            if (op is IObjectCreationOperation || op is IArrayCreationOperation || op is ICollectionExpressionOperation || op is IAnonymousObjectCreationOperation) return true;
            var t = op.Type;
            return t != null && t.IsValueType && t.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T;
        }

        public INamedTypeSymbol? Iod { get; }
        public INamedTypeSymbol? Attribute { get; }
        public INamedTypeSymbol? Enumerated { get; }
        public INamedTypeSymbol? Fixed { get; }
        public INamedTypeSymbol? Private { get; }
        public INamedTypeSymbol? AcceptedSop { get; }
        public INamedTypeSymbol? AcceptedTs { get; }
        public INamedTypeSymbol? TransferSyntaxParameter { get; }
        public INamedTypeSymbol? PrivateTag { get; }
        public INamedTypeSymbol? Dataset { get; }
        public INamedTypeSymbol? Tag { get; }
        public INamedTypeSymbol? VR { get; }

        public static DicomSymbols? Create(Compilation c)
        {
            var s = new DicomSymbols(c);
            return s.Attribute == null ? null : s;
        }

        public static AttributeData? Find(ISymbol symbol, INamedTypeSymbol? type)
        {
            if (type == null) return null;
            foreach (var a in symbol.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(a.AttributeClass, type)) return a;
            }
            return null;
        }

        public static ImmutableArray<string> Strings(AttributeData a, int index)
        {
            if (a.ConstructorArguments.Length <= index) return ImmutableArray<string>.Empty;
            var arg = a.ConstructorArguments[index];
            if (arg.Kind == TypedConstantKind.Array) return arg.Values.Select(v => v.Value as string).Where(v => v != null).Select(v => v!).ToImmutableArray();
            return arg.Value is string s ? ImmutableArray.Create(s) : ImmutableArray<string>.Empty;
        }

        /// <summary>The metadata of a member, or null when it has no [DicomAttribute].</summary>
        public MemberInfo? Member(ISymbol symbol)
        {
            if (!(symbol is IPropertySymbol || symbol is IFieldSymbol)) return null;
            symbol = symbol.OriginalDefinition;
            lock (_gate)
            {
                if (_members.TryGetValue(symbol, out var cached)) return cached;
            }
            MemberInfo? info = null;
            var a = Find(symbol, Attribute);
            if (a != null && a.ConstructorArguments.Length == 4)
            {
                uint tag = a.ConstructorArguments[0].Value is uint u ? u : 0;
                string vr = a.ConstructorArguments[1].Value as string ?? "";
                string vm = a.ConstructorArguments[2].Value as string ?? "";
                int type = a.ConstructorArguments[3].Value is int t ? t : 4;
                info = new MemberInfo(symbol, tag, vr, vm, type);
                foreach (var n in a.NamedArguments)
                {
                    if (n.Key == "Condition") info.Condition = n.Value.Value as string;
                }
                var f = Find(symbol, Fixed);
                if (f != null && f.ConstructorArguments.Length == 1) info.FixedValue = f.ConstructorArguments[0].Value as string;
                var e = Find(symbol, Enumerated);
                if (e != null && e.ConstructorArguments.Length == 2)
                {
                    info.IsDefinedTerms = e.ConstructorArguments[0].Value is bool b && b;
                    info.EnumeratedValues = Strings(e, 1);
                }
                var p = Find(symbol, Private);
                if (p != null && p.ConstructorArguments.Length == 3) info.PrivateCreator = p.ConstructorArguments[1].Value as string;
            }
            lock (_gate)
            {
                _members[symbol] = info;
            }
            return info;
        }

        /// <summary>True for a class marked [DicomIod] or an item class holding [DicomAttribute] members.</summary>
        public bool IsTyped(ITypeSymbol? type)
        {
            if (!(type is INamedTypeSymbol nt) || nt.SpecialType != SpecialType.None || nt.TypeKind != TypeKind.Class) return false;
            if (Find(nt, Iod) != null) return true;
            // The core library (DicomDataset, DicomDate, …) and the framework hold no generated members: don't decode
            // the attributes of their (many) members.
            var assembly = nt.ContainingAssembly;
            if (assembly == null || SymbolEqualityComparer.Default.Equals(assembly, Attribute?.ContainingAssembly) || assembly.Name.StartsWith("System", StringComparison.Ordinal)) return false;
            lock (_gate)
            {
                if (_typed.TryGetValue(nt, out bool cached)) return cached;
            }
            bool typed = nt.GetMembers().Any(m => Member(m) != null);
            lock (_gate)
            {
                _typed[nt] = typed;
            }
            return typed;
        }

        private readonly Dictionary<ISymbol, bool> _typed = new Dictionary<ISymbol, bool>(SymbolEqualityComparer.Default);

        /// <summary>All metadata members of a type and its bases.</summary>
        public IEnumerable<MemberInfo> Members(ITypeSymbol type)
        {
            for (var t = type; t != null; t = t.BaseType)
            {
                foreach (var m in t.GetMembers())
                {
                    var info = Member(m);
                    if (info != null) yield return info;
                }
            }
        }

        /// <summary>The uint tag of a constant DicomTag construction, the keyword of a DicomTag static property, or neither.</summary>
        public bool TryTag(IOperation op, out uint tag, out string? keyword)
        {
            tag = 0;
            keyword = null;
            op = Unwrap(op);
            if (op is IPropertyReferenceOperation pr && pr.Property.IsStatic && SymbolEqualityComparer.Default.Equals(pr.Property.ContainingType, Tag))
            {
                keyword = pr.Property.Name;
                return true;
            }
            if (op is IObjectCreationOperation oc && SymbolEqualityComparer.Default.Equals(oc.Type, Tag))
            {
                if (oc.Arguments.Length == 2 && Int(oc.Arguments[0].Value) is long g && Int(oc.Arguments[1].Value) is long el)
                {
                    tag = (uint)((g << 16) | el);
                    return true;
                }
                if (oc.Arguments.Length == 1 && Int(oc.Arguments[0].Value) is long v)
                {
                    tag = (uint)v;
                    return true;
                }
            }
            return false;
        }

        public static IOperation Unwrap(IOperation op)
        {
            while (op is IConversionOperation c) op = c.Operand;
            return op;
        }

        public static long? Int(IOperation op)
        {
            var v = op.ConstantValue;
            if (!v.HasValue || v.Value == null) return null;
            return Int(v.Value);
        }

        public static long? Int(object? value)
        {
            if (value == null || value is string || value is bool || value is char) return null;
            try
            {
                return Convert.ToInt64(value, CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is InvalidCastException || ex is FormatException || ex is OverflowException)
            {
                return null;
            }
        }

        /// <summary>The constant elements of a value: a single constant, an array initializer or a collection expression. Null when not all constant.</summary>
        public static List<(object? Value, IOperation Op)>? Constants(IOperation value, out bool isCollection)
        {
            isCollection = false;
            var op = Unwrap(value);
            if (op.ConstantValue.HasValue) return new List<(object?, IOperation)> { (op.ConstantValue.Value, op) };
            IEnumerable<IOperation>? elements = null;
            if (op is IArrayCreationOperation ac && ac.Initializer != null) elements = ac.Initializer.ElementValues;
            else if (op is ICollectionExpressionOperation ce) elements = ce.Elements;
            if (elements == null) return null;
            isCollection = true;
            var list = new List<(object?, IOperation)>();
            foreach (var e in elements)
            {
                var u = Unwrap(e);
                if (!u.ConstantValue.HasValue) return null;
                list.Add((u.ConstantValue.Value, u));
            }
            return list;
        }

        public static string Text(object? value) => value switch
        {
            null => "null",
            string s => s,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
    }
}
