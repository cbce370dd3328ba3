using Dicom.Typed.Definitions.Extractor.Parsing;

// Usage: dotnet run --project src/Dicom.Typed.Definitions.Extractor -- <repo-root>
string root = args.Length > 0 ? args[0] : Directory.GetCurrentDirectory();
var files = Extraction.Render(root);
var written = new HashSet<string>(StringComparer.Ordinal);
foreach (var (rel, content) in files)
{
    var path = Path.Combine(root, rel);
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    File.WriteAllText(path, content, new System.Text.UTF8Encoding(false));
    written.Add(Path.GetFullPath(path));
}
// remove stale generated files of the devices we own
foreach (var parser in Extraction.Parsers())
{
    foreach (var sub in new[] { "iods", "messages" })
    {
        var dir = Path.Combine(root, "definitions", parser.Id, sub);
        if (!Directory.Exists(dir))
        {
            continue;
        }
        foreach (var f in Directory.GetFiles(dir, "*.json"))
        {
            if (!written.Contains(Path.GetFullPath(f)))
            {
                File.Delete(f);
                Console.WriteLine($"deleted stale {f}");
            }
        }
    }
}
Console.WriteLine($"wrote {files.Count} files");
