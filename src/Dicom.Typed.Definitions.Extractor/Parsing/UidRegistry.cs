using System.Text.Json;

namespace Dicom.Typed.Definitions.Extractor.Parsing;

/// <summary>The standard UID registry (definitions/dicom-standard/uids.json): resolves SOP class and transfer syntax names to UIDs
/// where a statement prints only names, and tells transfer syntaxes from SOP classes in presentation-context tables.</summary>
public sealed class UidRegistry
{
    private readonly Dictionary<string, (string Name, string Type)> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byName = new(StringComparer.Ordinal);

    /// <summary>An empty registry (nothing resolves).</summary>
    public static UidRegistry Empty { get; } = new();

    /// <summary>Loads uids.json (array of {uid, name, type, keyword, retired}).</summary>
    public static UidRegistry Load(string path)
    {
        var r = new UidRegistry();
        if (!File.Exists(path))
        {
            return r;
        }
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            var uid = e.GetProperty("uid").GetString() ?? "";
            var name = e.GetProperty("name").GetString() ?? "";
            var type = e.GetProperty("type").GetString() ?? "";
            r._byUid[uid] = (name, type);
            r._byName.TryAdd(NameKey(name), uid);
        }
        return r;
    }

    /// <summary>Registered name of a UID, or null.</summary>
    public string? Name(string uid) => _byUid.TryGetValue(uid, out var v) ? v.Name : null;

    /// <summary>Registry type ("SOP Class", "Transfer Syntax", ...) of a UID, or null.</summary>
    public string? Type(string uid) => _byUid.TryGetValue(uid, out var v) ? v.Type : null;

    /// <summary>Whether the UID is a registered transfer syntax.</summary>
    public bool IsTransferSyntax(string uid) => Type(uid) == "Transfer Syntax";

    /// <summary>UID of a registered name, compared on letters and digits only ("SOP Class" suffix optional), or null.</summary>
    public string? Resolve(string name)
    {
        var k = NameKey(name);
        if (_byName.TryGetValue(k, out var uid))
        {
            return uid;
        }
        return _byName.TryGetValue(k + "sopclass", out uid) ? uid : k.EndsWith("sopclass", StringComparison.Ordinal) && _byName.TryGetValue(k[..^8], out uid) ? uid : null;
    }

    private static string NameKey(string s) => new(s.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());
}
