using Microsoft.CodeAnalysis;

namespace Dicom.Typed.Generators.Tests;

public sealed class GeneratorTests
{
    internal const string SmallIod = """
        {
          "typeName": "TestCtImage",
          "device": "test-device",
          "context": "Unit test",
          "sopClassUid": "1.2.840.10008.5.1.4.1.1.2",
          "sopClassName": "CT Image Storage",
          "modules": [
            { "name": "Patient Module", "usage": "M", "attributes": [
              { "name": "Patient's Name", "tag": "0010,0010", "vr": "PN", "vm": "1", "presence": { "word": "VNAP", "type": "2" }, "source": ["MWL"],
                "provenance": { "file": "statement.txt", "table": "Table 9", "title": "Patient Module", "lines": [306, 306] } },
              { "name": "Patient ID", "tag": "0010,0020", "vr": "LO", "vm": "1", "presence": { "word": "ALWAYS", "type": "1" }, "source": ["MWL"] }
            ] },
            { "name": "General Series Module", "usage": "M", "attributes": [
              { "name": "Modality", "tag": "0008,0060", "vr": "CS", "vm": "1", "presence": { "word": "ALWAYS", "type": "1" }, "value": { "kind": "fixed", "values": ["CT"] } },
              { "name": "Series Instance UID", "tag": "0020,000E", "vr": "UI", "vm": "1", "presence": { "word": "ALWAYS", "type": "1" } },
              { "name": "Laterality", "tag": "0020,0060", "vr": "CS", "vm": "1", "presence": { "word": "ANAPCV", "type": "2C" },
                "condition": { "op": "absent", "path": "0018,0015" }, "conditionText": "Required if Body Part Examined is absent",
                "value": { "kind": "enumerated", "values": ["R", "L"] } },
              { "name": "Body Part Examined", "tag": "0018,0015", "vr": "CS", "vm": "1", "presence": { "word": "ANAP", "type": "3" } },
              { "name": "Referenced Performed Procedure Step Sequence", "tag": "0008,1111", "vr": "SQ", "vm": "1", "presence": { "word": "ANAP", "type": "3" },
                "items": [
                  { "name": "Referenced SOP Class UID", "tag": "0008,1150", "vr": "UI", "vm": "1", "presence": { "word": "ALWAYS", "type": "1" } },
                  { "name": "Referenced SOP Instance UID", "tag": "0008,1155", "vr": "UI", "vm": "1", "presence": { "word": "ALWAYS", "type": "1" } }
                ] }
            ] },
            { "name": "Image Plane Module", "usage": "M", "attributes": [
              { "name": "Pixel Spacing", "tag": "0028,0030", "vr": "DS", "vm": "2", "presence": { "word": "ALWAYS", "type": "1" } },
              { "name": "Image Type", "tag": "0008,0008", "vr": "CS", "vm": "2-n", "presence": { "word": "ALWAYS", "type": "1" } },
              { "name": "Rows", "tag": "0028,0010", "vr": "US", "vm": "1", "presence": { "word": "ALWAYS", "type": "1" } },
              { "name": "Samples per Pixel", "tag": "0028,0002", "vr": "US", "vm": "1", "presence": { "word": "ALWAYS", "type": "1" }, "value": { "kind": "fixed", "values": ["1"] } }
            ] }
          ]
        }
        """;

    [Fact]
    public void Generates_a_class_that_compiles()
    {
        var (result, output, diagnostics) = GeneratorHarness.Run(new InMemoryText("/repo/definitions/test-device/iods/TestCtImage.json", SmallIod));
        Assert.Empty(result.Diagnostics);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Snapshot.Verify("TestCtImage", result.GeneratedTrees.Single().ToString());
    }

    [Theory]
    [InlineData("{ \"typeName\": \"X\", ", "DTG001", 1, 20)]
    [InlineData("{ \"typeName\": \"X\", \"device\": \"d\", \"sopClassUid\": \"1.2\", \"modules\": [ { \"attributes\": [ { \"name\": \"A\", \"tag\": \"0010,0010\", \"vr\": \"QQ\" } ] } ] }", "DTG005", 1, 129)]
    [InlineData("{ \"typeName\": \"X\", \"device\": \"d\", \"sopClassUid\": \"1.2\", \"modules\": [ { \"attributes\": [ { \"name\": \"A\", \"tag\": \"0010,00G0\", \"vr\": \"PN\" } ] } ] }", "DTG004", 1, 110)]
    [InlineData("{\n  \"typeName\": \"X\",\n  \"device\": \"d\",\n  \"sopClassUid\": \"1.2\",\n  \"modules\": [ { \"attributes\": [ { \"name\": \"A\", \"tag\": \"0010,0010\", \"vr\": \"PN\",\n    \"presence\": { \"type\": \"2C\" }, \"condition\": { \"op\": \"sometimes\" } } ] } ]\n}", "DTG007", 6, 48)]
    public void Malformed_definitions_are_reported_with_file_line_and_column(string json, string id, int line, int column)
    {
        // the position is the offending token: end of input, the "QQ" VR value, the "0010,00G0" tag value, the condition object
        var (result, _, _) = GeneratorHarness.Run(
            new InMemoryText("/repo/definitions/bad/iods/Bad.json", json),
            new InMemoryText("/repo/definitions/test-device/iods/TestCtImage.json", SmallIod));
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(id, d.Id);
        Assert.Equal("/repo/definitions/bad/iods/Bad.json", d.Location.GetLineSpan().Path);
        Assert.Equal(line, d.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.Equal(column, d.Location.GetLineSpan().StartLinePosition.Character + 1);
        // the other file still generates
        Assert.Contains(result.GeneratedTrees, t => t.FilePath.EndsWith("TestCtImage.g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void Duplicate_type_names_are_reported()
    {
        var (result, _, _) = GeneratorHarness.Run(
            new InMemoryText("/repo/definitions/test-device/iods/TestCtImage.json", SmallIod),
            new InMemoryText("/repo/definitions/test-device/iods/Copy.json", SmallIod));
        Assert.Contains(result.Diagnostics, d => d.Id == "DTG009");
    }

    [Fact]
    public void Unrelated_csharp_edit_leaves_every_step_cached()
    {
        var files = new AdditionalText[] { GeneratorHarness.Attributes.Value, new InMemoryText("/repo/definitions/test-device/iods/TestCtImage.json", SmallIod) };
        var driver = GeneratorHarness.Driver(files);
        var compilation = GeneratorHarness.Compilation("namespace User { public class C { } }");
        driver = driver.RunGenerators(compilation);
        var edited = compilation.AddSyntaxTrees(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("namespace User { public class D { } }", new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Preview)));
        driver = driver.RunGenerators(edited);
        var run = driver.GetRunResult().Results.Single();
        foreach (var step in new[] { TrackingNames.Keywords, TrackingNames.Errata, TrackingNames.IodFiles, TrackingNames.Parse, TrackingNames.Resolve, TrackingNames.ModuleInterfaces, TrackingNames.Registry })
        {
            foreach (var output in run.TrackedSteps[step].SelectMany(s => s.Outputs))
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {output.Reason}");
        }
    }

    [Fact]
    public void Editing_one_json_file_regenerates_only_that_file()
    {
        var a = new InMemoryText("/repo/definitions/test-device/iods/TestCtImage.json", SmallIod);
        var b = new InMemoryText("/repo/definitions/test-device/iods/Other.json", SmallIod.Replace("TestCtImage", "OtherImage"));
        var driver = GeneratorHarness.Driver(GeneratorHarness.Attributes.Value, a, b);
        var compilation = GeneratorHarness.Compilation("namespace User { public class C { } }");
        driver = driver.RunGenerators(compilation);
        var b2 = new InMemoryText(b.Path, SmallIod.Replace("TestCtImage", "OtherImage").Replace("Unit test", "Edited"));
        driver = driver.ReplaceAdditionalText(b, b2).RunGenerators(compilation);
        var run = driver.GetRunResult().Results.Single();
        var parse = run.TrackedSteps[TrackingNames.Parse].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(1, parse.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, parse.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        // the resolved model of the other file is unchanged, so its source output is not regenerated
        var resolve = run.TrackedSteps[TrackingNames.Resolve].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(1, resolve.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, resolve.Count(r => r == IncrementalStepRunReason.Unchanged));
    }
}
