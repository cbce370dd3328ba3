using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Dicom.Typed.Generators.Tests;

/// <summary>
/// A code sequence printed with its code in the value cell and no item rows (syngo CT Table 122 L8539: "Registration Type
/// Code Sequence … (125021, DCM, “Frame of Reference Identity”)") gets the Code Sequence Macro item.
/// </summary>
public sealed class CodeSequenceItemTests
{
    private const string Json = """
        {
          "typeName": "TestRegistration", "device": "test-device", "sopClassUid": "1.2.840.10008.5.1.4.1.1.66.1",
          "modules": [ { "name": "Spatial Registration", "usage": "M", "attributes": [
            { "name": "Registration Type Code Sequence", "tag": "0070,030D", "vr": "SQ", "vm": "1", "presence": { "word": "ALWAYS", "type": "1" },
              "value": { "raw": "(125021, DCM, “Frame of Reference Identity”)", "kind": "code",
                "codes": [ { "value": "125021", "scheme": "DCM", "meaning": "Frame of Reference Identity" } ] },
              "provenance": { "file": "statement.txt", "table": "Table 122", "title": "Spatial Registration Module", "lines": [8539, 8539] } },
            { "name": "Content Label", "tag": "0070,0080", "vr": "CS", "vm": "1", "presence": { "word": "ALWAYS", "type": "1" } }
          ] } ]
        }
        """;

    [Fact]
    public void Item_has_code_value_scheme_and_meaning_and_converts_from_a_DicomCode()
    {
        var (result, output, _) = GeneratorHarness.Run(new InMemoryText("/repo/definitions/test-device/iods/TestRegistration.json", Json));
        Assert.Empty(result.Diagnostics);
        using var ms = new MemoryStream();
        var emit = output.Emit(ms);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        var assembly = Assembly.Load(ms.ToArray());
        var type = assembly.GetTypes().Single(t => t.Name == "TestRegistration");
        var item = type.GetNestedTypes().Single(t => t.Name == "RegistrationTypeCodeItem");

        var members = item.GetProperties().Select(p => p.GetCustomAttribute<Dicom.Typed.Iod.DicomAttributeAttribute>()).OfType<Dicom.Typed.Iod.DicomAttributeAttribute>().ToList();
        Assert.Equal([0x00080100u, 0x00080102u, 0x00080104u], members.Select(m => m.Tag).ToArray());
        Assert.All(members, m => Assert.Equal(Dicom.Typed.Iod.DicomAttributeType.Type1, m.Type));

        // the printed code is not a fixed value (a repeated sequence prints one code per item): any code converts and is written
        var code = new DicomCode("125025", "DCM", "Visual Alignment");
        var converted = item.GetMethods(BindingFlags.Public | BindingFlags.Static).Single(m => m.Name == "op_Implicit").Invoke(null, [code])!;
        var items = Array.CreateInstance(item, 1);
        items.SetValue(converted, 0);
        var obj = Activator.CreateInstance(type)!;
        type.GetProperty("RegistrationTypeCodeSequence")!.SetValue(obj, items);
        type.GetProperty("ContentLabel")!.SetValue(obj, "REG1");
        var ds = (DicomDataset)type.GetMethod("ToDataset")!.Invoke(obj, null)!;
        var written = Assert.IsType<DicomSequence>(ds[new DicomTag(0x0070, 0x030D)]).Items.Single();
        Assert.Equal("125025", written.GetString(new DicomTag(0x0008, 0x0100)));
        Assert.Equal("DCM", written.GetString(new DicomTag(0x0008, 0x0102)));
        Assert.Equal("Visual Alignment", written.GetString(new DicomTag(0x0008, 0x0104)));
    }
}
