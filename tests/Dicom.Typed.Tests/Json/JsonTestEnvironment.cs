using System.Diagnostics;
using System.Text;

namespace Dicom.Typed.Tests.Json;

/// <summary>Real test data and peer programs for the DICOM JSON tests; missing ones fail the test with a hint, never pass silently.</summary>
internal static class JsonTestEnvironment
{
    public const string PydicomData = "/usr/lib/python3/dist-packages/pydicom/data";
    public const string Python = "/usr/bin/python3";
    private const string Hint = "Run ./test.sh (tests/peers/install.sh installs DCMTK, pydicom and the sample data).";

    public static string TestFile(string name) => RequireFile(Path.Combine(PydicomData, "test_files", name), "pydicom sample data (python3-pydicom)");

    public static string CharsetFile(string name) => RequireFile(Path.Combine(PydicomData, "charset_files", name), "pydicom sample data (python3-pydicom)");

    public static string RequireFile(string path, string what)
    {
        if (!File.Exists(path)) throw new InvalidOperationException($"{what} is missing: {path}. {Hint}");
        return path;
    }

    public static string ScriptPath(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !Directory.Exists(Path.Combine(dir.FullName, "tests", "Dicom.Typed.Tests"))) dir = dir.Parent;
        if (dir == null) throw new InvalidOperationException("Repository root not found from " + AppContext.BaseDirectory);
        return Path.Combine(dir.FullName, "tests", "Dicom.Typed.Tests", "Json", name);
    }

    public static string RequireProgram(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Append("/usr/bin"))
        {
            var p = Path.Combine(dir, name);
            if (File.Exists(p)) return p;
        }
        throw new InvalidOperationException($"Program '{name}' is missing. {Hint}");
    }

    public static string RunOrFail(string program, IEnumerable<string> args, int timeoutSeconds = 120)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Cannot start {program}. {Hint}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish in {timeoutSeconds} s");
        }
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({p.ExitCode}): {stderr.Result}. {Hint}");
        return stdout.Result;
    }

    /// <summary>pydicom's <c>to_json_dict()</c> of each file, keyed by path (one Python process for all files).</summary>
    public static Dictionary<string, string> PydicomJson(params string[] files)
    {
        RequireFile(Python, "Debian's python3 with python3-pydicom");
        string output = RunOrFail(Python, new[] { ScriptPath("pydicom_to_json.py") }.Concat(files));
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        var result = new Dictionary<string, string>();
        foreach (var p in doc.RootElement.EnumerateObject()) result[p.Name] = p.Value.GetRawText();
        return result;
    }
}
