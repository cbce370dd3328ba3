using Microsoft.CodeAnalysis;

namespace Dicom.Typed.Generators.Tests;

/// <summary>
/// SR templates (sr-templates.json + sr-errata.json) → typed template classes: a snapshot of a small template set, the real
/// devices' templates compiling with their SR IODs, the rows that stay unmodelled (DTG022), and bad files as diagnostics at
/// file, line and column.
/// </summary>
public sealed class SrGeneratorTests
{
    private const string Templates = """
        {
          "device": "test-device",
          "root": "100",
          "templates": [
            {
              "tid": "100", "name": "Test Dose Report (TID 100)", "includes": ["101"],
              "provenance": { "file": "statement.txt", "table": "Table 9", "lines": [10, 20] },
              "rows": [
                { "valueType": "CONTAINER", "conceptText": "X-Ray Radiation Dose Report", "concept": { "value": "113701", "scheme": "DCM", "meaning": "X-Ray Radiation Dose Report" }, "vm": "1", "nestingLevel": 0, "presence": "ALWAYS", "provenance": { "file": "statement.txt", "table": "Table 9", "lines": [10, 10] } },
                { "valueType": "CODE", "conceptText": "Procedure reported", "vm": "1", "nestingLevel": 1, "relationshipType": "HAS CONCEPT MOD", "presence": "ALWAYS", "constraint": "Computed Tomography X-Ray", "provenance": { "file": "statement.txt", "table": "Table 9", "lines": [11, 12] } },
                { "valueType": "DATETIME", "conceptText": "Start of X-Ray Irradiation", "concept": { "value": "113809", "scheme": "DCM", "meaning": "Start of X-Ray Irradiation" }, "vm": "1", "nestingLevel": 1, "relationshipType": "HAS OBS CONTEXT", "presence": "ALWAYS", "provenance": { "file": "statement.txt", "table": "Table 9", "lines": [13, 13] } },
                { "valueType": "INCLUDE", "conceptText": "DTID (101) Event", "includedTemplate": "101", "vm": "1-n", "nestingLevel": 1, "relationshipType": "CONTAINS", "presence": "ALWAYS", "provenance": { "file": "statement.txt", "table": "Table 9", "lines": [14, 14] } },
                { "valueType": "TEXT", "conceptText": "Comment", "concept": { "value": "121106", "scheme": "DCM", "meaning": "Comment" }, "vm": "1", "nestingLevel": 1, "relationshipType": "CONTAINS", "presence": "ANAP", "provenance": { "file": "statement.txt", "table": "Table 9", "lines": [15, 15] } },
                { "valueType": "NUM", "conceptText": "Mystery", "vm": "1", "nestingLevel": 1, "relationshipType": "CONTAINS", "presence": "ANAP", "provenance": { "file": "statement.txt", "table": "Table 9", "lines": [16, 16] } }
              ]
            },
            {
              "tid": "101", "name": "Event", "includes": [],
              "provenance": { "file": "statement.txt", "table": "Table 10", "lines": [30, 40] },
              "rows": [
                { "valueType": "CONTAINER", "conceptText": "CT Acquisition", "concept": { "value": "113819", "scheme": "DCM", "meaning": "CT Acquisition" }, "vm": "1", "nestingLevel": 0, "presence": "ALWAYS", "provenance": { "file": "statement.txt", "table": "Table 10", "lines": [30, 30] } },
                { "valueType": "NUM", "conceptText": "DLP", "concept": { "value": "113838", "scheme": "DCM", "meaning": "DLP" }, "vm": "1", "nestingLevel": 1, "relationshipType": "CONTAINS", "presence": "ALWAYS", "units": { "value": "mGy.cm", "scheme": "UCUM", "meaning": "mGy.cm" }, "provenance": { "file": "statement.txt", "table": "Table 10", "lines": [31, 31] } },
                { "valueType": "NUM", "conceptText": "KVP", "concept": { "value": "113733", "scheme": "DCM", "meaning": "KVP" }, "vm": "1-n", "nestingLevel": 1, "relationshipType": "CONTAINS", "presence": "ANAP", "provenance": { "file": "statement.txt", "table": "Table 10", "lines": [32, 32] } }
              ]
            }
          ]
        }
        """;

    private const string Errata = """
        {
          "device": "test-device",
          "errata": [
            { "table": "Table 9", "line": 11, "field": "concept", "from": null, "to": "(121058, DCM, \"Procedure reported\")", "reason": "PS3.16 TID 10011 names the row so." },
            { "table": "Table 9", "line": 11, "field": "value", "from": null, "to": "(77477000, SCT, \"Computed Tomography X-Ray\")", "reason": "PS3.16 TID 10011 fixes the value." },
            { "table": "Table 10", "line": 32, "field": "units", "from": null, "to": "(kV, UCUM, \"kV\")", "reason": "PS3.16 TID 10013: kV." }
          ]
        }
        """;

    private static AdditionalText File(string name, string text) => new InMemoryText("/repo/definitions/test-device/" + name, text);

    [Fact]
    public void Template_classes_match_the_snapshot_and_compile()
    {
        var (result, output, _) = GeneratorHarness.Run(File("sr-templates.json", Templates), File("sr-errata.json", Errata));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(20)));
        var tree = result.GeneratedTrees.Single(t => t.FilePath.EndsWith("Dicom.Typed.Devices.TestDevice.Sr.g.cs", StringComparison.Ordinal));
        Snapshot.Verify("TestSrTemplates", tree.ToString());
        // the row printed without a code is reported, not invented (DTG022, informational)
        var skipped = Assert.Single(result.Diagnostics, d => d.Id == "DTG022");
        Assert.Contains("Table 9 L16", skipped.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(DiagnosticSeverity.Info, skipped.Severity);
    }

    [Fact]
    public void Generated_classes_write_and_read_the_content_tree()
    {
        var (result, output, _) = GeneratorHarness.Run(File("sr-templates.json", Templates), File("sr-errata.json", Errata));
        using var stream = new MemoryStream();
        var emit = output.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        var assembly = System.Reflection.Assembly.Load(stream.ToArray());
        var report = assembly.GetType("Dicom.Typed.Devices.TestDevice.Sr.TestDoseReport")!;
        var ev = assembly.GetType("Dicom.Typed.Devices.TestDevice.Sr.Event")!;
        var e = Activator.CreateInstance(ev)!;
        ev.GetProperty("Dlp")!.SetValue(e, 301.5);
        ev.GetProperty("Kvp")!.SetValue(e, new[] { 120.0, 140.0 });
        var r = Activator.CreateInstance(report)!;
        report.GetProperty("StartOfXRayIrradiation")!.SetValue(r, DicomDateTime.Parse("20240131101500"));
        var list = Array.CreateInstance(ev, 1);
        list.SetValue(e, 0);
        report.GetProperty("Event")!.SetValue(r, list);
        var root = (Dicom.Typed.Sr.SrContentItem)report.GetMethod("ToContentItem")!.Invoke(r, [null])!;
        Assert.Equal("100", root.TemplateIdentifier);
        Assert.Equal(["121058", "113809", "113819"], root.Children.Select(c => c.ConceptName!.Value));
        Assert.Equal("77477000", root.Children[0].Code!.Value);
        var acquisition = root.Children[2];
        Assert.Equal(Dicom.Typed.Sr.SrRelationshipType.Contains, acquisition.Relationship);
        Assert.Equal(["301.5 mGy.cm", "120 kV", "140 kV"], acquisition.Children.Select(c => c.Measurement!.Value.Text + " " + c.Measurement.Units.Value));
        // and back: the tolerant reader finds nothing to report
        var ds = new DicomDataset();
        root.WriteTo(ds);
        var parsed = Dicom.Typed.Sr.SrContent.ParseDocument(ds);
        Assert.Empty(parsed.Findings);
        var read = report.GetMethod("Read", [typeof(Dicom.Typed.Sr.SrContentItem)])!.Invoke(null, [parsed.Value])!;
        Assert.Empty((System.Collections.IEnumerable)read.GetType().GetProperty("Findings")!.GetValue(read)!);
        var back = read.GetType().GetProperty("Value")!.GetValue(read)!;
        var events = (System.Collections.IList)report.GetProperty("Event")!.GetValue(back)!;
        Assert.Equal(301.5, ev.GetProperty("Dlp")!.GetValue(events[0]));
    }

    [Fact]
    public void An_erratum_that_does_not_match_is_DTG020_at_its_line_and_column()
    {
        string bad = Errata.Replace("\"line\": 32, \"field\": \"units\", \"from\": null", "\"line\": 32, \"field\": \"units\", \"from\": \"(mA, UCUM, \\\"mA\\\")\"", StringComparison.Ordinal);
        var (result, _, _) = GeneratorHarness.Run(File("sr-templates.json", Templates), File("sr-errata.json", bad));
        var d = Assert.Single(result.Diagnostics, x => x.Id == "DTG020");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains("Table 10 L32 units", d.GetMessage(), StringComparison.Ordinal);
        var span = d.Location.GetLineSpan();
        Assert.Equal("/repo/definitions/test-device/sr-errata.json", span.Path);
        Assert.Equal(6, span.StartLinePosition.Line + 1);
        Assert.Equal(5, span.StartLinePosition.Character + 1);
        // nothing is generated from a device whose errata do not apply
        Assert.DoesNotContain(result.GeneratedTrees, t => t.FilePath.EndsWith("TestDevice.Sr.g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void Malformed_template_json_is_DTG001_at_its_position()
    {
        var (result, _, _) = GeneratorHarness.Run(File("sr-templates.json", "{\n  \"device\": \"test-device\",\n  \"root\": 100 x\n}"));
        var d = Assert.Single(result.Diagnostics, x => x.Id == "DTG001");
        Assert.Equal(3, d.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.EndsWith("sr-templates.json", d.Location.GetLineSpan().Path, StringComparison.Ordinal);
    }

    public static TheoryData<string, int, string[]> Devices() => new()
    {
        // SR IODs of the device; rows that stay unmodelled because neither the statement nor PS3.16 (as looked up) gives their code
        { "siemens-syngo-ct-va50a", 3, ["Table 135 L12234", "Table 135 L12254"] }, // L12234 with its child L12243 (SSDE(z) rows: no code found)
        { "philips-vereos-2.0", 1, [] },
        { "shimadzu-trinias", 1, [] },
        { "philips-avw-ct-15.1.3", 1, [] },
    };

    [Theory]
    [MemberData(nameof(Devices))]
    public void Real_templates_compile_with_the_SR_IODs_and_list_their_unmodelled_rows(string device, int srIods, string[] unmodelled)
    {
        string folder = Path.Combine(GeneratorHarness.RepoRoot, "definitions", device);
        var files = Directory.GetFiles(Path.Combine(folder, "iods"), "*.json").Order(StringComparer.Ordinal).Select(f => Path.Combine("iods", Path.GetFileName(f))).ToList();
        files.AddRange(new[] { "errata.json", "sr-templates.json", "sr-errata.json" }.Where(f => System.IO.File.Exists(Path.Combine(folder, f))));
        var (result, output, _) = GeneratorHarness.Run([.. files.Select(f => (AdditionalText)new InMemoryText("/repo/definitions/" + device + "/" + f.Replace('\\', '/'), System.IO.File.ReadAllText(Path.Combine(folder, f))))]);
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(20)));
        Assert.Equal(unmodelled, result.Diagnostics.Where(d => d.Id == "DTG022").Select(d => string.Join(" ", d.GetMessage().Split(' ').Take(3)).TrimEnd(':')).Order(StringComparer.Ordinal));
        // every SR IOD of the device has its typed Content
        var typed = result.GeneratedTrees.Where(t => t.ToString().Contains(".Sr.", StringComparison.Ordinal) && t.ToString().Contains("? Content { get; init; }", StringComparison.Ordinal)).ToList();
        Assert.Equal(srIods, typed.Count);
    }
}
