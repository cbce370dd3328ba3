using System.Globalization;
using Xunit;

namespace Dicom.Typed.Tests.Json;

/// <summary>Element-by-element comparison of data sets (tags, VRs, values, sequences, fragments); group lengths ignored.</summary>
internal static class DatasetAssert
{
    public static void Equal(DicomDataset expected, DicomDataset actual, string path = "")
    {
        var e = expected.Where(i => !i.Tag.IsGroupLength).ToList();
        var a = actual.Where(i => !i.Tag.IsGroupLength).ToList();
        Assert.True(e.Select(i => i.Tag).SequenceEqual(a.Select(i => i.Tag)),
            $"{path}: tags differ: missing [{string.Join(", ", e.Select(i => i.Tag).Except(a.Select(i => i.Tag)))}], extra [{string.Join(", ", a.Select(i => i.Tag).Except(e.Select(i => i.Tag)))}]");
        for (int k = 0; k < e.Count; k++)
        {
            var x = e[k];
            var y = a[k];
            string p = path + (path.Length > 0 ? "." : "") + x.Tag;
            Assert.True(x.VR == y.VR, $"{p}: VR {x.VR} vs {y.VR}");
            switch (x)
            {
                case DicomSequence sx:
                    var sy = Assert.IsType<DicomSequence>(y);
                    Assert.True(sx.Items.Count == sy.Items.Count, $"{p}: {sx.Items.Count} items vs {sy.Items.Count}");
                    for (int i = 0; i < sx.Items.Count; i++) Equal(sx.Items[i], sy.Items[i], $"{p}[{i}]");
                    break;
                case DicomFragmentSequence fx:
                    var fy = Assert.IsType<DicomFragmentSequence>(y);
                    Assert.True(fx.OffsetTable.Memory.Span.SequenceEqual(fy.OffsetTable.Memory.Span), $"{p}: offset table differs");
                    Assert.True(fx.Fragments.Count == fy.Fragments.Count, $"{p}: {fx.Fragments.Count} fragments vs {fy.Fragments.Count}");
                    for (int i = 0; i < fx.Fragments.Count; i++)
                        Assert.True(fx.Fragments[i].Memory.Span.SequenceEqual(fy.Fragments[i].Memory.Span), $"{p}: fragment {i} differs");
                    break;
                case DicomElement ex:
                    ElementEqual(ex, Assert.IsType<DicomElement>(y), p);
                    break;
            }
        }
    }

    private static void ElementEqual(DicomElement x, DicomElement y, string p)
    {
        if (x.VR.IsString)
        {
            var vx = x.GetStrings();
            var vy = y.GetStrings();
            Assert.True(vx.Length == vy.Length, $"{p}: {vx.Length} values vs {vy.Length}: [{string.Join("\\", vx)}] vs [{string.Join("\\", vy)}]");
            for (int i = 0; i < vx.Length; i++)
            {
                if (vx[i] == vy[i]) continue;
                if ((x.VR == DicomVR.DS || x.VR == DicomVR.IS)
                    && double.TryParse(vx[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double dx)
                    && double.TryParse(vy[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double dy) && dx == dy) continue;
                if (x.VR == DicomVR.PN && vx[i].TrimEnd('=', '^', ' ') == vy[i].TrimEnd('=', '^', ' ')) continue;
                Assert.Fail($"{p}: value {i} '{vx[i]}' vs '{vy[i]}'");
            }
            return;
        }
        var bx = x.Bytes;
        var by = y.Bytes;
        bool same = bx.SequenceEqual(by) || (bx.Length == by.Length + 1 && bx[^1] == 0 && bx[..by.Length].SequenceEqual(by))
            || (by.Length == bx.Length + 1 && by[^1] == 0 && by[..bx.Length].SequenceEqual(bx));
        Assert.True(same, $"{p}: {x.VR} bytes differ ({bx.Length} vs {by.Length})");
    }
}
