using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Dicom.Typed.Network;

/// <summary>One delivered storage commitment transaction remembered for the duplicate Transaction UID check.</summary>
internal readonly record struct DeliveredCommitment(DateTime DeliveredUtc, string TransactionUid, string RequestorAE, string InstanceSetHash);

/// <summary>Append-only journal of the delivered Transaction UIDs (<c>delivered.stcmt.log</c> in the pending folder), so that
/// the duplicate check survives a restart. One line per delivery: <c>v1 TAB time TAB transaction UID TAB requesting AE TAB
/// SHA-256 of the instance set</c>; every append is flushed to disk. The file is rewritten (temporary file, flush, rename,
/// directory flush) with the newest <c>capacity</c> lines when it reaches twice that many, and at start when it held
/// unreadable lines, which are skipped and reported.</summary>
internal sealed class DeliveredCommitmentJournal
{
    public const string FileName = "delivered.stcmt.log";
    private const string Version = "v1";
    /// <summary>Longest line read (a UID is 64 chars, an AE 16): anything longer is not a journal line.</summary>
    private const int MaxLineLength = 512;

    private readonly object _gate = new();
    private readonly int _capacity;
    private readonly Queue<string> _newest = new();
    private int _linesOnDisk;
    private int _validLines;

    private DeliveredCommitmentJournal(string directory, int capacity)
    {
        Path = System.IO.Path.Combine(directory, FileName);
        _capacity = Math.Max(1, capacity);
    }

    public string Path { get; }

    /// <summary>Opens the journal of <paramref name="directory"/>: returns the newest <paramref name="capacity"/> entries, oldest
    /// first. Bad lines go to <paramref name="badLine"/> (line number, reason) and are dropped by a rewrite.</summary>
    public static DeliveredCommitmentJournal Open(string directory, int capacity, Action<int, string> badLine, out List<DeliveredCommitment> entries)
    {
        var j = new DeliveredCommitmentJournal(directory, capacity);
        entries = [];
        foreach (var tmp in Directory.EnumerateFiles(directory, FileName + ".*.tmp"))
            try { File.Delete(tmp); } catch (IOException) { }
        if (!File.Exists(j.Path)) return j;
        bool bad = false;
        int lineNo = 0;
        using (var fs = new FileStream(j.Path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            var line = new StringBuilder();
            var reader = new StreamReader(fs, Encoding.UTF8);
            bool tooLong = false;
            int c;
            while ((c = reader.Read()) >= 0)
            {
                if (c != '\n')
                {
                    if (line.Length < MaxLineLength) line.Append((char)c);
                    else tooLong = true;
                    continue;
                }
                lineNo++;
                bad |= !j.Accept(line.ToString(), tooLong, lineNo, badLine, entries);
                line.Clear();
                tooLong = false;
            }
            if (line.Length > 0 || tooLong)
            {
                // A line without its newline: the append was cut by a crash (its delivery counts as not remembered).
                lineNo++;
                badLine(lineNo, "truncated last line (interrupted append), skipped");
                bad = true;
            }
        }
        j._linesOnDisk = j._validLines;
        if (bad || j._validLines > j._capacity) j.Rewrite();
        entries = entries.Skip(Math.Max(0, entries.Count - j._capacity)).ToList();
        return j;
    }

    private bool Accept(string line, bool tooLong, int lineNo, Action<int, string> badLine, List<DeliveredCommitment> entries)
    {
        if (line.EndsWith('\r')) line = line[..^1];
        if (line.Length == 0) return true;
        var f = line.Split('\t');
        string? why = tooLong ? $"longer than {MaxLineLength} characters"
            : f.Length != 5 ? $"{f.Length} fields instead of 5"
            : f[0] != Version ? $"unknown version '{f[0]}'"
            : !DateTime.TryParseExact(f[1], "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _) ? "bad time"
            : f[2].Length is 0 or > 64 || f[2].Any(ch => ch != '.' && !char.IsAsciiDigit(ch)) ? "bad Transaction UID"
            : f[4].Length != 64 || !f[4].All(char.IsAsciiHexDigitLower) ? "bad instance set hash"
            : null;
        if (why != null)
        {
            badLine(lineNo, why + ", skipped");
            return false;
        }
        var time = DateTime.ParseExact(f[1], "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        entries.Add(new DeliveredCommitment(time, f[2], f[3], f[4]));
        if (entries.Count > 2 * _capacity) entries.RemoveRange(0, entries.Count - _capacity); // memory bounded by a huge file
        _validLines++;
        Remember(line);
        return true;
    }

    private void Remember(string line)
    {
        _newest.Enqueue(line);
        while (_newest.Count > _capacity) _newest.Dequeue();
    }

    /// <summary>Appends one delivery and flushes it to disk; rewrites the file with the newest entries when it is full.</summary>
    public void Append(DeliveredCommitment d)
    {
        string line = string.Join('\t', Version, d.DeliveredUtc.ToString("O", CultureInfo.InvariantCulture), d.TransactionUid,
            d.RequestorAE.Replace('\t', ' ').Replace('\n', ' '), d.InstanceSetHash);
        lock (_gate)
        {
            Remember(line);
            if (_linesOnDisk + 1 > 2 * _capacity)
            {
                Rewrite();
                return;
            }
            bool created = !File.Exists(Path);
            using (var fs = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read))
            {
                fs.Write(Encoding.UTF8.GetBytes(line + "\n"));
                fs.Flush(flushToDisk: true);
            }
            _linesOnDisk++;
            if (created) DurableFile.FlushDirectory(System.IO.Path.GetDirectoryName(Path)!);
        }
    }

    /// <summary>Writes the newest entries to a temporary file, flushes it and renames it over the journal.</summary>
    private void Rewrite()
    {
        string tmp = Path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            var sb = new StringBuilder();
            foreach (var l in _newest) sb.Append(l).Append('\n');
            fs.Write(Encoding.UTF8.GetBytes(sb.ToString()));
            fs.Flush(flushToDisk: true);
        }
        DurableFile.Replace(tmp, Path);
        _linesOnDisk = _newest.Count;
    }

    /// <summary>SHA-256 (lower-case hex) of the instance set: references sorted by instance then class UID, duplicates kept.</summary>
    public static string HashOf(IEnumerable<DicomSopReference> references)
    {
        var sb = new StringBuilder();
        foreach (var r in references.OrderBy(r => r.SopInstanceUid, StringComparer.Ordinal).ThenBy(r => r.SopClassUid, StringComparer.Ordinal))
            sb.Append(r.SopInstanceUid).Append('\\').Append(r.SopClassUid).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}
