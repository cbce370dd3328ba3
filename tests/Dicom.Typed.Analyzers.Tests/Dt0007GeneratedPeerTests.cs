using Dicom.Typed.Devices.PhilipsVereos20;
using Dicom.Typed.Devices.ShimadzuTrinias;
using Dicom.Typed.Devices.SiemensSyngoCtVa50a;
using Dicom.Typed.Iod;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Dicom.Typed.Analyzers.Tests;

/// <summary>
/// DT0007 on the real typed client bound to the peers the generator emits from the devices' network definitions
/// (DicomDeviceStorageScu&lt;TPeer&gt; with TriniasDar9500fScp, SyngoCtStorageScp, VereosDicomManagerScp from the
/// Dicom.Typed.Devices assembly): the analyzer finds the accepted SOP classes and transfer syntaxes through the receiver
/// type's type argument. Expected values are read from the same generated types (their attributes), not written here.
/// </summary>
public class Dt0007GeneratedPeerTests
{
    private const string Usings = """
        using System.Threading.Tasks;
        using Dicom.Typed.Network.Definitions;
        using Dicom.Typed.Devices.SiemensSyngoCtVa50a;
        using Dicom.Typed.Devices.ShimadzuTrinias;
        using Dicom.Typed.Devices.PhilipsVereos20;

        """;

    private static string Sops<TPeer>() => string.Join(", ", typeof(TPeer).GetCustomAttributes(typeof(DicomAcceptedSopClassesAttribute), false).Cast<DicomAcceptedSopClassesAttribute>().Single().SopClassUids);

    private static string Syntaxes<TPeer>() => string.Join(", ", typeof(TPeer).GetCustomAttributes(typeof(DicomAcceptedTransferSyntaxesAttribute), false).Cast<DicomAcceptedTransferSyntaxesAttribute>().Single().TransferSyntaxUids);

    private const string Violation = Usings + """
        class C
        {
            async Task M(DicomDeviceStorageScu<TriniasDar9500fScp> trinias, DicomDeviceStorageScu<VereosDicomManagerScp> vereos, SyngoCtImage ct, TriniasXaImage xa,
                Dicom.Typed.Devices.PhilipsSmartctR13.SmartCtXa3dImage xa3d)
            {
                await trinias.StoreAsync({|#0:ct|});
                await trinias.StoreAsync(xa, {|#1:"1.2.840.10008.1.2.5"|});
                await vereos.StoreAsync(xa);
                await vereos.StoreAsync({|#2:xa3d|});
            }
        }
        """;

    private static DiagnosticResult[] Expected() =>
    [
        new DiagnosticResult(Descriptors.NotAccepted).WithLocation(0).WithArguments("SOP class of SyngoCtImage", "1.2.840.10008.5.1.4.1.1.2", "TriniasDar9500fScp", Sops<TriniasDar9500fScp>()),
        new DiagnosticResult(Descriptors.NotAccepted).WithLocation(1).WithArguments("Transfer syntax", "1.2.840.10008.1.2.5", "TriniasDar9500fScp", Syntaxes<TriniasDar9500fScp>()),
        new DiagnosticResult(Descriptors.NotAccepted).WithLocation(2).WithArguments("SOP class of SmartCtXa3dImage", "1.2.840.10008.5.1.4.1.1.13.1.1", "VereosDicomManagerScp", Sops<VereosDicomManagerScp>()),
    ];

    [Fact]
    public void Generated_peers_carry_the_statement_values()
    {
        // Trinias Table 17: XA, SC, X-Ray Radiation Dose SR, Multi-frame Grayscale Byte SC as SCP; no RLE.
        Assert.Equal("1.2.840.10008.5.1.4.1.1.12.1, 1.2.840.10008.5.1.4.1.1.7, 1.2.840.10008.5.1.4.1.1.88.67, 1.2.840.10008.5.1.4.1.1.7.2", Sops<TriniasDar9500fScp>());
        Assert.DoesNotContain("1.2.840.10008.1.2.5", Syntaxes<TriniasDar9500fScp>());
        Assert.Contains("1.2.840.10008.5.1.4.1.1.2,", Sops<SyngoCtStorageScp>() + ",");
        Assert.Equal(Sops<SyngoCtStorageScp>(), string.Join(", ", SyngoCtStorageScp.AcceptedContexts.Select(c => c.SopClassUid)));
        Assert.Equal("Storage AE", SyngoCtStorageScp.ApplicationEntityName);
        // Vereos DICOM Manager stores XA but not X-Ray 3D Angiographic (SmartCT's XA 3D).
        Assert.Contains("1.2.840.10008.5.1.4.1.1.12.1", Sops<VereosDicomManagerScp>());
        Assert.DoesNotContain("1.2.840.10008.5.1.4.1.1.13.1.1", Sops<VereosDicomManagerScp>());
    }

    [Fact]
    public Task Fires_on_the_typed_client_bound_to_a_generated_peer() => AnalyzerTest.Run(Violation, Expected());

    [Fact]
    public Task Fires_on_a_transfer_syntax_the_peer_accepts_but_not_for_that_SOP_class() => AnalyzerTest.Run(Usings + """
        class C
        {
            async Task M(DicomDeviceStorageScu<TriniasDar9500fScp> trinias, TriniasXRayRadiationDoseSr sr, TriniasXaImage xa)
            {
                await trinias.StoreAsync(sr, {|#0:"1.2.840.10008.1.2.1"|});
                await trinias.StoreAsync(xa, "1.2.840.10008.1.2.1");
                await trinias.StoreAsync(sr, "1.2.840.10008.1.2");
            }
        }
        """,
        // Trinias Table 17 line 723: X-Ray Radiation Dose SR in Implicit VR Little Endian only; Explicit VR LE is accepted for XA.
        new DiagnosticResult(Descriptors.NotAccepted).WithLocation(0).WithArguments("Transfer syntax for TriniasXRayRadiationDoseSr", "1.2.840.10008.1.2.1", "TriniasDar9500fScp",
            string.Join(", ", TriniasDar9500fScp.AcceptedContexts.Single(c => c.SopClassUid == "1.2.840.10008.5.1.4.1.1.88.67").TransferSyntaxes)));

    [Fact]
    public Task Does_not_fire_on_what_the_generated_peer_accepts() => AnalyzerTest.Run(Usings + """
        class C
        {
            async Task M(DicomDeviceStorageScu<SyngoCtStorageScp> syngo, DicomDeviceStorageScu<TriniasDar9500fScp> trinias, SyngoCtImage ct, TriniasXaImage xa, TriniasXRayRadiationDoseSr sr, string runtime)
            {
                await syngo.StoreAsync(ct);
                await syngo.StoreAsync(ct, "1.2.840.10008.1.2.2");
                await trinias.StoreAsync(xa, "1.2.840.10008.1.2.1");
                await trinias.StoreAsync(sr);
                await trinias.StoreAsync(xa, runtime);
            }
        }
        """);

    [Fact]
    public Task Generated_code_is_not_analyzed() => Common.NotInGeneratedCode(Violation);

    [Fact]
    public Task EditorConfig_severity_applies() => Common.EditorConfig(Violation, "DT0007", DiagnosticSeverity.Info, Expected());
}
