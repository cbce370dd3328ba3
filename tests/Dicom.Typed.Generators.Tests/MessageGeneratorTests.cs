using Microsoft.CodeAnalysis;

namespace Dicom.Typed.Generators.Tests;

/// <summary>The message pipeline (definitions/&lt;device&gt;/messages/*.json): snapshot, diagnostics and caching.</summary>
public sealed class MessageGeneratorTests
{
    internal const string SmallQuery = """
        {
          "typeName": "TestWorklistQuery",
          "device": "test-device",
          "context": "Unit test",
          "sopClassUid": "1.2.840.10008.5.1.4.31",
          "sopClassName": "Modality Worklist Information Model - FIND",
          "dimse": "C-FIND-RQ identifier",
          "modules": [
            { "name": "Scheduled Procedure Step Module", "usage": "M", "attributes": [
              { "name": "Scheduled Procedure Step Sequence", "tag": "0040,0100", "vr": "SQ", "vm": "1", "keyUsage": ["R"], "items": [
                { "name": "Modality", "tag": "0008,0060", "vr": "CS", "vm": "1", "keyUsage": ["R", "Q"], "matching": "Single Value" },
                { "name": "Scheduled Procedure Step Start Date", "tag": "0040,0002", "vr": "DA", "vm": "1", "matching": "Range, Single Value",
                  "provenance": { "file": "statement.txt", "table": "Table 9", "title": "Matching Keys", "lines": [455, 455] } }
              ] }
            ] },
            { "name": "Patient Identification Module", "usage": "M", "attributes": [
              { "name": "Patient's Name", "tag": "0010,0010", "vr": "PN", "vm": "1", "presence": { "word": "R", "type": "" }, "matching": "Single Value, Wildcard", "comment": "Leading spaces are insignificant" },
              { "name": "Specific Character Set", "tag": "0008,0005", "vr": "CS", "vm": "1-n" }
            ] }
          ]
        }
        """;

    internal const string SmallNCreate = """
        {
          "typeName": "TestFilmSessionNCreate",
          "device": "test-device",
          "sopClassUid": "1.2.840.10008.5.1.1.1",
          "sopClassName": "Basic Film Session",
          "dimse": "N-CREATE-RQ",
          "modules": [
            { "name": "Basic Film Session Presentation Module", "usage": "M", "attributes": [
              { "name": "Number of Copies", "tag": "2000,0010", "vr": "IS", "vm": "1", "presence": { "word": "ALWAYS", "type": "1" } },
              { "name": "Medium Type", "tag": "2000,0030", "vr": "CS", "vm": "1", "presence": { "word": "ALWAYS", "type": "1" }, "value": { "kind": "enumerated", "values": ["PAPER", "BLUE FILM"] } },
              { "name": "Film Destination", "tag": "2000,0040", "vr": "CS", "vm": "1", "presence": { "word": "ANAP", "type": "3" }, "value": { "kind": "fixed", "values": ["N.A."] } }
            ] }
          ]
        }
        """;

    private static InMemoryText Query(string text = SmallQuery, string name = "TestWorklistQuery") => new($"/repo/definitions/test-device/messages/{name}.json", text);

    [Fact]
    public void Generates_a_query_identifier_class_that_compiles()
    {
        var (result, output, _) = GeneratorHarness.Run(Query());
        Assert.Empty(result.Diagnostics);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        var tree = Assert.Single(result.GeneratedTrees);
        Assert.EndsWith("Dicom.Typed.Devices.TestDevice.TestWorklistQuery.Message.g.cs", tree.FilePath, StringComparison.Ordinal);
        Snapshot.Verify("TestWorklistQuery", tree.ToString());
    }

    [Fact]
    public void Generates_an_n_create_class_with_required_type_1_members()
    {
        var (result, output, _) = GeneratorHarness.Run(new InMemoryText("/repo/definitions/test-device/messages/TestFilmSessionNCreate.json", SmallNCreate));
        Assert.Empty(result.Diagnostics);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        string code = Assert.Single(result.GeneratedTrees).ToString();
        Assert.Contains("public required global::Dicom.Typed.DicomIntegerString NumberOfCopies { get; init; }", code, StringComparison.Ordinal);
        Assert.Contains("public required MediumTypeValue MediumType { get; init; }", code, StringComparison.Ordinal);
        // "N.A." is the statement's "not applicable", not a fixed literal
        Assert.Contains("public string? FilmDestination { get; init; }", code, StringComparison.Ordinal);
        Snapshot.Verify("TestFilmSessionNCreate", code);
        // a caller that leaves out a required member does not compile
        var user = GeneratorHarness.Compilation("namespace User { public static class U { public static object M() => new Dicom.Typed.Devices.TestDevice.TestFilmSessionNCreate { NumberOfCopies = new Dicom.Typed.DicomIntegerString(\"1\") }; } }");
        var driver = GeneratorHarness.Driver(GeneratorHarness.Attributes.Value, new InMemoryText("/repo/definitions/test-device/messages/TestFilmSessionNCreate.json", SmallNCreate));
        driver.RunGeneratorsAndUpdateCompilation(user, out var compiled, out _);
        Assert.Contains(compiled.GetDiagnostics(), d => d.Id == "CS9035" && d.GetMessage().Contains("MediumType", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{ \"typeName\": \"X\", ", "DTG001", 1, 20)]
    [InlineData("{ \"typeName\": \"X\", \"device\": \"d\", \"sopClassUid\": \"1.2\", \"modules\": [] }", "DTG011", 1, 1)]
    [InlineData("{ \"typeName\": \"X\", \"device\": \"d\", \"sopClassUid\": \"1.2\", \"dimse\": \"N-SET-RQ\", \"modules\": [ { \"attributes\": [ { \"name\": \"A\", \"tag\": \"0010,0010\", \"vr\": \"QQ\" } ] } ] }", "DTG005", 1, 150)]
    [InlineData("{\n  \"typeName\": \"X\",\n  \"device\": \"d\",\n  \"sopClassUid\": \"1.2\",\n  \"dimse\": \"C-FIND-RQ identifier\",\n  \"modules\": [ { \"attributes\": [ { \"name\": \"A\", \"tag\": \"0010,00G0\", \"vr\": \"PN\" } ] } ]\n}", "DTG004", 6, 56)]
    public void Malformed_message_definitions_are_reported_with_file_line_and_column(string json, string id, int line, int column)
    {
        var (result, _, _) = GeneratorHarness.Run(new InMemoryText("/repo/definitions/bad/messages/Bad.json", json), Query());
        var d = Assert.Single(result.Diagnostics);
        Assert.Equal(id, d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("/repo/definitions/bad/messages/Bad.json", d.Location.GetLineSpan().Path);
        Assert.Equal(line, d.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.Equal(column, d.Location.GetLineSpan().StartLinePosition.Character + 1);
        // the other file still generates
        Assert.Contains(result.GeneratedTrees, t => t.FilePath.EndsWith("TestWorklistQuery.Message.g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public void Editing_one_message_file_regenerates_only_that_file_and_leaves_the_iods_cached()
    {
        var a = Query();
        var b = Query(SmallQuery.Replace("TestWorklistQuery", "OtherQuery"), "OtherQuery");
        var iod = new InMemoryText("/repo/definitions/test-device/iods/TestCtImage.json", GeneratorTests.SmallIod);
        var driver = GeneratorHarness.Driver(GeneratorHarness.Attributes.Value, a, b, iod);
        var compilation = GeneratorHarness.Compilation("namespace User { public class C { } }");
        driver = driver.RunGenerators(compilation);
        var b2 = new InMemoryText(b.Path, SmallQuery.Replace("TestWorklistQuery", "OtherQuery").Replace("Unit test", "Edited"));
        driver = driver.ReplaceAdditionalText(b, b2).RunGenerators(compilation);
        var run = driver.GetRunResult().Results.Single();
        var parse = run.TrackedSteps[MessageTrackingNames.MessageParse].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(1, parse.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, parse.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        // the IOD pipeline did not see the message edit
        foreach (var output in run.TrackedSteps[TrackingNames.Parse].SelectMany(s => s.Outputs))
            Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"IOD parse: {output.Reason}");
        // and the generated message sources: only the edited one changed
        var sources = run.GeneratedSources.Select(s => s.HintName).ToList();
        Assert.Contains(sources, h => h.EndsWith("OtherQuery.Message.g.cs", StringComparison.Ordinal));
        Assert.Contains("Edited", run.GeneratedSources.Single(s => s.HintName.EndsWith("OtherQuery.Message.g.cs", StringComparison.Ordinal)).SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Unrelated_csharp_edit_leaves_the_message_steps_cached()
    {
        var driver = GeneratorHarness.Driver(GeneratorHarness.Attributes.Value, Query());
        var compilation = GeneratorHarness.Compilation("namespace User { public class C { } }");
        driver = driver.RunGenerators(compilation);
        var edited = compilation.AddSyntaxTrees(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("namespace User { public class D { } }", new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Preview)));
        driver = driver.RunGenerators(edited);
        var run = driver.GetRunResult().Results.Single();
        foreach (var step in new[] { MessageTrackingNames.MessageFiles, MessageTrackingNames.MessageParse })
        {
            var outputs = run.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            foreach (var output in outputs)
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {output.Reason}");
        }
    }
}
