using Dicom.Typed.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Dicom.Typed.Analyzers.Tests;

/// <summary>DT0001: a constant outside the enumerated values (VereosConsoleSecondaryCapture, AvwColorScImage metadata).</summary>
public class Dt0001Tests
{
    internal const string Violation = """
        using Dicom.Typed.Devices.PhilipsVereos20;
        class C
        {
            VereosConsoleSecondaryCapture M() => new VereosConsoleSecondaryCapture { SamplesPerPixel = {|#0:2|} };
        }
        """;

    private static DiagnosticResult Expected(int location, string value, string display, string owner, string allowed) =>
        new DiagnosticResult(Descriptors.EnumeratedValue).WithLocation(location).WithArguments(value, display, owner, allowed);

    [Fact]
    public Task Fires_on_a_number_outside_the_enumerated_values() =>
        AnalyzerTest.Run(Violation, Expected(0, "2", "SamplesPerPixel (0028,0002)", "VereosConsoleSecondaryCapture", "1, 3"));

    [Fact]
    public Task Fires_on_an_enum_cast_that_names_no_member() => AnalyzerTest.Run("""
        using Dicom.Typed.Devices.PhilipsVereos20;
        class C
        {
            VereosConsoleSecondaryCapture M() => new VereosConsoleSecondaryCapture { PhotometricInterpretation = {|#0:(VereosConsoleSecondaryCapture.PhotometricInterpretationValue)7|} };
        }
        """, Expected(0, "7", "PhotometricInterpretation (0028,0004)", "VereosConsoleSecondaryCapture", "MONOCHROME 2, RGB"));

    [Fact]
    public Task Fires_on_a_string_through_the_raw_data_set() => AnalyzerTest.Run("""
        using Dicom.Typed.Devices.PhilipsAvwCt1513;
        class C
        {
            void M(AvwColorScImage image)
            {
                var ds = image.ToDataset();
                ds.AddOrUpdate(DicomTag.BurnedInAnnotation, {|#0:"MAYBE"|});
            }
        }
        """, Expected(0, "MAYBE", "BurnedInAnnotation (0028,0301)", "AvwColorScImage", "NO, YES"));

    [Fact]
    public Task Does_not_fire_on_enumerated_values() => AnalyzerTest.Run("""
        using Dicom.Typed.Devices.PhilipsVereos20;
        using Dicom.Typed.Devices.PhilipsAvwCt1513;
        class C
        {
            VereosConsoleSecondaryCapture M() => new VereosConsoleSecondaryCapture
            {
                SamplesPerPixel = 3,
                PhotometricInterpretation = VereosConsoleSecondaryCapture.PhotometricInterpretationValue.RGB,
            };

            void N(AvwColorScImage image, ushort runtime)
            {
                image.ToDataset().AddOrUpdate(DicomTag.BurnedInAnnotation, "YES");
                _ = new VereosConsoleSecondaryCapture { SamplesPerPixel = runtime, PhotometricInterpretation = VereosConsoleSecondaryCapture.PhotometricInterpretationValue.MONOCHROME2 };
                new DicomDataset().AddOrUpdate(DicomTag.BurnedInAnnotation, "MAYBE");
            }
        }
        """);

    [Fact]
    public Task Generated_code_is_not_analyzed() => Common.NotInGeneratedCode(Violation);

    [Fact]
    public Task EditorConfig_severity_applies() => Common.EditorConfig(Violation, "DT0001", DiagnosticSeverity.Warning,
        Expected(0, "2", "SamplesPerPixel (0028,0002)", "VereosConsoleSecondaryCapture", "1, 3"));

    [Fact]
    public Task Fix_all_picks_the_enumerated_number() => new FixTest<EnumeratedValueCodeFix>("""
        using Dicom.Typed.Devices.PhilipsVereos20;
        class C
        {
            VereosConsoleSecondaryCapture A() => new VereosConsoleSecondaryCapture { SamplesPerPixel = {|DT0001:2|} };
            VereosConsoleSecondaryCapture B() => new VereosConsoleSecondaryCapture { SamplesPerPixel = {|DT0001:4|} };
        }
        """, """
        using Dicom.Typed.Devices.PhilipsVereos20;
        class C
        {
            VereosConsoleSecondaryCapture A() => new VereosConsoleSecondaryCapture { SamplesPerPixel = 1 };
            VereosConsoleSecondaryCapture B() => new VereosConsoleSecondaryCapture { SamplesPerPixel = 1 };
        }
        """) { CodeActionEquivalenceKey = "DT0001:1" }.VerifyAsync();

    [Fact]
    public Task Fix_picks_the_enum_member() => new FixTest<EnumeratedValueCodeFix>("""
        using Dicom.Typed.Devices.PhilipsVereos20;
        class C
        {
            VereosConsoleSecondaryCapture A() => new VereosConsoleSecondaryCapture { PhotometricInterpretation = {|DT0001:(VereosConsoleSecondaryCapture.PhotometricInterpretationValue)7|} };
            VereosConsoleSecondaryCapture B() => new VereosConsoleSecondaryCapture { PhotometricInterpretation = {|DT0001:(VereosConsoleSecondaryCapture.PhotometricInterpretationValue)9|} };
        }
        """, """
        using Dicom.Typed.Devices.PhilipsVereos20;
        class C
        {
            VereosConsoleSecondaryCapture A() => new VereosConsoleSecondaryCapture { PhotometricInterpretation = VereosConsoleSecondaryCapture.PhotometricInterpretationValue.RGB };
            VereosConsoleSecondaryCapture B() => new VereosConsoleSecondaryCapture { PhotometricInterpretation = VereosConsoleSecondaryCapture.PhotometricInterpretationValue.RGB };
        }
        """) { CodeActionEquivalenceKey = "DT0001:RGB" }.VerifyAsync();

    [Fact]
    public Task Fix_all_picks_the_enumerated_string_in_the_raw_data_set() => new FixTest<EnumeratedValueCodeFix>("""
        using Dicom.Typed.Devices.PhilipsAvwCt1513;
        class C
        {
            void M(AvwColorScImage image)
            {
                var ds = image.ToDataset();
                ds.AddOrUpdate(DicomTag.BurnedInAnnotation, {|DT0001:"yes"|});
                image.ToDataset().AddOrUpdate(DicomTag.BurnedInAnnotation, {|DT0001:"Yes"|});
            }
        }
        """, """
        using Dicom.Typed.Devices.PhilipsAvwCt1513;
        class C
        {
            void M(AvwColorScImage image)
            {
                var ds = image.ToDataset();
                ds.AddOrUpdate(DicomTag.BurnedInAnnotation, "YES");
                image.ToDataset().AddOrUpdate(DicomTag.BurnedInAnnotation, "YES");
            }
        }
        """) { CodeActionEquivalenceKey = "DT0001:YES" }.VerifyAsync();
}
