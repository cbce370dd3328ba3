using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dicom.Typed.IO;

namespace Dicom.Typed.Tests.IO;

/// <summary>
/// Reads every sample file shipped by python3-pydicom (and dicom3tools) and compares, element by element, with what
/// pydicom itself reads from the same file at test time: tags, VRs, values, sequence structure, character sets.
/// Files we reject must be rejected by DCMTK's dcmdump too (pydicom is lenient and reads truncated files).
/// </summary>
public sealed class PydicomComparisonTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Pydicom = new(LoadPydicom);

    private static Dictionary<string, JsonElement> LoadPydicom() => RunPydicom(TestEnvironment.SampleFiles());

    internal static Dictionary<string, JsonElement> RunPydicom(IReadOnlyList<string> files)
    {
        TestEnvironment.Require(TestEnvironment.Python, "Debian's python3");
        var (rc, stdout, stderr) = TestEnvironment.Run(TestEnvironment.Python, new[] { TestEnvironment.ToolPath("pydicom_dump.py") }.Concat(files), TimeSpan.FromMinutes(3));
        Assert.True(rc == 0, "pydicom_dump.py failed: " + stderr);
        var map = new Dictionary<string, JsonElement>();
        foreach (var line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var doc = JsonDocument.Parse(line).RootElement;
            map[doc.GetProperty("file").GetString()!] = doc;
        }
        return map;
    }

    public static IEnumerable<object[]> Files() => TestEnvironment.SampleFiles().Select(f => new object[] { Path.GetRelativePath(TestEnvironment.PydicomData, f) });

    [Fact]
    public void There_are_many_sample_files()
    {
        Assert.True(TestEnvironment.SampleFiles().Count >= 150, $"only {TestEnvironment.SampleFiles().Count} sample files found");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Reads_like_pydicom(string relative)
    {
        string path = Path.GetFullPath(Path.Combine(TestEnvironment.PydicomData, relative));
        var py = Pydicom.Value[path];
        DicomFile file;
        try
        {
            file = DicomFile.Open(path, new DicomReadOptions { LargeValueThreshold = null });
        }
        catch (DicomReadException e)
        {
            // We refuse the file: DCMTK must refuse it too, otherwise we are wrong.
            var (rc, _, err) = TestEnvironment.Run(TestEnvironment.RequireProgram("dcmdump"), ["-q", path]);
            Assert.True(rc != 0, $"we reject {relative} ({e.Message}) but dcmdump reads it");
            Assert.True(e.Offset >= 0 && e.Reason.Length > 0, "error without offset or reason");
            return;
        }
        if (py.TryGetProperty("error", out var pyErr))
        {
            // pydicom cannot read it but we can: acceptable only when dcmdump reads it too.
            var (rc, _, _) = TestEnvironment.Run(TestEnvironment.RequireProgram("dcmdump"), ["-q", path]);
            Assert.True(rc == 0, $"pydicom fails ({pyErr}) and dcmdump fails, but we read {relative}");
            return;
        }
        var mismatches = new List<string>();
        bool littleEndian = file.TransferSyntax.IsLittleEndian;
        Compare(file.Dataset, py.GetProperty("elements"), "", mismatches, littleEndian);
        Assert.True(mismatches.Count == 0, $"{relative}: {mismatches.Count} difference(s) with pydicom:\n" + string.Join("\n", mismatches.Take(30)));
    }

    internal static void Compare(DicomDataset ours, JsonElement theirs, string path, List<string> mismatches, bool littleEndian)
    {
        var seen = new HashSet<uint>();
        foreach (var pe in theirs.EnumerateArray())
        {
            var tag = new DicomTag(uint.Parse(pe.GetProperty("tag").GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            if (tag.Group == 0x0002 && path.Length == 0) continue;
            seen.Add(tag.Value);
            string where = path + tag;
            var item = ours[tag];
            if (item == null) { mismatches.Add($"{where}: missing in ours"); continue; }
            string pyVr = pe.GetProperty("vr").GetString()!;
            if (!VrCompatible(item, pyVr)) mismatches.Add($"{where}: VR {item.VR} vs pydicom {pyVr}");
            if (pe.TryGetProperty("error", out _)) continue;
            if (pe.TryGetProperty("items", out var items))
            {
                if (item is not DicomSequence sq) { mismatches.Add($"{where}: pydicom has a sequence, we have {item.GetType().Name}"); continue; }
                int n = items.GetArrayLength();
                if (n != sq.Items.Count) { mismatches.Add($"{where}: {sq.Items.Count} items vs {n}"); continue; }
                int i = 0;
                foreach (var child in items.EnumerateArray())
                {
                    Compare(sq.Items[i], child, $"{where}[{i}].", mismatches, littleEndian);
                    i++;
                }
                continue;
            }
            if (pe.TryGetProperty("binary", out var bin))
            {
                long len = bin.GetProperty("len").GetInt64();
                switch (item)
                {
                    case DicomElement e:
                        if (e.Length != len) mismatches.Add($"{where}: length {e.Length} vs {len}");
                        else if (littleEndian || e.VR == DicomVR.OB || e.VR == DicomVR.UN)
                        {
                            string sha = Convert.ToHexStringLower(SHA1.HashData(e.Bytes));
                            if (sha != bin.GetProperty("sha1").GetString()) mismatches.Add($"{where}: bytes differ");
                        }
                        break;
                    case DicomFragmentSequence f:
                        // pydicom holds encapsulated pixel data as the raw item stream.
                        long total = 8 + f.OffsetTable.Length + f.Fragments.Sum(x => 8 + x.Length) + 8;
                        if (total != len && total - 8 != len) mismatches.Add($"{where}: encapsulated length {total} vs {len}");
                        break;
                    case DicomSequence sq2:
                        // pydicom left an undefined-length UN sequence as bytes; we parsed it (PS3.5 6.2.2).
                        if (item.VR != DicomVR.SQ) mismatches.Add($"{where}: binary vs sequence");
                        _ = sq2;
                        break;
                }
                continue;
            }
            var values = pe.GetProperty("values");
            if (item is not DicomElement el) { mismatches.Add($"{where}: pydicom has values, we have {item.GetType().Name}"); continue; }
            CompareValues(el, values, where, mismatches);
        }
        foreach (var item in ours)
        {
            if (item.Tag.Group == 0x0002 && path.Length == 0) continue;
            if (!seen.Contains(item.Tag.Value)) mismatches.Add($"{path}{item.Tag}: only in ours");
        }
    }

    private static bool VrCompatible(DicomItem item, string pyVr)
    {
        if (pyVr == item.VR.Code) return true;
        if (pyVr.Contains(" or ") && pyVr.Split(" or ").Contains(item.VR.Code)) return true;
        // pydicom replaces UN by the dictionary VR of known tags, and knows private dictionaries we do not apply.
        if (item.VR == DicomVR.UN) return true;
        if (item is DicomSequence && pyVr == "UN") return true;
        return false;
    }

    private static void CompareValues(DicomElement e, JsonElement values, string where, List<string> mismatches)
    {
        var expected = values.EnumerateArray().ToList();
        if (expected.Count == 0)
        {
            if (!e.IsEmpty && e.GetStrings().Any(s => s.Trim('\0', ' ').Length > 0)) mismatches.Add($"{where}: we have '{e.GetString()}', pydicom empty");
            return;
        }
        if (e.VR == DicomVR.UN && expected.All(x => x.ValueKind != JsonValueKind.Object))
        {
            return; // pydicom converted UN with its dictionary; value types differ legitimately
        }
        string[] ours;
        try
        {
            ours = e.GetStrings();
        }
        catch (DicomValueException ex)
        {
            mismatches.Add($"{where}: {ex.Message}");
            return;
        }
        if (e.VR == DicomVR.AT)
        {
            var tags = e.GetValues<DicomTag>().Select(t => (double)t.Value).ToArray();
            ours = tags.Select(t => t.ToString(CultureInfo.InvariantCulture)).ToArray();
        }
        if (ours.Length != expected.Count)
        {
            // pydicom drops a trailing empty value of multi-valued strings in some cases; compare non-empty values.
            var ne = ours.Where(s => s.Trim().Length > 0).ToArray();
            if (ne.Length != expected.Count)
            {
                mismatches.Add($"{where}: {ours.Length} values [{string.Join("|", ours)}] vs {expected.Count} [{string.Join("|", expected)}]");
                return;
            }
            ours = ne;
        }
        for (int i = 0; i < ours.Length; i++)
        {
            var x = expected[i];
            string o = ours[i].Trim(' ', '\0');
            // pydicom's PersonName drops trailing empty component groups ("A^B=C^D=" reads as "A^B=C^D").
            if (e.VR == DicomVR.PN) o = o.TrimEnd('=');
            if (x.ValueKind == JsonValueKind.Number)
            {
                double d = x.GetDouble();
                if (!double.TryParse(o, NumberStyles.Float, CultureInfo.InvariantCulture, out double od) || !Close(od, d))
                    mismatches.Add($"{where}[{i}]: '{o}' vs {d.ToString("R", CultureInfo.InvariantCulture)}");
            }
            else
            {
                string s = (x.GetString() ?? "").Trim(' ', '\0');
                if (s != o && !(double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double a) && double.TryParse(o, NumberStyles.Float, CultureInfo.InvariantCulture, out double b) && Close(a, b)))
                    mismatches.Add($"{where}[{i}]: '{Esc(o)}' vs pydicom '{Esc(s)}'");
            }
        }
    }

    private static bool Close(double a, double b) => a == b || Math.Abs(a - b) <= 1e-6 * Math.Max(Math.Abs(a), Math.Abs(b)) || (float)a == (float)b;

    private static string Esc(string s)
    {
        var sb = new StringBuilder();
        foreach (char c in s) sb.Append(c < 0x20 ? $"\\x{(int)c:x2}" : c.ToString());
        return sb.ToString();
    }
}
