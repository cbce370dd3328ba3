using System.Globalization;
using Dicom.Typed.Text;

namespace Dicom.Typed.Tests;

public sealed class ValueTests
{
    [Theory]
    [InlineData("20240131", 2024, 1, 31)]
    [InlineData("202401", 2024, 1, null)]
    [InlineData("2024", 2024, null, null)]
    [InlineData("2024.01.31", 2024, 1, 31)]
    public void Dates_keep_partial_precision(string text, int y, int? m, int? d)
    {
        var date = DicomDate.Parse(text);
        Assert.Equal(new DicomDate(y, m, d), date);
        Assert.Equal(text.Replace(".", ""), date.ToString());
    }

    [Theory]
    [InlineData("2024-01-31")]
    [InlineData("20240230")]
    [InlineData("202413")]
    [InlineData("24")]
    public void Invalid_dates_are_rejected(string text) => Assert.False(DicomDate.TryParse(text, out _));

    [Theory]
    [InlineData("07", "07")]
    [InlineData("0730", "0730")]
    [InlineData("073015", "073015")]
    [InlineData("073015.1", "073015.1")]
    [InlineData("073015.123456", "073015.123456")]
    [InlineData("07:30:15", "073015")]
    public void Times_keep_precision_and_fraction_digits(string text, string canonical)
    {
        var t = DicomTime.Parse(text);
        Assert.Equal(canonical, t.ToString());
    }

    [Fact]
    public void Time_fraction_is_microseconds()
    {
        var t = DicomTime.Parse("235959.5");
        Assert.Equal(500000, t.Microsecond);
        Assert.Equal(new TimeOnly(23, 59, 59, 500), t.ToTimeOnly());
        Assert.False(DicomTime.TryParse("2460", out _));
        Assert.False(DicomTime.TryParse("0730.5", out _));
    }

    [Theory]
    [InlineData("2024", "2024")]
    [InlineData("20240131073015.25+0130", "20240131073015.25+0130")]
    [InlineData("20240131-0500", "20240131-0500")]
    [InlineData("202401310730", "202401310730")]
    public void DateTimes_with_offset(string text, string canonical)
    {
        var dt = DicomDateTime.Parse(text);
        Assert.Equal(canonical, dt.ToString());
    }

    [Fact]
    public void DateTime_to_offset()
    {
        var dt = DicomDateTime.Parse("20240131073015-0500");
        Assert.Equal(new DateTimeOffset(2024, 1, 31, 7, 30, 15, TimeSpan.FromHours(-5)), dt.ToDateTimeOffset());
        Assert.Equal("20240131073015-0500", DicomDateTime.FromDateTimeOffset(dt.ToDateTimeOffset()).ToString());
    }

    [Fact]
    public void Person_names_have_three_component_groups()
    {
        var pn = DicomPersonName.Parse("Yamada^Tarou=山田^太郎=やまだ^たろう");
        Assert.Equal("Yamada", pn.Alphabetic.FamilyName);
        Assert.Equal("太郎", pn.Ideographic!.GivenName);
        Assert.Equal("やまだ", pn.Phonetic!.FamilyName);
        Assert.Equal("Yamada^Tarou=山田^太郎=やまだ^たろう", pn.ToString());
        Assert.Equal("Doe^John^^Dr", new DicomPersonName(new DicomPersonNameComponents("Doe", "John", "", "Dr")).ToString());
    }

    [Fact]
    public void Person_names_round_trip_through_an_ISO_2022_dataset()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.SpecificCharacterSet, "", "ISO 2022 IR 87");
        ds.AddOrUpdate(DicomTag.PatientName, "Yamada^Tarou=山田^太郎=やまだ^たろう");
        var e = ds.GetElement(DicomTag.PatientName)!;
        // PS3.5 H.3.1 example bytes
        Assert.Equal("Yamada^Tarou=\u001b$B;3ED\u001b(B^\u001b$BB@O:\u001b(B=\u001b$B$d$^$@\u001b(B^\u001b$B$?$m$&\u001b(B", System.Text.Encoding.Latin1.GetString(e.Bytes).TrimEnd());
        Assert.Equal("山田", ds.GetValue<DicomPersonName>(DicomTag.PatientName).Ideographic!.FamilyName);
        using var ms = new MemoryStream();
        new DicomFile(ds).Save(ms);
        var again = DicomFile.Open(ms.ToArray()).Dataset;
        Assert.Equal("Yamada^Tarou=山田^太郎=やまだ^たろう", again.GetString(DicomTag.PatientName));
    }

    [Fact]
    public void Elements_are_transcoded_when_the_character_set_changes()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.SpecificCharacterSet, "ISO_IR 100");
        ds.AddOrUpdate(DicomTag.PatientName, "Müller^Jürgen");
        ds.AddOrUpdate(DicomTag.SpecificCharacterSet, "ISO_IR 192");
        using var ms = new MemoryStream();
        new DicomFile(ds).Save(ms);
        var again = DicomFile.Open(ms.ToArray()).Dataset;
        Assert.Equal("Müller^Jürgen", again.GetString(DicomTag.PatientName));
        Assert.Equal("Müller^Jürgen "u8.ToArray(), again.GetElement(DicomTag.PatientName)!.Bytes.ToArray());
    }

    [Fact]
    public void Decimal_and_integer_strings_keep_their_text()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomTag.SliceThickness, "0.500000");
        ds.AddOrUpdate(DicomTag.PixelSpacing, "0.5", "1e-1");
        ds.AddOrUpdate(DicomTag.InstanceNumber, "+007");
        Assert.Equal("0.500000", ds.GetValue<DicomDecimalString>(DicomTag.SliceThickness).Text);
        Assert.Equal(0.5, ds.GetValue<double>(DicomTag.SliceThickness));
        Assert.Equal([0.5, 0.1], ds.GetValues<double>(DicomTag.PixelSpacing));
        Assert.Equal("+007", ds.GetValue<DicomIntegerString>(DicomTag.InstanceNumber).Text);
        Assert.Equal(7, ds.GetValue<int>(DicomTag.InstanceNumber));
        Assert.Equal("1.23456789012346", DicomDecimalString.FromDouble(1.23456789012345678).Text);
        Assert.True(DicomDecimalString.FromDouble(Math.PI * 1e10).Text.Length <= 16);
    }

    [Fact]
    public void Binary_values_in_both_byte_orders()
    {
        var le = DicomFile.Open(Path.Combine(TestEnvironment.PydicomData, "test_files/MR_small.dcm")).Dataset;
        var be = DicomFile.Open(Path.Combine(TestEnvironment.PydicomData, "test_files/MR_small_bigendian.dcm")).Dataset;
        Assert.Equal(le.GetValue<ushort>(DicomTag.Rows), be.GetValue<ushort>(DicomTag.Rows));
        Assert.Equal(le.GetValues<short>(DicomTag.PixelData), be.GetValues<short>(DicomTag.PixelData));
        Assert.Equal(le.GetValue<ushort>(DicomTag.BitsAllocated), be.GetValue<ushort>(DicomTag.BitsAllocated));
    }

    [Fact]
    public void Attribute_tags_and_multi_values()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(DicomElement.FromTags(DicomTag.FrameIncrementPointer, DicomTag.FrameTime, DicomTag.FrameTimeVector));
        Assert.Equal([DicomTag.FrameTime, DicomTag.FrameTimeVector], ds.GetValues<DicomTag>(DicomTag.FrameIncrementPointer));
        ds.AddOrUpdate(DicomTag.ImageType, "ORIGINAL", "PRIMARY", "AXIAL");
        Assert.Equal(3, ds.GetElement(DicomTag.ImageType)!.Count);
        Assert.Equal("PRIMARY", ds.GetValue<string>(DicomTag.ImageType, 1));
        ds.AddOrUpdate<float>(DicomTag.ImagePositionPatient.Equals(default) ? default : new DicomTag(0x0018, 0x9087), 1.5f);
        ds.AddOrUpdate(DicomElement.FromValues(DicomTag.WindowCenter.Equals(default) ? default : new DicomTag(0x0028, 0x0106), DicomVR.US, (ushort)0));
        Assert.Equal(1.5, ds.GetValue<double>(new DicomTag(0x0018, 0x9087)));
        using var ms = new MemoryStream();
        var f = new DicomFile(ds, DicomTransferSyntax.ExplicitVRBigEndian);
        f.Save(ms);
        var again = DicomFile.Open(ms.ToArray()).Dataset;
        Assert.Equal([DicomTag.FrameTime, DicomTag.FrameTimeVector], again.GetValues<DicomTag>(DicomTag.FrameIncrementPointer));
        Assert.Equal(1.5, again.GetValue<double>(new DicomTag(0x0018, 0x9087)));
        Assert.Empty(DicomDatasetComparer.Differences(ds, again));
    }

    [Fact]
    public void Private_elements_are_found_by_creator_not_by_block()
    {
        var ds = new DicomDataset();
        ds.AddOrUpdate(new DicomTag(0x0029, 0x0010), "OTHER VENDOR");
        var tag = ds.ReservePrivateTag(0x0029, "SIEMENS CSA HEADER", 0x08);
        Assert.Equal(new DicomTag(0x0029, 0x1108), tag); // block 0x11: 0x10 is taken by another creator
        ds.AddOrUpdate(tag, DicomVR.CS, "IMAGE NUM 4");
        Assert.Equal("SIEMENS CSA HEADER", ds.GetPrivateCreator(tag));
        Assert.Equal(tag, ds.FindPrivateTag(0x0029, "SIEMENS CSA HEADER", 0x08));
        Assert.Null(ds.FindPrivateTag(0x0029, "NOT THERE", 0x08));
        Assert.Equal(tag, ds.ReservePrivateTag(0x0029, "SIEMENS CSA HEADER", 0x08));
        // In a real file: CT_small's GEMS creators
        var ct = DicomFile.Open(Path.Combine(TestEnvironment.PydicomData, "test_files/CT_small.dcm")).Dataset;
        var t = ct.FindPrivateTag(0x0043, "GEMS_PARM_01", 0x10);
        Assert.NotNull(t);
        Assert.Equal((ushort)400, ct.GetValue<ushort>(t!.Value));
    }

    [Fact]
    public void Dictionary_knows_standard_command_and_repeating_group_elements()
    {
        Assert.Equal("PatientName", DicomDictionary.Lookup(DicomTag.PatientName).Keyword);
        Assert.Equal(DicomVR.PN, DicomDictionary.Lookup(new DicomTag(0x0010, 0x0010)).VR);
        Assert.Equal("CommandField", DicomDictionary.Lookup(new DicomTag(0x0000, 0x0100)).Keyword);
        Assert.Equal("OverlayRows", DicomDictionary.Lookup(new DicomTag(0x6002, 0x0010)).Keyword);
        Assert.Null(DicomDictionary.TryLookup(new DicomTag(0x6003, 0x0010)));
        Assert.Equal(DicomTag.PatientID, DicomTag.Parse("PatientID"));
        Assert.Equal(DicomTag.PatientID, DicomTag.Parse("(0010,0020)"));
        Assert.True(DicomDictionary.Entries.Count() > 5100);
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", DicomUid.CTImageStorage.Value);
        Assert.True(DicomTransferSyntax.ImplicitVRLittleEndian.IsLittleEndian && !DicomTransferSyntax.ImplicitVRLittleEndian.IsExplicitVR);
        Assert.True(DicomTransferSyntax.JPEGBaseline8Bit.IsEncapsulated);
        Assert.True(DicomTransferSyntax.DeflatedExplicitVRLittleEndian.IsDeflated);
        Assert.Equal(63, DicomTransferSyntax.KnownTransferSyntaxes.Count());
    }

    [Fact]
    public void Generated_uids_are_valid_and_unique()
    {
        var set = new HashSet<string>();
        for (int i = 0; i < 1000; i++)
        {
            var uid = DicomUid.GenerateValue();
            Assert.True(DicomUid.IsValid(uid), uid);
            Assert.StartsWith("2.25.", uid);
            Assert.True(set.Add(uid));
        }
        Assert.Equal(DicomUid.GenerateDerivedValue("ns", "1.2.3"), DicomUid.GenerateDerivedValue("ns", "1.2.3"));
        Assert.True(DicomUid.IsValid(DicomUid.GenerateDerivedValue("ns", "1.2.3")));
        Assert.False(DicomUid.IsValid("1.02.3"));
        Assert.False(DicomUid.IsValid("1.2.a"));
    }
}
