using Dicom.Typed.Generators.Model;

namespace Dicom.Typed.Generators.Sr
{
    /// <summary>A code triple of a template row (concept name, units or fixed value).</summary>
    internal sealed record SrCode(string Value, string Scheme, string Meaning);

    /// <summary>One row of a TID table after the errata (-1 level: not printed).</summary>
    internal sealed record SrRowModel(
        int Level,
        string Relationship,
        string ValueType,
        string ConceptText,
        SrCode? Concept,
        SrCode? Units,
        SrCode? Value,
        string IncludedTid,
        string Vm,
        string Presence,
        string Constraint,
        string Resolution,
        string Table,
        int FirstLine,
        int LastLine);

    /// <summary>One template (TID table) of a device.</summary>
    internal sealed record SrTemplateModel(string Tid, string Name, string Table, int FirstLine, EquatableArray<SrRowModel> Rows);

    /// <summary>Which template an SR IOD's content follows (default: the file's root).</summary>
    internal sealed record SrIodTemplate(string Iod, string Tid);

    /// <summary>The SR templates of one device (sr-templates.json with sr-errata.json applied).</summary>
    internal sealed record SrDeviceModel(
        string Device,
        string Namespace,
        string File,
        string Root,
        EquatableArray<SrTemplateModel> Templates,
        EquatableArray<SrIodTemplate> IodTemplates,
        EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>The typed content of one SR IOD: the root template's class.</summary>
    internal sealed record SrContentBinding(string Device, string Iod, string ClassName, string Tid);
}
