using Dicom.Typed.Network;
using Dicom.Typed.Network.Tests;
using static Dicom.Typed.Interop.TestEnvironment;

namespace Dicom.Typed.Interop;

/// <summary>DCMTK as the Print SCU (dcmpsprt renders a film, dcmprscu sends it) against our in-process <see cref="DicomPrintScp"/> (OURPRINT, 11274).</summary>
public class DcmtkPrintScuTests
{
    private const int Port = 11274;

    private static string Config(string dir) => string.Join('\n',
        "[[GENERAL]]", "[APPLICATION]", "LogDirectory = log", "[PRINT]", "Spooler = /usr/bin/dcmprscu", "Server = /usr/bin/dcmprscp",
        "Directory = spool", "DetailedLog = true", "BinaryLog = false", "Sleep = 1", "MinPrintResolution = 256\\256", "MaxPrintResolution = 8192\\8192",
        "DefaultIllumination = 2000", "DefaultReflection = 10", "DeletePrintJobs = false", "AlwaysDeleteTerminateJobs = true",
        "[DATABASE]", "Directory = scudb", "[LUT]", "Directory = lut", "[NETWORK]", "aetitle = DCMTKPRINTSCU", "[[COMMUNICATION]]",
        "[OURPRINT]", "Type = LOCALPRINTER", "Aetitle = OURPRINT", "Description = Dicom.Typed print SCP", "Hostname = 127.0.0.1", $"Port = {Port}",
        "MaxPDU = 32768", "ImplicitOnly = false", "DisableNewVRs = false", "DisplayFormat = 1,1\\1,2\\2,2", "FilmSizeID = 8INX10IN\\14INX17IN",
        "MagnificationType = REPLICATE\\CUBIC", "MediumType = PAPER\\BLUE FILM", "FilmDestination = MAGAZINE\\PROCESSOR",
        "BorderDensity = BLACK\\WHITE", "EmptyImageDensity = BLACK\\WHITE", "MaxDensity = 320", "MinDensity = 20", "Supports12Bit = true",
        "SupportsDecimateCrop = false", "SupportsImageSize = false", "SupportsPresentationLUT = true", "SupportsTrim = false",
        "OmitSOPClassUIDFromCreateResponse = false", "") ;

    [Fact]
    public async Task Dcmprscu_PrintsTwoImages_OnOurPrintScp()
    {
        var work = TempDir("dcmtkprintscu");
        foreach (var d in new[] { "spool", "scudb", "log", "lut" }) Directory.CreateDirectory(Path.Combine(work, d));
        File.WriteAllText(Path.Combine(work, "print-scu.cfg"), Config(work));
        var scp = new DicomPrintScp();
        var options = new DicomServerOptions { Connection = { Hostname = "127.0.0.1", Port = Port } };
        options.ApplicationEntities.Add(new DicomApplicationEntity("OURPRINT", DicomTransferCapability.Verification().Concat(DicomPrintScp.TransferCapabilities())));
        await using var server = new DicomServer(options);
        server.NormalServices.Add(scp);
        await server.StartAsync();
        try
        {
            var image = TestData.File("MR_small.dcm");
            var render = RunIn(work, "dcmpsprt", ["-c", "print-scu.cfg", "-p", "OURPRINT", "--layout", "1", "2", image, image]);
            Assert.True(render.ExitCode == 0, Describe(render));
            var sp = Directory.GetFiles(Path.Combine(work, "scudb"), "SP_*.dcm");
            Assert.Single(sp);
            var send = RunIn(work, "dcmprscu", ["-c", "print-scu.cfg", "-p", "OURPRINT", "-v", sp[0]]);
            // dcmprscu exits 0 even on refusals: its error lines are checked too.
            Assert.True(send.ExitCode == 0 && !send.StdErr.Contains("E: ") && !send.StdOut.Contains("E: "), Describe(send));
            var film = Assert.Single(scp.Printed);
            Assert.Equal("DCMTKPRINTSCU", film.CallingAE);
            Assert.Equal(DicomPrintMode.Grayscale, film.Mode);
            Assert.Equal("STANDARD\\1,2", film.FilmBox.ImageDisplayFormat);
            Assert.Equal(2, film.ImageBoxes.Count);
            Assert.All(film.ImageBoxes, b =>
            {
                Assert.Equal("MONOCHROME2", b.Image.PhotometricInterpretation);
                Assert.True(b.Image.Rows > 0 && b.Image.Columns > 0);
                Assert.Equal(b.Image.Rows * b.Image.Columns * (b.Image.BitsAllocated / 8), b.Image.PixelData.Length);
                Assert.Contains(b.Image.PixelData.ToArray(), v => v != 0); // a rendered image, not an empty box
            });
        }
        finally
        {
            await server.StopAsync(TimeSpan.FromSeconds(2));
            try { Directory.Delete(work, true); } catch (IOException) { }
        }
    }

    private static (int ExitCode, string StdOut, string StdErr) RunIn(string dir, string program, string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(RequireProgram(program)) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["TCP_NODELAY"] = "1";
        using var p = System.Diagnostics.Process.Start(psi)!;
        var so = p.StandardOutput.ReadToEndAsync();
        var se = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            p.Kill(true);
            throw new TimeoutException($"{program} did not finish in time");
        }
        p.WaitForExit();
        return (p.ExitCode, so.Result, se.Result);
    }
}
