namespace Dicom.Typed;

/// <summary>An entry of the data dictionary (PS3.6 / PS3.7), generated at build time.</summary>
public sealed class DicomDictionaryEntry
{
    /// <summary>Creates an entry.</summary>
    /// <param name="tag">Tag value (with wildcard digits zero).</param>
    /// <param name="mask">Mask of significant bits (0xFFFFFFFF for exact tags; e.g. 0xFF00FFFF for (60xx,eeee)).</param>
    /// <param name="vrs">Allowed VRs (empty for item delimiters).</param>
    /// <param name="vm">Value multiplicity text.</param>
    /// <param name="keyword">Keyword.</param>
    /// <param name="name">Name.</param>
    /// <param name="retired">Retired flag.</param>
    public DicomDictionaryEntry(uint tag, uint mask, DicomVR[] vrs, string vm, string keyword, string name, bool retired)
    {
        Tag = new DicomTag(tag);
        Mask = mask;
        ValueRepresentations = vrs;
        VMText = vm;
        VM = DicomVM.Parse(vm);
        Keyword = keyword;
        Name = name;
        IsRetired = retired;
    }

    /// <summary>The tag (wildcard digits zero).</summary>
    public DicomTag Tag { get; }

    /// <summary>Mask of the significant tag bits.</summary>
    public uint Mask { get; }

    /// <summary>Allowed VRs; the first is the default for Implicit VR decoding.</summary>
    public IReadOnlyList<DicomVR> ValueRepresentations { get; }

    /// <summary>The default VR (UN when the dictionary has none).</summary>
    public DicomVR VR => ValueRepresentations.Count > 0 ? ValueRepresentations[0] : DicomVR.UN;

    /// <summary>Value multiplicity.</summary>
    public DicomVM VM { get; }

    /// <summary>Value multiplicity as printed in the standard.</summary>
    public string VMText { get; }

    /// <summary>Keyword, e.g. <c>PatientName</c>; empty for unnamed retired entries.</summary>
    public string Keyword { get; }

    /// <summary>Name, e.g. <c>Patient's Name</c>.</summary>
    public string Name { get; }

    /// <summary>True when retired.</summary>
    public bool IsRetired { get; }

    /// <summary>True when this entry matches <paramref name="tag"/>.</summary>
    /// <param name="tag">The tag.</param>
    public bool Matches(DicomTag tag) => (tag.Value & Mask) == Tag.Value;

    /// <inheritdoc />
    public override string ToString() => $"{Tag} {VR} {Keyword}";
}

/// <summary>The standard data dictionary: PS3.6 data elements, file meta and directory elements, and PS3.7 command elements.</summary>
/// <remarks>The tables are compiled into the assembly from <c>definitions/dicom-standard</c> by the standard generator; nothing is parsed at run time.</remarks>
public static partial class DicomDictionary
{
    private static readonly DicomVR[] NoVRs = [];
    private static readonly DicomDictionaryEntry[] Exact = Merge(CreateAttributesExact(), CreateCommandsExact());
    private static readonly DicomDictionaryEntry[] Masked = Merge(CreateAttributesMasked(), CreateCommandsMasked());
    private static Dictionary<string, DicomDictionaryEntry>? _byKeyword;

    private static DicomDictionaryEntry[] Merge(DicomDictionaryEntry[] a, DicomDictionaryEntry[] b)
    {
        var all = new DicomDictionaryEntry[a.Length + b.Length];
        a.CopyTo(all, 0);
        b.CopyTo(all, a.Length);
        Array.Sort(all, static (x, y) => x.Tag.Value.CompareTo(y.Tag.Value));
        return all;
    }

    /// <summary>All entries, exact tags first in tag order, then the repeating-group entries.</summary>
    public static IEnumerable<DicomDictionaryEntry> Entries => Exact.Concat(Masked);

    /// <summary>Looks up the entry of a tag; returns a generic entry for private and unknown tags.</summary>
    /// <param name="tag">The tag.</param>
    public static DicomDictionaryEntry Lookup(DicomTag tag) => TryLookup(tag) ?? Unknown(tag);

    /// <summary>Looks up the entry of a tag, or null when the tag is not in the standard dictionary.</summary>
    /// <param name="tag">The tag.</param>
    public static DicomDictionaryEntry? TryLookup(DicomTag tag)
    {
        int lo = 0, hi = Exact.Length - 1;
        uint v = tag.Value;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            uint m = Exact[mid].Tag.Value;
            if (m == v) return Exact[mid];
            if (m < v) lo = mid + 1; else hi = mid - 1;
        }
        if (tag.Element == 0 && !tag.IsPrivate || (tag.IsPrivate && tag.Element == 0)) return GroupLength(tag);
        foreach (var e in Masked)
        {
            if (e.Matches(tag))
            {
                // Repeating groups 50xx and 60xx only cover even groups 5000-501E / 6000-601E.
                if ((e.Mask & 0xFF000000u) == 0xFF000000u && (e.Mask & 0x00FF0000u) == 0 && ((tag.Group & 1) == 1 || (tag.Group & 0xFF) > 0x1E)) continue;
                return e;
            }
        }
        return null;
    }

    /// <summary>Looks up an entry by keyword (case-sensitive), or null.</summary>
    /// <param name="keyword">e.g. <c>PatientName</c>.</param>
    public static DicomDictionaryEntry? LookupKeyword(string keyword)
    {
        var map = _byKeyword;
        if (map == null)
        {
            map = new Dictionary<string, DicomDictionaryEntry>(StringComparer.Ordinal);
            foreach (var e in Entries)
            {
                if (e.Keyword.Length > 0) map.TryAdd(e.Keyword, e);
            }
            _byKeyword = map;
        }
        return map.TryGetValue(keyword, out var entry) ? entry : null;
    }

    private static DicomDictionaryEntry GroupLength(DicomTag tag) =>
        new(tag.Value, 0xFFFFFFFF, [DicomVR.UL], "1", "GroupLength", "Group Length", !tag.IsPrivate && tag.Group > 0x0002);

    private static DicomDictionaryEntry Unknown(DicomTag tag)
    {
        if (tag.IsPrivateCreator) return new(tag.Value, 0xFFFFFFFF, [DicomVR.LO], "1", "PrivateCreator", "Private Creator", false);
        return new(tag.Value, 0xFFFFFFFF, [DicomVR.UN], "1-n", "", tag.IsPrivate ? "Private Tag" : "Unknown Tag", false);
    }
}
