using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dicom.Typed.Definitions;

/// <summary>Error in a definitions file, with position.</summary>
public sealed class DefinitionsFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DefinitionsFormatException(string file, long line, long column, string message, Exception? inner)
        : base($"{file}({line},{column}): {message}", inner)
    {
        File = file;
        Line = line;
        Column = column;
    }

    /// <summary>File path.</summary>
    public string File { get; }
    /// <summary>1-based line.</summary>
    public long Line { get; }
    /// <summary>1-based column.</summary>
    public long Column { get; }
}

/// <summary>Reading and writing definitions JSON deterministically (2-space indent, \n, camelCase, nulls omitted).</summary>
public static class DefinitionsJson
{
    /// <summary>Serializer options used for every definitions file.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        NewLine = "\n",
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>Serializes to the canonical text (ends with a newline).</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options) + "\n";

    /// <summary>Deserializes text; errors carry file, line and column (1-based).</summary>
    public static T Deserialize<T>(string text, string file)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, Options)
                ?? throw new DefinitionsFormatException(file, 1, 1, "document is null", null);
        }
        catch (JsonException e)
        {
            long line = (e.LineNumber ?? 0) + 1;
            long column = (e.BytePositionInLine ?? 0) + 1;
            throw new DefinitionsFormatException(file, line, column, e.Message, e);
        }
    }

    /// <summary>Loads a definitions file.</summary>
    public static T Load<T>(string path) => Deserialize<T>(System.IO.File.ReadAllText(path, Encoding.UTF8), path);
}
