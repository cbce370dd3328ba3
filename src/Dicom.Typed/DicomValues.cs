using System.Globalization;
using System.Text;

namespace Dicom.Typed;

/// <summary>Precision of a partial DA/TM/DT value.</summary>
public enum DicomDatePrecision
{
    /// <summary>Year only.</summary>
    Year,
    /// <summary>Year and month.</summary>
    Month,
    /// <summary>Full date.</summary>
    Day,
    /// <summary>Hours.</summary>
    Hour,
    /// <summary>Hours and minutes.</summary>
    Minute,
    /// <summary>Hours, minutes and seconds.</summary>
    Second,
    /// <summary>With fractional seconds.</summary>
    Fraction,
}

/// <summary>A DA value (YYYYMMDD); partial precision (YYYY, YYYYMM) is kept for DT components and queries.</summary>
/// <param name="Year">Year.</param>
/// <param name="Month">Month, or null.</param>
/// <param name="Day">Day, or null.</param>
public readonly record struct DicomDate(int Year, int? Month = null, int? Day = null)
{
    /// <summary>The precision of the value.</summary>
    public DicomDatePrecision Precision => Day.HasValue ? DicomDatePrecision.Day : Month.HasValue ? DicomDatePrecision.Month : DicomDatePrecision.Year;

    /// <summary>The date, with missing parts as the first month/day.</summary>
    public DateOnly ToDateOnly() => new(Year, Month ?? 1, Day ?? 1);

    /// <summary>Creates a full-precision date.</summary>
    /// <param name="date">The date.</param>
    public static DicomDate FromDateOnly(DateOnly date) => new(date.Year, date.Month, date.Day);

    /// <summary>Parses YYYY, YYYYMM, YYYYMMDD, and the ACR-NEMA form YYYY.MM.DD.</summary>
    /// <param name="text">The text.</param>
    /// <exception cref="FormatException">Not a date.</exception>
    public static DicomDate Parse(ReadOnlySpan<char> text) =>
        TryParse(text, out var d) ? d : throw new FormatException($"'{text}' is not a DICOM DA value");

    /// <summary>Tries to parse a DA value.</summary>
    /// <param name="text">The text.</param>
    /// <param name="date">The value.</param>
    public static bool TryParse(ReadOnlySpan<char> text, out DicomDate date)
    {
        date = default;
        text = text.Trim();
        Span<char> digits = stackalloc char[8];
        int n = 0;
        if (text.Length == 10 && text[4] == '.' && text[7] == '.')
        {
            text[..4].CopyTo(digits); text.Slice(5, 2).CopyTo(digits[4..]); text.Slice(8, 2).CopyTo(digits[6..]);
            n = 8;
        }
        else
        {
            if (text.Length is not (4 or 6 or 8)) return false;
            text.CopyTo(digits);
            n = text.Length;
        }
        foreach (char c in digits[..n]) if (c < '0' || c > '9') return false;
        int y = Num(digits, 0, 4);
        int? m = n >= 6 ? Num(digits, 4, 2) : null;
        int? d = n >= 8 ? Num(digits, 6, 2) : null;
        if (m is < 1 or > 12) return false;
        if (d.HasValue && (d < 1 || d > DateTime.DaysInMonth(Math.Max(1, y), m!.Value))) return false;
        date = new DicomDate(y, m, d);
        return true;
    }

    internal static int Num(ReadOnlySpan<char> s, int start, int len) => int.Parse(s.Slice(start, len), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>Formats as YYYY[MM[DD]].</summary>
    public override string ToString() => Day.HasValue ? $"{Year:D4}{Month:D2}{Day:D2}" : Month.HasValue ? $"{Year:D4}{Month:D2}" : $"{Year:D4}";
}

/// <summary>A TM value HH[MM[SS[.F{1,6}]]], keeping its precision and the number of fraction digits.</summary>
/// <param name="Hour">Hour.</param>
/// <param name="Minute">Minute, or null.</param>
/// <param name="Second">Second, or null.</param>
/// <param name="Microsecond">Fractional part in microseconds, or null.</param>
/// <param name="FractionDigits">Number of fraction digits written (1-6), 0 when none.</param>
public readonly record struct DicomTime(int Hour, int? Minute = null, int? Second = null, int? Microsecond = null, int FractionDigits = 0)
{
    /// <summary>The precision of the value.</summary>
    public DicomDatePrecision Precision => Microsecond.HasValue ? DicomDatePrecision.Fraction : Second.HasValue ? DicomDatePrecision.Second : Minute.HasValue ? DicomDatePrecision.Minute : DicomDatePrecision.Hour;

    /// <summary>The time, with missing parts as zero.</summary>
    public TimeOnly ToTimeOnly() => new TimeOnly(Hour, Minute ?? 0, Math.Min(59, Second ?? 0)).Add(TimeSpan.FromMicroseconds(Microsecond ?? 0));

    /// <summary>Creates a time with microsecond precision (6 fraction digits) or seconds when the fraction is zero.</summary>
    /// <param name="time">The time.</param>
    public static DicomTime FromTimeOnly(TimeOnly time)
    {
        int micro = (int)(time.Ticks % TimeSpan.TicksPerSecond / 10);
        return micro == 0 ? new(time.Hour, time.Minute, time.Second) : new(time.Hour, time.Minute, time.Second, micro, 6);
    }

    /// <summary>Parses HH, HHMM, HHMMSS, HHMMSS.F… and the ACR-NEMA form HH:MM:SS.</summary>
    /// <param name="text">The text.</param>
    /// <exception cref="FormatException">Not a time.</exception>
    public static DicomTime Parse(ReadOnlySpan<char> text) =>
        TryParse(text, out var t) ? t : throw new FormatException($"'{text}' is not a DICOM TM value");

    /// <summary>Tries to parse a TM value.</summary>
    /// <param name="text">The text.</param>
    /// <param name="time">The value.</param>
    public static bool TryParse(ReadOnlySpan<char> text, out DicomTime time)
    {
        time = default;
        text = text.Trim();
        Span<char> buf = stackalloc char[16];
        int n = 0;
        foreach (char c in text)
        {
            if (c == ':') continue;
            if (n == buf.Length) return false;
            buf[n++] = c;
        }
        var s = buf[..n];
        int dot = s.IndexOf('.');
        var main = dot < 0 ? s : s[..dot];
        if (main.Length is not (2 or 4 or 6)) return false;
        foreach (char c in main) if (c < '0' || c > '9') return false;
        int h = DicomDate.Num(main, 0, 2);
        int? m = main.Length >= 4 ? DicomDate.Num(main, 2, 2) : null;
        int? sec = main.Length >= 6 ? DicomDate.Num(main, 4, 2) : null;
        if (h > 23 || m > 59 || sec > 60) return false;
        int? micro = null;
        int fd = 0;
        if (dot >= 0)
        {
            if (main.Length != 6) return false;
            var frac = s[(dot + 1)..];
            if (frac.Length is < 1 or > 6) return false;
            foreach (char c in frac) if (c < '0' || c > '9') return false;
            fd = frac.Length;
            micro = DicomDate.Num(frac, 0, fd) * (int)Math.Pow(10, 6 - fd);
        }
        time = new DicomTime(h, m, sec, micro, fd);
        return true;
    }

    /// <summary>Formats as HH[MM[SS[.F…]]] with the original number of fraction digits.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(13);
        sb.Append(Hour.ToString("D2", CultureInfo.InvariantCulture));
        if (Minute.HasValue) sb.Append(Minute.Value.ToString("D2", CultureInfo.InvariantCulture));
        if (Second.HasValue) sb.Append(Second.Value.ToString("D2", CultureInfo.InvariantCulture));
        if (Microsecond.HasValue)
        {
            int digits = FractionDigits is >= 1 and <= 6 ? FractionDigits : 6;
            sb.Append('.').Append((Microsecond.Value / (int)Math.Pow(10, 6 - digits)).ToString("D" + digits, CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}

/// <summary>A DT value YYYY[MM[DD[HH[MM[SS[.F{1,6}]]]]]][&amp;ZZXX] with partial precision and optional UTC offset.</summary>
/// <param name="Date">Date part.</param>
/// <param name="Time">Time part, or null.</param>
/// <param name="Offset">UTC offset, or null when not given.</param>
public readonly record struct DicomDateTime(DicomDate Date, DicomTime? Time = null, TimeSpan? Offset = null)
{
    /// <summary>Converts to a <see cref="DateTimeOffset"/> (missing parts as their minimum; no offset as UTC).</summary>
    public DateTimeOffset ToDateTimeOffset() =>
        new(Date.ToDateOnly().ToDateTime(Time?.ToTimeOnly() ?? TimeOnly.MinValue), Offset ?? TimeSpan.Zero);

    /// <summary>Creates a full-precision value.</summary>
    /// <param name="value">The instant.</param>
    /// <param name="includeOffset">Whether to write the UTC offset.</param>
    public static DicomDateTime FromDateTimeOffset(DateTimeOffset value, bool includeOffset = true) =>
        new(DicomDate.FromDateOnly(DateOnly.FromDateTime(value.DateTime)), DicomTime.FromTimeOnly(TimeOnly.FromDateTime(value.DateTime)), includeOffset ? value.Offset : null);

    /// <summary>Parses a DT value.</summary>
    /// <param name="text">The text.</param>
    /// <exception cref="FormatException">Not a date-time.</exception>
    public static DicomDateTime Parse(ReadOnlySpan<char> text) =>
        TryParse(text, out var v) ? v : throw new FormatException($"'{text}' is not a DICOM DT value");

    /// <summary>Tries to parse a DT value.</summary>
    /// <param name="text">The text.</param>
    /// <param name="value">The value.</param>
    public static bool TryParse(ReadOnlySpan<char> text, out DicomDateTime value)
    {
        value = default;
        text = text.Trim();
        TimeSpan? offset = null;
        int sign = text.LastIndexOfAny('+', '-');
        if (sign > 0)
        {
            var z = text[(sign + 1)..];
            if (z.Length != 4) return false;
            foreach (char c in z) if (c < '0' || c > '9') return false;
            int hh = DicomDate.Num(z, 0, 2), mm = DicomDate.Num(z, 2, 2);
            if (hh > 14 || mm > 59) return false;
            offset = new TimeSpan(hh, mm, 0) * (text[sign] == '-' ? -1 : 1);
            text = text[..sign];
        }
        int dot = text.IndexOf('.');
        int dateLen = Math.Min(dot < 0 ? text.Length : dot, 8);
        if (dateLen is not (4 or 6 or 8)) return false;
        if (!DicomDate.TryParse(text[..dateLen], out var date)) return false;
        DicomTime? time = null;
        if (text.Length > dateLen)
        {
            if (dateLen != 8 || !DicomTime.TryParse(text[dateLen..], out var t)) return false;
            time = t;
        }
        value = new DicomDateTime(date, time, offset);
        return true;
    }

    /// <inheritdoc />
    public override string ToString()
    {
        string s = Date.ToString() + (Time?.ToString() ?? "");
        if (Offset is { } o)
        {
            s += (o < TimeSpan.Zero ? "-" : "+") + Math.Abs(o.Hours).ToString("D2", CultureInfo.InvariantCulture) + Math.Abs(o.Minutes).ToString("D2", CultureInfo.InvariantCulture);
        }
        return s;
    }
}

/// <summary>A range of DA, TM or DT values as used in query keys (<c>A-B</c>, <c>-B</c>, <c>A-</c>, or a single value).</summary>
/// <typeparam name="T">DicomDate, DicomTime or DicomDateTime.</typeparam>
/// <param name="From">Lower bound, or null for open.</param>
/// <param name="To">Upper bound, or null for open.</param>
public readonly record struct DicomRange<T>(T? From, T? To) where T : struct
{
    /// <inheritdoc />
    public override string ToString() => From.Equals(To) && From.HasValue ? From.Value.ToString()! : $"{From}-{To}";
}

/// <summary>The five components of one person name component group (PS3.5 6.2.1).</summary>
/// <param name="FamilyName">Family name complex.</param>
/// <param name="GivenName">Given name complex.</param>
/// <param name="MiddleName">Middle name.</param>
/// <param name="NamePrefix">Name prefix.</param>
/// <param name="NameSuffix">Name suffix.</param>
public sealed record DicomPersonNameComponents(string FamilyName = "", string GivenName = "", string MiddleName = "", string NamePrefix = "", string NameSuffix = "")
{
    /// <summary>True when all components are empty.</summary>
    public bool IsEmpty => FamilyName.Length + GivenName.Length + MiddleName.Length + NamePrefix.Length + NameSuffix.Length == 0;

    /// <summary>Parses <c>Family^Given^Middle^Prefix^Suffix</c>.</summary>
    /// <param name="group">One component group.</param>
    public static DicomPersonNameComponents Parse(string group)
    {
        var p = group.Split('^');
        string At(int i) => i < p.Length ? p[i] : "";
        return new(At(0), At(1), At(2), At(3), At(4));
    }

    /// <summary>Formats with trailing empty components removed.</summary>
    public override string ToString()
    {
        string[] parts = [FamilyName, GivenName, MiddleName, NamePrefix, NameSuffix];
        int last = parts.Length - 1;
        while (last >= 0 && parts[last].Length == 0) last--;
        return string.Join('^', parts, 0, last + 1);
    }
}

/// <summary>A PN value with its alphabetic, ideographic and phonetic component groups.</summary>
/// <param name="Alphabetic">Alphabetic (single-byte) representation.</param>
/// <param name="Ideographic">Ideographic representation.</param>
/// <param name="Phonetic">Phonetic representation.</param>
public sealed record DicomPersonName(DicomPersonNameComponents Alphabetic, DicomPersonNameComponents? Ideographic = null, DicomPersonNameComponents? Phonetic = null)
{
    /// <summary>Creates a name from family and given name.</summary>
    /// <param name="familyName">Family name.</param>
    /// <param name="givenName">Given name.</param>
    public DicomPersonName(string familyName, string givenName = "") : this(new DicomPersonNameComponents(familyName, givenName)) { }

    /// <summary>Parses <c>alphabetic=ideographic=phonetic</c>.</summary>
    /// <param name="value">The decoded value.</param>
    public static DicomPersonName Parse(string value)
    {
        var groups = value.Split('=');
        return new(DicomPersonNameComponents.Parse(groups[0]),
            groups.Length > 1 ? DicomPersonNameComponents.Parse(groups[1]) : null,
            groups.Length > 2 ? DicomPersonNameComponents.Parse(groups[2]) : null);
    }

    /// <summary>Formats with trailing empty groups removed.</summary>
    public override string ToString()
    {
        string a = Alphabetic.ToString(), i = Ideographic?.ToString() ?? "", p = Phonetic?.ToString() ?? "";
        if (p.Length > 0) return $"{a}={i}={p}";
        if (i.Length > 0) return $"{a}={i}";
        return a;
    }
}

/// <summary>A DS value: its text as written (kept for round trips) and its numeric value.</summary>
/// <param name="Text">The text without padding.</param>
public readonly record struct DicomDecimalString(string Text)
{
    /// <summary>The value as a double.</summary>
    /// <exception cref="FormatException">Not a decimal string.</exception>
    public double Value => double.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The value as a decimal, when representable.</summary>
    public decimal DecimalValue => decimal.Parse(Text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>True when the text is a valid DS (at most 16 characters, a decimal number).</summary>
    public bool IsValid => Text.Length <= 16 && double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d);

    /// <summary>Formats a number in at most 16 characters (PS3.5 DS).</summary>
    /// <param name="value">The number.</param>
    public static DicomDecimalString FromDouble(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), "DS cannot hold NaN or infinity");
        string s = value.ToString("R", CultureInfo.InvariantCulture);
        for (int digits = 15; s.Length > 16 && digits > 0; digits--) s = value.ToString("G" + digits, CultureInfo.InvariantCulture);
        return new DicomDecimalString(s);
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}

/// <summary>An IS value: its text as written and its integer value.</summary>
/// <param name="Text">The text without padding.</param>
public readonly record struct DicomIntegerString(string Text)
{
    /// <summary>The value.</summary>
    /// <exception cref="FormatException">Not an integer string.</exception>
    public long Value => long.Parse(Text, NumberStyles.AllowLeadingSign | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture);

    /// <summary>True when the text is a valid IS (at most 12 characters, within ±2^31).</summary>
    public bool IsValid => Text.Length <= 12 && long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) && v >= int.MinValue && v <= int.MaxValue;

    /// <summary>Formats an integer.</summary>
    /// <param name="value">The number.</param>
    public static DicomIntegerString FromInt64(long value) => new(value.ToString(CultureInfo.InvariantCulture));

    /// <inheritdoc />
    public override string ToString() => Text;
}

/// <summary>A coded entry (Code Value, Coding Scheme Designator, Code Meaning), PS3.3 Table 8.8-1.</summary>
/// <param name="Value">Code Value (or Long Code Value / URN Code Value).</param>
/// <param name="Scheme">Coding Scheme Designator.</param>
/// <param name="Meaning">Code Meaning.</param>
/// <param name="SchemeVersion">Coding Scheme Version, or null.</param>
public sealed record DicomCode(string Value, string Scheme, string Meaning, string? SchemeVersion = null)
{
    /// <inheritdoc />
    public override string ToString() => $"({Value}, {Scheme}, \"{Meaning}\")";
}
