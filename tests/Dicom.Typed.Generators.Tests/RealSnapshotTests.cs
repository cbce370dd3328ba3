using Microsoft.CodeAnalysis;

namespace Dicom.Typed.Generators.Tests;

/// <summary>
/// Snapshots of representative real outputs, generated from the definitions in the repository (with each device's
/// errata and private dictionary): one IOD per device; AvwMonoECtImage for private tags; VereosPetImage for nested
/// sequences (Referenced Raw Data → Referenced Series → Referenced SOP) and typed codes; the AVW private dictionary.
/// </summary>
public sealed class RealSnapshotTests
{
    [Theory]
    [InlineData("siemens-syngo-ct-va50a", "SyngoCtRawData")]
    [InlineData("philips-vereos-2.0", "VereosPetImage")]
    [InlineData("philips-smartct-r1.3", "SmartCtXaImage")]
    [InlineData("philips-avw-ct-15.1.3", "AvwMonoECtImage")]
    [InlineData("shimadzu-trinias", "TriniasScImage")]
    public void Real_iod_output_matches_its_snapshot(string device, string typeName)
    {
        var result = Run(device, typeName);
        var tree = result.GeneratedTrees.Single(t => t.FilePath.EndsWith("." + typeName + ".g.cs", StringComparison.Ordinal));
        Snapshot.Verify("Real." + typeName, tree.ToString());
    }

    [Fact]
    public void Real_private_dictionary_output_matches_its_snapshot()
    {
        var result = Run("philips-avw-ct-15.1.3", "AvwMonoECtImage");
        var tree = result.GeneratedTrees.Single(t => t.FilePath.Contains("Private", StringComparison.Ordinal) && t.FilePath.Contains("Avw", StringComparison.OrdinalIgnoreCase));
        Snapshot.Verify("Real.AvwPrivateDictionary", tree.ToString());
    }

    private static GeneratorDriverRunResult Run(string device, string _)
    {
        string folder = Path.Combine(GeneratorHarness.RepoRoot, "definitions", device);
        // the whole device (overlay IODs such as AvwMonoECtImage need their base IOD)
        var files = Directory.GetFiles(Path.Combine(folder, "iods"), "*.json").Order(StringComparer.Ordinal)
            .Select(f => Load(folder, Path.Combine("iods", Path.GetFileName(f)))).ToList();
        foreach (var extra in new[] { "errata.json", "private-dictionary.json" })
            if (File.Exists(Path.Combine(folder, extra))) files.Add(Load(folder, extra));
        var (result, output, _) = GeneratorHarness.Run([.. files]);
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(20)));
        return result;
    }

    private static AdditionalText Load(string folder, string relative)
    {
        // stable paths in the snapshots, whatever the checkout folder
        string device = Path.GetFileName(folder);
        return new InMemoryText("/repo/definitions/" + device + "/" + relative.Replace('\\', '/'), File.ReadAllText(Path.Combine(folder, relative)));
    }
}
