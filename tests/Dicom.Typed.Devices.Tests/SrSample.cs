using System.Collections;
using System.Globalization;
using System.Reflection;
using Dicom.Typed.Sr;

namespace Dicom.Typed.Devices.Tests;

/// <summary>
/// The SR content of a realistic sample (hook of <see cref="RealisticSample"/>): the IOD's typed <c>Content</c> is built through
/// the generated template classes with every row the template lists (one item per 1-n row), values as a CT or projection X-ray
/// dose report of a chest examination would carry them (PS3.16 value sets for the coded rows).
/// </summary>
public static class SrSample
{
    private static DicomCode C(string value, string scheme, string meaning) => new(value, scheme, meaning);

    /// <summary>Coded values by member name (PS3.16 context groups of the rows).</summary>
    private static readonly Dictionary<string, DicomCode> Codes = new(StringComparer.Ordinal)
    {
        ["TargetRegion"] = C("51185008", "SCT", "Chest"),                              // CID 4030
        ["CtAcquisitionType"] = C("116152004", "SCT", "Spiral Acquisition"),          // CID 10013
        ["ProcedureContext"] = C("32317009", "SCT", "CT without contrast"),           // the Vereos statement prints this meaning; code not verified against PS3.16
        ["CTDIwPhantomType"] = C("113691", "DCM", "IEC Body Dosimetry Phantom"),      // CID 4052
        ["SourceOfDoseInformation"] = C("113856", "DCM", "Automated Data Collection"), // CID 10021
        ["HasIntent"] = C("261004008", "SCT", "Diagnostic Intent"),                   // CID 3629
        ["PersonRoleInProcedure"] = C("113850", "DCM", "Irradiation Authorizing"),    // TID 10015: $PersonProcedureRole of the person proceeding
        ["MeasurementMethod"] = C("113987", "DCM", "AAPM 220"),                        // CID 10024
        ["ObserverType"] = C("121007", "DCM", "Device"),
        ["ScopeOfAccumulation"] = C("113014", "DCM", "Study"),
        ["IrradiationEventType"] = C("113611", "DCM", "Stationary Acquisition"),       // CID 10002
        ["AcquisitionPlane"] = C("113622", "DCM", "Single Plane"),                     // CID 10003
        ["FluoroMode"] = C("113631", "DCM", "Pulsed"),                                 // CID 10004
                ["DeviceRoleInProcedure"] = C("113859", "DCM", "Irradiating Device"),
    };

    // the sample sends the alert/notification values, so the "… Configured" rows say Yes (TID 10015: values IFF Yes)
    private static readonly DicomCode Yes = C("373066001", "SCT", "Yes");

    /// <summary>Numbers by member name (a 120 kV spiral chest CT; values in the template's units).</summary>
    private static readonly Dictionary<string, double> Numbers = new(StringComparer.Ordinal)
    {
        ["Kvp"] = 120, ["XRayTubeCurrent"] = 180, ["MaximumXRayTubeCurrent"] = 250, ["ExposureTime"] = 6.2, ["ExposureTimePerRotation"] = 0.5,
        ["ScanningLength"] = 410, ["NominalSingleCollimationWidth"] = 0.6, ["NominalTotalCollimationWidth"] = 38.4, ["PitchFactor"] = 1.2,
        ["NumberOfXRaySources"] = 1, ["MeanCTDIvol"] = 7.3, ["Dlp"] = 301.5, ["CtDoseLengthProductTotal"] = 301.5,
        ["TotalNumberOfIrradiationEvents"] = 1, ["Value"] = 9.1, ["DlpNotificationValue"] = 1000, ["CTDIvolNotificationValue"] = 50,
        ["DlpForwardEstimate"] = 301.5, ["CTDIvolForwardEstimate"] = 7.3, ["DlpAlertValue"] = 2000, ["CTDIvolAlertValue"] = 100,
        ["AccumulatedDlpForwardEstimate"] = 301.5, ["AccumulatedCTDIvolForwardEstimate"] = 7.3, ["TotalMAs"] = 1116,
    };

    /// <summary>Sets the typed SR content of <paramref name="iod"/> when its type has one.</summary>
    /// <param name="iod">A realistic sample IOD.</param>
    public static void Fill(object iod)
    {
        var p = iod.GetType().GetProperty("Content");
        if (p?.GetCustomAttribute<SrRowAttribute>() == null || p.SetMethod == null) return;
        // a key object selection references the instances its evidence sequence lists (PS3.3 C.17.6.2.1)
        _evidence = null;
        if (iod.GetType().GetMethod("ToDataset", Type.EmptyTypes)?.Invoke(iod, null) is DicomDataset ds
            && ds.GetSequence(new DicomTag(0x0040A375)) is { Items.Count: > 0 } evidence
            && evidence.Items[0].GetSequence(new DicomTag(0x00081115)) is { Items.Count: > 0 } series
            && series.Items[0].GetSequence(new DicomTag(0x00081199)) is { Items.Count: > 0 } sops
            && sops.Items[0].GetStringOrDefault(new DicomTag(0x00081150)) is { Length: > 0 } cls
            && sops.Items[0].GetStringOrDefault(new DicomTag(0x00081155)) is { Length: > 0 } inst)
            _evidence = new SrReference(cls, inst);
        p.SetValue(iod, Create(Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType, "Content", 0));
    }


    [ThreadStatic] private static SrReference? _evidence;

    private static object? Create(Type type, string name, int depth)
    {
        var obj = Activator.CreateInstance(type)!;
        bool settable = false, set = false;
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetCustomAttribute<SrRowAttribute>() == null || p.SetMethod == null) continue;
            settable = true;
            var value = Sample(p.PropertyType, p.Name == "Value" ? name : p.Name, depth + 1); // an item's own value: named by the item
            if (value != null) { p.SetValue(obj, value); set = true; }
        }
        return settable && !set ? null : obj; // nothing to send (e.g. only image references without an evidence sequence)
    }

    private static object? Sample(Type t, string name, int depth)
    {
        if (depth > 12) return null;
        var inner = Nullable.GetUnderlyingType(t) ?? t;
        if (inner.IsGenericType && inner.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var element = inner.GetGenericArguments()[0];
            var one = Sample(element, name, depth);
            if (one == null) return null;
            var array = Array.CreateInstance(element, 1);
            array.SetValue(one, 0);
            return array;
        }
        if (inner == typeof(double)) return Numbers.TryGetValue(name, out double d) ? d : 1.5;
        if (inner == typeof(string))
            return name.EndsWith("Uid", StringComparison.Ordinal) ? "1.2.826.0.1.3680043.10.543." + (Math.Abs(name.GetHashCode(StringComparison.Ordinal)) % 100000).ToString(CultureInfo.InvariantCulture) + ".1"
                : name switch
                {
                    "AcquisitionProtocol" => "Thorax routine",
                    "IdentificationOfTheXRaySource" => "A",
                    "DeviceObserverManufacturer" or "DeviceManufacturer" => "Vendor",
                    "DeviceObserverName" => "CTAWP1",
                    "DeviceObserverModelName" or "DeviceModelName" => "Model",
                    "DeviceObserverSerialNumber" or "DeviceSerialNumber" => "SN1234",
                    "DeviceObserverPhysicalLocationDuringObservation" => "CT room 1",
                    "ReasonForProceeding" => "Clinically indicated",
                    _ => "Sample",
                };
        if (inner == typeof(DicomCode))
            // rows whose value set the statement does not print and this table does not know get a placeholder code
            return Codes.TryGetValue(name, out var c) ? c : name.EndsWith("Configured", StringComparison.Ordinal) ? Yes : C("121071", "DCM", "Finding");
        if (inner == typeof(DicomDateTime)) return DicomDateTime.Parse(name.StartsWith("End", StringComparison.Ordinal) ? "20240131102000" : "20240131101500");
        if (inner == typeof(DicomDate)) return DicomDate.Parse("20240131");
        if (inner == typeof(DicomTime)) return DicomTime.Parse("101500");
        if (inner == typeof(DicomPersonName)) return DicomPersonName.Parse("Tech^Anna");
        if (inner == typeof(SrMeasurement)) return SrMeasurement.Of(Numbers.TryGetValue(name, out double m) ? m : 1.5, C("1", "UCUM", "no units"));
        // an IMAGE reference must be listed in the document's evidence sequence (PS3.3 C.17.2.3): without one (the Trinias
        // statement lists none) the device cannot reference images
        if (inner == typeof(SrReference)) return _evidence;
        if (inner.IsClass && inner.GetProperties().Any(x => x.GetCustomAttribute<SrRowAttribute>() != null) || inner.GetConstructor(Type.EmptyTypes) != null && inner.Namespace?.EndsWith(".Sr", StringComparison.Ordinal) == true)
            return Create(inner, name, depth);
        return null;
    }
}
