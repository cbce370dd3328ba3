using System.Diagnostics;
using System.Globalization;
using Dicom.Typed.Network;

namespace Dicom.Typed.Cli;

/// <summary><c>store-scu</c> and <c>store-scp</c>: small storage SCU/SCP entry points (used by the network benchmark).</summary>
internal static class NetworkCommands
{
    /// <summary>Discards every data set (like storescp --ignore): measures the network path only.</summary>
    private sealed class IgnoreStorage : IDicomStorageHandler
    {
        public ValueTask<Stream> OpenDatasetStreamAsync(DicomAssociation association, DimseMessage request) => ValueTask.FromResult(Stream.Null);

        public Task<DicomStatus> OnStoreAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken) => Task.FromResult(DicomStatus.Success);
    }

    private static string? Option(List<string> args, string name)
    {
        int i = args.IndexOf(name);
        if (i < 0) return null;
        if (i + 1 >= args.Count) throw new ArgumentException($"{name} needs a value");
        var v = args[i + 1];
        args.RemoveRange(i, 2);
        return v;
    }

    /// <summary>One association per process: socket completions run on the socket engine's thread instead of being
    /// queued to the thread pool, so a response reaches the waiting C-STORE (which then reads, encodes and sends the next
    /// file) with one thread wake-up instead of two, like a blocking DCMTK client. The runtime reads the variable once,
    /// before the first socket operation; a value already in the environment wins (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0 turns it off).</summary>
    private static void InlineSocketCompletions()
    {
        const string name = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
        if (Environment.GetEnvironmentVariable(name) is null) Environment.SetEnvironmentVariable(name, "1");
    }

    private static bool Flag(List<string> args, string name) => args.Remove(name);

    /// <summary>store-scp [--port N] [--aet AE] [--dir DIR [--fsync] | --ignore] [--window N] [--pdu BYTES]: serves until SIGTERM or
    /// Ctrl+C. --fsync: each received instance is flushed to disk (file, rename, folder) before its C-STORE-RSP
    /// (<see cref="DicomFileStore.FlushToDisk"/>).</summary>
    public static int StoreScp(string[] argv)
    {
        var args = argv.ToList();
        int port = int.Parse(Option(args, "--port") ?? "11112", CultureInfo.InvariantCulture);
        string aet = Option(args, "--aet") ?? "STORESCP";
        string? dir = Option(args, "--dir");
        bool ignore = Flag(args, "--ignore");
        bool fsync = Flag(args, "--fsync");
        int window = int.Parse(Option(args, "--window") ?? "1", CultureInfo.InvariantCulture);
        uint pdu = uint.Parse(Option(args, "--pdu") ?? "65536", CultureInfo.InvariantCulture);
        if (args.Count > 0 || ignore == (dir != null) || (fsync && dir == null))
        {
            Console.Error.WriteLine("usage: dicom-typed store-scp [--port N] [--aet AE] (--dir DIR [--fsync] | --ignore) [--window N] [--pdu BYTES]");
            return 2;
        }
        var options = new DicomServerOptions
        {
            Connection = { Hostname = "127.0.0.1", Port = port },
            AcceptAnyCalledAE = true,
            Association = { MaxOperationsPerformed = window, MaxPduLength = pdu, MaxSendPduLength = pdu },
        };
        options.ApplicationEntities.Add(new DicomApplicationEntity(aet, DicomTransferCapability.Verification().Concat(DicomTransferCapability.Storage())));
        var server = new DicomServer(options) { Storage = ignore ? new IgnoreStorage() : new DicomFileStore(dir!) { FlushToDisk = fsync } };
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        server.StartAsync().GetAwaiter().GetResult();
        Console.WriteLine($"store-scp {aet} listening on 127.0.0.1:{server.Port}");
        Console.Out.Flush();
        try
        {
            Task.Delay(Timeout.Infinite, stop.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
        }
        server.StopAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
        RunStatistics.Print("store-scp");
        return 0;
    }

    /// <summary>store-scu [--aec AE] [--aet AE] [--window N] [--pdu BYTES] [--repeat N] HOST PORT FILE|DIR...: stores everything on one
    /// association; with --repeat, N times in a row on N associations of the same process (what a long-running host sees once its
    /// code is loaded and compiled), one line per association.</summary>
    public static int StoreScu(string[] argv)
    {
        InlineSocketCompletions();
        var args = argv.ToList();
        string aec = Option(args, "--aec") ?? "STORESCP", aet = Option(args, "--aet") ?? "STORESCU";
        int window = int.Parse(Option(args, "--window") ?? "1", CultureInfo.InvariantCulture);
        uint pdu = uint.Parse(Option(args, "--pdu") ?? "65536", CultureInfo.InvariantCulture);
        int repeat = int.Parse(Option(args, "--repeat") ?? "1", CultureInfo.InvariantCulture);
        if (args.Count < 3 || repeat < 1)
        {
            Console.Error.WriteLine("usage: dicom-typed store-scu [--aec AE] [--aet AE] [--window N] [--pdu BYTES] [--repeat N] HOST PORT FILE|DIR...");
            return 2;
        }
        var files = new List<string>();
        foreach (var p in args.Skip(2))
        {
            if (Directory.Exists(p)) files.AddRange(Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            else files.Add(p);
        }
        var options = new DicomClientOptions
        {
            Host = args[0], Port = int.Parse(args[1], CultureInfo.InvariantCulture), CalledAE = aec, CallingAE = aet,
            Association = { MaxOperationsInvoked = window, MaxPduLength = pdu, MaxSendPduLength = pdu },
        };
        try
        {
            int failed = 0;
            for (int association = 1; association <= repeat; association++)
            {
                var sw = Stopwatch.StartNew();
                var results = new DicomStorageScu(options).StoreAsync(files).GetAwaiter().GetResult();
                sw.Stop();
                int bad = results.Count(r => !r.Status.IsSuccessOrWarning);
                foreach (var r in results.Where(r => !r.Status.IsSuccessOrWarning).Take(10)) Console.Error.WriteLine($"E: {r.Path}: {r.Status} {r.Error}");
                string which = repeat > 1 ? $"association {association}/{repeat}: " : "";
                Console.WriteLine($"store-scu: {which}{results.Count - bad}/{results.Count} stored in {sw.Elapsed.TotalSeconds:0.000} s");
                failed += bad;
            }
            RunStatistics.Print("store-scu");
            return failed == 0 ? 0 : 1;
        }
        catch (DicomException e)
        {
            Console.Error.WriteLine($"E: {e.Message}");
            return 1;
        }
    }
}
