using System.Diagnostics;

namespace Dicom.Typed.Interop;

/// <summary>Peer programs (installed by tests/peers/install.sh, which ./test.sh runs) and helpers to drive them.
/// Missing peers make tests FAIL with a message saying to run ./test.sh; nothing is skipped.</summary>
public static class TestEnvironment
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string PeersFolder => Path.Combine(RepoRoot, "tests", "peers");

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Dicom.Typed.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Repository root (Dicom.Typed.sln) not found");
    }

    public static string RequireProgram(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/usr/sbin").Split(':').Append("/usr/sbin"))
        {
            var p = Path.Combine(dir, name);
            if (File.Exists(p)) return p;
        }
        throw new InvalidOperationException($"Program '{name}' is missing. Run ./test.sh (tests/peers/install.sh installs the DICOM peers).");
    }

    public static string TempDir(string prefix)
    {
        var d = Path.Combine(Path.GetTempPath(), $"dtinterop-{prefix}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary>Runs start-peer.sh (start or --stop); throws with its stderr on failure.</summary>
    public static string Peer(IDictionary<string, string>? env, params string[] args)
    {
        RequireProgram(args[0] == "--stop" ? "bash" : args[0] switch { "orthanc" => "Orthanc", "dcmjs-scp" => "node", var n => n });
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(PeersFolder, "start-peer.sh"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["TCP_NODELAY"] = "1";
        if (env != null) foreach (var kv in env) psi.Environment[kv.Key] = kv.Value;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"start-peer.sh {string.Join(' ', args)} failed (run ./test.sh to install the peers): {stderr.Result}");
        return stdout;
    }

    /// <summary>Runs a program with TCP_NODELAY=1 and a timeout.</summary>
    public static (int ExitCode, string StdOut, string StdErr) Run(string program, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(RequireProgram(program)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["TCP_NODELAY"] = "1";
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Cannot start {program}");
        var so = p.StandardOutput.ReadToEndAsync();
        var se = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            p.Kill(true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in time");
        }
        p.WaitForExit();
        return (p.ExitCode, so.Result, se.Result);
    }

    public static string Describe((int ExitCode, string StdOut, string StdErr) r) => $"rc={r.ExitCode}\n{r.StdOut}\n{r.StdErr}";
}
