using System;

namespace Dicom.Typed.Generators.Model
{
    /// <summary>A diagnostic as data (no Location in the pipeline): file, 1-based line and column.</summary>
    internal sealed record DiagnosticInfo(string Id, string Message, string File, int Line, int Column, bool IsError);

    /// <summary>A vendor IOD specialization, or a message dataset (messages/*.json: <see cref="Dimse"/> names the DIMSE message part,
    /// e.g. "C-FIND-RQ identifier"; such a dataset carries no SOP Class UID attribute). <see cref="SrContent"/>: the typed SR content
    /// class (root template <see cref="SrTid"/>) of an SR IOD, empty otherwise.</summary>
    internal sealed record IodModel(
        string TypeName,
        string Namespace,
        string Device,
        string Context,
        string SopClassUid,
        string SopClassName,
        string DefinitionFile,
        EquatableArray<AttributeModel> Attributes,
        EquatableArray<ModuleRef> Modules,
        string BaseTypeName = "",
        string Dimse = "",
        EquatableArray<string> Variants = default,
        string SrContent = "",
        string SrTid = "");

    /// <summary>A module of the IOD (name, usage, the properties it contributes).</summary>
    internal sealed record ModuleRef(string Name, string Usage, EquatableArray<string> PropertyNames);

    /// <summary>One attribute (possibly a sequence with item attributes).</summary>
    internal sealed record AttributeModel(
        string Name,
        string PropertyName,
        uint Tag,
        string PrivateCreator,
        string VR,
        string VM,
        string Type,
        string PresenceWord,
        string Sources,
        string Comment,
        string ValueKind,
        EquatableArray<string> Values,
        string ConditionJson,
        string ConditionText,
        string Provenance,
        int FirstLine,
        int LastLine,
        string Table,
        EquatableArray<AttributeModel> Items);

    /// <summary>Result of parsing one definitions file.</summary>
    internal sealed record ParseResult(IodModel? Iod, EquatableArray<DiagnosticInfo> Diagnostics);
}
