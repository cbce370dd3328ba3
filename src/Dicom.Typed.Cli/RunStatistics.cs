using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace Dicom.Typed.Cli;

/// <summary>Process figures printed to stderr when the environment has <c>DICOM_TYPED_STATS=1</c> (used while profiling the
/// network benchmark): managed bytes allocated, GC counts, JIT-compiled methods and JIT time, CPU time, peak RSS.</summary>
internal static class RunStatistics
{
    /// <summary>True when <c>DICOM_TYPED_STATS=1</c>.</summary>
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("DICOM_TYPED_STATS") == "1";

    private static void PrintMappings()
    {
        // DICOM_TYPED_STATS=2: resident kB per mapped file (and anonymous memory), largest first.
        var perFile = new Dictionary<string, long>();
        string current = "";
        foreach (var l in File.ReadLines("/proc/self/smaps"))
        {
            var parts = l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 5 && parts[0].Contains('-', StringComparison.Ordinal) && !parts[0].EndsWith(':')) current = parts.Length >= 6 ? parts[5] : "[anon]";
            else if (parts.Length >= 2 && parts[0] == "Rss:") perFile[current] = perFile.GetValueOrDefault(current) + long.Parse(parts[1], CultureInfo.InvariantCulture);
        }
        foreach (var (k, v) in perFile.OrderByDescending(kv => kv.Value).Take(15)) Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {v,8} kB {k}"));
    }

    private static string Rss()
    {
        try
        {
            return string.Join(", ", File.ReadLines("/proc/self/status").Where(l => l.StartsWith("Rss", StringComparison.Ordinal) || l.StartsWith("VmHWM", StringComparison.Ordinal))
                .Select(l => string.Join(' ', l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))));
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static int firstChance;

    /// <summary>Starts counting first-chance exceptions when enabled.</summary>
    public static void Start()
    {
        if (!Enabled) return;
        if (Environment.GetEnvironmentVariable("DICOM_TYPED_STATS_MAPS") == "1")
            AppDomain.CurrentDomain.AssemblyLoad += (_, e) => Console.Error.WriteLine($"load: {e.LoadedAssembly.GetName().Name}\n{new StackTrace(false)}");
        AppDomain.CurrentDomain.FirstChanceException += (_, e) =>
        {
            if (Interlocked.Increment(ref firstChance) <= 3) Console.Error.WriteLine($"first-chance: {e.Exception.GetType().Name}: {e.Exception.Message}");
        };
    }

    /// <summary>Prints one line of figures to stderr, prefixed by <paramref name="label"/>, when enabled.</summary>
    public static void Print(string label)
    {
        if (!Enabled) return;
        using var p = Process.GetCurrentProcess();
        var gc = GC.GetGCMemoryInfo();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"stats {label}: allocated {GC.GetTotalAllocatedBytes(true) / 1024} KiB, gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, " +
            $"heap {gc.HeapSizeBytes / 1024} KiB, committed {gc.TotalCommittedBytes / 1024} KiB, server GC {GCSettings.IsServerGC}, latency {GCSettings.LatencyMode}, " +
            $"jit {System.Runtime.JitInfo.GetCompiledMethodCount()} methods {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:0} ms, " +
            $"cpu {p.TotalProcessorTime.TotalMilliseconds:0} ms (user {p.UserProcessorTime.TotalMilliseconds:0}), peak RSS {p.PeakWorkingSet64 / 1024} KiB, threads {p.Threads.Count}, exceptions {firstChance}, {Rss()}"));
        if (Environment.GetEnvironmentVariable("DICOM_TYPED_STATS_MAPS") == "1") PrintMappings();
    }
}
