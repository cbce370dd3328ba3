namespace Dicom.Typed.Media;

/// <summary>
/// A DICOM File ID (PS3.10 8.2, PS3.12 general purpose media): 1 to 8 components of 1 to 8 characters from
/// <c>A–Z</c>, <c>0–9</c> and <c>_</c>, written with <c>\</c> as separator in the DICOMDIR.
/// </summary>
public sealed class DicomFileId : IEquatable<DicomFileId>
{
    /// <summary>Maximum number of components.</summary>
    public const int MaxComponents = 8;

    /// <summary>Maximum characters per component.</summary>
    public const int MaxComponentLength = 8;

    private DicomFileId(string[] components) => Components = components;

    /// <summary>The components, root first.</summary>
    public IReadOnlyList<string> Components { get; }

    /// <summary>Creates a File ID from its components.</summary>
    /// <param name="components">The components.</param>
    /// <exception cref="ArgumentException">A component is empty, too long or has characters outside <c>A–Z 0–9 _</c>, or there are too many.</exception>
    public static DicomFileId Create(params string[] components)
    {
        if (Validate(components) is { } error) throw new ArgumentException(error, nameof(components));
        return new DicomFileId((string[])components.Clone());
    }

    /// <summary>Parses the value of Referenced File ID (0004,1500): components separated by <c>\</c> (a DICOM multi-value).</summary>
    /// <param name="value">The value.</param>
    /// <param name="fileId">The File ID when valid.</param>
    /// <param name="error">Why the value is not a valid File ID.</param>
    public static bool TryParse(string? value, out DicomFileId? fileId, out string? error)
    {
        fileId = null;
        if (value == null)
        {
            error = "no File ID";
            return false;
        }
        var parts = value.TrimEnd(' ', '\0').Split('\\', '/');
        error = Validate(parts);
        if (error != null) return false;
        fileId = new DicomFileId(parts);
        return true;
    }

    /// <summary>Parses a File ID (<c>\</c> or <c>/</c> separated).</summary>
    /// <param name="value">The text.</param>
    /// <exception cref="ArgumentException">The text is not a valid File ID.</exception>
    public static DicomFileId Parse(string value) =>
        TryParse(value, out var id, out var error) ? id! : throw new ArgumentException($"Invalid File ID '{value}': {error}", nameof(value));

    /// <summary>Checks components; returns null when valid, else the reason.</summary>
    /// <param name="components">The components.</param>
    public static string? Validate(IReadOnlyList<string> components)
    {
        if (components.Count == 0) return "a File ID needs at least one component";
        if (components.Count > MaxComponents) return $"{components.Count} components (at most {MaxComponents})";
        foreach (var c in components)
        {
            if (c.Length == 0) return "empty component";
            if (c == "." || c == "..") return $"component '{c}' would leave the file-set root";
            if (c.Length > MaxComponentLength) return $"component '{c}' has {c.Length} characters (at most {MaxComponentLength})";
            foreach (char ch in c)
            {
                if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_'))
                    return $"component '{c}' has character '{ch}' (only A-Z, 0-9 and _ are allowed)";
            }
        }
        return null;
    }

    /// <summary>
    /// The full path of this File ID under a file-set root. Refuses paths that leave the root, including through
    /// symbolic links on any existing component.
    /// </summary>
    /// <param name="root">The file-set root folder.</param>
    /// <exception cref="UnauthorizedAccessException">The path would leave the root.</exception>
    public string ResolveUnder(string root)
    {
        string fullRoot = Path.GetFullPath(root);
        string path = fullRoot;
        foreach (var c in Components)
        {
            path = Path.Combine(path, c);
            var info = new FileInfo(path);
            if (info.Exists || Directory.Exists(path))
            {
                FileSystemInfo fsi = Directory.Exists(path) ? new DirectoryInfo(path) : info;
                if (fsi.LinkTarget != null)
                    throw new UnauthorizedAccessException($"File ID {this} goes through the link '{path}' and could leave the file-set root");
            }
        }
        string full = Path.GetFullPath(path);
        if (!full.StartsWith(fullRoot.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new UnauthorizedAccessException($"File ID {this} leaves the file-set root");
        return full;
    }

    /// <summary>The File ID as multi-valued text, e.g. <c>DICOM\ST000001\IM000001</c>.</summary>
    public override string ToString() => string.Join('\\', Components);

    /// <inheritdoc />
    public bool Equals(DicomFileId? other) => other != null && ToString() == other.ToString();

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DicomFileId);

    /// <inheritdoc />
    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);
}
