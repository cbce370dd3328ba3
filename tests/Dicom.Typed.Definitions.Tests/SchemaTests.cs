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

    [Fact]
    public void Schema_requires_a_standard_macro_id_and_rows_on_a_macro_reference()
    {
        var macro = Schema("iod").Definitions["macroReference"];
        const string good = """{"macro":"code-sequence","name":"Code Sequence Macro","standardTable":"8.8-1","path":"0008,2218","attributes":["0008,0100"],"provenance":{"file":"statement.txt","lines":[1,2]}}""";
        Assert.Empty(macro.Validate(good));
        Assert.NotEmpty(macro.Validate(good.Replace("\"macro\":\"code-sequence\",", "")));                  // no macro id
        Assert.NotEmpty(macro.Validate(good.Replace("code-sequence", "Code Sequence Macro")));               // a name is no id
        Assert.NotEmpty(macro.Validate(good.Replace("[\"0008,0100\"]", "[]")));                              // no printed rows
        Assert.NotEmpty(macro.Validate(good.Replace("\"path\":\"0008,2218\"", "\"path\":\"Anatomic Region Sequence\"")));
    }

    [Fact]
    public void Schema_allows_only_standard_query_retrieve_levels()
    {
        var device = Schema("device");
        var qr = device.Definitions["network"].Properties["queryRetrieve"].Item!;
        const string good = """{"sopClassName":"Study Root Query/Retrieve Information Model - FIND","sopClassUid":"1.2.840.10008.5.1.4.1.2.2.1","informationModel":"STUDY","dimse":"C-FIND","role":"SCU","message":"X","levelValues":["IMAGES"],"levels":[{"level":"IMAGE","heading":"Q/R Image level","keys":[],"provenance":{"file":"statement.txt","lines":[1,1]}}],"otherKeys":[],"provenance":{"file":"statement.txt","lines":[1,2]}}""";
        Assert.Empty(qr.Validate(good)); // printed level values stay as printed
        Assert.NotEmpty(qr.Validate(good.Replace("\"level\":\"IMAGE\"", "\"level\":\"IMAGES\"")));
        Assert.NotEmpty(qr.Validate(good.Replace("\"role\":\"SCU\"", "\"role\":\"both\"")));
    }
}
