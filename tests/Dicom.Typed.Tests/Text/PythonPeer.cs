using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Dicom.Typed.Tests.Text;

/// <summary>Runs the Python peer scripts next to this file with Debian's python3 + pydicom.</summary>
internal static class PythonPeer
{
    private const string InstallHint =
        "These tests compare against pydicom. Install it for /usr/bin/python3 (Debian: 'apt-get install python3-pydicom', " +
        "tested with pydicom 2.3.1) or set PYTHON to an interpreter that has pydicom.";

    public static string Python => Environment.GetEnvironmentVariable("PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    public static string ScriptPath(string name, [CallerFilePath] string thisFile = "")
    {
        string? dir = Path.GetDirectoryName(thisFile);
        if (dir != null && File.Exists(Path.Combine(dir, name))) return Path.Combine(dir, name);
        // Fallback: walk up from the test output directory to the repository.
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, "tests", "Dicom.Typed.Tests", "Text", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"Peer script {name} not found next to {thisFile} or above {AppContext.BaseDirectory}.");
    }

    /// <summary>Runs a script and parses its standard output as JSON; fails with an actionable message if pydicom is unavailable.</summary>
    public static JsonDocument RunJson(string script, params string[] args) => RunJson(script, null, args);

    /// <summary>Runs a script with <paramref name="stdin"/> as its standard input and parses its standard output as JSON.</summary>
    public static JsonDocument RunJson(string script, string? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin != null,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        psi.ArgumentList.Add(ScriptPath(script));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["PYTHONIOENCODING"] = "utf-8";
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("Process.Start returned null");
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"Cannot start '{Python}': {ex.Message}. {InstallHint}", ex);
        }
        using (process)
        {
            var stderrTask = process.StandardError.ReadToEndAsync();
            if (stdin != null)
            {
                using (var writer = new StreamWriter(process.StandardInput.BaseStream, new System.Text.UTF8Encoding(false)))
                {
                    writer.Write(stdin);
                }
            }
            string stdout = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(true);
                throw new TimeoutException($"{script} did not finish within 120 s.");
            }
            string stderr = stderrTask.Result;
            if (process.ExitCode != 0)
            {
                string hint = stderr.Contains("No module named 'pydicom'", StringComparison.Ordinal) ? InstallHint : "";
                throw new InvalidOperationException($"{script} failed with exit code {process.ExitCode}. {hint}\n{stderr}");
            }
            return JsonDocument.Parse(stdout);
        }
    }
}
