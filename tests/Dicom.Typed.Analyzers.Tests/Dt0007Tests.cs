using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Dicom.Typed.Analyzers.Tests;

/// <summary>
/// DT0007: sending an IOD (or a transfer syntax) a peer does not accept. The peer is configured from the network
/// definitions of the Shimadzu Trinias statement (its Storage SCP presentation contexts), read from
/// definitions/shimadzu-trinias/device.json at test time.
/// </summary>
public class Dt0007Tests
{
    private static (string[] Sops, string[] Syntaxes) TriniasStorageScp()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AnalyzerTestSetup.RepoRoot, "definitions", "shimadzu-trinias", "device.json")));
        var contexts = doc.RootElement.GetProperty("network").GetProperty("presentationContexts").EnumerateArray()
            .Where(p => p.GetProperty("role").GetString() == "SCP").ToList();
        var sops = contexts.Select(p => p.GetProperty("sopClassUid").GetString()!).Distinct().ToArray();
        var syntaxes = contexts.SelectMany(p => p.GetProperty("transferSyntaxes").EnumerateArray().Select(t => t.GetProperty("uid").GetString()!)).Distinct().ToArray();
        Assert.Contains("1.2.840.10008.5.1.4.1.1.12.1", sops); // the definitions really list XA storage as SCP
        return (sops, syntaxes);
    }

    private static string Peer()
    {
        var (sops, syntaxes) = TriniasStorageScp();
        static string List(IEnumerable<string> v) => string.Join(", ", v.Select(x => "\"" + x + "\""));
        return $$"""
            [DicomAcceptedSopClasses({{List(sops)}})]
            [DicomAcceptedTransferSyntaxes({{List(syntaxes)}})]
            sealed class TriniasStoragePeer
            {
                public System.Threading.Tasks.Task SendAsync(IDicomIod iod, [DicomTransferSyntax] string transferSyntax = "1.2.840.10008.1.2") => System.Threading.Tasks.Task.CompletedTask;
            }

            """;
    }

    internal static string ViolationSource() => Violation();

    private static string Violation() => Peer() + """
        class C
        {
            async System.Threading.Tasks.Task M(TriniasStoragePeer peer, Dicom.Typed.Devices.SiemensSyngoCtVa50a.SyngoCtImage ct, Dicom.Typed.Devices.ShimadzuTrinias.TriniasXaImage xa)
            {
                await peer.SendAsync({|#0:ct|});
                await peer.SendAsync(xa, {|#1:"1.2.840.10008.1.2.4.90"|});
            }
        }
        """;

    private static DiagnosticResult[] Expected()
    {
        var (sops, syntaxes) = TriniasStorageScp();
        return
        [
            new DiagnosticResult(Descriptors.NotAccepted).WithLocation(0).WithArguments("SOP class of SyngoCtImage", "1.2.840.10008.5.1.4.1.1.2", "peer", string.Join(", ", sops)),
            new DiagnosticResult(Descriptors.NotAccepted).WithLocation(1).WithArguments("Transfer syntax", "1.2.840.10008.1.2.4.90", "peer", string.Join(", ", syntaxes)),
        ];
    }

    [Fact]
    public Task Fires_on_a_SOP_class_and_a_transfer_syntax_the_peer_does_not_accept() => AnalyzerTest.Run(Violation(), Expected());

    [Fact]
    public Task Does_not_fire_on_accepted_IODs_and_syntaxes() => AnalyzerTest.Run(Peer() + """
        class C
        {
            async System.Threading.Tasks.Task M(TriniasStoragePeer peer, Dicom.Typed.Devices.ShimadzuTrinias.TriniasXaImage xa, Dicom.Typed.Devices.ShimadzuTrinias.TriniasXRayRadiationDoseSr sr, string runtime)
            {
                await peer.SendAsync(xa, "1.2.840.10008.1.2.4.70");
                await peer.SendAsync(sr);
                await peer.SendAsync(xa, runtime);
            }
        }
        """);

    [Fact]
    public Task Fires_for_a_client_field_or_parameter_configured_for_the_peer()
    {
        var (sops, _) = TriniasStorageScp();
        string list = string.Join(", ", sops.Select(x => "\"" + x + "\""));
        return AnalyzerTest.Run($$"""
            sealed class Sender { public System.Threading.Tasks.Task SendAsync(IDicomIod iod) => System.Threading.Tasks.Task.CompletedTask; }
            class C
            {
                [DicomAcceptedSopClasses({{list}})]
                private readonly Sender _trinias = new();

                System.Threading.Tasks.Task M([DicomAcceptedSopClasses({{list}})] Sender trinias, Dicom.Typed.Devices.SiemensSyngoCtVa50a.SyngoCtImage ct, Dicom.Typed.Devices.ShimadzuTrinias.TriniasScImage sc)
                {
                    _ = new Sender().SendAsync(ct);
                    _ = _trinias.SendAsync({|#1:ct|});
                    _ = _trinias.SendAsync(sc);
                    return trinias.SendAsync({|#0:ct|});
                }
            }
            """,
            new DiagnosticResult(Descriptors.NotAccepted).WithLocation(0).WithArguments("SOP class of SyngoCtImage", "1.2.840.10008.5.1.4.1.1.2", "trinias", string.Join(", ", sops)),
            new DiagnosticResult(Descriptors.NotAccepted).WithLocation(1).WithArguments("SOP class of SyngoCtImage", "1.2.840.10008.5.1.4.1.1.2", "_trinias", string.Join(", ", sops)));
    }

    [Fact]
    public Task Generated_code_is_not_analyzed() => Common.NotInGeneratedCode(Violation());

    [Fact]
    public Task EditorConfig_severity_applies() => Common.EditorConfig(Violation(), "DT0007", DiagnosticSeverity.Info, Expected());
}
