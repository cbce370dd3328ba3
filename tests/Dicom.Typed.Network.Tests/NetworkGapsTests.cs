using System.Collections;
using System.Net;
using System.Net.Sockets;
using System.Buffers.Binary;
using Dicom.Typed.IO;
using Dicom.Typed.Network;

namespace Dicom.Typed.Network.Tests;

/// <summary>Issue 7 checklist items on loopback: C-CANCEL of C-MOVE and C-GET from our SCU to our SCP, a peer that stops
/// reading (send-side backpressure ends in a typed timeout), and SCP shutdown with an operation in flight.</summary>
public class NetworkGapsTests
{
    /// <summary>The file list of a retrieve: its <c>blockOn</c>-th enumeration stops before the second file until the retrieve's
    /// token is cancelled (by the C-CANCEL-RQ), so the cancel always arrives while sub-operations remain.</summary>
    private sealed class GatedFiles(IReadOnlyList<string> files, CancellationToken retrieveToken, int blockOn) : IReadOnlyList<string>
    {
        private int _enumerations;
        public bool SawCancel { get; private set; }

        public string this[int index] => files[index];
        public int Count => files.Count;

        public IEnumerator<string> GetEnumerator()
        {
            bool gate = Interlocked.Increment(ref _enumerations) == blockOn;
            for (int i = 0; i < files.Count; i++)
            {
                if (gate && i == 1) SawCancel = retrieveToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(30));
                yield return files[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private sealed class GatedRetrieve(IDicomRetrieveHandler inner) : IDicomRetrieveHandler
    {
        public GatedFiles? Last { get; private set; }

        public async Task<IReadOnlyList<string>> OnRetrieveAsync(DicomAssociation association, DimseMessage request, DicomDataset identifier, CancellationToken cancellationToken)
        {
            var files = await inner.OnRetrieveAsync(association, request, identifier, cancellationToken);
            // C-MOVE reads every file's header first (one enumeration), then sends on the sub-association (whose reader
            // resumes the loop, so the requesting association's reader stays free to receive the C-CANCEL-RQ).
            return Last = new GatedFiles(files, cancellationToken, blockOn: 2);
        }
    }

    private static async Task<string> StoreStudyAsync(TestScp scp, int count)
    {
        string study = DicomUid.GenerateValue();
        var src = Path.Combine(Path.GetTempPath(), "dtgap-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            for (int i = 0; i < count; i++) TestData.Generate(src, "GAP", study);
            Assert.All(await new DicomStorageScu(scp.Client()).StoreAsync(Directory.GetFiles(src)), r => Assert.True(r.Status.IsSuccess));
        }
        finally
        {
            Directory.Delete(src, true);
        }
        return study;
    }

    private static DicomDataset StudyKeys(string study) => new DicomDataset()
        .AddOrUpdate(DicomTag.QueryRetrieveLevel, "STUDY").AddOrUpdate(DicomTag.StudyInstanceUID, study);

    [Fact]
    public async Task Scu_CancelledMove_SendsCCancel_ScpStopsWithCancelStatus()
    {
        await using var dest = await TestScp.StartAsync();
        await using var source = await TestScp.StartAsync(o => o.RemoteApplicationEntities.Add(new DicomRemoteApplicationEntity(TestScp.AE, "127.0.0.1", dest.Port)));
        string study = await StoreStudyAsync(source, 4);
        var retrieve = new GatedRetrieve(source.Store);
        source.Server.Retrieve = retrieve;
        using var cts = new CancellationTokenSource();
        var pending = new List<DicomRetrieveResult>();
        var result = await new DicomQueryRetrieveScu(source.Client()).MoveAsync(QueryRetrieveModel.StudyRoot, StudyKeys(study), TestScp.AE,
            new SyncProgress<DicomRetrieveResult>(p => { pending.Add(p); cts.Cancel(); }), cts.Token);
        Assert.True(retrieve.Last!.SawCancel);
        Assert.Equal(DicomStatus.Cancel, result.Status);
        Assert.Equal(1, result.Completed);
        Assert.Equal(3, result.Remaining);
        Assert.Single(pending);
        Assert.Single(dest.StoredFiles());
    }

    /// <summary>Waits for the C-CANCEL (its token) before naming the files: the C-GET sub-operations run on the requesting
    /// association, whose reader must stay free, so the wait is asynchronous and comes before any sub-operation.</summary>
    private sealed class WaitForCancelRetrieve(IDicomRetrieveHandler inner) : IDicomRetrieveHandler
    {
        public readonly TaskCompletionSource Entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool SawCancel { get; private set; }

        public async Task<IReadOnlyList<string>> OnRetrieveAsync(DicomAssociation association, DimseMessage request, DicomDataset identifier, CancellationToken cancellationToken)
        {
            var files = await inner.OnRetrieveAsync(association, request, identifier, CancellationToken.None);
            Entered.TrySetResult();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                SawCancel = true;
            }
            return files;
        }
    }

    [Fact]
    public async Task Scu_CancelledGet_SendsCCancel_ScpAnswersCancel_AndNoPartialFile()
    {
        await using var scp = await TestScp.StartAsync();
        string study = await StoreStudyAsync(scp, 4);
        var retrieve = new WaitForCancelRetrieve(scp.Store);
        scp.Server.Retrieve = retrieve;
        var output = Path.Combine(scp.Directory, "..", Path.GetFileName(scp.Directory) + "-get");
        try
        {
            using var cts = new CancellationTokenSource();
            var get = new DicomQueryRetrieveScu(scp.Client()).GetAsync(QueryRetrieveModel.StudyRoot, StudyKeys(study), output,
                [DicomUid.SecondaryCaptureImageStorage.Value], null, cts.Token);
            await retrieve.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            cts.Cancel();
            var result = await get;
            Assert.True(retrieve.SawCancel);
            Assert.Equal(DicomStatus.Cancel, result.Status);
            Assert.Equal(0, result.Completed);
            Assert.Equal(4, result.Remaining);
            Assert.Empty(Directory.Exists(output) ? Directory.GetFiles(output, "*", SearchOption.AllDirectories) : []);

            // The next C-GET of the same study (not cancelled) brings all four.
            scp.Server.Retrieve = scp.Store;
            var all = await new DicomQueryRetrieveScu(scp.Client()).GetAsync(QueryRetrieveModel.StudyRoot, StudyKeys(study), output, [DicomUid.SecondaryCaptureImageStorage.Value]);
            Assert.Equal(DicomStatus.Success, all.Status);
            Assert.Equal(4, Directory.GetFiles(output, "*.dcm").Length);
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, true);
        }
    }

    // ---- a peer that stops reading --------------------------------------------------------------------------------------

    /// <summary>A 64 MiB Secondary Capture (8192 x 8192, 8 bit): far more than the loopback socket buffers hold.</summary>
    private static string LargeInstance(string dir)
    {
        Directory.CreateDirectory(dir);
        var inst = DicomUid.GenerateValue();
        var ds = new DicomDataset()
            .AddOrUpdate(DicomTag.SOPClassUID, DicomUid.SecondaryCaptureImageStorage.Value)
            .AddOrUpdate(DicomTag.SOPInstanceUID, inst)
            .AddOrUpdate(DicomTag.PatientID, "BIG")
            .AddOrUpdate(DicomTag.StudyInstanceUID, DicomUid.GenerateValue())
            .AddOrUpdate(DicomTag.SeriesInstanceUID, DicomUid.GenerateValue())
            .AddOrUpdate<ushort>(DicomTag.Rows, 8192)
            .AddOrUpdate<ushort>(DicomTag.Columns, 8192)
            .AddOrUpdate(new DicomElement(DicomTag.PixelData, DicomVR.OB, DicomBuffer.FromMemory(new byte[8192 * 8192])));
        var path = Path.Combine(dir, inst + ".dcm");
        new DicomFile(ds, DicomTransferSyntax.ExplicitVRLittleEndian).Save(path);
        return path;
    }

    [Fact]
    public async Task Scu_PeerStopsReading_StoreEndsWithTypedTimeout_NotAHang()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var peerGotData = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var peer = Task.Run(async () =>
        {
            using var s = await listener.AcceptSocketAsync();
            s.ReceiveBufferSize = 64 * 1024;
            using var ns = new NetworkStream(s);
            await ns.WriteAsync(RawPdu.AcceptAll(await RawPdu.ReadAsync(ns)));
            await RawPdu.ReadAsync(ns); // the first P-DATA-TF, then never read again
            peerGotData.TrySetResult();
            await Task.Delay(TimeSpan.FromSeconds(60));
        });
        var dir = Path.Combine(Path.GetTempPath(), "dtbig-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var file = LargeInstance(dir);
            var options = new DicomClientOptions
            {
                Host = "127.0.0.1", Port = port, CalledAE = "NOREAD", ConnectTimeout = TimeSpan.FromSeconds(5),
                Association = new DicomAssociationOptions { ArtimTimeout = TimeSpan.FromSeconds(5), DimseTimeout = TimeSpan.FromSeconds(60), WriteTimeout = TimeSpan.FromSeconds(2), IdleTimeout = TimeSpan.FromSeconds(60) },
            };
            var store = new DicomStorageScu(options).StoreAsync([file]);
            // Before the DIMSE timeout (60 s) could end it: the write timeout does.
            var e = await Assert.ThrowsAnyAsync<DicomNetworkException>(async () =>
            {
                var results = await store.WaitAsync(TimeSpan.FromSeconds(45));
                throw new InvalidOperationException("the store completed: " + string.Join(", ", results.Select(r => r.Status)));
            });
            Assert.Equal(DicomNetworkErrorReason.Timeout, e.Reason);
            Assert.Contains("write", e.Message);
            Assert.True(peerGotData.Task.IsCompleted);
        }
        finally
        {
            listener.Stop();
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Scp_RequesterStopsReadingDuringCGet_AssociationEndsWithTypedTimeout_ScpKeepsServing()
    {
        var logs = new ListLoggerFactory();
        await using var scp = await TestScp.StartAsync(o => { o.LoggerFactory = logs; o.Association = new DicomAssociationOptions
        {
            ArtimTimeout = TimeSpan.FromSeconds(5), DimseTimeout = TimeSpan.FromSeconds(60), IdleTimeout = TimeSpan.FromSeconds(60), WriteTimeout = TimeSpan.FromSeconds(2),
        }; });
        var big = LargeInstance(Path.Combine(scp.Directory, "..", Path.GetFileName(scp.Directory) + "-big"));
        var inStore = Path.Combine(scp.Directory, Path.GetFileName(big));
        File.Move(big, inStore);
        Directory.Delete(Path.GetDirectoryName(big)!, true);
        Assert.True(scp.Store.TryIndex(inStore));
        var study = DicomFile.Open(inStore).Dataset.GetString(DicomTag.StudyInstanceUID);

        // A raw requester: C-GET with the SCP role for Secondary Capture, then it never reads a byte of the C-STORE sub-operation.
        using var raw = await RawClient.ConnectAsync(scp.Port);
        var p = new AssociationParameters { CallingAE = "NOREAD", CalledAE = TestScp.AE, MaxPduLength = 16384 };
        p.PresentationContexts.Add(new PresentationContext(1, DicomUid.StudyRootQueryRetrieveInformationModelGet.Value, "1.2.840.10008.1.2"));
        p.PresentationContexts.Add(new PresentationContext(3, DicomUid.SecondaryCaptureImageStorage.Value, "1.2.840.10008.1.2.1", "1.2.840.10008.1.2"));
        p.RoleSelections.Add(new RoleSelection(DicomUid.SecondaryCaptureImageStorage.Value, false, true));
        await raw.SendAsync(PduCodec.Encode(new AssociateRequestPdu(p)));
        var ac = await RawPdu.ReadAsync(raw.Stream);
        Assert.Equal(0x02, ac[0]);
        var rq = DimseMessage.CreateRequest(DimseCommandField.CGetRequest, 1, DicomUid.StudyRootQueryRetrieveInformationModelGet.Value, null, StudyKeys(study));
        var identifier = new MemoryStream();
        new DicomDatasetWriter(identifier, DicomTransferSyntax.ImplicitVRLittleEndian).Write(StudyKeys(study));
        await raw.SendAsync(PduCodec.Encode(new DataTransferPdu([new PresentationDataValue(1, true, true, rq.EncodeCommand())])));
        await raw.SendAsync(PduCodec.Encode(new DataTransferPdu([new PresentationDataValue(1, false, true, identifier.ToArray())])));

        // Ended by the write timeout (2 s), long before the idle (60 s) or DIMSE (60 s) timers could.
        for (int i = 0; i < 600 && scp.Ended.Count == 0; i++) await Task.Delay(50);
        Assert.True(scp.Ended.Count == 1, string.Join("\n", logs.Lines));
        var e = Assert.IsType<DicomNetworkException>(Assert.Single(scp.Ended));
        Assert.Equal(DicomNetworkErrorReason.Timeout, e.Reason);
        Assert.Contains("write", e.Message);
        Assert.Equal(DicomStatus.Success, await new DicomVerificationScu(scp.Client()).EchoAsync());
    }

    // ---- user identity: the acceptor's positive response ------------------------------------------------------------------

    [Fact]
    public async Task UserIdentity_PositiveResponse_CarriesTheServerResponseForTokens_EmptyForPasscodes()
    {
        byte[] serverTicket = "server-ticket-for-alice"u8.ToArray();
        await using var scp = await TestScp.StartAsync(o =>
        {
            o.UserIdentityValidator = id => id.Type is UserIdentityType.Jwt or UserIdentityType.Kerberos or UserIdentityType.UsernameAndPasscode;
            o.UserIdentityServerResponse = id => id.Type == UserIdentityType.Kerberos ? serverTicket : null;
        });
        async Task<byte[]?> ResponseAsync(UserIdentity identity)
        {
            var client = scp.Client();
            client.UserIdentity = identity;
            await using var a = await DicomClient.ConnectAsync(client, [new PresentationContext(1, DicomUid.Verification.Value, "1.2.840.10008.1.2")]);
            return a.Accept.UserIdentityServerResponse;
        }
        Assert.Equal(serverTicket, await ResponseAsync(new UserIdentity(UserIdentityType.Kerberos, true, "client-ticket"u8.ToArray(), [])));
        var passcodeResponse = await ResponseAsync(UserIdentity.FromUsername("alice", "pw", positiveResponseRequested: true));
        Assert.NotNull(passcodeResponse);
        Assert.Empty(passcodeResponse);
        Assert.Null(await ResponseAsync(new UserIdentity(UserIdentityType.Jwt, false, "a.b.c"u8.ToArray(), [])));
        var client = scp.Client();
        client.UserIdentity = new UserIdentity(UserIdentityType.Saml, true, "<saml/>"u8.ToArray(), []);
        await Assert.ThrowsAsync<DicomAssociationException>(() => new DicomVerificationScu(client).EchoAsync());
    }

    // ---- SOP class extended negotiation ------------------------------------------------------------------------------------

    [Fact]
    public async Task SopClassExtendedNegotiation_IsAnsweredForAcceptedClassesOnly()
    {
        string find = DicomUid.StudyRootQueryRetrieveInformationModelFind.Value;
        var asked = new List<ExtendedNegotiation>();
        await using var scp = await TestScp.StartAsync(o => o.SopClassExtendedNegotiation = e =>
        {
            lock (asked) asked.Add(e);
            // C-FIND (PS3.4 C.5.1.1): no relational queries, combined date-time matching yes, the rest no.
            return e.SopClassUid == find ? DicomQueryRetrieveApplicationInformation.ToBytes(DicomQueryExtendedFeatures.CombinedDateTimeMatching) : null;
        });
        var rq = new AssociationParameters { CallingAE = "EXTNEG", CalledAE = TestScp.AE };
        rq.PresentationContexts.Add(new PresentationContext(1, find, "1.2.840.10008.1.2"));
        rq.PresentationContexts.Add(new PresentationContext(3, DicomUid.Verification.Value, "1.2.840.10008.1.2"));
        rq.ExtendedNegotiations.Add(new ExtendedNegotiation(find, [1, 1, 1, 1]));
        rq.ExtendedNegotiations.Add(new ExtendedNegotiation(DicomUid.Verification.Value, [1]));       // accepted, handler says nothing
        rq.ExtendedNegotiations.Add(new ExtendedNegotiation(DicomUid.CTImageStorage.Value, [1, 1])); // not proposed as a context
        rq.CommonExtendedNegotiations.Add(new CommonExtendedNegotiation(DicomUid.CTImageStorage.Value, "1.2.840.10008.4.2", []));
        await using var a = await DicomAssociation.ConnectAsync("127.0.0.1", scp.Port, rq, TestTimeouts.Short());
        var answer = Assert.Single(a.Accept.ExtendedNegotiations);
        Assert.Equal(find, answer.SopClassUid);
        Assert.Equal([0, 1], answer.ServiceClassApplicationInformation);
        Assert.Equal(DicomQueryExtendedFeatures.CombinedDateTimeMatching, DicomQueryRetrieveApplicationInformation.ParseQuery(answer.ServiceClassApplicationInformation));
        Assert.Equal([find, DicomUid.Verification.Value], asked.Select(e => e.SopClassUid));
        Assert.Equal(DicomStatus.Success, await new DicomVerificationScu(scp.Client()).EchoAsync());
        await a.ReleaseAsync();
    }

    [Fact]
    public async Task ClientOptions_ExtendedNegotiations_SentOnlyForProposedClasses_AnswerReadBack()
    {
        var asked = new List<ExtendedNegotiation>();
        var ours = new DicomStorageApplicationInformation(DicomStorageLevelOfSupport.Level1, DicomDigitalSignatureSupport.Unspecified, DicomElementCoercion.MayCoerce);
        await using var scp = await TestScp.StartAsync(o => o.SopClassExtendedNegotiation = e =>
        {
            lock (asked) asked.Add(e);
            return ours.ToBytes();
        });
        var client = scp.Client();
        client.ExtendedNegotiations.Add(new DicomStorageApplicationInformation(DicomStorageLevelOfSupport.Level2).For(DicomUid.CTImageStorage.Value));
        client.ExtendedNegotiations.Add(new ExtendedNegotiation(DicomUid.StudyRootQueryRetrieveInformationModelFind.Value, [1])); // no such context
        client.CommonExtendedNegotiations.Add(new CommonExtendedNegotiation(DicomUid.CTImageStorage.Value, "1.2.840.10008.4.2", []));

        var results = await new DicomStorageScu(client).StoreAsync([TestData.File("CT_small.dcm")]);
        Assert.Equal(DicomStatus.Success, Assert.Single(results).Status);
        var e = Assert.Single(asked);
        Assert.Equal(DicomUid.CTImageStorage.Value, e.SopClassUid);
        Assert.Equal([2, 0, 0, 0, 2, 0], e.ServiceClassApplicationInformation);

        await using var a = await DicomClient.ConnectAsync(client, [new PresentationContext(1, DicomUid.CTImageStorage.Value, "1.2.840.10008.1.2")]);
        Assert.Equal(ours, DicomStorageApplicationInformation.Parse(Assert.Single(a.Accept.ExtendedNegotiations).ServiceClassApplicationInformation));
        Assert.Equal(DicomUid.CTImageStorage.Value, Assert.Single(a.Request.CommonExtendedNegotiations).SopClassUid);
        await a.ReleaseAsync();

        // PS3.7: one sub-item per SOP class, for either kind.
        PresentationContext[] ct = [new PresentationContext(1, DicomUid.CTImageStorage.Value, "1.2.840.10008.1.2")];
        var twice = new ExtendedNegotiation(DicomUid.CTImageStorage.Value, [1, 0, 0, 0, 0, 0]);
        client.ExtendedNegotiations.Add(twice);
        Assert.Contains("SOP Class Extended Negotiation", (await Assert.ThrowsAsync<ArgumentException>(() => DicomClient.ConnectAsync(client, ct))).Message);
        client.ExtendedNegotiations.Remove(twice);
        client.CommonExtendedNegotiations.Add(new CommonExtendedNegotiation(DicomUid.CTImageStorage.Value, "1.2.840.10008.4.2", ["1.2.3"]));
        Assert.Contains("Common Extended Negotiation", (await Assert.ThrowsAsync<ArgumentException>(() => DicomClient.ConnectAsync(client, ct))).Message);
    }

    [Theory]
    [InlineData(new byte[] { 2, 0, 3, 0, 0, 0 }, DicomStorageLevelOfSupport.Level2, DicomDigitalSignatureSupport.Level3, DicomElementCoercion.DoesNotCoerce)] // dcmnet asconfig.txt example
    [InlineData(new byte[] { 1, 0, 2, 0, 1, 0 }, DicomStorageLevelOfSupport.Level1, DicomDigitalSignatureSupport.Level2, DicomElementCoercion.MayCoerce)]
    [InlineData(new byte[] { 0 }, DicomStorageLevelOfSupport.Level0, DicomDigitalSignatureSupport.Unspecified, DicomElementCoercion.Unspecified)]     // short field
    [InlineData(new byte[] { 3, 0, 0 }, DicomStorageLevelOfSupport.Unspecified, DicomDigitalSignatureSupport.Unspecified, DicomElementCoercion.Unspecified)]
    public void StorageApplicationInformation_Parse(byte[] bytes, DicomStorageLevelOfSupport level, DicomDigitalSignatureSupport signature, DicomElementCoercion coercion)
    {
        var info = DicomStorageApplicationInformation.Parse(bytes);
        Assert.Equal(new DicomStorageApplicationInformation(level, signature, coercion), info);
        Assert.Equal(6, info.ToBytes().Length);
        Assert.Equal(info, DicomStorageApplicationInformation.Parse(info.ToBytes()));
    }

    [Theory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 4, 0, 0, 0, 0, 0 }, "byte 1")]
    [InlineData(new byte[] { 2, 0, 4, 0, 0, 0 }, "byte 3")]
    [InlineData(new byte[] { 2, 0, 3, 0, 3, 0 }, "byte 5")]
    public void StorageApplicationInformation_Malformed_IsTypedError(byte[] bytes, string where)
    {
        var e = Assert.Throws<DicomNetworkException>(() => DicomStorageApplicationInformation.Parse(bytes));
        Assert.Equal(DicomNetworkErrorReason.MalformedPdu, e.Reason);
        Assert.Contains(where, e.Message);
    }

    [Fact]
    public void QueryRetrieveApplicationInformation_OneBytePerFeature()
    {
        Assert.Equal([0], DicomQueryRetrieveApplicationInformation.ToBytes(DicomQueryExtendedFeatures.None));
        Assert.Equal([1, 0, 0, 1], DicomQueryRetrieveApplicationInformation.ToBytes(DicomQueryExtendedFeatures.RelationalQueries | DicomQueryExtendedFeatures.TimezoneQueryAdjustment));
        Assert.Equal([0, 0, 0, 0, 1], DicomQueryRetrieveApplicationInformation.ToBytes(DicomQueryExtendedFeatures.EnhancedMultiFrameImageConversion));
        Assert.Equal(DicomQueryExtendedFeatures.RelationalQueries | DicomQueryExtendedFeatures.FuzzySemanticMatchingOfPersonNames,
            DicomQueryRetrieveApplicationInformation.ParseQuery([1, 0, 1]));
        Assert.Equal([1, 1], DicomQueryRetrieveApplicationInformation.ToBytes(DicomRetrieveExtendedFeatures.RelationalRetrieval | DicomRetrieveExtendedFeatures.EnhancedMultiFrameImageConversion));
        // Reserved bytes after the defined ones are ignored; a defined byte other than 0/1 is an error.
        Assert.Equal(DicomRetrieveExtendedFeatures.RelationalRetrieval, DicomQueryRetrieveApplicationInformation.ParseRetrieve([1, 0, 7]));
        Assert.Equal(DicomNetworkErrorReason.MalformedPdu, Assert.Throws<DicomNetworkException>(() => DicomQueryRetrieveApplicationInformation.ParseQuery([0, 2])).Reason);
        Assert.Throws<DicomNetworkException>(() => DicomQueryRetrieveApplicationInformation.ParseRetrieve([]));
    }

    // ---- release collision on the acceptor side (PS3.8 Sta10 -> Sta12) --------------------------------------------------

    [Fact]
    public async Task ReleaseCollision_AsAcceptor_AnswersTheRequestorsRpWithItsOwn_AndEndsCleanly()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepting = Task.Run(async () =>
        {
            var socket = await listener.AcceptSocketAsync();
            return await DicomAssociation.AcceptAsync(socket, new NetworkStream(socket, ownsSocket: true), rq =>
            {
                var ac = new AssociationParameters { CallingAE = rq.CallingAE, CalledAE = rq.CalledAE };
                foreach (var pc in rq.PresentationContexts)
                    ac.PresentationContexts.Add(new PresentationContext(pc.Id, pc.AbstractSyntax, pc.TransferSyntaxes) { Result = PresentationContextResult.Acceptance, AcceptedTransferSyntax = pc.TransferSyntaxes[0] });
                return new DicomAssociation.AcceptDecision(ac, null);
            }, TestTimeouts.Fast(), null, CancellationToken.None);
        });
        using var raw = await RawClient.ConnectAsync(((IPEndPoint)listener.LocalEndpoint).Port);
        var p = new AssociationParameters { CallingAE = "RAWREQ", CalledAE = "ACCEPTOR" };
        p.PresentationContexts.Add(new PresentationContext(1, DicomUid.Verification.Value, "1.2.840.10008.1.2"));
        await raw.SendAsync(PduCodec.Encode(new AssociateRequestPdu(p)));
        Assert.Equal(0x02, (await RawPdu.ReadAsync(raw.Stream))[0]);
        var acceptor = await accepting.WaitAsync(TimeSpan.FromSeconds(10));

        var release = acceptor.ReleaseAsync();                          // acceptor: Sta6 -> Sta7, A-RELEASE-RQ
        Assert.Equal(0x05, (await RawPdu.ReadAsync(raw.Stream))[0]);
        await raw.SendAsync(PduCodec.Encode(new ReleaseRequestPdu()));  // requestor's own A-RELEASE-RQ crosses it: acceptor Sta7 -> Sta10
        await raw.SendAsync(PduCodec.Encode(new ReleaseResponsePdu())); // requestor (Sta9) answers first: acceptor Sta10 -> Sta12
        Assert.Equal(0x06, (await RawPdu.ReadAsync(raw.Stream))[0]);        // acceptor answers with its A-RELEASE-RP (AR-4)
        raw.Dispose();                                                   // requestor closes the transport (acceptor Sta13 -> Sta1)
        await release.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(await acceptor.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        await acceptor.DisposeAsync();
    }

    // ---- graceful shutdown with an operation in flight ------------------------------------------------------------------

    private sealed class GatedStorage(DicomFileStore inner) : IDicomStorageHandler
    {
        public readonly TaskCompletionSource Entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource Release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<Stream> OpenDatasetStreamAsync(DicomAssociation association, DimseMessage request) => inner.OpenDatasetStreamAsync(association, request);

        public async Task<DicomStatus> OnStoreAsync(DicomAssociation association, DimseMessage request, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Release.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            return await inner.OnStoreAsync(association, request, cancellationToken);
        }
    }

    [Fact]
    public async Task Server_StopAsync_LetsTheStoreInFlightFinish_AndRefusesNewAssociations()
    {
        var scp = await TestScp.StartAsync();
        try
        {
            var gated = new GatedStorage(scp.Store);
            scp.Server.Storage = gated;
            var src = Path.Combine(scp.Directory, "..", Path.GetFileName(scp.Directory) + "-src");
            var file = TestData.Generate(src, "STOP", DicomUid.GenerateValue());
            var store = new DicomStorageScu(scp.Client()).StoreAsync([file]);
            await gated.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

            var stop = scp.Server.StopAsync(TimeSpan.FromSeconds(30));
            // While stopping: no new association (the listener is closed).
            var e = await Assert.ThrowsAsync<DicomNetworkException>(() => new DicomVerificationScu(scp.Client()).EchoAsync());
            Assert.Equal(DicomNetworkErrorReason.ConnectionFailed, e.Reason);
            Assert.False(stop.IsCompleted);

            gated.Release.TrySetResult();
            var result = Assert.Single(await store);
            Assert.Equal(DicomStatus.Success, result.Status);
            await stop.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Single(scp.StoredFiles());
            Assert.Empty(scp.TempFiles());
            Assert.Single(scp.Ended);
            Assert.Null(scp.Ended[0]); // released normally, not aborted
            Directory.Delete(src, true);
        }
        finally
        {
            await scp.DisposeAsync();
        }
    }
}

/// <summary>Collects log lines (for assertions and for diagnosing a failing fault test).</summary>
public sealed class ListLoggerFactory : Microsoft.Extensions.Logging.ILoggerFactory
{
    public System.Collections.Concurrent.ConcurrentQueue<string> Lines { get; } = new();

    public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider) { }

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(ListLoggerFactory owner, string category) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}");
    }
}
