using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dicom.Typed.Network;
using Dicom.Typed.Network.Tests;
using static Dicom.Typed.Interop.TestEnvironment;

namespace Dicom.Typed.Interop;

/// <summary>TLS (PS3.15 B.1) both ways with DCMTK: storescp +tls (11230) for our SCU, our TLS SCP (11232) for echoscu/storescu +tls.
/// Both sides require and check the other's certificate (self-signed, generated per run).</summary>
public sealed class TlsFixture : IAsyncLifetime
{
    public const int StorescpPort = 11230, PlainPort = 11231, OurPort = 11232;
    public string Work { get; } = TempDir("tls");
    public X509Certificate2 Server { get; private set; } = null!;
    public X509Certificate2 Client { get; private set; } = null!;
    public string ServerKey => Path.Combine(Work, "server.key");
    public string ServerCert => Path.Combine(Work, "server.crt");
    public string ClientKey => Path.Combine(Work, "client.key");
    public string ClientCert => Path.Combine(Work, "client.crt");
    public string StorescpDir => Path.Combine(Work, "storescp-tls");
    public DicomServer OurScp { get; private set; } = null!;
    public string OurStore => Path.Combine(Work, "ourstore");
    private Process? _storescp;

    private static X509Certificate2 Create(string cn, string keyPath, string certPath)
    {
        using var rsa = RSA.Create(2048);
        var req = new CertificateRequest($"CN={cn}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certPath, cert.ExportCertificatePem());
        return X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
    }

    public RemoteCertificateValidationCallback Trust(X509Certificate2 expected) =>
        (_, cert, _, _) => cert != null && cert.GetCertHashString() == expected.Thumbprint;

    public async Task InitializeAsync()
    {
        RequireProgram("storescp");
        Server = Create("localhost", ServerKey, ServerCert);
        Client = Create("dicom-typed-client", ClientKey, ClientCert);
        // A plain storescp through start-peer.sh first: it builds the loopback bind shim that the TLS storescp reuses.
        Peer(null, "storescp", PlainPort.ToString(), Work);
        string cache = Environment.GetEnvironmentVariable("PEERS_CACHE_DIR")
            ?? Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "/root", ".cache"), "dicom-peers");
        var shim = Path.Combine(cache, "loopback-bind.so");
        if (!File.Exists(shim)) throw new InvalidOperationException($"{shim} is missing. Run ./test.sh (tests/peers/start-peer.sh builds it).");
        Directory.CreateDirectory(StorescpDir);
        var psi = new ProcessStartInfo(RequireProgram("storescp")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Work };
        foreach (var a in new[] { "-aet", "TLSSCP", "-od", StorescpDir, "+tls", ServerKey, ServerCert, "-pw", "+cf", ClientCert, "-rc", StorescpPort.ToString() })
            psi.ArgumentList.Add(a);
        psi.Environment["TCP_NODELAY"] = "1";
        psi.Environment["LD_PRELOAD"] = shim;
        _storescp = Process.Start(psi)!;
        _storescp.OutputDataReceived += (_, _) => { };
        _storescp.ErrorDataReceived += (_, _) => { };
        _storescp.BeginOutputReadLine();
        _storescp.BeginErrorReadLine();
        // Ready when a TLS C-ECHO works.
        Exception? last = null;
        for (int i = 0; i < 100; i++)
        {
            try
            {
                if ((await new DicomVerificationScu(StorescpClient()).EchoAsync()).IsSuccess) { last = null; break; }
            }
            catch (DicomNetworkException e) { last = e; }
            if (_storescp.HasExited) throw new InvalidOperationException($"storescp +tls exited with {_storescp.ExitCode}");
            await Task.Delay(50);
        }
        if (last != null) throw new InvalidOperationException("storescp +tls did not answer a TLS C-ECHO", last);

        var options = new DicomServerOptions
        {
            Connection =
            {
                Hostname = "127.0.0.1", Port = OurPort,
                Tls = new DicomTlsServerOptions(Server) { RequireClientCertificate = true, ClientCertificateValidation = Trust(Client) },
            },
        };
        options.ApplicationEntities.Add(new DicomApplicationEntity("OURTLS", DicomTransferCapability.Verification().Concat(DicomTransferCapability.Storage())));
        var store = new DicomFileStore(OurStore);
        OurScp = new DicomServer(options) { Storage = store };
        await OurScp.StartAsync();
    }

    public DicomClientOptions StorescpClient(bool withClientCert = true)
    {
        var tls = new DicomTlsClientOptions { TargetHost = "localhost", ServerCertificateValidation = Trust(Server) };
        if (withClientCert) tls.ClientCertificates.Add(Client);
        return new DicomClientOptions { Host = "127.0.0.1", Port = StorescpPort, CallingAE = "OURSCU", CalledAE = "TLSSCP", Tls = tls, ConnectTimeout = TimeSpan.FromSeconds(5) };
    }

    public async Task DisposeAsync()
    {
        if (OurScp != null) await OurScp.StopAsync(TimeSpan.FromSeconds(2));
        if (_storescp is { HasExited: false })
        {
            _storescp.Kill();
            await _storescp.WaitForExitAsync();
        }
        try { Peer(null, "--stop", "storescp", PlainPort.ToString(), Work); } catch (InvalidOperationException) { }
        try { Directory.Delete(Work, true); } catch (IOException) { }
    }
}

public class TlsTests(TlsFixture f) : IClassFixture<TlsFixture>
{
    [Fact]
    public async Task OurScu_StoresOverTls_ToStorescp()
    {
        var file = TestData.File("CT_small.dcm");
        var results = await new DicomStorageScu(f.StorescpClient()).StoreAsync([file]);
        Assert.Equal(DicomStatus.Success, Assert.Single(results).Status);
        string uid = DicomFile.Open(file).Dataset.GetString(DicomTag.SOPInstanceUID);
        Assert.Contains(Directory.GetFiles(f.StorescpDir), p => p.EndsWith("." + uid, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OurScu_WithoutClientCertificate_IsRefused()
    {
        var e = await Assert.ThrowsAnyAsync<DicomNetworkException>(() => new DicomVerificationScu(f.StorescpClient(withClientCert: false)).EchoAsync());
        Assert.Contains(e.Reason, new[] { DicomNetworkErrorReason.TlsFailed, DicomNetworkErrorReason.ConnectionClosed });
    }

    [Fact]
    public async Task OurScu_RejectsAnUntrustedServerCertificate()
    {
        var options = f.StorescpClient();
        options.Tls!.ServerCertificateValidation = (_, _, _, _) => false;
        var e = await Assert.ThrowsAnyAsync<DicomNetworkException>(() => new DicomVerificationScu(options).EchoAsync());
        Assert.Equal(DicomNetworkErrorReason.TlsFailed, e.Reason);
    }

    private string[] DcmtkTls => ["+tls", f.ClientKey, f.ClientCert, "-pw", "+cf", f.ServerCert];

    [Fact]
    public void Echoscu_OverTls_ToOurScp()
    {
        var r = Run("echoscu", ["-aet", "DCMTKSCU", "-aec", "OURTLS", .. DcmtkTls, "127.0.0.1", TlsFixture.OurPort.ToString()], TimeSpan.FromSeconds(20));
        Assert.True(r.ExitCode == 0, Describe(r));
    }

    [Fact]
    public void Storescu_OverTls_ToOurScp()
    {
        var file = TestData.File("MR_small.dcm");
        var r = Run("storescu", ["-aet", "DCMTKSCU", "-aec", "OURTLS", .. DcmtkTls, "127.0.0.1", TlsFixture.OurPort.ToString(), file], TimeSpan.FromSeconds(30));
        Assert.True(r.ExitCode == 0, Describe(r));
        string uid = DicomFile.Open(file).Dataset.GetString(DicomTag.SOPInstanceUID);
        Assert.True(File.Exists(Path.Combine(f.OurStore, uid + ".dcm")));
    }

    [Fact]
    public void Echoscu_WithoutTls_ToOurTlsScp_Fails_AndScpKeepsServing()
    {
        var r = Run("echoscu", ["-to", "5", "-aet", "DCMTKSCU", "-aec", "OURTLS", "127.0.0.1", TlsFixture.OurPort.ToString()], TimeSpan.FromSeconds(20));
        Assert.NotEqual(0, r.ExitCode);
        var ok = Run("echoscu", ["-aet", "DCMTKSCU", "-aec", "OURTLS", .. DcmtkTls, "127.0.0.1", TlsFixture.OurPort.ToString()], TimeSpan.FromSeconds(20));
        Assert.True(ok.ExitCode == 0, Describe(ok));
    }
}
