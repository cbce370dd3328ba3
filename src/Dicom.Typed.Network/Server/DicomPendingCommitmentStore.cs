using System.Text.Json;

namespace Dicom.Typed.Network;

/// <summary>One storage commitment transaction the SCP has accepted (N-ACTION-RSP Success) but not yet reported: the request,
/// and once evaluated, the result. Kept as one small JSON file per transaction.</summary>
internal sealed class PendingCommitment
{
    public required string Id { get; init; }
    public required string TransactionUid { get; init; }
    public required string RequestorAE { get; init; }
    public required string OurAE { get; init; }
    public required IReadOnlyList<DicomSopReference> References { get; init; }
    public DateTime ReceivedUtc { get; init; } = DateTime.UtcNow;
    /// <summary>Null until the handler has evaluated the request.</summary>
    public IReadOnlyList<DicomSopReference>? Committed { get; set; }
    public IReadOnlyList<DicomCommitmentFailure>? Failed { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    /// <summary>Delivered or given up (memory only): kept for the duplicate check.</summary>
    public bool Reported { get; set; }

    public bool Evaluated => Committed != null && Failed != null;

    /// <summary>Set for a delivery read back from the journal (its references are not kept there).</summary>
    public string? KnownInstanceSetHash { get; init; }
    private string? _hash;

    /// <summary>SHA-256 of the instance set (see <see cref="DeliveredCommitmentJournal.HashOf"/>).</summary>
    public string InstanceSetHash => KnownInstanceSetHash ?? (_hash ??= DeliveredCommitmentJournal.HashOf(References));

    /// <summary>Same requestor and the same instances (order does not matter): a retransmission of the request.</summary>
    public bool SameRequest(string requestorAE, IReadOnlyList<DicomSopReference> references) =>
        requestorAE == RequestorAE && DeliveredCommitmentJournal.HashOf(references) == InstanceSetHash;
}

/// <summary>The folder of pending commitment reports. Every write goes to a temporary file that is flushed to disk and then
/// renamed over the record, so a crash leaves either the old or the new record, never a torn one. A record is deleted only
/// after its N-EVENT-REPORT-RSP arrived.</summary>
internal sealed class DicomPendingCommitmentStore(string directory)
{
    private const string Extension = ".stcmt.json";

    public string Directory { get; } = directory;

    public string PathOf(PendingCommitment p) => Path.Combine(Directory, p.Id + Extension);

    public void Save(PendingCommitment p)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string final = PathOf(p);
        string tmp = final + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
        {
            using (var w = new Utf8JsonWriter(fs, new JsonWriterOptions { Indented = true })) Write(w, p);
            fs.Flush(flushToDisk: true);
        }
        DurableFile.Replace(tmp, final);
    }

    public void Delete(PendingCommitment p)
    {
        try { DurableFile.Delete(PathOf(p)); }
        catch (IOException) { }
    }

    /// <summary>Reads every record; temporary files of an interrupted write are removed, unreadable records are reported and kept.</summary>
    public List<PendingCommitment> LoadAll(Action<string, Exception> unreadable)
    {
        var list = new List<PendingCommitment>();
        if (!System.IO.Directory.Exists(Directory)) return list;
        foreach (var tmp in System.IO.Directory.EnumerateFiles(Directory, "*" + Extension + ".*.tmp"))
            try { File.Delete(tmp); } catch (IOException) { }
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*" + Extension).Order(StringComparer.Ordinal))
        {
            try
            {
                list.Add(Read(File.ReadAllBytes(file), Path.GetFileName(file)[..^Extension.Length]));
            }
            catch (Exception e) when (e is JsonException or IOException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                unreadable(file, e);
            }
        }
        return list.OrderBy(p => p.ReceivedUtc).ToList();
    }

    private static void WriteRefs(Utf8JsonWriter w, string name, IEnumerable<DicomSopReference> refs)
    {
        w.WriteStartArray(name);
        foreach (var r in refs)
        {
            w.WriteStartObject();
            w.WriteString("sopClassUid", r.SopClassUid);
            w.WriteString("sopInstanceUid", r.SopInstanceUid);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Write(Utf8JsonWriter w, PendingCommitment p)
    {
        w.WriteStartObject();
        w.WriteNumber("version", 1);
        w.WriteString("transactionUid", p.TransactionUid);
        w.WriteString("requestorAE", p.RequestorAE);
        w.WriteString("ourAE", p.OurAE);
        w.WriteString("receivedUtc", p.ReceivedUtc);
        w.WriteNumber("attempts", p.Attempts);
        if (p.LastError != null) w.WriteString("lastError", p.LastError);
        WriteRefs(w, "references", p.References);
        if (p.Evaluated)
        {
            WriteRefs(w, "committed", p.Committed!);
            w.WriteStartArray("failed");
            foreach (var f in p.Failed!)
            {
                w.WriteStartObject();
                w.WriteString("sopClassUid", f.Reference.SopClassUid);
                w.WriteString("sopInstanceUid", f.Reference.SopInstanceUid);
                w.WriteNumber("reason", (ushort)f.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static DicomSopReference Ref(JsonElement e) =>
        new(e.GetProperty("sopClassUid").GetString()!, e.GetProperty("sopInstanceUid").GetString()!);

    private static PendingCommitment Read(byte[] json, string id)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var p = new PendingCommitment
        {
            Id = id,
            TransactionUid = root.GetProperty("transactionUid").GetString()!,
            RequestorAE = root.GetProperty("requestorAE").GetString()!,
            OurAE = root.GetProperty("ourAE").GetString()!,
            ReceivedUtc = root.GetProperty("receivedUtc").GetDateTime(),
            References = root.GetProperty("references").EnumerateArray().Select(Ref).ToList(),
            Attempts = root.GetProperty("attempts").GetInt32(),
            LastError = root.TryGetProperty("lastError", out var le) ? le.GetString() : null,
        };
        if (root.TryGetProperty("committed", out var c) && root.TryGetProperty("failed", out var f))
        {
            p.Committed = c.EnumerateArray().Select(Ref).ToList();
            p.Failed = f.EnumerateArray().Select(e => new DicomCommitmentFailure(Ref(e), (DicomCommitmentFailureReason)e.GetProperty("reason").GetUInt16())).ToList();
        }
        if (p.TransactionUid.Length == 0 || p.References.Count == 0) throw new FormatException("record without transaction UID or references");
        return p;
    }

    internal static string NewId() => DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture) + "-" +
        Guid.NewGuid().ToString("N")[..12];
}
