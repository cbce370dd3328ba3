using Dicom.Typed.Iod;
using Xunit.Abstractions;

namespace Dicom.Typed.Devices.Tests;

/// <summary>The quickstart's hand-written SyngoCtImage, VereosPetImage and SmartCtXaImage (samples/Quickstart/QuickstartIods.cs):
/// dciodvfy reports no error beyond the documented vendor deviations, and each reads back conformant and equal.</summary>
public sealed class QuickstartTests(ITestOutputHelper output)
{
    public static TheoryData<string> Builders() => new() { "SyngoCt", "VereosPet", "SmartCtXa" };

    private static IDicomIod Build(string name) => name switch
    {
        "SyngoCt" => QuickstartIods.SyngoCt(),
        "VereosPet" => QuickstartIods.VereosPet(),
        "SmartCtXa" => QuickstartIods.SmartCtXa(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [DciodvfyTheory]
    [MemberData(nameof(Builders))]
    public void Quickstart_instance_passes_dciodvfy_and_reads_back_equal(string name)
    {
        var iod = Build(name);
        var type = iod.GetType();
        var (errors, _, reread) = DciodvfyRoundTripTests.WriteAndVerify(iod, "Quickstart" + type.Name, output);
        var deviations = DciodvfyRoundTripTests.VendorDeviations.Where(d => d.Iod == type.Name).ToList();
        var unexplained = errors.Where(e => !deviations.Any(d => e.Contains(d.Error, StringComparison.Ordinal))).ToList();
        Assert.True(unexplained.Count == 0, $"dciodvfy on the quickstart's {type.Name}:\n" + string.Join("\n", unexplained));
        DciodvfyRoundTripTests.AssertReadsBackEqual(type, iod, reread);
    }
}
