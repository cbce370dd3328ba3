using System.Reflection;
using Dicom.Typed.Iod;
using Xunit.Abstractions;

namespace Dicom.Typed.Devices.Tests;

/// <summary>Every generated IOD, built as the device sends it (realistic values) → ToDataset → Part 10 file →
/// dciodvfy with 0 errors (warnings listed) → Read → equal object.</summary>
public sealed class DciodvfyRoundTripTests(ITestOutputHelper output)
{
    [DciodvfyTheory]
    [MemberData(nameof(RoundTripTests.IodTypes), MemberType = typeof(RoundTripTests))]
    public void Dciodvfy_accepts_every_generated_iod_and_it_reads_back_equal(string typeName)
    {
        var type = typeof(Dicom.Typed.Devices.PhilipsSmartctR13.SmartCtXaImage).Assembly.GetType(typeName)!;
        var iod = (IDicomIod)RealisticSample.Create(type);
        var dataset = iod.ToDataset();
        string dir = Path.Combine(Path.GetTempPath(), "dicom-typed-dciodvfy");
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, type.Name + "-" + Guid.NewGuid().ToString("N")[..8] + ".dcm");
        try
        {
            new DicomFile(dataset).Save(path);
            var result = Dciodvfy.Run(path);
            output.WriteLine($"{type.FullName}: dciodvfy {result.Errors.Count} error(s), {result.Warnings.Count} warning(s)");
            foreach (var wline in result.Warnings) output.WriteLine("  " + wline);
            foreach (var e in result.Errors) output.WriteLine("  " + e);
            Assert.True(result.Errors.Count == 0, $"dciodvfy on {type.Name}:\n" + string.Join("\n", result.Errors));

            var reread = DicomFile.Open(path).Dataset;
            var read = type.GetMethod("Read", BindingFlags.Public | BindingFlags.Static)!.Invoke(null, [reread])!;
            var findings = (IReadOnlyList<DicomFinding>)read.GetType().GetProperty("Findings")!.GetValue(read)!;
            Assert.True(findings.Count == 0, string.Join("\n", findings));
            var value = read.GetType().GetProperty("Value")!.GetValue(read)!;
            var diffs = ObjectComparer.Differences(iod, value);
            Assert.True(diffs.Count == 0, string.Join("\n", diffs));
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("KEEP_DCIODVFY_FILES") != "1") File.Delete(path);
        }
    }
}
