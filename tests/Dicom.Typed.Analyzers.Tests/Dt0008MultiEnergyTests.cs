using Microsoft.CodeAnalysis.Testing;

namespace Dicom.Typed.Analyzers.Tests;

/// <summary>
/// DT0008 on syngo CT's Multi-energy CT Acquisition (0018,9361), an enumeration YES/NO since the erratum of
/// definitions/siemens-syngo-ct-va50a/errata.json (the statement's cell "YES NO" was read as one fixed value, which made
/// every condition on it constant). Real World Value Mapping Sequence (0040,9096) is 1C "only if 0018,9361 is YES";
/// CTDI Phantom Type Code Sequence (0018,9346) and CT Additional X-Ray Source Sequence (0018,9360) are 1C "not if YES".
/// </summary>
public class Dt0008MultiEnergyTests
{
    [Fact]
    public Task Enum_member_decides_the_conditions() => AnalyzerTest.Run("""
        using Dicom.Typed.Devices.SiemensSyngoCtVa50a;
        class C
        {
            SyngoCtImage Yes() => new {|#0:SyngoCtImage|} { MultienergyCTAcquisition = SyngoCtImage.MultienergyCTAcquisitionValue.YES };
            SyngoCtImage No() => new {|#1:SyngoCtImage|} { MultienergyCTAcquisition = SyngoCtImage.MultienergyCTAcquisitionValue.NO };
            SyngoCtImage YesSatisfied() => new SyngoCtImage { MultienergyCTAcquisition = SyngoCtImage.MultienergyCTAcquisitionValue.YES, RealWorldValueMappingSequence = [] };
            SyngoCtImage Runtime(SyngoCtImage.MultienergyCTAcquisitionValue? v) => new SyngoCtImage { MultienergyCTAcquisition = v };
        }
        """,
        new DiagnosticResult(Descriptors.ConditionUnsatisfied).WithLocation(0).WithArguments("RealWorldValueMappingSequence", "(0040,9096)", "1C"),
        new DiagnosticResult(Descriptors.ConditionUnsatisfied).WithLocation(1).WithArguments("CTDIPhantomTypeCodeSequence", "(0018,9346)", "1C"),
        new DiagnosticResult(Descriptors.ConditionUnsatisfied).WithLocation(1).WithArguments("CTAdditionalXRaySourceSequence", "(0018,9360)", "1C"));

    [Fact]
    public void Generated_property_is_an_enumeration_of_YES_and_NO()
    {
        var p = typeof(Dicom.Typed.Devices.SiemensSyngoCtVa50a.SyngoCtImage).GetProperty("MultienergyCTAcquisition")!;
        var type = Nullable.GetUnderlyingType(p.PropertyType)!;
        Assert.True(type.IsEnum);
        Assert.Equal(["YES", "NO"], Enum.GetNames(type));
        var values = (Dicom.Typed.Iod.DicomEnumeratedValuesAttribute)Attribute.GetCustomAttribute(p, typeof(Dicom.Typed.Iod.DicomEnumeratedValuesAttribute))!;
        Assert.NotNull(values);
    }
}
