using System.Text.RegularExpressions;

namespace Dicom.Typed.Definitions.Extractor.Parsing;

/// <summary>Builds the typed Q/R information models of <see cref="NetworkDefinition.QueryRetrieve"/> from the Q/R key tables that
/// the device parsers extracted as message datasets: one model per table, its level groups ("Q/R Study level", "STUDY LEVEL",
/// "Series Level") as levels, the rows as keys. The printed values of Query/Retrieve Level (0008,0052) are kept as printed;
/// errata map non-standard words.</summary>
public static partial class QueryRetrieveExtraction
{
    private static readonly Dictionary<string, (string Model, string Dimse, string Name)> SopClasses = new(StringComparer.Ordinal)
    {
        ["1.2.840.10008.5.1.4.1.2.1.1"] = ("PATIENT", "C-FIND", "Patient Root Query/Retrieve Information Model - FIND"),
        ["1.2.840.10008.5.1.4.1.2.1.2"] = ("PATIENT", "C-MOVE", "Patient Root Query/Retrieve Information Model - MOVE"),
        ["1.2.840.10008.5.1.4.1.2.1.3"] = ("PATIENT", "C-GET", "Patient Root Query/Retrieve Information Model - GET"),
        ["1.2.840.10008.5.1.4.1.2.2.1"] = ("STUDY", "C-FIND", "Study Root Query/Retrieve Information Model - FIND"),
        ["1.2.840.10008.5.1.4.1.2.2.2"] = ("STUDY", "C-MOVE", "Study Root Query/Retrieve Information Model - MOVE"),
        ["1.2.840.10008.5.1.4.1.2.2.3"] = ("STUDY", "C-GET", "Study Root Query/Retrieve Information Model - GET"),
        ["1.2.840.10008.5.1.4.1.2.3.1"] = ("PATIENT_STUDY", "C-FIND", "Patient/Study Only Query/Retrieve Information Model - FIND"),
        ["1.2.840.10008.5.1.4.1.2.3.2"] = ("PATIENT_STUDY", "C-MOVE", "Patient/Study Only Query/Retrieve Information Model - MOVE"),
        ["1.2.840.10008.5.1.4.1.2.3.3"] = ("PATIENT_STUDY", "C-GET", "Patient/Study Only Query/Retrieve Information Model - GET"),
    };

    /// <summary>A level group heading: "Q/R Study level", "STUDY LEVEL", "Series Level", "Image level".</summary>
    [GeneratedRegex(@"^(?:Q/R\s+)?(PATIENT|STUDY|SERIES|IMAGE|INSTANCE)\s+LEVEL$", RegexOptions.IgnoreCase)]
    private static partial Regex LevelHeading();

    /// <summary>Adds the Q/R models to the device's typed network section; a device whose parser built no network section
    /// (delegated statements) gets none.</summary>
    public static void Apply(DeviceOutput output)
    {
        var models = new List<QueryRetrieveModel>();
        foreach (var msg in output.Messages)
        {
            if (!SopClasses.TryGetValue(msg.SopClassUid, out var sop))
            {
                continue;
            }
            var model = new QueryRetrieveModel
            {
                SopClassName = sop.Name,
                SopClassUid = msg.SopClassUid,
                InformationModel = sop.Model,
                Dimse = sop.Dimse,
                Role = (msg.Dimse ?? "").Contains("SCP", StringComparison.Ordinal) ? "SCP" : "SCU",
                Message = msg.TypeName,
                Provenance = msg.Provenance,
            };
            foreach (var module in msg.Modules)
            {
                var keys = new List<QueryRetrieveKey>();
                Flatten(module.Attributes, null, keys);
                var m = LevelHeading().Match(module.Name.Trim());
                if (m.Success)
                {
                    var level = m.Groups[1].Value.ToUpperInvariant();
                    model.Levels.Add(new QueryRetrieveLevel
                    {
                        Level = level == "INSTANCE" ? "IMAGE" : level,
                        Heading = module.Name,
                        Keys = keys,
                        Provenance = module.Provenance,
                    });
                }
                else
                {
                    model.OtherKeys.AddRange(keys);
                }
            }
            var levelRow = msg.Modules.SelectMany(x => x.Attributes).FirstOrDefault(a => a.Tag == "0008,0052");
            var printed = levelRow is null ? [] : Words(levelRow.Comment ?? levelRow.Value?.Raw ?? "");
            if (levelRow is not null && printed.Count > 0)
            {
                model.LevelValues = printed;
                model.LevelValuesProvenance = levelRow.Provenance;
            }
            models.Add(model);
        }
        if (models.Count > 0 && output.Device.Network is { } network)
        {
            network.QueryRetrieve = models;
        }
    }

    private static List<string> Words(string text)
    {
        var words = text.Split([',', ' ', '\\'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return words.Length > 0 && words.All(w => Regex.IsMatch(w, "^[A-Z]+$")) ? [.. words] : [];
    }

    private static void Flatten(List<AttributeDefinition> attributes, string? path, List<QueryRetrieveKey> keys)
    {
        foreach (var a in attributes)
        {
            keys.Add(new QueryRetrieveKey
            {
                Tag = a.Tag,
                Path = path is null ? null : path + "/" + a.Tag,
                Name = a.Name,
                Vr = a.Vr,
                KeyType = a.Presence?.Word is { Length: > 0 } w ? w : null,
                Matching = a.Matching,
                Provenance = a.Provenance,
            });
            if (a.Items is { Count: > 0 } items)
            {
                Flatten(items, path is null ? a.Tag : path + "/" + a.Tag, keys);
            }
        }
    }
}
