using System.Buffers.Binary;
using Dicom.Typed.IO;

namespace Dicom.Typed.Media;

/// <summary>
/// Encodes a DICOMDIR (Explicit VR Little Endian, defined lengths) from a record tree. Record offsets are computed
/// from the encoded lengths before writing (the link values are fixed-size, so they do not change any length) and
/// checked against the written bytes afterwards.
/// </summary>
internal static class DicomDirectoryWriter
{
    public const string MediaStorageDirectoryStorage = "1.2.840.10008.1.3.10";

    public static byte[] Encode(string fileSetId, string instanceUid, IReadOnlyList<DicomDirectoryRecord> roots)
    {
        var ordered = new List<DicomDirectoryRecord>();
        void Walk(DicomDirectoryRecord r)
        {
            ordered.Add(r);
            foreach (var c in r.ChildList) Walk(c);
        }
        foreach (var r in roots) Walk(r);

        var items = new DicomDataset[ordered.Count];
        var index = new Dictionary<DicomDirectoryRecord, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < ordered.Count; i++)
        {
            var ds = ordered[i].KeysOnly();
            ds.UndefinedLength = false;
            ds.AddOrUpdate(DicomElement.FromValues(DicomTag.OffsetOfTheNextDirectoryRecord, DicomVR.UL, 0u));
            ds.AddOrUpdate(DicomElement.FromValues(DicomTag.RecordInUseFlag, DicomVR.US, (ushort)0xFFFF));
            ds.AddOrUpdate(DicomElement.FromValues(DicomTag.OffsetOfReferencedLowerLevelDirectoryEntity, DicomVR.UL, 0u));
            items[i] = ds;
            index[ordered[i]] = i;
        }

        var dataset = new DicomDataset();
        dataset.AddOrUpdate(DicomTag.FileSetID, fileSetId.Length == 0 ? [] : [fileSetId]);
        dataset.AddOrUpdate(DicomElement.FromValues(DicomTag.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity, DicomVR.UL, 0u));
        dataset.AddOrUpdate(DicomElement.FromValues(DicomTag.OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity, DicomVR.UL, 0u));
        dataset.AddOrUpdate(DicomElement.FromValues(DicomTag.FileSetConsistencyFlag, DicomVR.US, (ushort)0));

        var file = new DicomFile(dataset, DicomTransferSyntax.ExplicitVRLittleEndian);
        file.FileMetaInformation.AddOrUpdate(DicomTag.MediaStorageSOPClassUID, MediaStorageDirectoryStorage);
        file.FileMetaInformation.AddOrUpdate(DicomTag.MediaStorageSOPInstanceUID, instanceUid);

        var writer = new DicomDatasetWriter(Stream.Null, DicomTransferSyntax.ExplicitVRLittleEndian);
        long metaLength = writer.ComputeLength(file.BuildMeta());
        long pos = 128 + 4 + metaLength + writer.ComputeLength(dataset) + 12; // 12: SQ header (explicit VR, long form)
        var offsets = new uint[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            if (pos > uint.MaxValue) throw new DicomException("DICOMDIR larger than 4 GiB: record offsets do not fit in UL");
            offsets[i] = (uint)pos;
            pos += 8 + writer.ComputeLength(items[i]);
        }

        void Link(IReadOnlyList<DicomDirectoryRecord> siblings)
        {
            for (int k = 0; k < siblings.Count; k++)
            {
                var ds = items[index[siblings[k]]];
                uint next = k + 1 < siblings.Count ? offsets[index[siblings[k + 1]]] : 0u;
                uint lower = siblings[k].ChildList.Count > 0 ? offsets[index[siblings[k].ChildList[0]]] : 0u;
                ds.AddOrUpdate(DicomElement.FromValues(DicomTag.OffsetOfTheNextDirectoryRecord, DicomVR.UL, next));
                ds.AddOrUpdate(DicomElement.FromValues(DicomTag.OffsetOfReferencedLowerLevelDirectoryEntity, DicomVR.UL, lower));
                Link(siblings[k].ChildList);
            }
        }
        Link(roots);
        if (roots.Count > 0)
        {
            dataset.AddOrUpdate(DicomElement.FromValues(DicomTag.OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity, DicomVR.UL, offsets[index[roots[0]]]));
            dataset.AddOrUpdate(DicomElement.FromValues(DicomTag.OffsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity, DicomVR.UL, offsets[index[roots[^1]]]));
        }
        dataset.AddOrUpdate(new DicomSequence(DicomTag.DirectoryRecordSequence, items) { UndefinedLength = false });

        using var ms = new MemoryStream((int)Math.Min(pos + 64, int.MaxValue));
        file.Save(ms);
        var bytes = ms.ToArray();
        for (int i = 0; i < offsets.Length; i++)
        {
            if (offsets[i] + 4 > bytes.Length || BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)offsets[i])) != 0xE000FFFEu)
                throw new InvalidOperationException($"internal error: computed offset 0x{offsets[i]:X} of record {i} is not an item");
        }
        for (int i = 0; i < ordered.Count; i++) ordered[i].Offset = offsets[i];
        return bytes;
    }
}
