using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dicom.Typed.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dicom.Typed.Conformance;

/// <summary>
/// Applies a <see cref="DeidentificationProfile"/> (PS3.15 Annex E) to data sets and files. UIDs are replaced by
/// UIDs derived from the original and a secret, so the same input UID maps to the same output UID in every file
/// and every run with that secret (studies, series and references stay consistent). Dates are shifted by a
/// per-patient number of days derived the same way when the modified-dates option is on.
/// </summary>
public sealed class Deidentifier
{
    private readonly DeidentificationProfile _profile;
    private readonly string _secret;
    private readonly ILogger _logger;
    private readonly RuleSet _main;
    private readonly RuleSet? _raw;

    private sealed class RuleSet
    {
        public readonly Dictionary<uint, IDeidentificationRule> Exact = [];
        public readonly List<IDeidentificationRule> Masked = [];
        public readonly Dictionary<PrivateTagKey, IDeidentificationRule> Private = [];

        public RuleSet(IEnumerable<IDeidentificationRule> rules)
        {
            foreach (var r in rules)
            {
                if (r.PrivateTag is { } p) Private.TryAdd(p, r);
                else if (r.Tag is { } t && r.Mask == 0xFFFFFFFFu) Exact.TryAdd(t.Value, r);
                else if (r.Tag != null) Masked.Add(r);
            }
        }
    }

    private const string RawDataStorage = "1.2.840.10008.5.1.4.1.1.66";

    /// <summary>Creates a de-identifier.</summary>
    /// <param name="profile">The table to apply.</param>
    /// <param name="uidSecret">Secret for UID remapping and date shifts; keep it to de-identify more files of the same studies consistently.</param>
    /// <param name="logger">Receives one debug line per changed attribute.</param>
    public Deidentifier(DeidentificationProfile profile, string uidSecret, ILogger? logger = null)
    {
        _profile = profile;
        _secret = uidSecret;
        _logger = logger ?? NullLogger.Instance;
        _main = new RuleSet(profile.Rules);
        _raw = profile.RawDataRules is { } raw ? new RuleSet(raw) : null;
    }

    /// <summary>
    /// Regions of burned-in annotation to blank (Clean Pixel Data Option, PS3.15 E.3.1), in pixel coordinates of every frame.
    /// When set and the data set has native (uncompressed) Pixel Data, the regions are zeroed, Burned In Annotation is set to NO
    /// and code 113101 is recorded; compressed pixel data cannot be cleaned and is refused with a <see cref="DicomValueException"/>.
    /// </summary>
    public IReadOnlyList<PixelRegion>? BurnedInAnnotationRegions { get; set; }

    /// <summary>
    /// Decides whether a text value may stay under a Clean action (true = keep). The default keeps values that do not
    /// contain the patient's name components or ID; replace it with a stricter check where needed.
    /// </summary>
    public Func<DicomTag, string, IReadOnlyCollection<string>, bool> Cleaner { get; set; } = DefaultCleaner;

    /// <summary>The UID that replaces <paramref name="uid"/> (registered well-known UIDs are kept).</summary>
    /// <param name="uid">The original UID.</param>
    public string MapUid(string uid)
    {
        uid = uid.Trim('\0', ' ');
        if (uid.Length == 0 || DicomUid.Lookup(uid) != null) return uid;
        return DicomUid.GenerateDerivedValue(_secret, uid);
    }

    /// <summary>The number of days dates of this patient are moved back under the modified-dates option (1 to 3650).</summary>
    /// <param name="patientId">The original Patient ID.</param>
    public int DateShiftDays(string patientId)
    {
        var h = SHA256.HashData(Encoding.UTF8.GetBytes(_secret + "\0date\0" + patientId));
        return 1 + (int)(BinaryPrimitives.ReadUInt32BigEndian(h) % 3650);
    }

    /// <summary>De-identifies a file; the result has new File Meta Information and the same transfer syntax.</summary>
    /// <param name="file">The file (not changed).</param>
    public DicomFile Deidentify(DicomFile file) => new(Deidentify(file.Dataset), file.TransferSyntax);

    /// <summary>De-identifies a data set into a new data set (values are shared, the input is not changed).</summary>
    /// <param name="dataset">The data set.</param>
    public DicomDataset Deidentify(DicomDataset dataset)
    {
        string patientId = dataset.GetStringOrDefault(DicomTag.PatientID)?.Trim() ?? "";
        var tokens = new List<string>();
        foreach (var part in (dataset.GetStringOrDefault(DicomTag.PatientName) ?? "").Split('^', '=', ' '))
            if (part.Trim().Length >= 3) tokens.Add(part.Trim());
        if (patientId.Length >= 3) tokens.Add(patientId);
        bool rawData = _raw != null && dataset.GetStringOrDefault(DicomTag.SOPClassUID)?.Trim('\0', ' ') == RawDataStorage;
        var ctx = new Context(DateShiftDays(patientId), tokens, rawData ? _raw! : _main);
        var output = Process(dataset, ctx);
        // an overlay whose data (or bits) a table removes is no overlay: drop the rest of its group so the Overlay Plane
        // Module does not stay behind incomplete (e.g. syngo Table 73 removes 60xx,0100/0102/3000 but not Overlay Rows)
        for (ushort g = 0x6000; g <= 0x601E; g += 2)
        {
            ushort group = g;
            if (dataset.Contains(new DicomTag(group, 0x3000)) && !output.Contains(new DicomTag(group, 0x3000)))
            {
                int removed = output.RemoveAll(i => i.Tag.Group == group);
                if (removed > 0) _logger.LogDebug("overlay group {Group:X4}: {Count} elements removed with its Overlay Data", group, removed);
            }
        }
        bool pixelsCleaned = BurnedInAnnotationRegions is { Count: > 0 } regions && PixelCleaner.Clean(output, regions);
        if (pixelsCleaned) output.AddOrUpdate(DicomTag.BurnedInAnnotation, "NO");

        var o = _profile.Options;
        output.AddOrUpdate(DicomTag.PatientIdentityRemoved, "YES");
        var methods = new List<string> { _profile.Method };
        var codes = new List<(string, string)> { ("113100", "Basic Application Confidentiality Profile") };
        if (pixelsCleaned)
        {
            methods.Add("Clean Pixel Data Option");
            codes.Add(("113101", "Clean Pixel Data Option"));
        }
        foreach (var (flag, code, meaning) in OptionCodes)
        {
            if ((o & flag) == 0) continue;
            methods.Add(meaning.Length > 64 ? meaning[..64] : meaning);
            codes.Add((code, meaning));
        }
        output.AddOrUpdate(DicomTag.DeidentificationMethod, [.. methods]);
        output.AddOrUpdate(new DicomSequence(DicomTag.DeidentificationMethodCodeSequence, codes.Select(c => new DicomDataset()
            .AddOrUpdate(DicomTag.CodeValue, c.Item1)
            .AddOrUpdate(DicomTag.CodingSchemeDesignator, "DCM")
            .AddOrUpdate(DicomTag.CodeMeaning, c.Item2))));
        string temporal = (o & DeidentificationOptions.RetainLongitudinalFullDates) != 0 ? "UNMODIFIED"
            : (o & DeidentificationOptions.RetainLongitudinalModifiedDates) != 0 ? "MODIFIED" : "REMOVED";
        output.AddOrUpdate(DicomTag.LongitudinalTemporalInformationModified, temporal);
        return output;
    }

    private static readonly (DeidentificationOptions, string, string)[] OptionCodes =
    [
        (DeidentificationOptions.CleanGraphics, "113103", "Clean Graphics Option"),
        (DeidentificationOptions.CleanStructuredContent, "113104", "Clean Structured Content Option"),
        (DeidentificationOptions.CleanDescriptors, "113105", "Clean Descriptors Option"),
        (DeidentificationOptions.RetainLongitudinalFullDates, "113106", "Retain Longitudinal Temporal Information Full Dates Option"),
        (DeidentificationOptions.RetainLongitudinalModifiedDates, "113107", "Retain Longitudinal Temporal Information Modified Dates Option"),
        (DeidentificationOptions.RetainPatientCharacteristics, "113108", "Retain Patient Characteristics Option"),
        (DeidentificationOptions.RetainDeviceIdentity, "113109", "Retain Device Identity Option"),
        (DeidentificationOptions.RetainUids, "113110", "Retain UIDs Option"),
        (DeidentificationOptions.RetainSafePrivate, "113111", "Retain Safe Private Option"),
        (DeidentificationOptions.RetainInstitutionIdentity, "113112", "Retain Institution Identity Option"),
    ];

    private sealed record Context(int ShiftDays, IReadOnlyCollection<string> Tokens, RuleSet Rules);

    private static IDeidentificationRule? RuleFor(DicomTag tag, RuleSet rules)
    {
        if (rules.Exact.TryGetValue(tag.Value, out var r)) return r;
        foreach (var m in rules.Masked)
        {
            if ((tag.Value & m.Mask) == m.Tag!.Value.Value) return m;
        }
        return null;
    }

    private DicomDataset Process(DicomDataset input, Context ctx)
    {
        var output = new DicomDataset { UndefinedLength = input.UndefinedLength };
        if (input.GetElement(DicomTag.SpecificCharacterSet) is { } cs) output.AddOrUpdate(cs);
        var keptBlocks = new HashSet<uint>();
        foreach (var item in input)
        {
            var tag = item.Tag;
            if (tag == DicomTag.SpecificCharacterSet || tag.IsGroupLength) continue;
            IDeidentificationRule? rule;
            if ((tag.Group & 1) == 1 && !tag.IsPrivate) continue; // odd groups 0001-0007 and FFFF cannot be private blocks: never kept
            if (tag.IsPrivate && tag.Element < 0x0010) continue; // (gggg,0001-000F) is no private element (e.g. syngo's "(0019,0005)"): never kept
            if (tag.IsPrivate)
            {
                if (tag.IsPrivateCreator) continue; // added back below for blocks that keep an element
                string? creator = input.GetPrivateCreator(tag)?.Trim();
                rule = creator == null ? null
                    : ctx.Rules.Private.GetValueOrDefault(new PrivateTagKey(tag.Group, creator, (byte)tag.Element));
                if (rule == null)
                {
                    bool safe = creator != null && (_profile.Options & DeidentificationOptions.RetainSafePrivate) != 0 && _profile.SafePrivateCreators.Contains(creator);
                    bool keep = creator != null && _profile.PrivatePolicy == PrivateAttributePolicy.KeepUnlisted;
                    if (!safe && !keep) continue;
                }
                if (rule?.Action != DeidentificationAction.Remove) keptBlocks.Add(tag.PrivateCreatorTag.Value);
            }
            else
            {
                rule = RuleFor(tag, ctx.Rules);
            }
            var result = Apply(item, rule?.Action ?? DeidentificationAction.Keep, input.CharacterSet, ctx, (rule as DeidentificationRule)?.ReplacementValue);
            if (result != null) output.AddOrUpdate(result);
            if (rule != null && rule.Action != DeidentificationAction.Keep) _logger.LogDebug("{Tag} {Action}: {Reason}", tag, rule.Action, rule.Reason);
        }
        foreach (var b in keptBlocks)
        {
            if (input[new DicomTag(b)] is { } creatorElement) output.AddOrUpdate(creatorElement);
        }
        return output;
    }

    private DicomItem? Apply(DicomItem item, DeidentificationAction action, DicomCharacterSet cs, Context ctx, string? replacement = null)
    {
        if (item is DicomSequence sq)
        {
            return action switch
            {
                DeidentificationAction.Remove => null,
                DeidentificationAction.Zero => new DicomSequence(sq.Tag) { UndefinedLength = sq.UndefinedLength },
                _ => new DicomSequence(sq.Tag, sq.Items.Select(i => Process(i, ctx))) { UndefinedLength = sq.UndefinedLength },
            };
        }
        if (item is not DicomElement e) return action == DeidentificationAction.Remove ? null : item;
        switch (action)
        {
            case DeidentificationAction.Keep:
                return e;
            case DeidentificationAction.Remove:
                return null;
            case DeidentificationAction.Zero:
                return new DicomElement(e.Tag, e.VR, DicomBuffer.Empty, cs);
            case DeidentificationAction.Dummy:
                if (replacement != null && e.VR.IsString) return DicomElement.FromStrings(e.Tag, e.VR, cs, replacement);
                return Dummy(e, cs);
            case DeidentificationAction.Clean:
                if (e.VR.IsString && !e.IsEmpty && Cleaner(e.Tag, e.GetString(), ctx.Tokens)) return e;
                return new DicomElement(e.Tag, e.VR, DicomBuffer.Empty, cs);
            case DeidentificationAction.ReplaceUid:
                if (e.VR != DicomVR.UI || e.IsEmpty) return e;
                return DicomElement.FromStrings(e.Tag, DicomVR.UI, cs, e.GetStrings().Select(MapUid).ToArray());
            case DeidentificationAction.ShiftDate:
                if (e.IsEmpty || (e.VR != DicomVR.DA && e.VR != DicomVR.DT)) return e;
                return DicomElement.FromStrings(e.Tag, e.VR, cs, e.GetStrings().Select(v => Shift(v, ctx.ShiftDays)).ToArray());
            default:
                return null;
        }
    }

    private DicomElement Dummy(DicomElement e, DicomCharacterSet cs)
    {
        var vr = e.VR;
        if (vr == DicomVR.UI) return e.IsEmpty ? e : DicomElement.FromStrings(e.Tag, vr, cs, e.GetStrings().Select(MapUid).ToArray());
        if (!vr.IsString) return new DicomElement(e.Tag, vr, DicomBuffer.FromMemory(new byte[Math.Max(e.Length, vr.UnitSize) + (Math.Max(e.Length, vr.UnitSize) & 1)]), cs);
        string value = vr.Code switch
        {
            "DA" => "19000101",
            "TM" => "000000",
            "DT" => "19000101000000",
            "AS" => "000Y",
            "IS" or "DS" => "0",
            _ => "ANONYMOUS",
        };
        return DicomElement.FromStrings(e.Tag, vr, cs, value);
    }

    private static string Shift(string value, int days)
    {
        if (value.Length < 8 || !DateTime.TryParseExact(value[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return "";
        return d.AddDays(-days).ToString("yyyyMMdd", CultureInfo.InvariantCulture) + value[8..];
    }

    private static bool DefaultCleaner(DicomTag tag, string value, IReadOnlyCollection<string> tokens) =>
        !tokens.Any(t => value.Contains(t, StringComparison.OrdinalIgnoreCase));
}
