using System.Text.RegularExpressions;

namespace Dicom.Typed.Definitions.Extractor.Parsing;

/// <summary>Maps condition prose to structured conditions with device-supplied rules (regex → condition).</summary>
public sealed class ConditionMapper
{
    private readonly List<(Regex Rx, Func<Match, Condition> Make)> _rules = [];

    /// <summary>Adds a rule; the regex is matched case-insensitively against the cleaned prose.</summary>
    public ConditionMapper Rule(string pattern, Func<Match, Condition> make)
    {
        _rules.Add((new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), make));
        return this;
    }

    /// <summary>Maps prose; returns an <c>unmapped</c> condition when no rule matches.</summary>
    public Condition Map(string prose)
    {
        foreach (var (rx, make) in _rules)
        {
            var m = rx.Match(prose);
            if (m.Success)
            {
                return make(m);
            }
        }
        return new Condition { Op = "unmapped", Text = prose };
    }

    /// <summary>Whether a comment reads like a presence condition.</summary>
    public static bool LooksConditional(string prose) =>
        Regex.IsMatch(prose, @"^\(?\s*(only|present|not present|if|when|in case|available only|conditional)\b|only (present|available|sent)|\bif (present|available|the)\b", RegexOptions.IgnoreCase);

    /// <summary>present(path).</summary>
    public static Condition Present(string path) => new() { Op = "present", Path = path };
    /// <summary>absent(path).</summary>
    public static Condition Absent(string path) => new() { Op = "absent", Path = path };
    /// <summary>equals(path, value).</summary>
    public static Condition EqualsTo(string path, string value) => new() { Op = "equals", Path = path, Value = value };
    /// <summary>in(path, values).</summary>
    public static Condition In(string path, params string[] values) => new() { Op = "in", Path = path, Values = [.. values] };
    /// <summary>The IOD variant is the given key.</summary>
    public static Condition Variant(params string[] keys) =>
        keys.Length == 1 ? EqualsTo("$variant", keys[0]) : In("$variant", keys);
    /// <summary>and(args).</summary>
    public static Condition And(params Condition[] args) => new() { Op = "and", Args = [.. args] };
    /// <summary>or(args).</summary>
    public static Condition Or(params Condition[] args) => new() { Op = "or", Args = [.. args] };
}
