namespace Dicom.Typed.Text;

/// <summary>
/// How a string value is delimited, which decides where ISO 2022 code-extension state is reset
/// (PS3.5 6.1.2.5.3): at the start of the value and after each delimiter the code elements of
/// value 1 of Specific Character Set (0008,0005) are active again.
/// </summary>
public enum DicomTextKind
{
    /// <summary>ST, LT, UT: only the control characters CR, LF, FF and TAB reset the state.</summary>
    SingleValue = 0,

    /// <summary>SH, LO, UC: the controls and the value delimiter <c>'\'</c> reset the state.</summary>
    MultiValue = 1,

    /// <summary>PN: the controls, <c>'\'</c>, the component delimiter <c>'^'</c> and the component group delimiter <c>'='</c> reset the state.</summary>
    PersonName = 2,
}
