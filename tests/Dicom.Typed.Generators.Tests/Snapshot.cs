using System.Runtime.CompilerServices;

namespace Dicom.Typed.Generators.Tests;

/// <summary>A small snapshot helper: compares text with <c>Snapshots/NAME.verified.cs.txt</c>; <c>UPDATE_SNAPSHOTS=1</c> rewrites it.</summary>
public static class Snapshot
{
    public static void Verify(string name, string actual, [CallerFilePath] string caller = "")
    {
        string dir = Path.Combine(Path.GetDirectoryName(caller)!, "Snapshots");
        string verified = Path.Combine(dir, name + ".verified.cs.txt");
        string received = Path.Combine(dir, name + ".received.cs.txt");
        actual = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(verified, actual);
            if (File.Exists(received)) File.Delete(received);
            return;
        }
        if (!File.Exists(verified))
        {
            File.WriteAllText(received, actual);
            Assert.Fail($"No snapshot {verified}; wrote {received}. Review it and run with UPDATE_SNAPSHOTS=1.");
        }
        string expected = File.ReadAllText(verified).Replace("\r\n", "\n");
        if (expected != actual)
        {
            File.WriteAllText(received, actual);
            var e = expected.Split('\n');
            var a = actual.Split('\n');
            int line = 0;
            while (line < e.Length && line < a.Length && e[line] == a[line]) line++;
            Assert.Fail($"Snapshot {name} differs at line {line + 1}:\n  expected: {(line < e.Length ? e[line] : "<end>")}\n  actual:   {(line < a.Length ? a[line] : "<end>")}\nWrote {received}; run with UPDATE_SNAPSHOTS=1 to accept.");
        }
        if (File.Exists(received)) File.Delete(received);
    }
}
