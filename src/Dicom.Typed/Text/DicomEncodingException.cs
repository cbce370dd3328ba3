namespace Dicom.Typed.Text;

/// <summary>
/// Thrown by <see cref="DicomCharacterSet.Encode(string, DicomTextKind)"/> when a character of the value
/// cannot be represented by any code element of the declared Specific Character Set terms.
/// </summary>
public sealed class DicomEncodingException : DicomException
{
    /// <summary>Creates the exception for the character <paramref name="character"/> found at UTF-16 index <paramref name="index"/>.</summary>
    /// <param name="character">The offending character (two UTF-16 code units for a supplementary-plane character or a lone surrogate as found).</param>
    /// <param name="index">UTF-16 index of the character in the value being encoded.</param>
    /// <param name="characterSet">The Specific Character Set terms, backslash separated, used for encoding.</param>
    /// <param name="innerException">Optional underlying exception.</param>
    public DicomEncodingException(string character, int index, string characterSet, Exception? innerException = null)
        : base(BuildMessage(character, index, characterSet), innerException)
    {
        Character = character;
        Index = index;
        CharacterSet = characterSet;
    }

    /// <summary>The offending character (one or two UTF-16 code units).</summary>
    public string Character { get; }

    /// <summary>UTF-16 index of <see cref="Character"/> in the value being encoded.</summary>
    public int Index { get; }

    /// <summary>The Specific Character Set terms (backslash separated) that could not represent the character.</summary>
    public string CharacterSet { get; }

    private static string BuildMessage(string character, int index, string characterSet)
    {
        var codePoints = new System.Text.StringBuilder();
        foreach (char c in character)
        {
            if (codePoints.Length > 0) codePoints.Append(' ');
            codePoints.Append("U+").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
        }
        string set = characterSet.Length == 0 ? "ISO_IR 6 (default)" : characterSet;
        return $"Character '{character}' ({codePoints}) at index {index} cannot be encoded with Specific Character Set '{set}'.";
    }
}
