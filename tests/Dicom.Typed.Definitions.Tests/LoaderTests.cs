namespace Dicom.Typed.Definitions.Tests;

public class LoaderTests
{
    [Fact]
    public void Syntax_error_reports_file_line_and_column()
    {
        const string text = "{\n  \"device\": \"x\",\n  \"errata\": [\n    { \"table\": \"Table 1\", }\n  ]\n}\n";
        var e = Assert.Throws<DefinitionsFormatException>(() => DefinitionsJson.Deserialize<ErrataFile>(text, "errata.json"));
        Assert.Equal("errata.json", e.File);
        Assert.Equal(4, e.Line);
        Assert.True(e.Column > 1, e.Message);
        Assert.StartsWith("errata.json(4,", e.Message);
    }

    [Fact]
    public void Wrong_type_reports_position()
    {
        const string text = "{\n  \"device\": \"x\",\n  \"errata\": [\n    { \"table\": \"Table 1\", \"line\": \"twelve\" }\n  ]\n}\n";
        var e = Assert.Throws<DefinitionsFormatException>(() => DefinitionsJson.Deserialize<ErrataFile>(text, "f.json"));
        Assert.Equal(4, e.Line);
    }

    [Fact]
    public void Unknown_property_is_an_error()
    {
        const string text = "{\n  \"device\": \"x\",\n  \"erata\": []\n}\n";
        var e = Assert.Throws<DefinitionsFormatException>(() => DefinitionsJson.Deserialize<ErrataFile>(text, "f.json"));
        Assert.Contains("f.json(", e.Message);
    }

    [Fact]
    public void Load_from_file_reports_path()
    {
        var path = Path.Combine(Path.GetTempPath(), "dicom-typed-malformed-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, "{\n  \"device\": [\n");
        try
        {
            var e = Assert.Throws<DefinitionsFormatException>(() => DefinitionsJson.Load<ErrataFile>(path));
            Assert.Equal(path, e.File);
            Assert.True(e.Line >= 2);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
