namespace Dicom.Typed;

/// <summary>Compares data sets element by element: tags, VRs, values (decoded text for character-set dependent VRs), sequences and fragments.</summary>
public static class DicomDatasetComparer
{
    /// <summary>Lists the differences between two data sets (empty when equal).</summary>
    /// <param name="expected">The expected data set.</param>
    /// <param name="actual">The actual data set.</param>
    /// <param name="maxDifferences">Stop after this many differences.</param>
    public static IReadOnlyList<string> Differences(DicomDataset expected, DicomDataset actual, int maxDifferences = 50)
    {
        var diffs = new List<string>();
        Compare(expected, actual, "", diffs, maxDifferences);
        return diffs;
    }

    /// <summary>True when both data sets have the same content.</summary>
    /// <param name="a">First data set.</param>
    /// <param name="b">Second data set.</param>
    public static bool AreEqual(DicomDataset a, DicomDataset b) => Differences(a, b, 1).Count == 0;

    private static void Compare(DicomDataset a, DicomDataset b, string path, List<string> diffs, int max)
    {
        using var ea = a.GetEnumerator();
        using var eb = b.GetEnumerator();
        bool ha = ea.MoveNext(), hb = eb.MoveNext();
        while ((ha || hb) && diffs.Count < max)
        {
            if (!hb || (ha && ea.Current.Tag < eb.Current.Tag)) { diffs.Add($"{path}{ea.Current.Tag}: missing"); ha = ea.MoveNext(); continue; }
            if (!ha || eb.Current.Tag < ea.Current.Tag) { diffs.Add($"{path}{eb.Current.Tag}: unexpected"); hb = eb.MoveNext(); continue; }
            CompareItem(ea.Current, eb.Current, path + ea.Current.Tag, diffs, max);
            ha = ea.MoveNext();
            hb = eb.MoveNext();
        }
    }

    private static void CompareItem(DicomItem x, DicomItem y, string path, List<string> diffs, int max)
    {
        if (x.VR != y.VR && !(x.VR == DicomVR.UN || y.VR == DicomVR.UN)) diffs.Add($"{path}: VR {x.VR} vs {y.VR}");
        switch (x, y)
        {
            case (DicomSequence sa, DicomSequence sb):
                if (sa.Items.Count != sb.Items.Count) { diffs.Add($"{path}: {sa.Items.Count} items vs {sb.Items.Count}"); return; }
                for (int i = 0; i < sa.Items.Count && diffs.Count < max; i++) Compare(sa.Items[i], sb.Items[i], $"{path}[{i}].", diffs, max);
                break;
            case (DicomFragmentSequence fa, DicomFragmentSequence fb):
                if (!fa.OffsetTable.Memory.Span.SequenceEqual(fb.OffsetTable.Memory.Span)) diffs.Add($"{path}: offset tables differ");
                if (fa.Fragments.Count != fb.Fragments.Count) { diffs.Add($"{path}: {fa.Fragments.Count} fragments vs {fb.Fragments.Count}"); return; }
                for (int i = 0; i < fa.Fragments.Count; i++)
                {
                    if (!SameBytes(fa.Fragments[i], fb.Fragments[i], padTolerant: true)) diffs.Add($"{path}: fragment {i} differs");
                }
                break;
            case (DicomElement, DicomElement) when x.Tag.Element == 0:
                break; // group lengths are derived and recomputed on write
            case (DicomElement ea, DicomElement eb):
                if (ea.VR.IsCharacterSetSensitive && !ea.CharacterSet.Equals(eb.CharacterSet))
                {
                    if (ea.GetString() != eb.GetString()) diffs.Add($"{path}: '{ea.GetString()}' vs '{eb.GetString()}'");
                }
                else if (!SameBytes(ea.Buffer, eb.Buffer, padTolerant: true))
                {
                    diffs.Add($"{path}: values differ ({Show(ea)} vs {Show(eb)})");
                }
                break;
            default:
                diffs.Add($"{path}: {x.GetType().Name} vs {y.GetType().Name}");
                break;
        }
    }

    private static string Show(DicomElement e)
    {
        try
        {
            string s = e.VR.IsString || e.VR.IsBinaryNumeric ? e.GetString() : $"{e.Length} bytes";
            return s.Length > 40 ? s[..40] + "..." : s;
        }
        catch (DicomValueException)
        {
            return $"{e.Length} bytes";
        }
    }

    private static bool SameBytes(DicomBuffer a, DicomBuffer b, bool padTolerant)
    {
        var x = a.Memory.Span;
        var y = b.Memory.Span;
        if (x.SequenceEqual(y)) return true;
        // A value of odd length is padded to even length when written (PS3.5 7.1.1).
        if (padTolerant && Math.Abs(x.Length - y.Length) == 1)
        {
            var shorter = x.Length < y.Length ? x : y;
            var longer = x.Length < y.Length ? y : x;
            return (shorter.Length & 1) == 1 && longer[..shorter.Length].SequenceEqual(shorter) && (longer[^1] == 0 || longer[^1] == 0x20);
        }
        return false;
    }
}
