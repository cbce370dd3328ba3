using System.Reflection;
using Dicom.Typed.Iod;
using Microsoft.CodeAnalysis;

namespace Dicom.Typed.Generators.Tests;

/// <summary>
/// An IOD whose statement lists no SOP Common Module (Vereos ECG, Table 305) still gets a SOP Instance UID member (Type 1,
/// PS3.3 C.12.1), written by <c>ToDataset</c> and read back; an IOD that lists it keeps its own row; a message dataset gets none.
/// </summary>
public sealed class ImpliedSopInstanceUidTests
{
    private static Type Compile(string typeName, string json, string folder = "iods")
    {
        var (result, output, _) = GeneratorHarness.Run(new InMemoryText($"/repo/definitions/test-device/{folder}/{typeName}.json", json));
        Assert.Empty(result.Diagnostics);
        using var ms = new MemoryStream();
        var emit = output.Emit(ms);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return Assembly.Load(ms.ToArray()).GetTypes().Single(t => t.Name == typeName);
    }

    private const string SeriesModule = """
        { "name": "General Series Module", "usage": "M", "attributes": [
          { "name": "Series Instance UID", "tag": "0020,000E", "vr": "UI", "vm": "1", "presence": { "word": "ALWAYS", "type": "1" },
            "provenance": { "file": "statement.txt", "table": "Table 9", "title": "General Series Module", "lines": [ 40, 40 ] } } ] }
        """;

    [Fact]
    public void An_iod_without_SOP_Common_gets_a_Type_1_SOP_Instance_UID_that_round_trips()
    {
        var type = Compile("TestEcgWaveform", """{ "typeName": "TestEcgWaveform", "device": "test-device", "sopClassUid": "1.2.840.10008.5.1.4.1.1.9.1.2", "modules": [ """ + SeriesModule + " ] }");
        var p = type.GetProperty("SOPInstanceUID");
        Assert.NotNull(p);
        var meta = p!.GetCustomAttribute<DicomAttributeAttribute>()!;
        Assert.Equal((0x00080018u, "UI", DicomAttributeType.Type1), (meta.Tag, meta.VR, meta.Type));
        Assert.Equal("SOP Common Module (implied, PS3.3 C.12.1)", p.GetCustomAttribute<DicomProvenanceAttribute>()!.Table);

        var obj = Activator.CreateInstance(type)!;
        type.GetProperty("SeriesInstanceUID")!.SetValue(obj, "1.2.3");
        p.SetValue(obj, "1.2.826.0.1.3680043.10.543.9");
        var ds = (DicomDataset)type.GetMethod("ToDataset")!.Invoke(obj, null)!;
        Assert.Equal("1.2.826.0.1.3680043.10.543.9", ds.GetString(DicomTag.SOPInstanceUID));
        Assert.Equal("1.2.840.10008.5.1.4.1.1.9.1.2", ds.GetString(DicomTag.SOPClassUID));

        var read = type.GetMethod("Read")!.Invoke(null, [ds])!;
        Assert.Empty((IReadOnlyList<DicomFinding>)read.GetType().GetProperty("Findings")!.GetValue(read)!);
        Assert.Equal("1.2.826.0.1.3680043.10.543.9", p.GetValue(read.GetType().GetProperty("Value")!.GetValue(read)));

        // without one, the reader reports the missing Type 1 attribute
        var empty = Activator.CreateInstance(type)!;
        type.GetProperty("SeriesInstanceUID")!.SetValue(empty, "1.2.3");
        var missing = type.GetMethod("Read")!.Invoke(null, [(DicomDataset)type.GetMethod("ToDataset")!.Invoke(empty, null)!])!;
        Assert.Contains((IReadOnlyList<DicomFinding>)missing.GetType().GetProperty("Findings")!.GetValue(missing)!,
            f => f.Severity == DicomFindingSeverity.Error && f.ToString().Contains("SOP Instance UID", StringComparison.Ordinal));
    }

    [Fact]
    public void An_iod_listing_SOP_Instance_UID_keeps_the_statement_row()
    {
        const string sopCommon = """
            { "name": "SOP Common Module", "usage": "M", "attributes": [
              { "name": "SOP Instance UID", "tag": "0008,0018", "vr": "UI", "vm": "1", "presence": { "word": "ALWAYS", "type": "1" },
                "provenance": { "file": "statement.txt", "table": "Table 12", "title": "SOP Common Module", "lines": [ 77, 77 ] } } ] }
            """;
        var type = Compile("TestScImage", """{ "typeName": "TestScImage", "device": "test-device", "sopClassUid": "1.2.840.10008.5.1.4.1.1.7", "modules": [ """ + SeriesModule + ", " + sopCommon + " ] }");
        var props = type.GetProperties().Where(x => x.GetCustomAttribute<DicomAttributeAttribute>()?.Tag == 0x00080018u).ToList();
        Assert.Single(props);
        Assert.Equal(77, props[0].GetCustomAttribute<DicomProvenanceAttribute>()!.FirstLine);
    }

    [Fact]
    public void A_message_dataset_gets_no_SOP_Instance_UID()
    {
        var type = Compile("TestStudyQuery", """{ "typeName": "TestStudyQuery", "device": "test-device", "sopClassUid": "1.2.840.10008.5.1.4.1.2.2.1", "dimse": "C-FIND-RQ identifier", "modules": [ """ + SeriesModule + " ] }", "messages");
        Assert.DoesNotContain(type.GetProperties(), x => x.GetCustomAttribute<DicomAttributeAttribute>()?.Tag == 0x00080018u);
    }
}
