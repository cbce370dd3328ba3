using Dicom.Typed.Definitions;

namespace Dicom.Typed.Conformance;

/// <summary>What happens to private elements that no rule of the profile names.</summary>
public enum PrivateAttributePolicy
{
    /// <summary>Removed unless their creator is on the safe list and <see cref="DeidentificationOptions.RetainSafePrivate"/> is on (PS3.15 default).</summary>
    RemoveUnlisted,

    /// <summary>Kept (e.g. syngo CT "Service de-identification: all private attributes are included … except for the tags listed").</summary>
    KeepUnlisted,
}

/// <summary>Choices for <see cref="DeidentificationProfile.FromDevice"/>.</summary>
public sealed class DeviceDeidentificationSettings
{
    /// <summary>Device options selected (e.g. <c>retainInstitutionIdentity</c>, the Vereos dialog choice).</summary>
    public ISet<string> SelectedOptions { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>PS3.15 options applied on top of the device rows where the standard's Table E.1-1 names the attribute for the
    /// option (e.g. <see cref="DeidentificationOptions.RetainLongitudinalModifiedDates"/> shifts dates the device would remove).</summary>
    public DeidentificationOptions StandardOptions { get; set; }

    /// <summary>Also apply the standard basic profile to attributes the device table does not list (the statements say such
    /// attributes are kept; set this to be stricter than the device). Null: as the statement says.</summary>
    public bool? ApplyStandardProfileToUnlisted { get; set; }

    /// <summary>The device's errata (errata.json); corrections of de-identification rows are applied before the rows are used.</summary>
    public ErrataFile? Errata { get; set; }

    /// <summary>Replace UIDs in references the device table does not list whenever the device replaces instance, series or
    /// study UIDs, so that references inside the output stay consistent (default true).</summary>
    public bool KeepReferencesConsistent { get; set; } = true;
}

/// <summary>A device de-identification table could not be used (unknown level, bad row).</summary>
public sealed class DeidentificationDefinitionException : DicomException
{
    /// <summary>Creates the error.</summary>
    /// <param name="device">Device id.</param>
    /// <param name="location">Table and line of the row, or the section.</param>
    /// <param name="message">What is wrong.</param>
    public DeidentificationDefinitionException(string device, string location, string message) : base($"{device} {location}: {message}")
    {
        Device = device;
        Location = location;
    }

    /// <summary>Device id.</summary>
    public string Device { get; }

    /// <summary>Table and line.</summary>
    public string Location { get; }
}

public sealed partial class DeidentificationProfile
{
    private static readonly string[] InstanceUidTags = ["0008,0018", "0020,000D", "0020,000E"];

    /// <summary>Names of the levels a device offers (empty when it has no de-identification section).</summary>
    /// <param name="device">The device definition.</param>
    public static IReadOnlyList<string> DeviceLevels(DeviceDefinition device) => device.Deidentification?.Levels.Select(l => l.Name).ToList() ?? [];

    /// <summary>
    /// The de-identification a device performs at one level, from its typed definition (device.json <c>deidentification</c>):
    /// the device rows decide (first match wins); attributes the device does not list are kept or get the standard basic profile
    /// as the statement (or <see cref="DeviceDeidentificationSettings.ApplyStandardProfileToUnlisted"/>) says; private elements follow
    /// the level's private policy (listed private rows first); Raw Data instances use the raw-data rows when the device has them.
    /// </summary>
    /// <param name="device">The device definition.</param>
    /// <param name="level">Level name (Full, Reduced, Service, …); null for the first level.</param>
    /// <param name="settings">Options and errata.</param>
    /// <exception cref="DeidentificationDefinitionException">No section, unknown level or a row that cannot be used.</exception>
    public static DeidentificationProfile FromDevice(DeviceDefinition device, string? level = null, DeviceDeidentificationSettings? settings = null)
    {
        settings ??= new DeviceDeidentificationSettings();
        var def = device.Deidentification ?? throw new DeidentificationDefinitionException(device.Id, "deidentification", "the device defines no de-identification");
        if (settings.Errata is { } errata)
        {
            def = DeidentificationErrata.Apply(def, errata, out var problems);
            if (problems.Count > 0) throw new DeidentificationDefinitionException(device.Id, "errata.json", string.Join("; ", problems));
        }
        var lv = level is null ? def.Levels.FirstOrDefault() : def.Levels.FirstOrDefault(l => string.Equals(l.Name, level, StringComparison.OrdinalIgnoreCase));
        if (lv is null)
        {
            throw new DeidentificationDefinitionException(device.Id, "deidentification.levels", $"no level '{level}' (levels: {string.Join(", ", def.Levels.Select(l => l.Name))})");
        }
        foreach (var o in settings.SelectedOptions)
        {
            if (!def.Options.Any(d => d.Name == o)) throw new DeidentificationDefinitionException(device.Id, "deidentification.options", $"no option '{o}'");
        }
        var options = settings.StandardOptions;
        foreach (var o in def.Options.Where(o => settings.SelectedOptions.Contains(o.Name)))
        {
            var flag = OptionCodes.FirstOrDefault(c => c.Code == o.StandardOptionCode).Option;
            options |= flag;
        }
        bool standardForUnlisted = settings.ApplyStandardProfileToUnlisted ?? def.UnlistedAttributes == "standard";

        List<IDeidentificationRule> Build(List<DeidentificationRow> rows)
        {
            var rules = new List<IDeidentificationRule>();
            foreach (var row in rows)
            {
                string where = $"{row.Provenance.Table} L{(row.Provenance.Lines.Length > 0 ? row.Provenance.Lines[0] : 0)}";
                if (!DeidentificationRule.TryParseMaskedTag(row.Tag, out var tag, out var mask))
                {
                    throw new DeidentificationDefinitionException(device.Id, where, $"tag '{row.Tag}' cannot be read");
                }
                var cell = Pick(row.Actions, lv.Name, settings.SelectedOptions)
                    ?? throw new DeidentificationDefinitionException(device.Id, where, $"no action for level {lv.Name}");
                var action = ToAction(cell.Action, device.Id, where);
                string reason = $"{device.Id} {where} {row.Name}: {lv.Name} '{cell.Text}' → {cell.Action}";
                (action, reason) = OverlayStandardOptions(row.Tag, action, reason, settings.StandardOptions);
                rules.Add(new DeidentificationRule(tag, mask, null, action, reason) { ReplacementValue = action == DeidentificationAction.Dummy ? Literal(row) : null });
            }
            if (settings.KeepReferencesConsistent && rules.Any(r => r.Action == DeidentificationAction.ReplaceUid
                && InstanceUidTags.Any(t => r.Tag is { } rt && rt.Value == ParseTag(t))))
            {
                foreach (var std in StandardRows.Value.Where(s => s.Basic.Contains('U', StringComparison.Ordinal)))
                {
                    if (!DeidentificationRule.TryParseMaskedTag(std.Tag, out var tag, out var mask)) continue;
                    if (rules.Any(r => r.Tag is { } t && t.Value == tag.Value && r.Mask == mask)) continue;
                    rules.Add(new DeidentificationRule(tag, mask, null, DeidentificationAction.ReplaceUid,
                        $"{std.Name}: not listed by {device.Id}; UIDs replaced so references match the replaced instance UIDs"));
                }
            }
            if (standardForUnlisted) rules.AddRange(Basic(options).Rules);
            return rules;
        }

        var main = Build(def.StandardRows);
        var raw = def.RawDataRows.Count > 0 ? Build(def.RawDataRows) : null;
        var policy = lv.PrivatePolicy is "removeListed" or "keepAll" ? PrivateAttributePolicy.KeepUnlisted : PrivateAttributePolicy.RemoveUnlisted;
        if (lv.PrivatePolicy != "removeAll")
        {
            var priv = new List<IDeidentificationRule>();
            foreach (var row in def.PrivateRows)
            {
                string where = $"{row.Provenance.Table} L{(row.Provenance.Lines.Length > 0 ? row.Provenance.Lines[0] : 0)}";
                var cell = Pick(row.Actions, lv.Name, settings.SelectedOptions)
                    ?? throw new DeidentificationDefinitionException(device.Id, where, $"no action for level {lv.Name}");
                var action = ToAction(cell.Action, device.Id, where);
                string reason = $"{device.Id} {where} {row.Name}: {lv.Name} '{cell.Text}' → {cell.Action}";
                if (row.Creator is null)
                {
                    // a plain tag (e.g. syngo L5157 "(0019,0005)"): matched literally
                    if (!DeidentificationRule.TryParseMaskedTag(row.Group + "," + row.Element, out var t, out var m))
                        throw new DeidentificationDefinitionException(device.Id, where, $"private tag '{row.TagRaw}' cannot be read");
                    priv.Add(new DeidentificationRule(t, m, null, action, reason));
                }
                else
                {
                    priv.Add(DeidentificationRule.ForPrivate(Convert.ToUInt16(row.Group, 16), row.Creator, Convert.ToByte(row.Element, 16), action, reason));
                }
            }
            main.InsertRange(0, priv);
            raw?.InsertRange(0, priv);
        }
        string method = $"{device.Product} {lv.Name}";
        return new DeidentificationProfile(options, main, new HashSet<string>(StringComparer.Ordinal), policy, raw, method.Length > 64 ? method[..64] : method);
    }

    /// <summary>A replacement the table prints as a value: a short literal ("O") or the current date ("DateTime.Now"); descriptions
    /// such as "Dummy name" or "Replaced by new value" give none (the VR's dummy is used).</summary>
    private static string? Literal(DeidentificationRow row) => row.Replacement?.Trim() switch
    {
        "DateTime.Now" when row.Vr is "DA" => DateTime.UtcNow.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture),
        "DateTime.Now" when row.Vr is "DT" => DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture),
        { Length: > 0 and <= 2 } v when v.All(char.IsLetterOrDigit) => v,
        _ => null,
    };

    private static uint ParseTag(string t) => DeidentificationRule.TryParseMaskedTag(t, out var tag, out _) ? tag.Value : 0;

    private static DeidentificationLevelAction? Pick(List<DeidentificationLevelAction> actions, string level, ISet<string> selected) =>
        actions.FirstOrDefault(a => a.Level == level && a.Option is not null && selected.Contains(a.Option))
        ?? actions.FirstOrDefault(a => a.Level == level && a.Option is null);

    private static DeidentificationAction ToAction(string code, string device, string where) => code switch
    {
        "D" => DeidentificationAction.Dummy,
        "Z" => DeidentificationAction.Zero,
        "X" => DeidentificationAction.Remove,
        "K" => DeidentificationAction.Keep,
        "U" => DeidentificationAction.ReplaceUid,
        "C" => DeidentificationAction.Clean,
        _ => throw new DeidentificationDefinitionException(device, where, $"action '{code}' is not a PS3.15 code (D, Z, X, K, U, C)"),
    };

    /// <summary>A selected PS3.15 option overrides a device action where Table E.1-1 names the attribute for it (K keeps, C cleans,
    /// C of the modified-dates option shifts dates).</summary>
    private static (DeidentificationAction, string) OverlayStandardOptions(string tag, DeidentificationAction action, string reason, DeidentificationOptions options)
    {
        if (options == DeidentificationOptions.None || action == DeidentificationAction.Keep) return (action, reason);
        string key = "(" + tag.ToUpperInvariant() + ")";
        var std = StandardRows.Value.FirstOrDefault(s => string.Equals(s.Tag, key, StringComparison.OrdinalIgnoreCase));
        if (std is null) return (action, reason);
        var (resolved, why) = Resolve(std, options);
        if (why.StartsWith("basic profile", StringComparison.Ordinal)) return (action, reason);
        return (resolved, reason + $"; {why}");
    }

    private static readonly (string Code, DeidentificationOptions Option)[] OptionCodes =
    [
        ("113103", DeidentificationOptions.CleanGraphics),
        ("113104", DeidentificationOptions.CleanStructuredContent),
        ("113105", DeidentificationOptions.CleanDescriptors),
        ("113106", DeidentificationOptions.RetainLongitudinalFullDates),
        ("113107", DeidentificationOptions.RetainLongitudinalModifiedDates),
        ("113108", DeidentificationOptions.RetainPatientCharacteristics),
        ("113109", DeidentificationOptions.RetainDeviceIdentity),
        ("113110", DeidentificationOptions.RetainUids),
        ("113111", DeidentificationOptions.RetainSafePrivate),
        ("113112", DeidentificationOptions.RetainInstitutionIdentity),
    ];
}
