using BenchmarkDotNet.Attributes;
using Dicom.Typed.IO;
using Dicom.Typed.Network;

namespace Dicom.Typed.Benchmarks;

/// <summary>The per-file hot paths of a C-STORE transfer (network.sh measures the whole): reading a small Part 10
/// file from disk, encoding the C-STORE-RQ command and data set, and reading the P-DATA-TF PDUs that carry it the way
/// the association's reader does (<see cref="PduReader"/>: one receive buffer, pooled state machines) beside the
/// public, allocating <see cref="PduCodec.ReadAsync(Stream, uint, CancellationToken)"/>.
/// Run: <c>dotnet run -c Release --project tests/Dicom.Typed.Benchmarks -- --filter '*NetworkBenchmarks*' --job short</c></summary>
[MemoryDiagnoser]
public class NetworkBenchmarks
{
    private const string CtSmall = "/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm";
    private DicomFile _ct = null!;
    private byte[] _pdus = [];
    private int _pduCount;

    [GlobalSetup]
    public void Setup()
    {
        _ct = DicomFile.Open(CtSmall);
        // CT_small.dcm's data set in Explicit VR Little Endian, fragmented into 16 KiB P-DATA-TF PDUs, 100 times over.
        var ms = new MemoryStream();
        new DicomDatasetWriter(ms, DicomTransferSyntax.ExplicitVRLittleEndian).Write(_ct.Dataset);
        var data = ms.ToArray();
        var wire = new MemoryStream();
        for (int copy = 0; copy < 100; copy++)
        {
            for (int off = 0; off < data.Length; off += 16372)
            {
                int n = Math.Min(16372, data.Length - off);
                var pdv = new PresentationDataValue(1, false, off + n == data.Length, data.AsMemory(off, n));
                wire.Write(PduCodec.Encode(new DataTransferPdu([pdv])));
                _pduCount++;
            }
        }
        _pdus = wire.ToArray();
    }

    /// <summary>Opens CT_small.dcm (39 KB) from disk: open, length, one read, parse.</summary>
    [Benchmark]
    public int OpenSmallFile() => DicomFile.Open(CtSmall).Dataset.Count;

    /// <summary>C-STORE-RQ command encoded and the data set written in Explicit VR Little Endian (to Stream.Null).</summary>
    [Benchmark]
    public int EncodeCStore()
    {
        var rq = DimseMessage.CreateRequest(DimseCommandField.CStoreRequest, 1, DicomUid.CTImageStorage.Value, "1.2.3.4", _ct.Dataset);
        var command = rq.EncodeCommand();
        new DicomDatasetWriter(Stream.Null, DicomTransferSyntax.ExplicitVRLittleEndian).Write(_ct.Dataset);
        return command.Length;
    }

    /// <summary>Reads the PDUs as the association's reader does (<see cref="PduReader"/>, 16 KiB PDUs, 20 KiB buffer).</summary>
    [Benchmark]
    public async Task<int> ReadDataPdusBuffered()
    {
        var reader = new PduReader(new MemoryStream(_pdus, false), 16384, 16384 + 4096 + PduCodec.HeaderLength);
        int values = 0;
        while (await reader.ReadAsync(default) is DataTransferPdu p) values += p.Values.Count;
        return values;
    }

    /// <summary>Reads the PDUs with the public API (a new body and header array per PDU).</summary>
    [Benchmark(Baseline = true)]
    public async Task<int> ReadDataPdusPublic()
    {
        var s = new MemoryStream(_pdus, false);
        int values = 0;
        while (await PduCodec.ReadAsync(s, 16384, default) is DataTransferPdu p) values += p.Values.Count;
        return values;
    }
}
