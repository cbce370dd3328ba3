using Dicom.Typed.Network;

namespace Dicom.Typed.Network.Tests;

/// <summary>PS3.4 C.2.2.2 matching as used by the worklist SCP.</summary>
public class KeyMatchingTests
{
    private static readonly DicomDataset Item = ServiceTests.WorklistItem("P1", "Suzuki^Taro", "A1", "XA", "20240105", "TRINIAS")
        .AddOrUpdate(DicomTag.StudyInstanceUID, "1.2.3.4");

    private static bool Match(DicomTag tag, string value, bool inStep = false)
    {
        var key = new DicomDataset().AddOrUpdate(tag, value);
        return DicomKeyMatching.Matches(inStep ? new DicomDataset().AddOrUpdate(DicomTag.ScheduledProcedureStepSequence, key) : key, Item);
    }

    [Theory]
    [InlineData("20240105", true)]
    [InlineData("20240101-20240131", true)]
    [InlineData("20240106-", false)]
    [InlineData("-20240105", true)]
    [InlineData("20240104-20240104", false)]
    public void DateRange(string key, bool expected) => Assert.Equal(expected, Match(DicomTag.ScheduledProcedureStepStartDate, key, inStep: true));

    [Theory]
    [InlineData("0930-1000", true)]     // 093000 falls in 09:30–10:00 at the key's precision
    [InlineData("09-09", true)]
    [InlineData("1000-", false)]
    [InlineData("093000-093000.9", true)]
    [InlineData("093000.1-", false)]
    public void TimeRange(string key, bool expected) => Assert.Equal(expected, Match(DicomTag.ScheduledProcedureStepStartTime, key, inStep: true));

    [Theory]
    [InlineData("SUZUKI^TARO", true)]   // person names: case-insensitive
    [InlineData("Suz*", true)]
    [InlineData("Suzuki^T?ro", true)]
    [InlineData("Sato*", false)]
    public void PersonName(string key, bool expected) => Assert.Equal(expected, Match(DicomTag.PatientName, key));

    [Theory]
    [InlineData("1.2.3.4", true)]
    [InlineData("9.9\\1.2.3.4", true)]   // list of UIDs
    [InlineData("1.2.3", false)]
    public void UidList(string key, bool expected) => Assert.Equal(expected, Match(DicomTag.StudyInstanceUID, key));

    [Fact]
    public void CaseSensitiveForCodeStrings_AndEmptyKeysMatchAnything()
    {
        Assert.False(Match(DicomTag.Modality, "xa", inStep: true));
        Assert.True(Match(DicomTag.Modality, "XA", inStep: true));
        Assert.True(DicomKeyMatching.Matches(new DicomDataset().AddOrUpdate(DicomTag.PatientName, Array.Empty<string>()), Item));
        Assert.False(DicomKeyMatching.Matches(new DicomDataset().AddOrUpdate(DicomTag.PatientComments, "x"), Item));   // absent in the item
    }

    [Fact]
    public void Project_KeepsOnlyRequestedKeys_EmptyWhenMissing()
    {
        var identifier = new DicomDataset()
            .AddOrUpdate(DicomTag.PatientID, Array.Empty<string>())
            .AddOrUpdate(DicomTag.PatientComments, Array.Empty<string>())
            .AddOrUpdate(DicomTag.ScheduledProcedureStepSequence, new DicomDataset().AddOrUpdate(DicomTag.Modality, "XA"));
        var r = DicomKeyMatching.Project(identifier, Item);
        Assert.Equal(new[] { DicomTag.SpecificCharacterSet, DicomTag.PatientID, DicomTag.PatientComments, DicomTag.ScheduledProcedureStepSequence }, r.Select(i => i.Tag));
        Assert.True(r.GetElement(DicomTag.PatientComments)!.IsEmpty);
        Assert.Equal(new[] { DicomTag.Modality }, r.GetSequence(DicomTag.ScheduledProcedureStepSequence)!.Items.Single().Select(i => i.Tag));
    }
}
