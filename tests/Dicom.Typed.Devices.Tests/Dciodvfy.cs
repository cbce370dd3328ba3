using System.Diagnostics;

namespace Dicom.Typed.Devices.Tests;

/// <summary>Runs dicom3tools' <c>dciodvfy</c> on a Part 10 file and parses its "Error -" / "Warning -" lines.</summary>
public static class Dciodvfy
{
    /// <summary>The dciodvfy program, or null when it is not installed.</summary>
    public static string? Program { get; } = Find();

    /// <summary>True when the environment demands the peers (REQUIRE_PEERS=1): a missing dciodvfy then fails.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("REQUIRE_PEERS") == "1";

    private static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':').Append("/usr/bin"))
        {
            var p = Path.Combine(dir, "dciodvfy");
            if (File.Exists(p)) return p;
        }
        return null;
    }

    /// <summary>The result of one run.</summary>
    public sealed record Result(IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings, string Output);

    /// <summary>Runs dciodvfy on <paramref name="path"/> (bounded to 60 s).</summary>
    public static Result Run(string path)
    {
        var program = Program ?? throw new InvalidOperationException("dciodvfy (dicom3tools) is not installed; run ./test.sh (tests/peers/install.sh) or apt-get install dicom3tools.");
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(path);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000)) { p.Kill(true); throw new TimeoutException("dciodvfy did not finish in 60 s on " + path); }
        string text = stdout.Result + stderr.Result;
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new Result(
            lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList(),
            lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal)).ToList(),
            text);
    }
}

/// <summary>A theory that is skipped when dciodvfy is absent, unless REQUIRE_PEERS=1 (then it runs and fails).</summary>
public sealed class DciodvfyTheoryAttribute : TheoryAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when dciodvfy is absent and not required.</summary>
    public DciodvfyTheoryAttribute()
    {
        if (Dciodvfy.Program == null && !Dciodvfy.Required) Skip = "dciodvfy (dicom3tools) is not installed and REQUIRE_PEERS is not 1";
    }
}

/// <summary>A fact that is skipped when dciodvfy is absent, unless REQUIRE_PEERS=1 (then it runs and fails).</summary>
public sealed class DciodvfyFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when dciodvfy is absent and not required.</summary>
    public DciodvfyFactAttribute()
    {
        if (Dciodvfy.Program == null && !Dciodvfy.Required) Skip = "dciodvfy (dicom3tools) is not installed and REQUIRE_PEERS is not 1";
    }
}
