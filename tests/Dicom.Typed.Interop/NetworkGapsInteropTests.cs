using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Dicom.Typed.Network;
using Dicom.Typed.Network.Tests;
using static Dicom.Typed.Interop.TestEnvironment;

namespace Dicom.Typed.Interop;

/// <summary>Issue 7 checklist items against DCMTK: user identity negotiation from storescu (username/passcode with positive
/// response, Kerberos/SAML/JWT passed through to the application) and C-CANCEL from findscu/movescu against our SCP.
/// Our SCPs listen on free ports; the C-MOVE destination is another of our SCPs.</summary>
public class DcmtkUserIdentityAndCancelTests
{
    private static async Task<TestScp> StartScpAsync(Action<DicomServerOptions>? configure = null) => await TestScp.StartAsync(configure);

    private static string[] Target(TestScp scp) => ["-aet", "DCMTKSCU", "-aec", TestScp.AE, "127.0.0.1", scp.Port.ToString()];

    [Fact]
    public async Task Storescu_UsernamePasscode_AcceptedWithPositiveResponse_WrongPasscodeRejected_NothingStored()
    {
        RequireProgram("storescu");
        var seen = new ConcurrentQueue<UserIdentity>();
        await using var scp = await StartScpAsync(o => o.UserIdentityValidator = id =>
        {
            seen.Enqueue(id);
            return id.Type == UserIdentityType.UsernameAndPasscode && Encoding.UTF8.GetString(id.PrimaryField) == "alice" &&
                   Encoding.UTF8.GetString(id.SecondaryField) == "s3cret";
        });
        var src = TempDir("uid");
        try
        {
            var good = TestData.Generate(src, "UID1", DicomUid.GenerateValue());
            var bad = TestData.Generate(src, "UID2", DicomUid.GenerateValue());
            var ok = Run("storescu", ["--user", "alice", "--password", "s3cret", "--pos-response", .. Target(scp), good], TimeSpan.FromSeconds(30));
            Assert.True(ok.ExitCode == 0, Describe(ok));
            var refused = Run("storescu", ["--user", "alice", "--password", "wrong", .. Target(scp), bad], TimeSpan.FromSeconds(30));
            Assert.True(refused.ExitCode != 0, Describe(refused));
            Assert.Contains("Rejected", refused.StdErr + refused.StdOut, StringComparison.OrdinalIgnoreCase);

            Assert.Equal([Path.GetFileName(good)], scp.StoredFiles().Select(Path.GetFileName));
            Assert.Equal(2, seen.Count);
            var first = seen.First();
            Assert.True(first.PositiveResponseRequested);
            Assert.Equal(UserIdentityType.UsernameAndPasscode, first.Type);
        }
        finally
        {
            Directory.Delete(src, true);
        }
    }

    [Theory]
    [InlineData("--kerberos", UserIdentityType.Kerberos)]
    [InlineData("--saml", UserIdentityType.Saml)]
    [InlineData("--jwt", UserIdentityType.Jwt)]
    public async Task Storescu_TokenIdentity_IsPassedThroughToTheApplication(string option, UserIdentityType type)
    {
        RequireProgram("storescu");
        var src = TempDir("tok");
        try
        {
            byte[] token = option == "--jwt"
                ? Encoding.ASCII.GetBytes("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9.")
                : Encoding.UTF8.GetBytes($"<token kind=\"{type}\" n=\"{Guid.NewGuid():N}\"/>");
            var tokenFile = Path.Combine(src, "token");
            await File.WriteAllBytesAsync(tokenFile, token);
            var file = TestData.Generate(src, "TOK", DicomUid.GenerateValue());
            var validated = new ConcurrentQueue<UserIdentity>();
            await using var scp = await StartScpAsync(o =>
            {
                o.UserIdentityValidator = id =>
                {
                    validated.Enqueue(id);
                    return id.Type == type && id.PrimaryField.AsSpan().SequenceEqual(token);
                };
                // The positive response storescu asks for (--pos-response) carries a server token for these types.
                o.UserIdentityServerResponse = id => [.. "server:"u8, .. id.PrimaryField];
            });
            // The application sees the identity on the association that stored the instance.
            var onAssociation = new TaskCompletionSource<UserIdentity?>(TaskCreationOptions.RunContinuationsAsynchronously);
            scp.Server.AssociationEnded += (a, _) => onAssociation.TrySetResult(a?.Request.UserIdentity);

            var r = Run("storescu", ["-d", option, tokenFile, "--pos-response", .. Target(scp), file], TimeSpan.FromSeconds(30));
            Assert.True(r.ExitCode == 0, Describe(r));
            // storescu -d reports the server response it received: "server:" + the token.
            Assert.Contains($"Server Response (not dumped) length: {7 + token.Length}", r.StdOut + r.StdErr);
            Assert.Single(scp.StoredFiles());
            var id = Assert.Single(validated);
            Assert.Equal(type, id.Type);
            Assert.Equal(token, id.PrimaryField);
            var passed = await onAssociation.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotNull(passed);
            Assert.Equal(token, passed!.PrimaryField);
        }
        finally
        {
            Directory.Delete(src, true);
        }
    }

    /// <summary>Yields the first match, then waits for the C-CANCEL (the handler's token), so the cancel cannot come too late.</summary>
    private sealed class OneThenWaitQuery(IDicomQueryHandler inner) : IDicomQueryHandler
    {
        public readonly TaskCompletionSource Cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async IAsyncEnumerable<DicomDataset> OnFindAsync(DicomAssociation association, DimseMessage request, DicomDataset identifier,
            [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var match in inner.OnFindAsync(association, request, identifier, cancellationToken))
            {
                yield return match;
                break;
            }
            using var reg = cancellationToken.Register(() => Cancelled.TrySetResult());
            await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
            throw new InvalidOperationException("no C-CANCEL within 30 s");
        }
    }

    [Fact]
    public async Task Findscu_Cancel_OurScpStopsAndAnswersCancel()
    {
        RequireProgram("findscu");
        await using var scp = await StartScpAsync();
        var src = TempDir("fcancel");
        try
        {
            for (int i = 0; i < 3; i++) TestData.Generate(src, "CANCEL" + i, DicomUid.GenerateValue());
            Assert.All(await new DicomStorageScu(scp.Client()).StoreAsync(Directory.GetFiles(src)), x => Assert.True(x.Status.IsSuccess));
        }
        finally
        {
            Directory.Delete(src, true);
        }
        var query = new OneThenWaitQuery(scp.Store);
        scp.Server.Query = query;
        var r = Run("findscu", ["-v", "-P", "--cancel", "1", "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientID=CANCEL*", "-k", "PatientName", .. Target(scp)],
            TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, Describe(r));
        await query.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var output = r.StdOut + r.StdErr;
        Assert.Contains("Sending Cancel Request", output);
        Assert.Contains("Received Final Find Response (Cancel", output);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(output, @"Find Response: \d+ \(Pending\)"));
    }

    /// <summary>Names the instances to retrieve and releases <see cref="Gate"/> when the C-CANCEL arrives (the handler's token).</summary>
    private sealed class CancelAwareRetrieve(IDicomRetrieveHandler inner) : IDicomRetrieveHandler
    {
        public readonly TaskCompletionSource Gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<IReadOnlyList<string>> OnRetrieveAsync(DicomAssociation association, DimseMessage request, DicomDataset identifier, CancellationToken cancellationToken)
        {
            cancellationToken.Register(() => Gate.TrySetResult());
            return await inner.OnRetrieveAsync(association, request, identifier, cancellationToken);
        }
    }

    /// <summary>Stores the first instance at once and every later one only when <paramref name="gate"/> opened.</summary>
    private sealed class GatedStorage(DicomFileStore inner, Task gate) : IDicomStorageHandler
    {
        private int _count;

        public ValueTask<Stream> OpenDatasetStreamAsync(DicomAssociation association, DimseMessage request) => inner.OpenDatasetStreamAsync(association, request);

        public async Task<DicomStatus> OnStoreAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _count) > 1) await gate.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            return await inner.OnStoreAsync(association, request, cancellationToken);
        }
    }

    private static async Task<(TestScp Source, TestScp Dest, CancelAwareRetrieve Retrieve, string Study)> StartMovePairAsync(int instances)
    {
        var dest = await TestScp.StartAsync();
        var source = await TestScp.StartAsync(o => o.RemoteApplicationEntities.Add(new DicomRemoteApplicationEntity(TestScp.AE, "127.0.0.1", dest.Port)));
        string study = DicomUid.GenerateValue();
        var src = TempDir("mcancel");
        try
        {
            for (int i = 0; i < instances; i++) TestData.Generate(src, "MOVECANCEL", study);
            Assert.All(await new DicomStorageScu(source.Client()).StoreAsync(Directory.GetFiles(src)), x => Assert.True(x.Status.IsSuccess));
        }
        finally
        {
            Directory.Delete(src, true);
        }
        var retrieve = new CancelAwareRetrieve(source.Store);
        source.Server.Retrieve = retrieve;
        dest.Server.Storage = new GatedStorage(dest.Store, retrieve.Gate.Task);
        return (source, dest, retrieve, study);
    }

    [Fact]
    public async Task Movescu_Cancel_OurScpStopsTheSubOperations_AndAnswersCancel()
    {
        RequireProgram("movescu");
        var (source, dest, retrieve, study) = await StartMovePairAsync(4);
        await using var _s = source;
        await using var _d = dest;
        var r = Run("movescu", ["-v", "-S", "--cancel", "1", "-aem", TestScp.AE, "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={study}", .. Target(source)],
            TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, Describe(r));
        Assert.True(retrieve.Gate.Task.IsCompleted, "our SCP's retrieve was not cancelled\n" + Describe(r));
        var output = r.StdOut + r.StdErr;
        Assert.Contains("Sending Cancel Request", output, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Received Final Move Response (Cancel", output);
        // The first sub-operation completed before the cancel. The second starts only if the SCP's loop ran before the
        // C-CANCEL-RQ arrived, and is then held at the destination until it did; the other two are never started.
        Assert.InRange(dest.StoredFiles().Length, 1, 2);
    }
}

/// <summary>Orthanc (ORTHANC, 11460, REST 11461) as Storage Commitment SCU of our SCP (OURCMT2, 11462), which stops after the
/// N-ACTION-RSP and before it could send the N-EVENT-REPORT; a new SCP on the same pending folder sends it after the restart.
/// Orthanc as Storage Commitment SCP reports on a new association to our listener (OURSTCMT2, 11463) while our SCU keeps the
/// N-ACTION association open, or after it released it.</summary>
public sealed class OrthancCommitmentRestartFixture : IAsyncLifetime
{
    public const int OrthancPort = 11460, OrthancHttp = 11461, OurPort = 11462, ListenerPort = 11463;
    public string Work { get; } = TempDir("cmtrestart");
    public HttpClient Http { get; } = new() { BaseAddress = new Uri($"http://127.0.0.1:{OrthancHttp}/"), Timeout = TimeSpan.FromSeconds(30) };

    public Task InitializeAsync()
    {
        Peer(new Dictionary<string, string> { ["PEERS_HOSTS"] = $"OURCMT2@127.0.0.1:{OurPort} OURSTCMT2@127.0.0.1:{ListenerPort}", ["PEERS_HTTP_PORT"] = OrthancHttp.ToString() },
            "orthanc", OrthancPort.ToString(), Work);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        try { Peer(null, "--stop", "orthanc", OrthancPort.ToString(), Work); } catch (InvalidOperationException) { }
        Http.Dispose();
        try { Directory.Delete(Work, true); } catch (IOException) { }
        return Task.CompletedTask;
    }
}

public class OrthancCommitmentRestartTests(OrthancCommitmentRestartFixture f) : IClassFixture<OrthancCommitmentRestartFixture>
{
    /// <summary>Never decides: the SCP is stopped while the request is accepted but not evaluated.</summary>
    private (DicomServer Server, DicomStorageCommitmentService Service) Scp(DicomFileStore store, IDicomStorageCommitmentHandler handler, string pending)
    {
        var options = new DicomServerOptions { Connection = { Hostname = "127.0.0.1", Port = OrthancCommitmentRestartFixture.OurPort } };
        options.ApplicationEntities.Add(new DicomApplicationEntity("OURCMT2", DicomTransferCapability.Verification().Concat(DicomTransferCapability.Storage())
            .Concat(DicomServiceCapabilities.StorageCommitment())));
        var svc = new DicomStorageCommitmentServiceOptions
        {
            ReplyMode = DicomCommitmentReportMode.NewAssociation, RetrieveAETitle = "OURCMT2", PendingReportsDirectory = pending,
            MaxReportAttempts = 5, ReportRetryDelay = TimeSpan.FromMilliseconds(500),
        };
        svc.RemoteApplicationEntities.Add(new DicomRemoteApplicationEntity("ORTHANC", "127.0.0.1", OrthancCommitmentRestartFixture.OrthancPort));
        var service = new DicomStorageCommitmentService(handler, svc);
        var server = new DicomServer(options) { Storage = store };
        server.NormalServices.Add(service);
        return (server, service);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OurScu_ToOrthanc_ReportOnNewAssociation_WithTheNActionAssociationOpenOrReleased(bool releaseAfterAction)
    {
        var client = new DicomClientOptions { Host = "127.0.0.1", Port = OrthancCommitmentRestartFixture.OrthancPort, CallingAE = "OURSTCMT2", CalledAE = "ORTHANC" };
        var data = Path.Combine(f.Work, "scu-data-" + releaseAfterAction);
        var stored = await new DicomStorageScu(client).StoreAsync([TestData.Generate(data, "SCUKEEP", DicomUid.GenerateValue())]);
        var reference = new DicomSopReference(DicomUid.SecondaryCaptureImageStorage.Value, Assert.Single(stored).SopInstanceUid);
        var missing = new DicomSopReference(DicomUid.SecondaryCaptureImageStorage.Value, DicomUid.GenerateValue());
        await using var listener = new DicomStorageCommitmentListener("OURSTCMT2", OrthancCommitmentRestartFixture.ListenerPort);
        await listener.StartAsync();
        var scu = new DicomStorageCommitmentScu(client, listener) { ReportTimeout = TimeSpan.FromSeconds(30), ReleaseAfterAction = releaseAfterAction };
        var result = await scu.CommitAsync([reference, missing]);
        Assert.False(result.ReceivedOnSameAssociation);
        Assert.Equal("ORTHANC", result.ReporterAE);
        Assert.Equal([reference], result.Committed);
        Assert.Equal(missing, Assert.Single(result.Failed).Reference);
    }

    [Fact]
    public async Task OrthancScu_OurScpRestartsBeforeTheReport_OrthancStillGetsIt()
    {
        var storeDir = Path.Combine(f.Work, "store");
        var pending = Path.Combine(f.Work, "pending");
        var stuck = new StuckCommitmentHandler();
        var (first, _) = Scp(new DicomFileStore(storeDir), stuck, pending);
        await first.StartAsync();
        string present;
        try
        {
            var data = Path.Combine(f.Work, "data");
            var stored = await new DicomStorageScu(new DicomClientOptions { Host = "127.0.0.1", Port = OrthancCommitmentRestartFixture.OurPort, CallingAE = "ORTHANC", CalledAE = "OURCMT2" })
                .StoreAsync([TestData.Generate(data, "RESTART", DicomUid.GenerateValue())]);
            present = stored.Single().SopInstanceUid;
        }
        catch
        {
            await first.StopAsync(TimeSpan.FromSeconds(2));
            throw;
        }
        string absent = DicomUid.GenerateValue(), cls = DicomUid.SecondaryCaptureImageStorage.Value;
        var body = JsonSerializer.Serialize(new
        {
            DicomInstances = new[] { new { SOPClassUID = cls, SOPInstanceUID = present }, new { SOPClassUID = cls, SOPInstanceUID = absent } },
            Timeout = 60,
        });
        var post = await f.Http.PostAsync("modalities/ourcmt2/storage-commitment", new StringContent(body));
        var postText = await post.Content.ReadAsStringAsync();
        Assert.True(post.IsSuccessStatusCode, postText);
        var path = JsonDocument.Parse(postText).RootElement.GetProperty("Path").GetString()!.TrimStart('/');
        await stuck.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await first.StopAsync(TimeSpan.FromSeconds(2));
        Assert.Single(Directory.GetFiles(pending, "*.stcmt.json"));
        Assert.Equal("Pending", (await f.Http.GetFromJsonAsync<JsonElement>(path)).GetProperty("Status").GetString());

        // Restart on the same pending folder: the request is evaluated against the store and reported to Orthanc.
        var (second, service) = Scp(new DicomFileStore(storeDir), new DicomFileStoreCommitmentHandler(new DicomFileStore(storeDir)), pending);
        await second.StartAsync();
        try
        {
            JsonElement report = default;
            for (int i = 0; i < 300; i++)
            {
                report = await f.Http.GetFromJsonAsync<JsonElement>(path);
                if (report.GetProperty("Status").GetString() != "Pending") break;
                await Task.Delay(100);
            }
            Assert.NotEqual("Pending", report.GetProperty("Status").GetString());
            Assert.Equal([present], report.GetProperty("Success").EnumerateArray().Select(e => e.GetProperty("SOPInstanceUID").GetString()));
            var fail = Assert.Single(report.GetProperty("Failures").EnumerateArray());
            Assert.Equal(absent, fail.GetProperty("SOPInstanceUID").GetString());
            Assert.Equal(0x0112, fail.GetProperty("FailureReason").GetInt32());
            await service.WhenIdleAsync();
            Assert.Empty(Directory.GetFiles(pending, "*.stcmt.json"));
        }
        finally
        {
            await second.StopAsync(TimeSpan.FromSeconds(2));
        }
    }
}

/// <summary>dcmjs-dimse (a second, independent DIMSE implementation) as Storage Commitment SCU of our SCP: the same Transaction
/// UID for other instances is refused at the N-ACTION with 0110H and the duplicate named in the Error Comment.</summary>
public class DcmjsDuplicateTransactionTests
{
    private static string NpmDir => Environment.GetEnvironmentVariable("PEERS_NPM_DIR") ?? Path.Combine(RepoRoot, ".peers", "npm");

    /// <summary>Sends one N-ACTION-RQ with a given Transaction UID from dcmjs-dimse; prints "status 0x… comment …".</summary>
    internal static (int ExitCode, string StdOut, string StdErr) Action(int port, string tx, string sopClass, string sopInstance)
    {
        const string script = """
            require('./loopback');
            const dimse = require('dcmjs-dimse');
            dimse.log.setLevel('warn');
            const { Client, Dataset } = dimse; const { NActionRequest } = dimse.requests; const { SopClass } = dimse.constants;
            const [port, tx, cls, inst] = process.argv.slice(1);
            const req = new NActionRequest(SopClass.StorageCommitmentPushModel, '1.2.840.10008.1.20.1.1', 1);
            req.setDataset(new Dataset({ TransactionUID: tx, ReferencedSOPSequence: [{ ReferencedSOPClassUID: cls, ReferencedSOPInstanceUID: inst }] }));
            req.on('response', (r) => console.log('status 0x' + r.getStatus().toString(16) + ' comment ' + (r.getErrorComment() || '')));
            const client = new Client(); client.addRequest(req);
            client.on('networkError', (e) => { console.log('network error', e.message); process.exitCode = 2; });
            client.send('127.0.0.1', parseInt(port, 10), 'DCMJSCMT', 'TESTSCP');
            """;
        if (!File.Exists(Path.Combine(NpmDir, "loopback.js")))
            throw new InvalidOperationException($"dcmjs-dimse helpers are missing in {NpmDir}. Run ./test.sh (tests/peers/install.sh installs them).");
        var psi = new System.Diagnostics.ProcessStartInfo(RequireProgram("node")) { WorkingDirectory = NpmDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-e", script, port.ToString(), tx, sopClass, sopInstance }) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var so = p.StandardOutput.ReadToEndAsync();
        var se = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(30))) { p.Kill(true); throw new TimeoutException("node did not finish"); }
        p.WaitForExit();
        return (p.ExitCode, so.Result, se.Result);
    }

    [Fact]
    public async Task DcmjsScu_SameTransactionUidForOtherInstances_IsRefused()
    {
        await using var scp = await TestScp.StartAsync(o => o.ApplicationEntities[0].TransferCapabilities.AddRange(DicomServiceCapabilities.StorageCommitment()));
        var options = new DicomStorageCommitmentServiceOptions { ReplyMode = DicomCommitmentReportMode.NewAssociation, ConnectTimeout = TimeSpan.FromSeconds(2) };
        using var refusing = new RefusingPort();
        options.RemoteApplicationEntities.Add(new DicomRemoteApplicationEntity("DCMJSCMT", "127.0.0.1", refusing.Port)); // the report itself is not the subject here
        await using var service = scp.AddStorageCommitment(options);
        string tx = DicomUid.GenerateValue(), cls = DicomUid.SecondaryCaptureImageStorage.Value;

        var first = Action(scp.Port, tx, cls, DicomUid.GenerateValue());
        Assert.True(first.ExitCode == 0 && first.StdOut.Contains("status 0x0 "), Describe(first));
        var duplicate = Action(scp.Port, tx, cls, DicomUid.GenerateValue());
        Assert.True(duplicate.StdOut.Contains("status 0x110 "), Describe(duplicate));
        Assert.Contains("duplicate Transaction UID (0131H)", duplicate.StdOut);
        // The first report could not be delivered (nobody listens) and was given up: its UID stays taken all the same.
        await service.WhenIdleAsync();
        var third = Action(scp.Port, tx, cls, DicomUid.GenerateValue());
        Assert.True(third.StdOut.Contains("status 0x110 "), Describe(third));
    }
}
