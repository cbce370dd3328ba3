using System.Collections;
using System.Reflection;
using Dicom.Typed.Iod;

namespace Dicom.Typed.Devices.Tests;

/// <summary>Compares two generated IOD objects member by member (sequences item by item), listing the paths that differ.</summary>
public static class ObjectComparer
{
    public static List<string> Differences(object expected, object actual)
    {
        var diffs = new List<string>();
        Compare(expected, actual, expected.GetType().Name, diffs);
        return diffs;
    }

    private static void Compare(object? a, object? b, string path, List<string> diffs)
    {
        if (a == null && b == null) return;
        if (a == null || b == null) { diffs.Add($"{path}: {Show(a)} != {Show(b)}"); return; }
        var t = a.GetType();
        if (a is IEnumerable && b is IEnumerable && a is not (string or byte[]))
        {
            var la = ((IEnumerable)a).Cast<object?>().ToList();
            var lb = ((IEnumerable)b).Cast<object?>().ToList();
            if (la.Count != lb.Count) { diffs.Add($"{path}: {la.Count} != {lb.Count} values"); return; }
            for (int i = 0; i < la.Count; i++) Compare(la[i], lb[i], $"{path}[{i}]", diffs);
            return;
        }
        if (t != b.GetType()) { diffs.Add($"{path}: type {t.Name} != {b.GetType().Name}"); return; }
        if (a is byte[] ba) { if (!ba.AsSpan().SequenceEqual((byte[])b)) diffs.Add($"{path}: bytes differ"); return; }
        if (a is string || t.IsValueType || a is DicomPersonName) { if (!Equals(a, b)) diffs.Add($"{path}: {Show(a)} != {Show(b)}"); return; }
        if (a is IEnumerable ea)
        {
            var la = ea.Cast<object?>().ToList();
            var lb = ((IEnumerable)b).Cast<object?>().ToList();
            if (la.Count != lb.Count) { diffs.Add($"{path}: {la.Count} != {lb.Count} values"); return; }
            for (int i = 0; i < la.Count; i++) Compare(la[i], lb[i], $"{path}[{i}]", diffs);
            return;
        }
        foreach (var p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length > 0 || (p.GetCustomAttribute<DicomAttributeAttribute>() == null && p.GetCustomAttribute<Dicom.Typed.Sr.SrRowAttribute>() == null)) continue;
            Compare(p.GetValue(a), p.GetValue(b), path + "." + p.Name, diffs);
        }
    }

    private static string Show(object? o) => o switch
    {
        null => "null",
        IEnumerable e and not string => "[" + string.Join(", ", e.Cast<object?>().Select(Show)) + "]",
        _ => o.ToString() ?? "",
    };
}
