using Microsoft.CodeAnalysis;

namespace Dicom.Typed.Analyzers
{
    /// <summary>The diagnostics of the Dicom.Typed analyzers (DT0001-DT0008).</summary>
    public static class Descriptors
    {
        /// <summary>Where the help pages live (<c>docs/DTnnnn.md</c> in the repository).</summary>
        public const string HelpBase = "https://github.com/dicom-typed/Dicom.Typed/blob/main/docs/";

        private const string Usage = "Dicom.Typed.Usage";
        private const string Network = "Dicom.Typed.Network";

        /// <summary>Property key of the replacement literal text a code fix may apply.</summary>
        public const string FixKey = "Fix";

        /// <summary>Property key of the allowed values (separated by '\') for DT0001.</summary>
        public const string ValuesKey = "Values";

        /// <summary>Property key of the fully qualified enum type whose member a DT0001 fix picks.</summary>
        public const string EnumKey = "Enum";

        /// <summary>Property key of the private accessor expression for DT0005.</summary>
        public const string AccessorKey = "Accessor";

        /// <summary>Property key of the data set expression for DT0005.</summary>
        public const string DatasetKey = "Dataset";

        private static DiagnosticDescriptor Rule(string id, string title, string message, string category, DiagnosticSeverity severity, string description) =>
            new DiagnosticDescriptor(id, title, message, category, severity, isEnabledByDefault: true, description: description, helpLinkUri: HelpBase + id + ".md");

        /// <summary>DT0001: a constant that is not among the enumerated values of the attribute.</summary>
        public static readonly DiagnosticDescriptor EnumeratedValue = Rule("DT0001",
            "Value not among the enumerated values of the attribute",
            "'{0}' is not an enumerated value of {1} ({2}); allowed: {3}",
            Usage, DiagnosticSeverity.Error,
            "The vendor definition restricts this attribute to enumerated values; any other constant produces a non-conformant object.");

        /// <summary>DT0002: a fixed value overwritten with a different constant.</summary>
        public static readonly DiagnosticDescriptor FixedValue = Rule("DT0002",
            "Fixed value overwritten with a different constant",
            "{0} {1} has the fixed value '{2}' in {3}; '{4}' overwrites it",
            Usage, DiagnosticSeverity.Error,
            "The device always writes this value; writing another one misrepresents what the device produces.");

        /// <summary>DT0003: an attribute outside the IOD written through the raw data set.</summary>
        public static readonly DiagnosticDescriptor NotInIod = Rule("DT0003",
            "Attribute outside the IOD written through the raw data set",
            "{0} is not an attribute of {1} (definition {2}); writing it through the raw data set bypasses the definition",
            Usage, DiagnosticSeverity.Warning,
            "The data set returned by ToDataset() is the raw escape hatch; attributes the vendor definition does not list should not be added to it.");

        /// <summary>DT0004: a Type 1 attribute set to a null or empty constant.</summary>
        public static readonly DiagnosticDescriptor Type1Empty = Rule("DT0004",
            "Type 1 attribute set to a null or empty constant",
            "{0} {1} is Type 1 and must not be {2}",
            Usage, DiagnosticSeverity.Error,
            "Type 1 attributes shall be present with a value (PS3.5 7.4.1).");

        /// <summary>DT0005: a private tag without its private creator or with a hard-coded element number.</summary>
        public static readonly DiagnosticDescriptor PrivateTag = Rule("DT0005",
            "Private tag without its private creator or with a hard-coded element number",
            "{0}",
            Usage, DiagnosticSeverity.Warning,
            "Private element numbers depend on the block the private creator reserves (PS3.5 7.8.1); find private attributes by creator with the generated PrivateDictionary accessors.");

        /// <summary>DT0006: a literal invalid for the VR.</summary>
        public static readonly DiagnosticDescriptor InvalidForVr = Rule("DT0006",
            "Literal invalid for the value representation",
            "'{0}' is not a valid {1} value: {2}",
            Usage, DiagnosticSeverity.Error,
            "The literal does not satisfy the value representation's format (PS3.5 6.2).");

        /// <summary>DT0007: SOP class or transfer syntax not accepted by the peer.</summary>
        public static readonly DiagnosticDescriptor NotAccepted = Rule("DT0007",
            "SOP class or transfer syntax not accepted by the peer",
            "{0} '{1}' is not accepted by {2} (accepted: {3})",
            Network, DiagnosticSeverity.Warning,
            "The peer's network definitions list the SOP classes and transfer syntaxes it accepts; the association would reject this one.");

        /// <summary>DT0008: a conditional attribute statically required but not set.</summary>
        public static readonly DiagnosticDescriptor ConditionUnsatisfied = Rule("DT0008",
            "Conditional attribute statically required but not set",
            "{0} {1} is Type {2} and its condition holds in this initializer, but it is not set",
            Usage, DiagnosticSeverity.Warning,
            "The condition of the 1C/2C attribute is decided by constants in this object initializer and requires the attribute.");
    }
}
