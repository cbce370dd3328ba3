using System.Linq;
using System.Text.RegularExpressions;

namespace Dicom.Typed.Analyzers
{
    /// <summary>Format checks of string literals against their VR (PS3.5 6.2), with an unambiguous replacement when there is one.</summary>
    internal static class VrRules
    {
        private static readonly Regex Da = new Regex(@"^\d{8}$", RegexOptions.CultureInvariant);
        private static readonly Regex DaDashed = new Regex(@"^(\d{4})[-./](\d{2})[-./](\d{2})$", RegexOptions.CultureInvariant);
        private static readonly Regex Tm = new Regex(@"^(\d{2})(\d{2})?(\d{2})?(\.\d{1,6})?$", RegexOptions.CultureInvariant);
        private static readonly Regex TmColons = new Regex(@"^(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?$", RegexOptions.CultureInvariant);
        private static readonly Regex Cs = new Regex(@"^[A-Z0-9 _]*$", RegexOptions.CultureInvariant);

        /// <summary>Checks one value (not a multi-value string); returns the problem or null, and a replacement when unambiguous.</summary>
        public static string? Problem(string vr, string value, out string? fix)
        {
            fix = null;
            switch (vr)
            {
                case "DA":
                {
                    if (value.Length == 0) return null;
                    if (Da.IsMatch(value)) return ValidDate(value) ? null : "no such calendar date";
                    var m = DaDashed.Match(value);
                    if (m.Success)
                    {
                        string f = m.Groups[1].Value + m.Groups[2].Value + m.Groups[3].Value;
                        if (ValidDate(f)) fix = f;
                        return "DA is YYYYMMDD without separators";
                    }
                    return "DA is YYYYMMDD";
                }
                case "TM":
                {
                    if (value.Length == 0) return null;
                    var m = Tm.Match(value);
                    if (m.Success) return ValidTime(m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value) ? null : "hours 00-23, minutes 00-59, seconds 00-60";
                    var c = TmColons.Match(value);
                    if (c.Success)
                    {
                        if (ValidTime(c.Groups[1].Value, c.Groups[2].Value, c.Groups[3].Value))
                            fix = c.Groups[1].Value + c.Groups[2].Value + c.Groups[3].Value + (c.Groups[3].Success ? c.Groups[4].Value : "");
                        return "TM is HHMMSS.FFFFFF without colons";
                    }
                    return "TM is HH[MM[SS[.FFFFFF]]]";
                }
                case "UI":
                {
                    if (value.Length == 0) return null;
                    if (value.Length > 64) return "a UID has at most 64 characters";
                    if (value.Any(ch => !(ch == '.' || (ch >= '0' && ch <= '9')))) return "a UID has only digits and '.'";
                    var parts = value.Split('.');
                    if (parts.Any(p => p.Length == 0)) return "a UID has no empty components";
                    if (parts.Any(p => p.Length > 1 && p[0] == '0')) return "UID components have no leading zeros";
                    return null;
                }
                case "AE":
                {
                    if (value.Length > 16) return "an AE title has at most 16 characters";
                    if (value.Any(ch => ch < 0x20 || ch == '\\' || ch > 0x7E)) return "an AE title has no control characters or backslashes";
                    if (value.Length > 0 && value.Trim().Length == 0) return "an AE title is not all spaces";
                    return null;
                }
                case "CS":
                {
                    if (value.Length > 16) return "CS has at most 16 characters";
                    if (Cs.IsMatch(value)) return null;
                    string upper = value.ToUpperInvariant();
                    if (Cs.IsMatch(upper)) fix = upper;
                    return "CS has only uppercase letters, digits, space and '_'";
                }
                default:
                    return null;
            }
        }

        private static bool ValidDate(string yyyymmdd)
        {
            int y = int.Parse(yyyymmdd.Substring(0, 4), System.Globalization.CultureInfo.InvariantCulture);
            int m = int.Parse(yyyymmdd.Substring(4, 2), System.Globalization.CultureInfo.InvariantCulture);
            int d = int.Parse(yyyymmdd.Substring(6, 2), System.Globalization.CultureInfo.InvariantCulture);
            if (y < 1 || m < 1 || m > 12 || d < 1) return false;
            return d <= System.DateTime.DaysInMonth(y, m);
        }

        private static bool ValidTime(string hh, string mm, string ss) =>
            int.Parse(hh, System.Globalization.CultureInfo.InvariantCulture) < 24
            && (mm.Length == 0 || int.Parse(mm, System.Globalization.CultureInfo.InvariantCulture) < 60)
            && (ss.Length == 0 || int.Parse(ss, System.Globalization.CultureInfo.InvariantCulture) <= 60);
    }
}
