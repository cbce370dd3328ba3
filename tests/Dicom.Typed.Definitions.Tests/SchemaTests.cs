using NJsonSchema;

namespace Dicom.Typed.Definitions.Tests;

public class SchemaTests
{
    private static readonly Dictionary<string, JsonSchema> Schemas = new(StringComparer.Ordinal);

    private static JsonSchema Schema(string name)
    {
        lock (Schemas)
        {
            if (!Schemas.TryGetValue(name, out var s))
            {
                // NJsonSchema 11 resolves "#/definitions/..." but not the 2020-12 "#/$defs/..." location; the files use $defs,
                // so rename the keyword in memory only.
                var text = File.ReadAllText(Path.Combine(Repo.Definitions, "schema", name + ".schema.json"))
                    .Replace("\"$defs\"", "\"definitions\"", StringComparison.Ordinal)
                    .Replace("#/$defs/", "#/definitions/", StringComparison.Ordinal);
                s = JsonSchema.FromJsonAsync(text).GetAwaiter().GetResult();
                Schemas[name] = s;
            }
            return s;
        }
    }

    public static IEnumerable<object[]> Files()
    {
        foreach (var device in Repo.DeviceIds())
        {
            var dir = Path.Combine(Repo.Definitions, device);
            foreach (var f in Directory.GetFiles(dir, "*.json", SearchOption.AllDirectories).OrderBy(x => x, StringComparer.Ordinal))
            {
                yield return [Path.GetRelativePath(Repo.Definitions, f).Replace('\\', '/')];
            }
        }
    }

    public static string SchemaFor(string rel)
    {
        var name = Path.GetFileName(rel);
        if (rel.Contains("/iods/", StringComparison.Ordinal) || rel.Contains("/messages/", StringComparison.Ordinal))
        {
            return "iod";
        }
        return name switch
        {
            "device.json" => "device",
            "private-dictionary.json" => "private-dictionary",
            "errata.json" => "errata",
            "coverage.json" => "coverage",
            "sr-templates.json" => "sr-templates",
            "sr-errata.json" => "sr-errata",
            _ => throw new InvalidOperationException($"{rel}: no schema for this file name"),
        };
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void File_validates_against_schema_and_model(string rel)
    {
        var path = Path.Combine(Repo.Definitions, rel);
        var text = File.ReadAllText(path);
        var schema = SchemaFor(rel);
        var errors = Schema(schema).Validate(text);
        Assert.True(errors.Count == 0, $"{rel}:\n" + string.Join("\n", errors.Take(20).Select(e => $"  {rel}({e.LineNumber},{e.LinePosition}): {e.Kind} at {e.Path}")));
        // and the strict model loader (unknown properties are errors)
        _ = schema switch
        {
            "iod" => (object)DefinitionsJson.Load<IodDefinition>(path),
            "device" => DefinitionsJson.Load<DeviceDefinition>(path),
            "private-dictionary" => DefinitionsJson.Load<PrivateDictionary>(path),
            "errata" => DefinitionsJson.Load<ErrataFile>(path),
            "sr-templates" => DefinitionsJson.Load<SrTemplateFile>(path),
            "sr-errata" => DefinitionsJson.Load<SrErrataFile>(path),
            _ => DefinitionsJson.Load<CoverageFile>(path),
        };
    }

    [Fact]
    public void Schema_rejects_a_prose_condition()
    {
        const string bad = """{"op":"equals","path":"Modality is CT"}""";
        var cond = Schema("iod").Definitions["condition"];
        Assert.NotEmpty(cond.Validate(bad));
        Assert.Empty(cond.Validate("""{"op":"equals","path":"0008,0060","value":"CT"}"""));
    }
}
