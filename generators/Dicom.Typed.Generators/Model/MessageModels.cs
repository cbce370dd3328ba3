namespace Dicom.Typed.Generators.Model
{
    /// <summary>The statement's query words of one key, by tag path ("00400100/00080060").</summary>
    internal sealed record MessageKeyInfo(string Path, string Matching, string Usage, string Levels);

    /// <summary>A typed DIMSE message data set: the attribute tree (parsed like an IOD) plus the message semantics.</summary>
    internal sealed record MessageModel(IodModel Body, string Dimse, bool IsQuery, bool IsQueryRetrieve, EquatableArray<MessageKeyInfo> Keys);

    /// <summary>Result of parsing one message definitions file.</summary>
    internal sealed record MessageParseResult(MessageModel? Message, EquatableArray<DiagnosticInfo> Diagnostics);
}
