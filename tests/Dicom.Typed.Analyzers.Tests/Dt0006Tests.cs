using Dicom.Typed.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Dicom.Typed.Analyzers.Tests;

/// <summary>DT0006: literals invalid for their VR (DA, TM, UI, AE, CS) in typed members, the raw data set and the value parsers.</summary>
public class Dt0006Tests
{
    internal const string Violation = """
        using Dicom.Typed.Devices.SiemensSyngoCtVa50a;
        class C
        {
            SyngoCtImage M() => new SyngoCtImage { PatientSex = {|#0:"m"|}, StudyInstanceUID = {|#1:"1.2.840.abc"|} };

            void N(SyngoCtImage image)
            {
                var ds = image.ToDataset();
                ds.AddOrUpdate(DicomTag.StudyDate, {|#2:"2024-01-01"|});
                ds.AddOrUpdate(DicomTag.StudyTime, {|#3:"12:30:00"|});
                var d = DicomDate.Parse({|#4:"2024-02-30"|});
                new DicomDataset().AddOrUpdate(DicomTag.RetrieveAETitle, DicomVR.AE, {|#5:"THIS_AE_TITLE_IS_TOO_LONG"|});
                new DicomDataset().AddOrUpdate(DicomTag.StudyInstanceUID, DicomVR.UI, {|#6:"1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25.26.27"|});
            }
        }
        """;

    private static DiagnosticResult E(int location, string value, string vr, string problem) =>
        new DiagnosticResult(Descriptors.InvalidForVr).WithLocation(location).WithArguments(value, vr, problem);

    private static DiagnosticResult[] Expected() =>
    [
        E(0, "m", "CS", "CS has only uppercase letters, digits, space and '_'"),
        E(1, "1.2.840.abc", "UI", "a UID has only digits and '.'"),
        E(2, "2024-01-01", "DA", "DA is YYYYMMDD without separators"),
        E(3, "12:30:00", "TM", "TM is HHMMSS.FFFFFF without colons"),
        E(4, "2024-02-30", "DA", "DA is YYYYMMDD without separators"),
        E(5, "THIS_AE_TITLE_IS_TOO_LONG", "AE", "an AE title has at most 16 characters"),
        E(6, "1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20.21.22.23.24.25.26.27", "UI", "a UID has at most 64 characters"),
    ];

    [Fact]
    public Task Fires_on_DA_TM_UI_AE_CS_literals() => AnalyzerTest.Run(Violation, Expected());

    [Fact]
    public Task Does_not_fire_on_valid_literals() => AnalyzerTest.Run("""
        using Dicom.Typed.Devices.SiemensSyngoCtVa50a;
        class C
        {
            SyngoCtImage M() => new SyngoCtImage { PatientSex = "M", StudyInstanceUID = "1.2.840.10008.5.1.4.1.1.2" };

            void N(SyngoCtImage image)
            {
                var ds = image.ToDataset();
                ds.AddOrUpdate(DicomTag.StudyDate, "20240101");
                ds.AddOrUpdate(DicomTag.StudyTime, "123000.25");
                var d = DicomDate.Parse("20240229");
                var t = DicomTime.Parse("2359");
                new DicomDataset().AddOrUpdate(DicomTag.RetrieveAETitle, DicomVR.AE, "STORESCP");
                new DicomDataset().AddOrUpdate(DicomTag.PatientComments, DicomVR.LT, "lower case is fine in LT: 2024-01-01");
            }
        }
        """);

    [Fact]
    public Task Generated_code_is_not_analyzed() => Common.NotInGeneratedCode(Violation);

    [Fact]
    public Task EditorConfig_severity_applies() => Common.EditorConfig(Violation, "DT0006", DiagnosticSeverity.Warning, Expected());

    [Fact]
    public Task Fix_all_rewrites_unambiguous_literals() => new FixTest<VrFormatCodeFix>("""
        using Dicom.Typed.Devices.SiemensSyngoCtVa50a;
        class C
        {
            SyngoCtImage M() => new SyngoCtImage { PatientSex = {|DT0006:"f"|}, StudyInstanceUID = {|DT0006:"1.2.840.abc"|} };

            void N(SyngoCtImage image)
            {
                var ds = image.ToDataset();
                ds.AddOrUpdate(DicomTag.StudyDate, {|DT0006:"2024-01-01"|});
                ds.AddOrUpdate(DicomTag.StudyTime, {|DT0006:"12:30:00"|});
                var d = DicomDate.Parse({|DT0006:"2024.02.29"|});
            }
        }
        """, """
        using Dicom.Typed.Devices.SiemensSyngoCtVa50a;
        class C
        {
            SyngoCtImage M() => new SyngoCtImage { PatientSex = "F", StudyInstanceUID = {|DT0006:"1.2.840.abc"|} };

            void N(SyngoCtImage image)
            {
                var ds = image.ToDataset();
                ds.AddOrUpdate(DicomTag.StudyDate, "20240101");
                ds.AddOrUpdate(DicomTag.StudyTime, "123000");
                var d = DicomDate.Parse("20240229");
            }
        }
        """)
    {
        // The letters in the UID have no unambiguous fix: the diagnostic stays.
        FixedState = { MarkupHandling = MarkupMode.Allow },
    }.VerifyAsync();
}
