using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Dicom.Typed.Analyzers.Tests;

/// <summary>
/// DT0008: a 1C/2C attribute whose condition is decided by constants of one object initializer. SmartCtXaImage: Cine
/// Rate, Frame Time and Frame Increment Pointer are 1C "present(0028,0008)" (Number of Frames).
/// </summary>
public class Dt0008Tests
{
    internal const string Violation = """
        using Dicom.Typed.Devices.PhilipsSmartctR13;
        class C
        {
            SmartCtXaImage M() => new {|#0:SmartCtXaImage|} { NumberOfFrames = new DicomIntegerString("10"), FrameTime = new DicomDecimalString("66.7") };
        }
        """;

    private static DiagnosticResult[] Expected() =>
    [
        new DiagnosticResult(Descriptors.ConditionUnsatisfied).WithLocation(0).WithArguments("CineRate", "(0018,0040)", "1C"),
        new DiagnosticResult(Descriptors.ConditionUnsatisfied).WithLocation(0).WithArguments("FrameIncrementPointer", "(0028,0009)", "1C"),
    ];

    [Fact]
    public Task Fires_when_the_initializer_makes_the_condition_true_and_omits_the_attribute() => AnalyzerTest.Run(Violation, Expected());

    [Fact]
    public Task Does_not_fire_when_satisfied_false_or_undecidable() => AnalyzerTest.Run("""
        using Dicom.Typed.Devices.PhilipsSmartctR13;
        class C
        {
            SmartCtXaImage All() => new SmartCtXaImage
            {
                NumberOfFrames = new DicomIntegerString("10"),
                CineRate = new DicomIntegerString("15"),
                FrameTime = new DicomDecimalString("66.7"),
                FrameIncrementPointer = [new DicomTag(0x0018, 0x1063)],
            };

            SmartCtXaImage SingleFrame() => new SmartCtXaImage { NumberOfFrames = null };

            SmartCtXaImage NotSet() => new SmartCtXaImage { };

            SmartCtXaImage Runtime(DicomIntegerString? frames) => new SmartCtXaImage { NumberOfFrames = frames };
        }
        """);

    [Fact]
    public Task Generated_code_is_not_analyzed() => Common.NotInGeneratedCode(Violation);

    [Fact]
    public Task EditorConfig_severity_applies() => Common.EditorConfig(Violation, "DT0008", DiagnosticSeverity.Info, Expected());
}
