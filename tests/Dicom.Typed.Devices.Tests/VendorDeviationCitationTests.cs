using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dicom.Typed.Devices.Tests;

/// <summary>
/// Keeps the reasons of <see cref="DciodvfyRoundTripTests.VendorDeviations"/> honest against the seed text: every
/// "Table N, La–b" citation points into table N of the device's statement.txt (or, for an IOD table, starts at its caption),
/// every "§x.y.z, La–b" into that section; every attribute a reason says a table "lists neither"/"has no" occurs neither in the
/// cited lines nor anywhere in the IOD definition; every module it says the IOD "has no" is absent from the definition; and
/// the IOD is named in the device's findings.md.
/// </summary>
public sealed class VendorDeviationCitationTests
{
    private static readonly Regex TableCitation = new(@"Table (\d+)(?:, | \()L(\d+)(?:[–-](\d+))?", RegexOptions.CultureInvariant);
    private static readonly Regex SectionCitation = new(@"§(\d+(?:\.\d+)+), L(\d+)(?:[–-](\d+))?", RegexOptions.CultureInvariant);
    private static readonly Regex Caption = new(@"^(?:\s|\*)*(?:[\d.]+\s*[^*]*\*+)?Table (\d+)\s*:", RegexOptions.CultureInvariant);
    private static readonly Regex SectionHeading = new(@"^(\d+(?:\.\d+)+)\.?\s", RegexOptions.CultureInvariant);
    private static readonly Regex Tag = new(@"\(([0-9A-F]{4}),([0-9A-F]{4})\)", RegexOptions.CultureInvariant);
    private static readonly Regex AbsentAttributes = new(@"(?:lists neither|has no) ([^;.]*?\([0-9A-F]{4},[0-9A-F]{4}\)[^;.]*)", RegexOptions.CultureInvariant);
    private static readonly Regex AbsentModule = new(@"(?:has|lists) no ([A-Z][A-Za-z/ ]+?) module", RegexOptions.CultureInvariant);

    /// <summary>Index into <see cref="DciodvfyRoundTripTests.VendorDeviations"/>, one case per entry.</summary>
    public static IEnumerable<object[]> Deviations() =>
        DciodvfyRoundTripTests.VendorDeviations.Select((d, i) => new object[] { i, d.Iod });

    [Theory]
    [MemberData(nameof(Deviations))]
    public void Deviation_reason_matches_the_statement_and_the_definition(int index, string iod)
    {
        var (_, error, reason) = DciodvfyRoundTripTests.VendorDeviations[index];
        string definitions = Path.Combine(RepoRoot(), "definitions");
        string iodFile = Directory.GetDirectories(definitions).Select(d => Path.Combine(d, "iods", iod + ".json")).SingleOrDefault(File.Exists)
            ?? throw new Xunit.Sdk.XunitException($"{iod}: no definitions/*/iods/{iod}.json");
        string device = Path.GetDirectoryName(Path.GetDirectoryName(iodFile))!;
        string[] lines = File.ReadAllLines(Path.Combine(device, "statement.txt"));
        using var json = JsonDocument.Parse(File.ReadAllText(iodFile));
        var failures = new List<string>();

        // a contrast ("unlike the CT Image one (Table 80, L5725)") cites where the attribute IS: checked for extent, not for absence
        string claims = Regex.Replace(reason, @"unlike [^)]*\)", "", RegexOptions.CultureInvariant);
        var cited = new List<(int From, int To)>();
        foreach (Match m in TableCitation.Matches(reason))
        {
            int table = int.Parse(m.Groups[1].Value), from = int.Parse(m.Groups[2].Value);
            int to = m.Groups[3].Success ? int.Parse(m.Groups[3].Value) : from;
            var extent = TableExtent(lines, table, from);
            if (extent is null) { failures.Add($"Table {table}: no caption at or before L{from}"); continue; }
            var (caption, next, isIodTable) = extent.Value;
            bool startsAtCaption = caption == from;
            if (!startsAtCaption && !(from > caption && to < next))
                failures.Add($"Table {table}, L{from}–{to}: outside the table (caption L{caption}, next caption L{next})");
            else if (startsAtCaption && !isIodTable && to >= next)
                failures.Add($"Table {table}, L{from}–{to}: runs past the next caption at L{next}");
            if (claims.Contains(m.Value, StringComparison.Ordinal)) cited.Add((from, to));
        }
        foreach (Match m in SectionCitation.Matches(reason))
        {
            string section = m.Groups[1].Value;
            int from = int.Parse(m.Groups[2].Value), to = m.Groups[3].Success ? int.Parse(m.Groups[3].Value) : from;
            int heading = Array.FindLastIndex(lines, from - 1, l => SectionHeading.Match(l) is { Success: true } h && h.Groups[1].Value == section) + 1;
            int next = Array.FindIndex(lines, from, l => SectionHeading.IsMatch(l)) + 1;
            if (heading == 0) failures.Add($"§{section}: no heading at or before L{from}");
            else if (next > 0 && to >= next) failures.Add($"§{section}, L{from}–{to}: runs into the next section at L{next}");
            if (claims.Contains(m.Value, StringComparison.Ordinal)) cited.Add((from, to));
        }

        var definedTags = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var moduleNames = new List<string>();
        foreach (var module in json.RootElement.GetProperty("modules").EnumerateArray())
        {
            moduleNames.Add(Normalize(module.GetProperty("name").GetString()!));
            if (module.TryGetProperty("attributes", out var attributes)) CollectTags(attributes, definedTags);
        }

        foreach (Match clause in AbsentAttributes.Matches(reason))
            foreach (Match t in Tag.Matches(clause.Groups[1].Value))
            {
                string tag = t.Groups[1].Value + "," + t.Groups[2].Value;
                if (definedTags.Contains(tag)) failures.Add($"({tag}) is said to be absent but {Path.GetFileName(iodFile)} defines it");
                foreach (var (from, to) in cited)
                    for (int n = from; n <= to && n <= lines.Length; n++)
                        if (lines[n - 1].Replace(" ", "", StringComparison.Ordinal).Contains(tag, StringComparison.OrdinalIgnoreCase))
                            failures.Add($"({tag}) is said to be absent but the cited L{n} has it: {lines[n - 1].Trim()}");
            }
        foreach (Match m in AbsentModule.Matches(reason))
        {
            string name = Normalize(m.Groups[1].Value);
            if (moduleNames.Contains(name)) failures.Add($"module '{m.Groups[1].Value}' is said to be absent but {Path.GetFileName(iodFile)} has it");
        }

        string findings = File.ReadAllText(Path.Combine(device, "findings.md"));
        if (!findings.Contains(iod, StringComparison.Ordinal)) failures.Add($"{Path.GetFileName(device)}/findings.md does not mention {iod}");

        Assert.True(failures.Count == 0, $"{iod} / {error}:\n" + string.Join("\n", failures));
    }

    /// <summary>Caption line of the last "Table <paramref name="table"/>:" at or before <paramref name="line"/>, the next caption, and whether it is an IOD table.</summary>
    private static (int Caption, int Next, bool IsIodTable)? TableExtent(string[] lines, int table, int line)
    {
        int caption = 0;
        for (int i = Math.Min(line, lines.Length) - 1; i >= 0; i--)
            if (Caption.Match(lines[i]) is { Success: true } c && int.Parse(c.Groups[1].Value) == table) { caption = i + 1; break; }
        if (caption == 0) return null;
        int next = lines.Length + 1;
        for (int i = caption; i < lines.Length; i++)
            if (Caption.IsMatch(lines[i])) { next = i + 1; break; }
        return (caption, next, lines[caption - 1].Contains("IOD of", StringComparison.OrdinalIgnoreCase));
    }

    private static void CollectTags(JsonElement attributes, HashSet<string> tags)
    {
        foreach (var a in attributes.EnumerateArray())
        {
            if (a.TryGetProperty("tag", out var tag)) tags.Add(tag.GetString()!);
            if (a.TryGetProperty("items", out var items)) CollectTags(items, tags);
        }
    }

    private static string Normalize(string moduleName) =>
        Regex.Replace(moduleName, @"\s+module$", "", RegexOptions.IgnoreCase).Trim().ToLowerInvariant();

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Dicom.Typed.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }
}
