using System.Collections;
using System.Globalization;
using System.Reflection;
using Dicom.Typed.Iod;

namespace Dicom.Typed.Devices.Tests;

/// <summary>Fills a generated IOD object by reflection with valid sample values for every Type 1, 1C, 2 and 2C member (and items of sequences).</summary>
public static class SampleFactory
{
    public static object Create(Type type, int depth = 0) => Create(type, depth, optional: false);

    /// <summary>As <see cref="Create(Type, int)"/>; with <paramref name="optional"/> Type 3 members are filled too (message datasets
    /// whose keys are all optional).</summary>
    public static object Create(Type type, int depth, bool optional)
    {
        var obj = Activator.CreateInstance(type)!;
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var meta = p.GetCustomAttribute<DicomAttributeAttribute>();
            if (meta == null || p.SetMethod == null) continue;
            if (p.GetCustomAttribute<DicomPrivateAttributeAttribute>() != null) continue;
            if (meta.Type == DicomAttributeType.Type3 && !optional) continue; // 1C/2C are filled too: their conditions may be true
            var enumerated = p.GetCustomAttribute<DicomEnumeratedValuesAttribute>();
            var value = RealisticSample.FixedValue(p, meta) ?? Sample(p.PropertyType, meta, enumerated, depth, optional);
            if (value != null) p.SetValue(obj, value);
        }
        return obj;
    }

    private static object? Sample(Type t, DicomAttributeAttribute meta, DicomEnumeratedValuesAttribute? enumerated, int depth, bool optional)
    {
        var inner = Nullable.GetUnderlyingType(t) ?? t;
        if (inner.IsGenericType && inner.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var element = inner.GetGenericArguments()[0];
            if (meta.VR == "SQ")
            {
                if (depth > 4) return Array.CreateInstance(element, 0);
                var arr = Array.CreateInstance(element, 1);
                arr.SetValue(Create(element, depth + 1, optional), 0);
                return arr;
            }
            var vm = DicomVM.Parse(meta.VM);
            int n = Math.Max(1, vm.Minimum);
            var values = Array.CreateInstance(element, n);
            for (int i = 0; i < n; i++) values.SetValue(One(element, meta, enumerated, i), i);
            return values;
        }
        return One(inner, meta, enumerated, 0);
    }

    /// <summary>One sample value of a member type (also used by the typed message samples).</summary>
    internal static object One(Type t, DicomAttributeAttribute meta, DicomEnumeratedValuesAttribute? enumerated, int index)
    {
        if (t.IsEnum) return Enum.GetValues(t).GetValue(Math.Min(index, Enum.GetValues(t).Length - 1))!;
        if (t == typeof(string))
        {
            if (enumerated is { Values.Count: > 0 }) return enumerated.Values[Math.Min(index, enumerated.Values.Count - 1)];
            return meta.VR switch
            {
                "UI" => DicomUid.GenerateValue(),
                "AE" => "TYPEDSCU",
                "AS" => "045Y",
                "CS" => index == 0 ? "VALUE" : "VALUE" + index.ToString(CultureInfo.InvariantCulture),
                "UR" => "http://example.com/x",
                _ => "Sample " + meta.VR,
            };
        }
        if (t == typeof(DicomPersonName)) return new DicomPersonName("Doe", "Jane");
        if (t == typeof(DicomDate)) return new DicomDate(2024, 1, 31);
        if (t == typeof(DicomTime)) return new DicomTime(12, 30, 15);
        if (t == typeof(DicomDateTime)) return new DicomDateTime(new DicomDate(2024, 1, 31), new DicomTime(12, 30, 15));
        if (t == typeof(DicomDecimalString)) return new DicomDecimalString("1.5");
        if (t == typeof(DicomIntegerString)) return new DicomIntegerString("1");
        if (t == typeof(DicomTag)) return DicomTag.PatientName;
        if (t == typeof(byte[])) return new byte[] { 1, 2, 3, 4 };
        if (t == typeof(ushort)) return (ushort)1;
        if (t == typeof(short)) return (short)1;
        if (t == typeof(uint)) return 1u;
        if (t == typeof(int)) return 1;
        if (t == typeof(float)) return 1.5f;
        if (t == typeof(double)) return 1.5;
        if (t == typeof(long)) return 1L;
        if (t == typeof(ulong)) return 1UL;
        throw new NotSupportedException($"no sample for {t}");
    }
}
