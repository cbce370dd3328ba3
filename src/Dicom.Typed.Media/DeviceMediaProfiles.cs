using Dicom.Typed.Definitions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dicom.Typed.Media;

/// <summary>
/// Media application profiles built from a device's typed media conformance (device.json <c>media</c>): one profile per
/// "Supported APS" name with the roles and SOP classes the statement lists. Transfer syntaxes come from the standard profile of
/// that name (PS3.11 annexes; an augmented <c>AUG-…</c> profile starts from its <c>STD-…</c> base), because the media profile
/// rows list none; a name that is not a standard profile (e.g. Trinias' "DAR-9500f") gets the general purpose profile of the
/// medium its activity names (CD → STD-GEN-CD, DVD → STD-GEN-DVD-RAM, USB → STD-GEN-USB, BD → STD-GEN-BD), and says so in
/// <see cref="MediaApplicationProfile.Source"/> and in the log.
/// </summary>
public static class DeviceMediaProfiles
{
    /// <summary>The device's profiles (empty when it has no typed media section).</summary>
    /// <param name="device">The device definition.</param>
    /// <param name="logger">Receives one information line per profile whose transfer syntaxes were inferred.</param>
    public static IReadOnlyList<MediaApplicationProfile> FromDevice(DeviceDefinition device, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        var result = new List<MediaApplicationProfile>();
        if (device.Media is null) return result;
        foreach (var group in device.Media.Profiles.GroupBy(p => p.Profile.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            var rows = group.ToList();
            var roles = MediaRoles.None;
            var byRole = new Dictionary<MediaRoles, HashSet<string>>();
            foreach (var r in rows)
            {
                var role = Role(r.Role) ?? throw new MediaProfileException(
                    $"{device.Id} {r.Provenance.Table} L{Line(r.Provenance)}: media role '{r.Role}' is not FSC, FSR or FSU");
                roles |= role;
                if (!byRole.TryGetValue(role, out var set)) byRole[role] = set = new HashSet<string>(StringComparer.Ordinal);
                set.UnionWith(r.SopClassUids.Select(u => u.Trim()));
            }
            var (standard, why) = Standard(group.Key, rows.Select(r => r.Activity));
            var lines = string.Join(", ", rows.Select(r => $"{r.Provenance.Table} L{Line(r.Provenance)}").Distinct());
            // transfer syntaxes the statement prints for the profile (e.g. syngo CT Table 67) win over the standard annex
            var printed = rows.SelectMany(r => r.TransferSyntaxes ?? []).Select(t => t.Uid.Trim()).Where(u => u.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            string source = printed.Count > 0
                ? $"{device.Product} {lines}; transfer syntaxes as printed in the statement"
                : $"{device.Product} {lines}; transfer syntaxes of {standard.Name} ({standard.Source}){why}";
            if (printed.Count > 0) why = "";
            if (why.Length > 0) logger.LogInformation("{Device} media profile {Profile}: {Why}", device.Id, group.Key, source);
            var union = byRole.Values.SelectMany(s => s).ToHashSet(StringComparer.Ordinal);
            IReadOnlySet<string>? sopClasses = union.Count > 0 ? union : standard.SopClasses;
            if (union.Count > 0 && standard.SopClasses is { } allowed)
            {
                var outside = union.Where(u => !allowed.Contains(u)).ToList();
                if (outside.Count > 0)
                    logger.LogWarning("{Device} media profile {Profile} lists SOP classes outside {Standard}: {Classes}", device.Id, group.Key, standard.Name, string.Join(", ", outside));
            }
            result.Add(new MediaApplicationProfile
            {
                Name = group.Key,
                Roles = roles,
                SopClasses = sopClasses,
                SopClassesByRole = byRole.Count > 0 && byRole.Values.Any(v => v.Count > 0)
                    ? byRole.ToDictionary(kv => kv.Key, kv => (IReadOnlySet<string>)kv.Value)
                    : null,
                TransferSyntaxes = printed.Count > 0 ? printed.ToHashSet(StringComparer.Ordinal) : standard.TransferSyntaxes,
                Source = source,
            });
        }
        return result;
    }

    /// <summary>The device's profile of that name.</summary>
    /// <param name="device">The device definition.</param>
    /// <param name="profile">The profile name as printed (case-insensitive).</param>
    /// <param name="logger">Logger.</param>
    /// <exception cref="MediaProfileException">The device does not declare the profile.</exception>
    public static MediaApplicationProfile FromDevice(DeviceDefinition device, string profile, ILogger? logger = null)
    {
        var all = FromDevice(device, logger);
        return all.FirstOrDefault(p => string.Equals(p.Name, profile, StringComparison.OrdinalIgnoreCase))
            ?? throw new MediaProfileException($"{device.Id} declares no media profile '{profile}' (declared: {string.Join(", ", all.Select(p => p.Name))})");
    }

    private static int Line(Provenance p) => p.Lines.Length > 0 ? p.Lines[0] : 0;

    private static MediaRoles? Role(string role) => role.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant() switch
    {
        "FSC" => MediaRoles.FileSetCreator,
        "FSR" => MediaRoles.FileSetReader,
        "FSU" => MediaRoles.FileSetUpdater,
        _ => null,
    };

    private static (MediaApplicationProfile Profile, string Why) Standard(string name, IEnumerable<string> activities)
    {
        string n = name.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        if (MediaApplicationProfile.Find(n) is { } std) return (std, "");
        if (n.StartsWith("AUG-", StringComparison.Ordinal) && MediaApplicationProfile.Find("STD-" + n[4..]) is { } aug)
            return (aug, $"; augmented profile {name}: the transfer syntaxes of its standard base");
        string media = string.Join(" ", activities).ToUpperInvariant();
        var general = media.Contains("USB", StringComparison.Ordinal) ? MediaApplicationProfile.GeneralPurposeUsb
            : media.Contains("BD", StringComparison.Ordinal) || media.Contains("BLU", StringComparison.Ordinal) ? MediaApplicationProfile.GeneralPurposeBd
            : media.Contains("CD", StringComparison.Ordinal) ? MediaApplicationProfile.GeneralPurposeCd
            : media.Contains("DVD", StringComparison.Ordinal) ? MediaApplicationProfile.GeneralPurposeDvdRam
            : MediaApplicationProfile.GeneralPurposeCd;
        return (general, $"; '{name}' is not a PS3.11 profile and the statement lists no transfer syntaxes: the general purpose profile of the medium applies");
    }
}
