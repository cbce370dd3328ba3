using System.Text;
using Dicom.Typed.Iod;
using Dicom.Typed.Sr;

namespace Dicom.Typed.Tests.Sr;

/// <summary>SR content items (PS3.3 C.17.3) read from the SR files of pydicom's test data, written back, and checked against the PS3.3 rules.</summary>
public sealed class SrContentTests
{
    private static DicomDataset Sample(string name)
    {
        string path = Path.Combine(TestEnvironment.PydicomData, "test_files", name);
        TestEnvironment.Require(path, "pydicom test file " + name);
        return DicomFile.Open(path).Dataset;
    }

    /// <summary>One line per item: depth, relationship, value type, concept, value; the canonical text of a tree.</summary>
    private static string Dump(SrContentItem item)
    {
        var sb = new StringBuilder();
        void Walk(SrContentItem i, int depth)
        {
            string value = i.ValueType switch
            {
                SrValueType.Text => i.Text!,
                SrValueType.Code => i.Code!.ToString(),
                SrValueType.Num => i.Measurement is { } m ? m.Value.Text + " " + m.Units : "(no value)",
                SrValueType.PName => i.PersonName!.ToString(),
                SrValueType.UidRef => i.Uid!,
                SrValueType.Image or SrValueType.Composite => i.Reference!.SopClassUid + "/" + i.Reference.SopInstanceUid,
                SrValueType.SCoord => i.GraphicType + " " + string.Join(",", i.GraphicData!),
                SrValueType.Container => i.Separate ? "SEPARATE" : "CONTINUOUS",
                _ => "",
            };
            sb.Append(depth).Append(' ').Append(i.Relationship is { } r ? SrTerms.Text(r) : "-").Append(' ').Append(SrTerms.Text(i.ValueType))
              .Append(' ').Append(i.ConceptName?.ToString() ?? "-").Append(" = ").Append(value.Replace("\r\n", "|").Replace('\n', '|')).Append('\n');
            foreach (var c in i.Children) Walk(c, depth + 1);
        }
        Walk(item, 0);
        return sb.ToString();
    }

    [Fact]
    public void Dcmtk_basic_text_report_from_pydicom_parses_without_findings_and_writes_back_the_same_tree()
    {
        var ds = Sample("reportsi.dcm");
        var result = SrContent.ParseDocument(ds);
        Assert.Empty(result.Findings);
        var root = result.Value!;
        Assert.Equal(SrValueType.Container, root.ValueType);
        Assert.Null(root.Relationship);
        Assert.Equal(new DicomCode("IHE.01", "99_OFFIS_DCMTK", "Document Title"), root.ConceptName);
        Assert.Equal(5, root.Children.Count);
        // values as pydicom prints them (python3 -c "pydicom.dcmread('reportsi.dcm')"): observer name, section, inferred image
        var observer = root.Children[1];
        Assert.Equal((SrRelationshipType.HasObsContext, SrValueType.PName), (observer.Relationship!.Value, observer.ValueType));
        Assert.Equal(ds.GetSequence(SrTags.ContentSequence)!.Items[1].GetString(SrTags.PersonName), observer.PersonName!.ToString());
        var section = root.Children[4];
        Assert.Equal(new DicomCode("IHE.08", "99_OFFIS_DCMTK", "Section Heading"), section.ConceptName);
        Assert.Equal(SrValueType.Text, section.Children[0].ValueType);
        Assert.Equal("Enter text", section.Children[0].Text);
        var inferred = section.Children[0].Children.Single();
        Assert.Equal((SrRelationshipType.InferredFrom, SrValueType.Image), (inferred.Relationship!.Value, inferred.ValueType));
        var refItem = ds.GetSequence(SrTags.ContentSequence)!.Items[4].GetSequence(SrTags.ContentSequence)!.Items[0]
            .GetSequence(SrTags.ContentSequence)!.Items[0].GetSequence(SrTags.ReferencedSopSequence)!.Items[0];
        Assert.Equal(refItem.GetString(SrTags.ReferencedSopInstanceUid), inferred.Reference!.SopInstanceUid);
        Assert.Equal(SrValueType.Image, section.Children[1].ValueType);

        // written back (as the top level of a new document) and read again: the same tree
        var written = new DicomDataset();
        root.WriteTo(written);
        var again = SrContent.ParseDocument(written);
        Assert.Empty(again.Findings);
        Assert.Equal(Dump(root), Dump(again.Value!));
        // and the items carry the same attributes as DCMTK wrote them (Content Sequence item by item)
        var original = ds.GetSequence(SrTags.ContentSequence)!.Items;
        var ours = written.GetSequence(SrTags.ContentSequence)!.Items;
        Assert.Equal(original.Count, ours.Count);
        for (int i = 0; i < original.Count; i++)
            foreach (var tag in new[] { SrTags.RelationshipType, SrTags.ValueType, SrTags.TextValue, SrTags.PersonName })
                Assert.Equal(original[i].GetStringOrDefault(tag), ours[i].GetStringOrDefault(tag));
    }

    [Fact]
    public void Comprehensive_sr_from_pydicom_keeps_what_it_understands_and_reports_the_rest_with_paths()
    {
        var result = SrContent.ParseDocument(Sample("test-SR.dcm"));
        var root = result.Value!;
        Assert.Equal(new DicomCode("1111", "TEST", "Diagnosis"), root.ConceptName);
        var dump = Dump(root);
        // NUM with its units (3.0 cm), CODE concept modifiers, an unnamed CONTAINER (allowed below the root)
        foreach (var line in new[] { "2 CONTAINS NUM (1234, 99_OFFIS_DCMTK, \"Diameter\") = 3 (cm, 99_OFFIS_DCMTK, \"Length Unit\")", "3 HAS CONCEPT MOD CODE (1234, 99_OFFIS_DCMTK, \"Code\") = ", "1 CONTAINS CONTAINER - = CONTINUOUS", "2 HAS PROPERTIES SCOORD (1234, 99_OFFIS_DCMTK, \"SCoord Code\") = CIRCLE 0,0,255,255" })
            Assert.True(dump.Contains(line, StringComparison.Ordinal), line + " not in\n" + dump);
        // TCOORD is not a value type of this model: reported at its path, the item is left out
        var tcoord = Assert.Single(result.Findings, f => f.Message.Contains("TCOORD", StringComparison.Ordinal));
        Assert.Equal(DicomFindingRule.NotEnumerated, tcoord.Rule);
        Assert.StartsWith("(0040,A730)[", tcoord.Path, StringComparison.Ordinal);
        Assert.EndsWith(".(0040,A040)", tcoord.Path);
        Assert.DoesNotContain("TCOORD", dump);
        // every finding carries a path into the content tree
        Assert.All(result.Findings, f => Assert.StartsWith("(0040,A730)[", f.Path, StringComparison.Ordinal));
    }

    private static SrContentItem DoseLike() => new()
    {
        ValueType = SrValueType.Container,
        ConceptName = new DicomCode("113701", "DCM", "X-Ray Radiation Dose Report"),
        TemplateIdentifier = "10011",
        Children =
        [
            new() { Relationship = SrRelationshipType.HasConceptMod, ValueType = SrValueType.Code, ConceptName = new("121058", "DCM", "Procedure reported"), Code = new("P5-08000", "SRT", "Computed Tomography X-Ray") },
            new() { Relationship = SrRelationshipType.HasObsContext, ValueType = SrValueType.DateTime, ConceptName = new("113809", "DCM", "Start of X-Ray Irradiation"), DateTime = DicomDateTime.Parse("20240131101500") },
            new() { Relationship = SrRelationshipType.HasObsContext, ValueType = SrValueType.UidRef, ConceptName = new("110180", "DCM", "Study Instance UID"), Uid = "1.2.826.0.1.3680043.10.543.7" },
            new()
            {
                Relationship = SrRelationshipType.Contains, ValueType = SrValueType.Container, ConceptName = new("113811", "DCM", "CT Accumulated Dose Data"),
                Children = [new() { Relationship = SrRelationshipType.Contains, ValueType = SrValueType.Num, ConceptName = new("113813", "DCM", "CT Dose Length Product Total"), Measurement = SrMeasurement.Of(512.25, new("mGy.cm", "UCUM", "mGy.cm")) }],
            },
            new() { Relationship = SrRelationshipType.Contains, ValueType = SrValueType.Num, ConceptName = new("113824", "DCM", "Exposure Time") },
        ],
    };

    [Fact]
    public void Items_are_written_with_the_attributes_of_their_value_type_PS3_3_C_17_3()
    {
        var ds = new DicomDataset();
        DoseLike().WriteTo(ds);
        Assert.Equal("CONTAINER", ds.GetString(SrTags.ValueType));
        Assert.False(ds.Contains(SrTags.RelationshipType)); // the root has no relationship
        Assert.Equal("SEPARATE", ds.GetString(SrTags.ContinuityOfContent));
        var tpl = ds.GetSequence(SrTags.ContentTemplateSequence)!.Items.Single();
        Assert.Equal(("DCMR", "10011"), (tpl.GetString(SrTags.MappingResource), tpl.GetString(SrTags.TemplateIdentifier)));
        var items = ds.GetSequence(SrTags.ContentSequence)!.Items;
        Assert.Equal("HAS CONCEPT MOD", items[0].GetString(SrTags.RelationshipType));
        Assert.Equal("P5-08000", items[0].GetSequence(SrTags.ConceptCodeSequence)!.Items[0].GetString(SrTags.CodeValue));
        Assert.Equal("20240131101500", items[1].GetString(SrTags.DateTime));
        Assert.Equal(DicomVR.UI, items[2].GetElement(SrTags.Uid)!.VR);
        var mv = items[3].GetSequence(SrTags.ContentSequence)!.Items[0].GetSequence(SrTags.MeasuredValueSequence)!.Items.Single();
        Assert.Equal("512.25", mv.GetString(SrTags.NumericValue));
        Assert.Equal("mGy.cm", mv.GetSequence(SrTags.MeasurementUnitsCodeSequence)!.Items[0].GetString(SrTags.CodeValue));
        // NUM without a value: Measured Value Sequence is Type 2, present and empty
        Assert.Empty(items[4].GetSequence(SrTags.MeasuredValueSequence)!.Items);

        // a Part 10 round trip keeps the tree
        string path = Path.Combine(Path.GetTempPath(), "sr-content-" + Guid.NewGuid().ToString("N") + ".dcm");
        try
        {
            ds.AddOrUpdate(DicomTag.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.88.67");
            ds.AddOrUpdate(new DicomTag(0x00080018), DicomVR.UI, "1.2.826.0.1.3680043.10.543.8");
            new DicomFile(ds).Save(path);
            var read = SrContent.ParseDocument(DicomFile.Open(path).Dataset);
            Assert.Empty(read.Findings);
            Assert.Equal(Dump(DoseLike()), Dump(read.Value!));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Parse_reports_violations_of_the_content_item_rules_with_their_paths()
    {
        var ds = new DicomDataset();
        DoseLike().WriteTo(ds);
        var items = ds.GetSequence(SrTags.ContentSequence)!.Items;
        items[0].Remove(SrTags.RelationshipType);                 // child without Relationship Type
        items[1].AddOrUpdate(SrTags.RelationshipType, DicomVR.CS, "HAS OBSERVATION"); // not a relationship type
        items[2].Remove(SrTags.ConceptNameCodeSequence);          // UIDREF without concept name
        items[3].GetSequence(SrTags.ContentSequence)!.Items[0].GetSequence(SrTags.MeasuredValueSequence)!.Items[0].AddOrUpdate(SrTags.NumericValue, DicomVR.DS, "12,5");
        ds.AddOrUpdate(SrTags.ContinuityOfContent, DicomVR.CS, "SOMETIMES");
        var result = SrContent.ParseDocument(ds);
        string F(DicomFindingRule rule, string path) => Assert.Single(result.Findings, f => f.Rule == rule && f.Path == path).Message;
        F(DicomFindingRule.MissingType1, "(0040,A730)[0].(0040,A010)");
        F(DicomFindingRule.NotEnumerated, "(0040,A730)[1].(0040,A010)");
        Assert.Contains("UIDREF", F(DicomFindingRule.MissingType1, "(0040,A730)[2].(0040,A043)"));
        F(DicomFindingRule.InvalidValue, "(0040,A730)[3].(0040,A730)[0].(0040,A300)[0].(0040,A30A)");
        F(DicomFindingRule.NotEnumerated, "(0040,A050)");
        Assert.Equal(5, result.Findings.Count);
        Assert.All(result.Findings, f => Assert.Equal(DicomFindingSeverity.Error, f.Severity));
    }

    [Fact]
    public void Root_must_be_a_named_container_and_nesting_is_bounded()
    {
        var notContainer = new DicomDataset();
        notContainer.AddOrUpdate(SrTags.ValueType, DicomVR.CS, "TEXT");
        notContainer.AddOrUpdate(SrTags.TextValue, DicomVR.UT, "x");
        var r1 = SrContent.ParseDocument(notContainer);
        Assert.Contains(r1.Findings, f => f.Path == "(0040,A040)" && f.Message.Contains("CONTAINER", StringComparison.Ordinal));
        Assert.Contains(r1.Findings, f => f.Path == "(0040,A043)" && f.Rule == DicomFindingRule.MissingType1);

        // a chain of containers deeper than MaxDepth: read up to the limit, reported once, no stack overflow
        var leaf = new SrContentItem { ValueType = SrValueType.Container, Relationship = SrRelationshipType.Contains, ConceptName = new("1", "99X", "x") };
        for (int i = 0; i < SrContent.MaxDepth + 10; i++)
            leaf = new SrContentItem { ValueType = SrValueType.Container, Relationship = SrRelationshipType.Contains, ConceptName = new("1", "99X", "x"), Children = [leaf] };
        var deep = new DicomDataset();
        new SrContentItem { ValueType = SrValueType.Container, ConceptName = new("1", "99X", "x"), Children = [leaf] }.WriteTo(deep);
        var r2 = SrContent.ParseDocument(deep);
        Assert.Single(r2.Findings, f => f.Message.Contains("deeper than", StringComparison.Ordinal));
        int depth = 0;
        for (var n = r2.Value!; n.Children.Count > 0; n = n.Children[0]) depth++;
        Assert.Equal(SrContent.MaxDepth, depth);
    }

    [Fact]
    public void Measurement_numbers_fit_in_a_DS()
    {
        Assert.Equal("512.25", SrMeasurement.FormatDs(512.25).Text);
        Assert.True(SrMeasurement.FormatDs(1.0 / 3).Text.Length <= 16);
        Assert.True(SrMeasurement.FormatDs(1.0 / 3).IsValid);
        Assert.Throws<ArgumentOutOfRangeException>(() => SrMeasurement.FormatDs(double.NaN));
    }

    [Fact]
    public void Text_and_code_meanings_are_written_in_the_documents_character_set()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomTag(0x00080005), DicomVR.CS, "ISO_IR 100");
        var root = new SrContentItem
        {
            ValueType = SrValueType.Container, ConceptName = new("113701", "DCM", "X-Ray Radiation Dose Report"),
            Children =
            [
                new() { Relationship = SrRelationshipType.Contains, ValueType = SrValueType.Text, ConceptName = new("121106", "DCM", "Comment"), Text = "Größe über Norm" },
                new() { Relationship = SrRelationshipType.Contains, ValueType = SrValueType.Num, ConceptName = new("112011", "DCM", "Positioner Primary Angle"), Measurement = SrMeasurement.Of(12.5, new("deg", "UCUM", "°")) },
            ],
        };
        root.WriteTo(ds); // items are attached before their text is encoded: Latin-1, not the default repertoire
        string path = Path.Combine(Path.GetTempPath(), "sr-latin1-" + Guid.NewGuid().ToString("N") + ".dcm");
        try
        {
            ds.AddOrUpdate(DicomTag.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.88.67");
            ds.AddOrUpdate(new DicomTag(0x00080018), DicomVR.UI, "1.2.826.0.1.3680043.10.543.9");
            new DicomFile(ds).Save(path);
            var item = DicomFile.Open(path).Dataset.GetSequence(SrTags.ContentSequence)!.Items[0];
            Assert.Equal(0xF6, item.GetElement(SrTags.TextValue)!.Bytes[2]); // 'ö' as one ISO 8859-1 byte
            var read = SrContent.ParseDocument(DicomFile.Open(path).Dataset);
            Assert.Empty(read.Findings);
            Assert.Equal("Größe über Norm", read.Value!.Children[0].Text);
            Assert.Equal("°", read.Value.Children[1].Measurement!.Units.Meaning);
        }
        finally { File.Delete(path); }
    }
}
