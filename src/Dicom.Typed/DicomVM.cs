using System.Globalization;

namespace Dicom.Typed;

/// <summary>A Value Multiplicity such as <c>1</c>, <c>1-3</c>, <c>1-n</c> or <c>2-2n</c> (PS3.5 6.4).</summary>
public readonly record struct DicomVM(int Minimum, int Maximum, int Step)
{
    /// <summary>VM 1.</summary>
    public static DicomVM One => new(1, 1, 1);

    /// <summary>VM 1-n.</summary>
    public static DicomVM OneToMany => new(1, int.MaxValue, 1);

    /// <summary>True when <paramref name="count"/> values satisfy this multiplicity.</summary>
    /// <param name="count">The number of values.</param>
    public bool Accepts(int count) => count >= Minimum && count <= Maximum && (Step <= 1 || count % Step == 0);

    /// <summary>True when more than one value is allowed.</summary>
    public bool IsMultiple => Maximum > 1;

    /// <summary>Parses the dictionary notation; empty or unknown text gives 1-n.</summary>
    /// <param name="text">e.g. <c>1-n</c>, <c>3-3n</c>, <c>1-n or 1</c>.</param>
    public static DicomVM Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return OneToMany;
        string t = text.Trim();
        int or = t.IndexOf(" or ", StringComparison.Ordinal);
        if (or > 0) t = t[..or];
        int dash = t.IndexOf('-');
        if (dash < 0) return int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? new(n, n, 1) : OneToMany;
        int.TryParse(t.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out int min);
        var upper = t.AsSpan(dash + 1);
        if (upper.EndsWith("n"))
        {
            var stepText = upper[..^1];
            int step = stepText.IsEmpty ? 1 : int.Parse(stepText, NumberStyles.None, CultureInfo.InvariantCulture);
            return new(min, int.MaxValue, step);
        }
        return int.TryParse(upper, NumberStyles.None, CultureInfo.InvariantCulture, out int max) ? new(min, max, 1) : OneToMany;
    }

    /// <inheritdoc />
    public override string ToString() =>
        Minimum == Maximum ? Minimum.ToString(CultureInfo.InvariantCulture)
        : Maximum == int.MaxValue ? (Step > 1 ? $"{Minimum}-{Step}n" : $"{Minimum}-n")
        : $"{Minimum}-{Maximum}";
}
