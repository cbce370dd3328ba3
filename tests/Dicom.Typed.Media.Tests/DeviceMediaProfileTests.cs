using Dicom.Typed.Definitions;
using Microsoft.Extensions.Logging;

namespace Dicom.Typed.Media.Tests;

/// <summary>Media application profiles built from the devices' typed media sections.</summary>
public class DeviceMediaProfileTests
{
    internal sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add($"{logLevel}: {formatter(state, exception)}");
    }

    private static DeviceDefinition Device(string id) => DefinitionsJson.Load<DeviceDefinition>(Path.Combine(TestEnvironment.RepoRoot(), "definitions", id, "device.json"));

    [Fact]
    public void Trinias_profile_has_the_statement_roles_and_sop_classes_and_the_cd_transfer_syntax()
    {
        var log = new ListLogger();
        var trinias = Device("shimadzu-trinias");
        var p = Assert.Single(DeviceMediaProfiles.FromDevice(trinias, log));
        Assert.Equal("DAR-9500f", p.Name);
        Assert.Equal(MediaRoles.FileSetCreator | MediaRoles.FileSetReader, p.Roles);
        // Table 20/22 of the statement (L750–751 rows of Table 19)
        Assert.Equal(["1.2.840.10008.5.1.4.1.1.12.1", "1.2.840.10008.5.1.4.1.1.7", "1.2.840.10008.5.1.4.1.1.7.2", "1.2.840.10008.5.1.4.1.1.88.67"],
            p.SopClasses!.Order(StringComparer.Ordinal).ToArray().OrderBy(x => trinias.Media!.Profiles[0].SopClassUids.IndexOf(x)));
        Assert.Equal(["1.2.840.10008.1.2.1"], p.TransferSyntaxes);
        Assert.Contains("Table 19 L750", p.Source);
        Assert.Contains("STD-GEN-CD", p.Source);
        Assert.Contains(log.Lines, l => l.Contains("not a PS3.11 profile", StringComparison.Ordinal));
        Assert.Equal(p.Name, DeviceMediaProfiles.FromDevice(trinias, "dar-9500F").Name);
        Assert.Throws<MediaProfileException>(() => DeviceMediaProfiles.FromDevice(trinias, "STD-GEN-DVD-JPEG"));
    }

    [Fact]
    public void A_file_breaking_the_device_profile_gets_a_typed_error_and_uncompressed_ones_a_logged_conversion()
    {
        var log = new ListLogger();
        var p = DeviceMediaProfiles.FromDevice(Device("shimadzu-trinias"), "DAR-9500f");
        string root = TestEnvironment.TempDir();
        var fs = DicomFileSet.Create(root, p, "TRINIAS", log);
        // CT is not among the Trinias SOP classes
        var ct = Assert.Throws<MediaProfileException>(() => fs.Add(DicomFile.Open(TestEnvironment.Sample("CT_small.dcm"))));
        Assert.Contains("not allowed by DAR-9500f", ct.Message);
        // an SC image in JPEG baseline: SOP class fine, compressed syntax not allowed, no lossless conversion
        var sc = DicomFile.Open(TestEnvironment.Sample("SC_rgb_jpeg_dcmtk.dcm"));
        Assert.Equal("1.2.840.10008.5.1.4.1.1.7", sc.Dataset.GetString(DicomTag.SOPClassUID));
        var ts = Assert.Throws<MediaProfileException>(() => fs.Add(sc));
        Assert.Contains("only possible from an uncompressed syntax", ts.Message);
        // an uncompressed SC image in Implicit VR Little Endian: converted to Explicit VR Little Endian, logged
        var be = DicomFile.Open(TestEnvironment.Sample("SC_rgb_jpeg_dcmd.dcm"));
        Assert.False(be.TransferSyntax.IsEncapsulated);
        Assert.NotEqual("1.2.840.10008.1.2.1", be.TransferSyntax.Uid.Value);
        fs.Add(be);
        fs.Commit();
        Assert.Contains(log.Lines, l => l.Contains("converted from", StringComparison.Ordinal) && l.Contains("DAR-9500f", StringComparison.Ordinal));
        var written = DicomDirectory.Open(Path.Combine(root, "DICOMDIR"));
        var image = DicomFile.Open(Directory.GetFiles(root, "*", SearchOption.AllDirectories).Single(f => !f.EndsWith("DICOMDIR", StringComparison.Ordinal)));
        Assert.Equal("1.2.840.10008.1.2.1", image.TransferSyntax.Uid.Value);
        Assert.Single(written.RootRecords);
    }

    [Fact]
    public void Reader_only_profile_cannot_create_a_file_set()
    {
        var trinias = Device("shimadzu-trinias");
        trinias.Media!.Profiles.RemoveAll(p => p.Role == "FSC");
        var p = Assert.Single(DeviceMediaProfiles.FromDevice(trinias));
        Assert.Equal(MediaRoles.FileSetReader, p.Roles);
        var e = Assert.Throws<MediaProfileException>(() => DicomFileSet.Create(TestEnvironment.TempDir(), p));
        Assert.Contains("File-set Creator", e.Message);
    }

    [Fact]
    public async Task Trinias_profile_has_no_updater_role_so_an_existing_file_set_is_only_read()
    {
        var p = DeviceMediaProfiles.FromDevice(Device("shimadzu-trinias"), "DAR-9500f");
        string root = TestEnvironment.TempDir();
        var fs = DicomFileSet.Create(root, p, "TRINIAS");
        fs.Add(DicomFile.Open(TestEnvironment.Sample("SC_rgb_small_odd.dcm")));
        fs.Commit();
        byte[] before = File.ReadAllBytes(Path.Combine(root, "DICOMDIR"));
        var e = await Assert.ThrowsAsync<MediaProfileException>(() => DicomFileSet.OpenAsync(root, p));
        Assert.Contains("File-set Updater", e.Message);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(root, "DICOMDIR")));
        var dir = await DicomDirectory.OpenAsync(Path.Combine(root, "DICOMDIR")); // the FSR role reads it
        Assert.Single(dir.AllRecords, r => r.RecordType == "IMAGE");
    }

    /// <summary>The profile names the other statements print (syngo L4136–4142, Vereos L2621) as the typed media sections of those
    /// devices will carry them: transfer syntaxes from the PS3.11 annexes, AUG- from their STD- base.</summary>
    [Theory]
    [InlineData("STD-GEN-DVD-JPEG", "FSC", "1.2.840.10008.1.2.4.50")]
    [InlineData("STD-CTMR-CD", "FSC", "1.2.840.10008.1.2.4.70")]
    [InlineData("STD-GEN-BD-J2K", "FSR", "1.2.840.10008.1.2.4.90")]
    [InlineData("AUG-GEN-USB-J2K", "FSU", "1.2.840.10008.1.2.4.91")]
    [InlineData("STD-GEN-DVD", "FSC", null)]
    public void Standard_profile_names_take_their_annex_transfer_syntaxes(string name, string role, string? compressed)
    {
        var device = new DeviceDefinition
        {
            Id = "synthetic",
            Product = "synthetic",
            Media = new MediaDefinition { Profiles = [new MediaProfile { Profile = name, Role = role, Activity = "Create File-set", Provenance = new Provenance { Table = "Table 1", Lines = [1, 1] } }] },
        };
        var p = Assert.Single(DeviceMediaProfiles.FromDevice(device));
        Assert.Contains("1.2.840.10008.1.2.1", p.TransferSyntaxes);
        if (compressed is null) Assert.Single(p.TransferSyntaxes);
        else Assert.Contains(compressed, p.TransferSyntaxes);
        var std = MediaApplicationProfile.Find(name.Replace("AUG-", "STD-", StringComparison.Ordinal))!;
        Assert.Equal(std.SopClasses, p.SopClasses); // no SOP classes listed: the standard profile's (null = any storage class)
        device.Media.Profiles[0].Role = "XYZ";
        Assert.Throws<MediaProfileException>(() => DeviceMediaProfiles.FromDevice(device));
    }

    [Fact]
    public void Syngo_profiles_take_the_transfer_syntaxes_the_statement_prints()
    {
        var profiles = DeviceMediaProfiles.FromDevice(Device("siemens-syngo-ct-va50a"));
        Assert.Equal(12, profiles.Count);
        // Table 66/67: the J2K profiles also allow JPEG baseline/extended, JPEG lossless and RLE, beyond the PS3.11 annex list
        var j2k = profiles.Single(p => p.Name == "STD-GEN-DVD-J2K");
        Assert.Equal(["1.2.840.10008.1.2.1", "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.70",
            "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.5"], j2k.TransferSyntaxes.Order(StringComparer.Ordinal));
        Assert.Contains("as printed", j2k.Source, StringComparison.Ordinal);
        Assert.True(j2k.AllowsTransferSyntax("1.2.840.10008.1.2.5"));
        var cd = profiles.Single(p => p.Name == "STD-GEN-CD");
        Assert.Equal(["1.2.840.10008.1.2.1"], cd.TransferSyntaxes);
        Assert.Contains("1.2.840.10008.5.1.4.1.1.2", cd.SopClasses!); // CT Image Storage, from the statement's SOP class list
    }
}
