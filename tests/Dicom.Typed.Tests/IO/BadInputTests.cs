using System.Buffers.Binary;
using Dicom.Typed.IO;

namespace Dicom.Typed.Tests.IO;

/// <summary>Corrupt input gives a typed <see cref="DicomReadException"/> with offset and tag path, never another exception, a hang or unbounded memory.</summary>
public sealed class BadInputTests
{
    private static string Sample(string name) => Path.Combine(TestEnvironment.PydicomData, "test_files", name);

    private static byte[] Explicit(params (ushort g, ushort e, string vr, byte[] value)[] elements)
    {
        using var ms = new MemoryStream();
        foreach (var (g, e, vr, value) in elements)
        {
            var h = new byte[12].AsSpan();
            BinaryPrimitives.WriteUInt16LittleEndian(h, g);
            BinaryPrimitives.WriteUInt16LittleEndian(h[2..], e);
            h[4] = (byte)vr[0];
            h[5] = (byte)vr[1];
            BinaryPrimitives.WriteUInt16LittleEndian(h[6..], (ushort)value.Length);
            ms.Write(h[..8]);
            ms.Write(value);
        }
        return ms.ToArray();
    }

    private static byte[] Part10(byte[] body, string ts = "1.2.840.10008.1.2.1")
    {
        var file = new DicomFile(new DicomDataset(), DicomTransferSyntax.Parse(ts));
        using var ms = new MemoryStream();
        file.Save(ms);
        ms.Write(body);
        return ms.ToArray();
    }

    [Fact]
    public void Truncated_file_reports_offset_and_path()
    {
        var bytes = File.ReadAllBytes(Sample("CT_small.dcm"));
        var cut = bytes[..(bytes.Length - 1000)];
        var e = Assert.Throws<DicomReadException>(() => DicomFile.Open(cut));
        Assert.Contains("(7FE0,0010)", e.TagPath);
        Assert.True(e.Offset > 1000 && e.Offset < cut.Length, $"offset {e.Offset}");
        Assert.Contains("exceeds", e.Reason);
    }

    [Fact]
    public void Truncated_files_from_pydicom_are_rejected_like_dcmtk_does()
    {
        foreach (var name in new[] { "MR_truncated.dcm", "rtplan_truncated.dcm" })
        {
            var e = Assert.Throws<DicomReadException>(() => DicomFile.Open(Sample(name)));
            Assert.True(e.Offset > 0);
            var (rc, _, _) = TestEnvironment.Run(TestEnvironment.RequireProgram("dcmdump"), ["-q", Sample(name)]);
            Assert.NotEqual(0, rc);
        }
    }

    [Fact]
    public void Lying_length_in_a_short_file_is_rejected_without_allocating_it()
    {
        // (0010,0010) UT with a 32-bit length of 0xFFFFFFF0 in a file of a few hundred bytes.
        var body = new byte[] { 0x10, 0x00, 0x10, 0x00, (byte)'U', (byte)'T', 0, 0, 0xF0, 0xFF, 0xFF, 0xFF, (byte)'A', (byte)'B' };
        var data = Part10(body);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DicomReadException>(() => DicomFile.Open(data));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("exceeds", e.Reason);
        Assert.Equal("(0010,0010)", e.TagPath);
        Assert.True(allocated < 1 << 20, $"allocated {allocated} bytes");
        // Same from a non-seekable stream, where the length of the input is unknown.
        before = GC.GetAllocatedBytesForCurrentThread();
        var e2 = Assert.Throws<DicomReadException>(() => DicomFile.Open(new NonSeekableStream(data)));
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("exceeds", e2.Reason);
        Assert.True(allocated < 64 << 20, $"allocated {allocated} bytes for a {data.Length}-byte stream");
    }

    [Fact]
    public void Endless_undefined_length_nesting_is_rejected()
    {
        // 10,000 nested undefined-length sequences each opening an undefined-length item.
        using var ms = new MemoryStream();
        for (int i = 0; i < 10_000; i++)
        {
            ms.Write([0x08, 0x00, 0x15, 0x11, (byte)'S', (byte)'Q', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]);
            ms.Write([0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF]);
        }
        var e = Assert.Throws<DicomReadException>(() => DicomFile.Open(Part10(ms.ToArray())));
        Assert.Contains("nesting", e.Reason);
        Assert.StartsWith("(0008,1115)[0].(0008,1115)[0]", e.TagPath);
    }

    [Fact]
    public void Undefined_length_on_a_string_VR_is_rejected()
    {
        var body = new byte[] { 0x10, 0x00, 0x20, 0x00, (byte)'L', (byte)'O', 0xFF, 0xFF };
        // LO has a 16-bit length: 0xFFFF bytes are not there
        var e = Assert.Throws<DicomReadException>(() => DicomFile.Open(Part10(body)));
        Assert.Equal("(0010,0020)", e.TagPath);
    }

    [Fact]
    public void Wrong_VR_bytes_are_read_tolerantly_and_reported()
    {
        // pydicom's badVR.dcm: an IS value "1A" that is not an integer. Reading is tolerant; typed access says why.
        var file = DicomFile.Open(Sample("badVR.dcm"));
        var tag = file.Dataset.OfType<DicomElement>().First(x => x.VR == DicomVR.IS && x.GetString() == "1A").Tag;
        var ve = Assert.Throws<DicomValueException>(() => file.Dataset.GetValue<int>(tag));
        Assert.Equal(tag, ve.Tag);
        Assert.False(file.Dataset.TryGetValue<int>(tag, out _));
        Assert.False(file.Dataset.GetValue<DicomIntegerString>(tag).IsValid);
        // A VR-like but unknown code is read as UN with a 32-bit length (PS3.5 7.1.2)
        var body = new byte[] { 0x09, 0x00, 0x10, 0x10, (byte)'X', (byte)'X', 0, 0, 2, 0, 0, 0, 1, 2 };
        var f = DicomFile.Open(Part10(body));
        Assert.Equal(DicomVR.UN, f.Dataset[new DicomTag(0x0009, 0x1010)]!.VR);
        Assert.Contains(f.Warnings, w => w.Contains("Unknown VR 'XX'"));
    }

    [Fact]
    public void Garbage_preamble_without_DICM_is_read_as_a_raw_dataset_or_rejected_with_a_typed_error()
    {
        var rnd = new Random(42);
        var garbage = new byte[4096];
        rnd.NextBytes(garbage);
        var e = Assert.Throws<DicomReadException>(() => DicomFile.Open(garbage));
        Assert.True(e.Offset >= 0);
        // A valid preamble of garbage followed by DICM and a real data set is fine (preamble content is free).
        var real = File.ReadAllBytes(Sample("CT_small.dcm"));
        rnd.NextBytes(real.AsSpan(0, 128));
        Assert.Equal("CT", DicomFile.Open(real).Dataset.GetString(DicomTag.Modality));
    }

    [Fact]
    public void Item_with_wrong_tag_inside_a_sequence_is_rejected()
    {
        var body = new byte[] { 0x08, 0x00, 0x15, 0x11, (byte)'S', (byte)'Q', 0, 0, 8, 0, 0, 0, 0x10, 0x00, 0x10, 0x00, 0, 0, 0, 0 };
        var e = Assert.Throws<DicomReadException>(() => DicomFile.Open(Part10(body)));
        Assert.Contains("Expected an item", e.Reason);
        Assert.StartsWith("(0008,1115)", e.TagPath);
    }

    [Fact]
    public void Corrupt_deflate_stream_is_a_typed_error()
    {
        var bytes = File.ReadAllBytes(Sample("image_dfl.dcm"));
        var file = DicomFile.Open(bytes);
        int metaEnd = 132 + 12 + (int)file.FileMetaInformation.GetValue<uint>(DicomTag.FileMetaInformationGroupLength);
        for (int i = metaEnd + 10; i < bytes.Length; i += 7) bytes[i] ^= 0x5A;
        var e = Assert.Throws<DicomReadException>(() => DicomFile.Open(bytes));
        Assert.True(e.Offset >= 0);
    }

    /// <summary>Bounded fuzzing: mutations of real files with a fixed seed. Every input either parses or raises DicomReadException.</summary>
    [Fact]
    public void Mutated_real_files_never_escape_as_other_exceptions()
    {
        string[] seeds = ["CT_small.dcm", "MR_small_bigendian.dcm", "rtplan.dcm", "image_dfl.dcm", "JPEG2000.dcm", "nested_priv_SQ.dcm", "UN_sequence.dcm", "no_meta.dcm", "waveform_ecg.dcm"];
        var rnd = new Random(20261123);
        int parsed = 0, rejected = 0;
        const int perSeed = 400;
        foreach (var name in seeds)
        {
            var original = File.ReadAllBytes(Sample(name));
            for (int i = 0; i < perSeed; i++)
            {
                var data = Mutate(original, rnd);
                try
                {
                    var f = DicomFile.Open(data);
                    // Whatever parsed must be writable and dumpable.
                    DicomDump.Format(f.Dataset);
                    parsed++;
                }
                catch (DicomReadException e)
                {
                    Assert.True(e.Offset >= 0 && e.Offset <= data.Length + (1 << 24), $"offset {e.Offset}");
                    rejected++;
                }
                catch (DicomValueException)
                {
                    parsed++; // parsed, but a value could not be shown: still a typed DICOM error
                }
                catch (Exception e)
                {
                    Assert.Fail($"{name} mutation {i}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
                }
            }
        }
        Assert.Equal(seeds.Length * perSeed, parsed + rejected);
        Assert.True(rejected > 100 && parsed > 100, $"parsed {parsed}, rejected {rejected}");
    }

    private static byte[] Mutate(byte[] original, Random rnd)
    {
        var data = (byte[])original.Clone();
        switch (rnd.Next(5))
        {
            case 0: // flip random bytes
                for (int k = rnd.Next(1, 8); k > 0; k--) data[rnd.Next(data.Length)] = (byte)rnd.Next(256);
                return data;
            case 1: // truncate
                return data[..rnd.Next(1, data.Length)];
            case 2: // plant a huge length somewhere
            {
                int at = rnd.Next(data.Length - 4);
                BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at), rnd.Next(2) == 0 ? 0xFFFFFFF0u : (uint)rnd.Next());
                return data;
            }
            case 3: // plant an undefined length
            {
                int at = rnd.Next(data.Length - 4);
                BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at), 0xFFFFFFFFu);
                return data;
            }
            default: // duplicate a chunk
            {
                int start = rnd.Next(data.Length), len = rnd.Next(1, Math.Min(512, data.Length - start + 1));
                var list = new List<byte>(data);
                list.InsertRange(rnd.Next(data.Length), data.AsSpan(start, Math.Min(len, data.Length - start)).ToArray());
                return list.ToArray();
            }
        }
    }

    private sealed class NonSeekableStream(byte[] data) : Stream
    {
        private readonly MemoryStream _inner = new(data);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
