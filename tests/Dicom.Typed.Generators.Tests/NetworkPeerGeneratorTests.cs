using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Dicom.Typed.Generators.Tests;

/// <summary>NetworkPeerGenerator over the real device.json files and over malformed network sections.</summary>
public class NetworkPeerGeneratorTests
{
    private static InMemoryText Device(string id) =>
        new($"/repo/definitions/{id}/device.json", File.ReadAllText(Path.Combine(GeneratorHarness.RepoRoot, "definitions", id, "device.json")));

    private static GeneratorDriver Driver(params AdditionalText[] files) =>
        CSharpGeneratorDriver.Create([new NetworkPeerGenerator().AsSourceGenerator()], files, new CSharpParseOptions(LanguageVersion.Preview),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    private static (GeneratorDriverRunResult Result, Compilation Output) Run(params AdditionalText[] files)
    {
        var driver = Driver(files).RunGeneratorsAndUpdateCompilation(GeneratorHarness.Compilation("namespace User { public class C { } }"), out var output, out _);
        return (driver.GetRunResult(), output);
    }

    [Fact]
    public void One_peer_per_AE_that_accepts_associations_and_it_compiles()
    {
        var (result, output) = Run(Device("siemens-syngo-ct-va50a"), Device("philips-vereos-2.0"), Device("shimadzu-trinias"), Device("philips-smartct-r1.3"), Device("philips-avw-ct-15.1.3"));
        Assert.Empty(result.Diagnostics);
        Assert.Equal(
            [
                "Dicom.Typed.Devices.PhilipsVereos20.VereosDicomManagerScp.Peer.g.cs",
                "Dicom.Typed.Devices.ShimadzuTrinias.TriniasDar9500fScp.Peer.g.cs",
                "Dicom.Typed.Devices.SiemensSyngoCtVa50a.SyngoCtStorageCommitmentScp.Peer.g.cs",
                "Dicom.Typed.Devices.SiemensSyngoCtVa50a.SyngoCtStorageScp.Peer.g.cs",
                "Dicom.Typed.Devices.SiemensSyngoCtVa50a.SyngoCtVerificationScp.Peer.g.cs",
            ],
            result.GeneratedTrees.Select(t => Path.GetFileName(t.FilePath)).Order(StringComparer.Ordinal));
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var trinias = result.GeneratedTrees.Single(t => t.FilePath.Contains("TriniasDar9500fScp")).ToString();
        // Statement Table 17: X-Ray Radiation Dose SR accepted in Implicit VR Little Endian only (line 723).
        Assert.Contains("new global::Dicom.Typed.Iod.DicomAcceptedContext(\"1.2.840.10008.5.1.4.1.1.88.67\", \"X-Ray Radiation Dose SR\", new string[] { \"1.2.840.10008.1.2\" }, \"statement.txt, Table 17, \\\"Storage Transfer Syntaxes\\\", line 723\")", trinias);
        Assert.Contains("[global::Dicom.Typed.Iod.DicomAcceptedTransferSyntaxes(\"1.2.840.10008.1.2\", \"1.2.840.10008.1.2.1\", \"1.2.840.10008.1.2.4.70\")]", trinias);
    }

    public static TheoryData<string, int, int, string> Malformed => new()
    {
        { "{ \"id\": \"x\", \"network\": { \"presentationContexts\": [ } }", 1, 53, "Malformed JSON" },
        { "{\n  \"id\": \"x\",\n  \"network\": {\n    \"applicationEntities\": [ { \"name\": \"Store\" } ],\n    \"presentationContexts\": [\n      { \"role\": \"SCP\", \"sopClassUid\": \"1.2.840.10008.5.1.4.1.1.2a\", \"transferSyntaxes\": [] }\n    ]\n  }\n}", 6, 39, "invalid SOP Class UID" },
        { "{\n  \"id\": \"x\",\n  \"network\": {\n    \"applicationEntities\": [ { \"name\": \"Store\" } ],\n    \"presentationContexts\": [\n      { \"role\": \"SCP\", \"sopClassUid\": \"1.2.3\", \"applicationEntity\": \"Print\" }\n    ]\n  }\n}", 6, 69, "which network.applicationEntities does not define" },
        { "{\n  \"id\": \"x\",\n  \"network\": {\n    \"applicationEntities\": [ { \"name\": \"Store\" } ],\n    \"presentationContexts\": [\n      { \"role\": \"SCP\", \"sopClassUid\": \"1.2.3\", \"transferSyntaxes\": [ { \"uid\": \"JPEG\" } ] }\n    ]\n  }\n}", 6, 70, "invalid UID 'JPEG'" },
        { "{ \"id\": \"x\", \"network\": [] }", 1, 25, "'network' must be an object or null" },
    };

    /// <summary>Each position is the token at fault: the stray '}', the bad UID string, the unknown AE name, the transfer syntax object, the array.</summary>
    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_network_sections_are_reported_with_file_line_and_column(string json, int line, int column, string message)
    {
        var (result, _) = Run(new InMemoryText("/repo/definitions/bad-device/device.json", json), Device("shimadzu-trinias"));
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("DTG012", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains(message, d.GetMessage());
        var span = d.Location.GetLineSpan();
        Assert.Equal("/repo/definitions/bad-device/device.json", span.Path);
        Assert.Equal((line, column), (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1));
        // the bad file yields no peer; the other device still generates
        Assert.Equal(["Dicom.Typed.Devices.ShimadzuTrinias.TriniasDar9500fScp.Peer.g.cs"], result.GeneratedTrees.Select(t => Path.GetFileName(t.FilePath)));
    }

    [Fact]
    public void Unrelated_csharp_edit_leaves_the_step_cached_and_one_json_edit_changes_one_file()
    {
        var trinias = Device("shimadzu-trinias");
        var syngo = Device("siemens-syngo-ct-va50a");
        var compilation = GeneratorHarness.Compilation("namespace User { public class C { } }");
        var driver = Driver(trinias, syngo).RunGenerators(compilation);
        driver = driver.RunGenerators(compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace User { public class D { } }", new CSharpParseOptions(LanguageVersion.Preview))));
        var steps = driver.GetRunResult().Results.Single().TrackedSteps[NetworkPeerGenerator.NetworkPeersTrackingName].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(2, steps.Count);
        Assert.All(steps, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));

        var edited = new InMemoryText(trinias.Path, trinias.GetText()!.ToString().Replace("\"Storage Transfer Syntaxes\"", "\"Storage Transfer Syntaxes (edited)\""));
        driver = driver.ReplaceAdditionalText(trinias, edited).RunGenerators(compilation);
        var reasons = driver.GetRunResult().Results.Single().TrackedSteps[NetworkPeerGenerator.NetworkPeersTrackingName].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(1, reasons.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, reasons.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
    }
}
