using System.Reflection;
using Microsoft.CodeAnalysis;

namespace Dicom.Typed.Generators.Tests;

/// <summary>The statement's variants become a <c>Variant</c> property; <c>$variant</c> conditions are evaluated against it.</summary>
public sealed class VariantTests
{
    private const string Json = """
        {
          "typeName": "TestXaImage", "device": "test-device", "sopClassUid": "1.2.840.10008.5.1.4.1.1.12.1",
          "variants": [ { "key": "SNS", "description": "Single-plane system" }, { "key": "SES", "description": "Other system" } ],
          "modules": [ { "name": "General Series Module", "usage": "M", "attributes": [
            { "name": "Series Instance UID", "tag": "0020,000E", "vr": "UI", "vm": "1", "presence": { "word": "ALWAYS", "type": "1" } },
            { "name": "Protocol Name", "tag": "0018,1030", "vr": "LO", "vm": "1", "presence": { "word": "VNAP", "type": "2C" },
              "condition": { "op": "equals", "path": "$variant", "value": "SNS" }, "conditionText": "Only Present in SNS" }
          ] } ]
        }
        """;

    [Fact]
    public void Variant_conditions_are_evaluated_against_the_Variant_property()
    {
        var (result, output, _) = GeneratorHarness.Run(new InMemoryText("/repo/definitions/test-device/iods/TestXaImage.json", Json));
        Assert.Empty(result.Diagnostics);
        using var ms = new MemoryStream();
        var emit = output.Emit(ms);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        var type = Assembly.Load(ms.ToArray()).GetTypes().Single(t => t.Name == "TestXaImage");
        Assert.Equal("SNS", type.GetNestedType("Variants")!.GetField("SNS")!.GetValue(null));

        DicomDataset Build(string? variant)
        {
            var obj = Activator.CreateInstance(type)!;
            type.GetProperty("SeriesInstanceUID")!.SetValue(obj, "1.2.3");
            type.GetProperty("Variant")!.SetValue(obj, variant);
            return (DicomDataset)type.GetMethod("ToDataset")!.Invoke(obj, null)!;
        }
        // Type 2C on the SNS variant: written (empty) for SNS, absent for SES and for an unknown variant
        Assert.True(Build("SNS").Contains(DicomTag.ProtocolName));
        Assert.False(Build("SES").Contains(DicomTag.ProtocolName));
        Assert.False(Build(null).Contains(DicomTag.ProtocolName));
    }

    [Fact]
    public void Defined_terms_are_string_constants_and_the_property_accepts_other_terms()
    {
        const string json = """
            {
              "typeName": "TestTermsImage", "device": "test-device", "sopClassUid": "1.2.840.10008.5.1.4.1.1.7",
              "modules": [ { "name": "General Series Module", "usage": "M", "attributes": [
                { "name": "Body Part Examined", "tag": "0018,0015", "vr": "CS", "vm": "1", "presence": { "word": "ALWAYS", "type": "1" },
                  "value": { "kind": "defined", "values": ["HEAD", "CHEST"] } }
              ] } ]
            }
            """;
        var (result, output, _) = GeneratorHarness.Run(new InMemoryText("/repo/definitions/test-device/iods/TestTermsImage.json", json));
        Assert.Empty(result.Diagnostics);
        using var ms = new MemoryStream();
        var emit = output.Emit(ms);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        var type = Assembly.Load(ms.ToArray()).GetTypes().Single(t => t.Name == "TestTermsImage");
        Assert.Equal("CHEST", type.GetNestedType("BodyPartExaminedTerms")!.GetField("CHEST")!.GetValue(null));
        var property = type.GetProperty("BodyPartExamined")!;
        Assert.Equal(typeof(string), property.PropertyType);
        // another term (the escape hatch) is written as given and the reader reports it only as a defined-term finding
        var obj = Activator.CreateInstance(type)!;
        property.SetValue(obj, "ABDOMEN");
        // the definition lists no SOP Common Module: the generator implies SOP Instance UID (Type 1, PS3.3 C.12.1)
        type.GetProperty("SOPInstanceUID")!.SetValue(obj, "1.2.826.0.1.3680043.10.543.7");
        var ds = (DicomDataset)type.GetMethod("ToDataset")!.Invoke(obj, null)!;
        Assert.Equal("ABDOMEN", ds.GetString(DicomTag.BodyPartExamined));
        var read = type.GetMethod("Read")!.Invoke(null, [ds])!;
        var findings = (IReadOnlyList<Dicom.Typed.Iod.DicomFinding>)read.GetType().GetProperty("Findings")!.GetValue(read)!;
        Assert.DoesNotContain(findings, f => f.Severity == Dicom.Typed.Iod.DicomFindingSeverity.Error);
    }
}
