using System.Collections.Concurrent;

namespace Dicom.Typed.Definitions.Extractor.Parsing;

/// <summary>Records the standard macros the statements print expanded (rules in <see cref="MacroResolver"/>) on the raw layer.</summary>
public static class MacroDetection
{
    private static readonly ConcurrentDictionary<string, StandardMacroCatalog> Cache = new(StringComparer.Ordinal);

    /// <summary>Adds macro references to every module of the device's IODs and message datasets.</summary>
    public static void Apply(DeviceOutput output, string repoRoot)
    {
        var catalog = Cache.GetOrAdd(Path.GetFullPath(repoRoot), root => StandardMacroCatalog.Load(Path.Combine(root, "definitions", "dicom-standard")));
        MacroResolver.Resolve(output.Iods.Concat(output.Messages), catalog);
    }
}
