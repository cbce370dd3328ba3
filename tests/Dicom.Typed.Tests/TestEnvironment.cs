using System.Diagnostics;

namespace Dicom.Typed.Tests;

/// <summary>Locations of the real test data and peer programs installed by tests/peers/install.sh.</summary>
public static class TestEnvironment
{
    public const string PydicomData = "/usr/lib/python3/dist-packages/pydicom/data";
    public const string Python = "/usr/bin/python3";

    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Dicom.Typed.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Repository root (Dicom.Typed.sln) not found");
    }

    public static string ToolPath(string name) => Path.Combine(RepoRoot, "tests", "Dicom.Typed.Tests", "Tools", name);

    /// <summary>Fails (never silently passes) when a required program or data folder is missing.</summary>
    public static void Require(string path, string what)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new InvalidOperationException($"{what} is missing ({path}). Run ./test.sh (tests/peers/install.sh installs it).");
    }

    public static string RequireProgram(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
        {
            var p = Path.Combine(dir, name);
            if (File.Exists(p)) return p;
        }
        throw new InvalidOperationException($"Program '{name}' is missing. Run ./test.sh (tests/peers/install.sh installs it).");
    }

    /// <summary>All sample DICOM files shipped by python3-pydicom and dicom3tools.</summary>
    public static IReadOnlyList<string> SampleFiles()
    {
        Require(PydicomData, "pydicom's sample data (Debian package python3-pydicom)");
        var files = new List<string>();
        foreach (var sub in new[] { "test_files", "charset_files", "palettes" })
        {
            var dir = Path.Combine(PydicomData, sub);
            if (!Directory.Exists(dir)) continue;
            foreach (var f in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            {
                string name = Path.GetFileName(f);
                if (name.EndsWith(".dcm", StringComparison.OrdinalIgnoreCase) || name.StartsWith("DICOMDIR", StringComparison.Ordinal)
                    || (Path.GetExtension(name).Length == 0 && IsDicomish(f)))
                    files.Add(f);
            }
        }
        const string d3 = "/usr/share/doc/dicom3tools/examples/0051.dcm";
        if (File.Exists(d3)) files.Add(d3);
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private static bool IsDicomish(string path)
    {
        try
        {
            using var fs = File.OpenRead(path);
            var b = new byte[132];
            return fs.Read(b, 0, 132) == 132 && b[128] == 'D' && b[129] == 'I' && b[130] == 'C' && b[131] == 'M';
        }
        catch (IOException) { return false; }
    }

    public static (int ExitCode, string StdOut, string StdErr) Run(string program, IEnumerable<string> args, TimeSpan? timeout = null, string? stdin = null)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin != null,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["TCP_NODELAY"] = "1";
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Cannot start {program}");
        var so = p.StandardOutput.ReadToEndAsync();
        var se = p.StandardError.ReadToEndAsync();
        if (stdin != null)
        {
            p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            p.Kill(true);
            throw new TimeoutException($"{program} did not finish in time");
        }
        return (p.ExitCode, so.Result, se.Result);
    }
}
