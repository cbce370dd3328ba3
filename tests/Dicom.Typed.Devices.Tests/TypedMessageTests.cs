using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Dicom.Typed.Iod;
using Dicom.Typed.IO;
using Xunit.Abstractions;

namespace Dicom.Typed.Devices.Tests;

/// <summary>
/// Every generated message class (definitions/*/messages/*.json): build an instance with every member → ToDataset → raw data set
/// in ILE and ELE → decode → Read → no findings, equal data set and equal typed members; pydicom reads the same tag paths.
/// </summary>
public sealed class TypedMessageTests(ITestOutputHelper output)
{
    private static readonly Assembly Devices = typeof(Dicom.Typed.Devices.ShimadzuTrinias.TriniasWorklistQuery).Assembly;

    public static IEnumerable<object[]> MessageTypes() =>
        Devices.GetTypes().Where(t => t.GetCustomAttribute<DicomMessageAttribute>() != null).OrderBy(t => t.FullName).Select(t => new object[] { t.FullName! });

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Dicom.Typed.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }

    [Fact]
    public void Every_message_definition_produced_a_typed_class()
    {
        var files = Directory.GetDirectories(Path.Combine(RepoRoot(), "definitions"))
            .Where(d => Directory.Exists(Path.Combine(d, "messages")))
            .SelectMany(d => Directory.GetFiles(Path.Combine(d, "messages"), "*.json"))
            .Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList();
        var types = Devices.GetTypes().Where(t => t.GetCustomAttribute<DicomMessageAttribute>() != null).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(files);
        Assert.Equal(files, types);
    }

    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void Builds_writes_and_reads_back(string typeName)
    {
        var type = Devices.GetType(typeName)!;
        var message = MessageSamples.Create(type);
        var dataset = ToDataset(message);
        Assert.NotEqual(0, dataset.Count);

        foreach (var ts in new[] { DicomTransferSyntax.Parse("1.2.840.10008.1.2"), DicomTransferSyntax.Parse("1.2.840.10008.1.2.1") })
        {
            using var ms = new MemoryStream();
            new DicomDatasetWriter(ms, ts).Write(dataset);
            var decoded = DicomDatasetReader.Read(ms.ToArray(), ts);
            Assert.Empty(Relevant(DicomDatasetComparer.Differences(dataset, decoded), ts));

            var read = type.GetMethod("Read", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [decoded])!;
            var findings = (IReadOnlyList<DicomFinding>)read.GetType().GetProperty("Findings")!.GetValue(read)!;
            foreach (var f in findings) output.WriteLine(f.ToString());
            Assert.True(findings.Count == 0, string.Join("\n", findings));
            var value = read.GetType().GetProperty("Value")!.GetValue(read)!;
            MessageSamples.AssertEqual(message, value, type.Name);
            var diffs = Relevant(DicomDatasetComparer.Differences(decoded, ToDataset(value)), ts);
            Assert.True(diffs.Count == 0, string.Join("\n", diffs));
        }

        // independent reader: pydicom lists the tag paths of the raw data set; they are those of our data set
        using var ele = new MemoryStream();
        new DicomDatasetWriter(ele, DicomTransferSyntax.Parse("1.2.840.10008.1.2.1")).Write(dataset);
        Assert.Equal(Paths(dataset), Pydicom(ele.ToArray()).Paths);
    }

    /// <summary>In Implicit VR Little Endian, Pixel Data is OW whatever Bits Allocated (PS3.5 A.1), so OB (Bits Allocated 8,
    /// explicit) and OW (implicit) are the same value there; every other difference counts.</summary>
    private static List<string> Relevant(IReadOnlyList<string> differences, DicomTransferSyntax ts) =>
        differences.Where(d => !(ts.Uid.Value == "1.2.840.10008.1.2" && d.EndsWith("(7FE0,0010): VR OB vs OW", StringComparison.Ordinal)
            || ts.Uid.Value == "1.2.840.10008.1.2" && d.EndsWith("(7FE0,0010): VR OW vs OB", StringComparison.Ordinal))).ToList();

    internal static DicomDataset ToDataset(object message) =>
        (DicomDataset)message.GetType().GetMethod("ToDataset", Type.EmptyTypes)!.Invoke(message, null)!;

    internal static List<string> Paths(DicomDataset ds, string prefix = "")
    {
        var list = new List<string>();
        foreach (var item in ds)
        {
            string k = prefix + item.Tag.Value.ToString("X8", CultureInfo.InvariantCulture);
            list.Add(k);
            if (item is DicomSequence sq) foreach (var i in sq.Items) list.AddRange(Paths(i, k + "/"));
        }
        return prefix.Length == 0 ? list.Distinct().Order(StringComparer.Ordinal).ToList() : list;
    }

    /// <summary>An independent reader: pydicom (Debian's /usr/bin/python3) lists the tag paths (gggg eeee, items joined by '/',
    /// distinct, ordinal order) of a raw data set, and its Patient ID ("" when absent).</summary>
    internal static (List<string> Paths, string PatientId) Pydicom(byte[] dataset, bool implicitVr = false)
    {
        var file = Path.Combine(Path.GetTempPath(), $"dt-tmsg-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(file, dataset);
        try
        {
            string script = "import sys\nfrom io import BytesIO\nfrom pydicom.filereader import read_dataset\n"
                + $"ds = read_dataset(BytesIO(open(sys.argv[1],'rb').read()), {(implicitVr ? "True" : "False")}, True)\n"
                + "def walk(d, p=''):\n"
                + "    for e in d:\n"
                + "        k = p + '%08X' % e.tag\n"
                + "        print(k)\n"
                + "        if e.VR == 'SQ':\n"
                + "            for it in e.value: walk(it, k + '/')\n"
                + "walk(ds)\n"
                + "print('PATIENT_ID=' + str(ds.get((0x0010, 0x0020)).value if (0x0010, 0x0020) in ds else ''))\n";
            var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add(script);
            psi.ArgumentList.Add(file);
            using var p = Process.Start(psi)!;
            string stdout = p.StandardOutput.ReadToEnd();
            string stderr = p.StandardError.ReadToEnd();
            Assert.True(p.WaitForExit(60_000), "pydicom did not finish");
            Assert.True(p.ExitCode == 0, "pydicom failed: " + stderr);
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            const string Id = "PATIENT_ID=";
            return (lines.Where(l => !l.StartsWith(Id, StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToList(),
                lines.Single(l => l.StartsWith(Id, StringComparison.Ordinal))[Id.Length..]);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

/// <summary>Fills generated message classes by reflection: every member (query keys cycle through universal, typed match and pattern).</summary>
internal static class MessageSamples
{
    public static object Create(Type type, int depth = 0)
    {
        var obj = Activator.CreateInstance(type)!;
        int index = 0;
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.SetMethod == null) continue;
            if (p.Name == "SpecificCharacterSet")
            {
                p.SetValue(obj, p.PropertyType == typeof(string) ? "ISO_IR 100" : new[] { "ISO_IR 100" });
                continue;
            }
            if (p.Name == "QueryRetrieveLevel" && p.PropertyType == typeof(string))
            {
                p.SetValue(obj, "STUDY");
                continue;
            }
            var meta = p.GetCustomAttribute<DicomAttributeAttribute>();
            if (meta == null) continue;
            var enumerated = p.GetCustomAttribute<DicomEnumeratedValuesAttribute>();
            var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            object? value;
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(DicomQueryKey<>))
                value = QueryKey(t, meta, index++);
            else
                value = RealisticSample.FixedValue(p, meta) ?? Sample(t, meta, enumerated, depth); // a fixed value (e.g. MPPS status IN PROGRESS) is the only valid one
            if (value != null) p.SetValue(obj, value);
        }
        return obj;
    }

    private static object QueryKey(Type keyType, DicomAttributeAttribute meta, int index)
    {
        var t = keyType.GetGenericArguments()[0];
        switch (index % 3)
        {
            case 0:
                return keyType.GetProperty("Universal")!.GetValue(null)!;
            case 2 when meta.VR is "DA":
                return keyType.GetMethod("Pattern")!.Invoke(null, ["20240101-20241231"])!;
            case 2 when meta.VR is "PN" or "LO" or "SH" or "LT" or "ST" or "AE":
                return keyType.GetMethod("Pattern")!.Invoke(null, ["SAMP*"])!;
            default:
                return keyType.GetMethod("Match")!.Invoke(null, [SampleFactory.One(t, meta, null, 0)])!;
        }
    }

    private static object? Sample(Type t, DicomAttributeAttribute meta, DicomEnumeratedValuesAttribute? enumerated, int depth)
    {
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            var element = t.GetGenericArguments()[0];
            if (meta.VR == "SQ")
            {
                var arr = Array.CreateInstance(element, depth > 4 ? 0 : 1);
                if (arr.Length > 0) arr.SetValue(Create(element, depth + 1), 0);
                return arr;
            }
            var vm = DicomVM.Parse(meta.VM);
            int n = Math.Max(1, vm.Minimum);
            var values = Array.CreateInstance(element, n);
            for (int i = 0; i < n; i++) values.SetValue(SampleFactory.One(element, meta, enumerated, i), i);
            return values;
        }
        return SampleFactory.One(t, meta, enumerated, 0);
    }

    /// <summary>Member-wise equality of two message objects (lists element-wise, items recursively, byte arrays by content).</summary>
    public static void AssertEqual(object expected, object actual, string path)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        foreach (var p in expected.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length > 0) continue;
            AssertValue(p.GetValue(expected), p.GetValue(actual), path + "." + p.Name);
        }
    }

    private static void AssertValue(object? e, object? a, string path)
    {
        if (e is null || a is null)
        {
            Assert.True(e is null && a is null, $"{path}: expected {e ?? "null"}, got {a ?? "null"}");
            return;
        }
        if (e is byte[] eb) { Assert.Equal(eb, (byte[])a); return; }
        if (e is string || !(e is IEnumerable))
        {
            if (e.GetType().Namespace == "Dicom.Typed.Devices" || e.GetType().FullName!.StartsWith("Dicom.Typed.Devices.", StringComparison.Ordinal) && e.GetType().GetMethod("ToDataset") != null)
            {
                AssertEqual(e, a, path);
                return;
            }
            Assert.True(Equals(e, a) || e.ToString() == a.ToString(), $"{path}: expected {e}, got {a}");
            return;
        }
        var el = ((IEnumerable)e).Cast<object?>().ToList();
        var al = ((IEnumerable)a).Cast<object?>().ToList();
        Assert.True(el.Count == al.Count, $"{path}: {el.Count} values expected, {al.Count} read");
        for (int i = 0; i < el.Count; i++) AssertValue(el[i], al[i], path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]");
    }
}
