using Dicom.Typed.Devices.SiemensSyngoCtVa50a;
using Dicom.Typed.Iod;

namespace Dicom.Typed.Devices.Tests;

/// <summary>The syngo CT worklist query (Table 33, broad query keys) as a typed C-FIND identifier: written with explicit values,
/// encoded to Part 10 bytes, read back by pydicom (independent reader) and by the typed reader.</summary>
public sealed class SyngoMessageTests
{
    [Fact]
    public void Worklist_query_keys_round_trip_through_bytes_and_pydicom()
    {
        var query = new SyngoCtWorklistQuery
        {
            ScheduledProcedureStepSequence =
            [
                new SyngoCtWorklistQuery.ScheduledProcedureStepItem { Modality = "CT", ScheduledStationAETitle = "SYNGOCT1", ScheduledProcedureStepStartDate = new DicomDate(2026, 12, 2) },
            ],
        };
        var ds = query.ToDataset();
        Assert.False(ds.Contains(DicomTag.SOPClassUID));
        var seq = ds.GetSequence(new DicomTag(0x0040, 0x0100));
        Assert.NotNull(seq);
        Assert.Single(seq.Items);
        Assert.Equal("20261202", seq.Items[0].GetString(new DicomTag(0x0040, 0x0002)));
        // a key left out is not sent; a key asked for with Universal is sent empty (universal matching)
        Assert.False(seq.Items[0].Contains(new DicomTag(0x0040, 0x0003)));

        var path = Path.Combine(Path.GetTempPath(), $"syngo-mwl-{Guid.NewGuid():N}.dcm");
        try
        {
            using (var fs = File.Create(path))
            {
                new DicomFile(ds).Save(fs);
            }
            var psi = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            psi.ArgumentList.Add("-c");
            psi.ArgumentList.Add("import sys,pydicom; d=pydicom.dcmread(sys.argv[1]); i=d.ScheduledProcedureStepSequence[0]; print(i.Modality, i.ScheduledStationAETitle, i.ScheduledProcedureStepStartDate, 'SOPClassUID' in d)");
            psi.ArgumentList.Add(path);
            using var p = System.Diagnostics.Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEnd();
            var stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, stderr);
            Assert.Equal("CT SYNGOCT1 20261202 False", stdout.Trim());

            var back = SyngoCtWorklistQuery.Read(DicomFile.Open(File.ReadAllBytes(path)).Dataset);
            Assert.DoesNotContain(back.Findings, f => f.Severity == DicomFindingSeverity.Error);
            var item = Assert.Single(back.Value.ScheduledProcedureStepSequence!);
            Assert.Equal("CT", item.Modality!.Value.Value);
            Assert.Equal("SYNGOCT1", item.ScheduledStationAETitle!.Value.Value);
            Assert.Equal(new DicomDate(2026, 12, 2), item.ScheduledProcedureStepStartDate!.Value.Value);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Film_box_reader_reports_a_value_outside_the_printed_enumeration()
    {
        // Table 48 lists the film orientations PORTRAIT and LANDSCAPE
        var ds = new SyngoCtFilmBoxNCreate
        {
            ImageDisplayFormat = "STANDARD\\1,1",
            ReferencedFilmSessionSequence = [new SyngoCtFilmBoxNCreate.ReferencedFilmSessionItem { ReferencedSOPInstanceUID = "1.2.3.4" }],
            FilmOrientation = SyngoCtFilmBoxNCreate.FilmOrientationValue.PORTRAIT,
            FilmSizeID = SyngoCtFilmBoxNCreate.FilmSizeIDValue.Value14INX17IN,
            MagnificationType = SyngoCtFilmBoxNCreate.MagnificationTypeValue.CUBIC,
        }.ToDataset();
        Assert.Equal("1.2.840.10008.5.1.1.1", ds.GetSequence(new DicomTag(0x2010, 0x0500))!.Items[0].GetString(new DicomTag(0x0008, 0x1150)));
        Assert.Equal("14INX17IN", ds.GetString(new DicomTag(0x2010, 0x0050)));
        Assert.DoesNotContain(SyngoCtFilmBoxNCreate.Read(ds).Findings, f => f.Severity == DicomFindingSeverity.Error);
        ds.AddOrUpdate(new DicomTag(0x2010, 0x0040), "SIDEWAYS");
        Assert.Contains(SyngoCtFilmBoxNCreate.Read(ds).Findings, f => f.Path == "(2010,0040)");
    }
}
