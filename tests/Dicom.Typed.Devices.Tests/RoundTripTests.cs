using Xunit.Abstractions;
using System.Reflection;
using Dicom.Typed.Iod;

namespace Dicom.Typed.Devices.Tests;

/// <summary>Every generated IOD: build with every Type 1/2 member → ToDataset → Part 10 → read back → Read() without errors → equal data set.</summary>
public sealed class RoundTripTests(ITestOutputHelper output)
{
    private static readonly Assembly Devices = typeof(Dicom.Typed.Devices.PhilipsSmartctR13.SmartCtXaImage).Assembly;

    public static IEnumerable<object[]> IodTypes() =>
        Devices.GetTypes().Where(t => t.GetCustomAttribute<DicomIodAttribute>() is { } a && !IsMessage(a)).OrderBy(t => t.FullName).Select(t => new object[] { t.FullName! });

    private static bool IsMessage(DicomIodAttribute a) => a.Definition.Contains("/messages/", StringComparison.Ordinal);

    [Fact]
    public void Every_device_definition_produced_typed_classes()
    {
        var devices = Devices.GetTypes().Select(t => t.GetCustomAttribute<DicomIodAttribute>()?.Device).Where(d => d != null).Distinct().ToList();
        var folders = Directory.GetDirectories(Path.Combine(RepoRoot(), "definitions")).Where(d => Directory.Exists(Path.Combine(d, "iods"))).Select(Path.GetFileName).ToList();
        Assert.Equal(folders.Order(), devices.Order());
        int files = folders.Sum(f => Directory.GetFiles(Path.Combine(RepoRoot(), "definitions", f!, "iods"), "*.json").Length);
        Assert.Equal(files, IodTypes().Count());
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Dicom.Typed.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }

    [Theory]
    [MemberData(nameof(IodTypes))]
    public void Builds_writes_and_reads_back(string typeName)
    {
        var type = Devices.GetType(typeName)!;
        var iod = (IDicomIod)SampleFactory.Create(type);
        var dataset = iod.ToDataset();
        Assert.Equal(iod.SopClassUid, dataset.GetString(DicomTag.SOPClassUID));
        if (!dataset.Contains(DicomTag.SOPInstanceUID)) dataset.AddOrUpdate(DicomTag.SOPInstanceUID, DicomUid.GenerateValue());

        using var ms = new MemoryStream();
        new DicomFile(dataset).Save(ms);
        var reread = DicomFile.Open(ms.ToArray()).Dataset;
        Assert.Empty(DicomDatasetComparer.Differences(dataset, reread));

        var read = type.GetMethod("Read", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [reread])!;
        var findings = (IReadOnlyList<DicomFinding>)read.GetType().GetProperty("Findings")!.GetValue(read)!;
        foreach (var f in findings) output.WriteLine(f.ToString());
        var errors = findings.Where(f => f.Severity == DicomFindingSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        var value = (IDicomIod)read.GetType().GetProperty("Value")!.GetValue(read)!;
        var again = value.ToDataset();
        if (!again.Contains(DicomTag.SOPInstanceUID)) again.AddOrUpdate(DicomTag.SOPInstanceUID, reread.GetString(DicomTag.SOPInstanceUID));
        var diffs = DicomDatasetComparer.Differences(reread, again);
        Assert.True(diffs.Count == 0, string.Join("\n", diffs));
    }

    [Fact]
    public void Reading_a_foreign_dataset_reports_findings_without_throwing()
    {
        var ct = DicomFile.Open("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm").Dataset;
        var result = Dicom.Typed.Devices.PhilipsAvwCt1513.AvwCtImage.Read(ct);
        Assert.NotNull(result.Value);
        Assert.Contains(result.Findings, f => f.Rule == DicomFindingRule.UnexpectedAttribute);
        var xa = Dicom.Typed.Devices.PhilipsSmartctR13.SmartCtXaImage.Read(ct);
        Assert.Contains(xa.Findings, f => f.Rule == DicomFindingRule.FixedValueMismatch && f.Path == "(0008,0016)");
        Assert.False(xa.IsConformant);
    }
}
