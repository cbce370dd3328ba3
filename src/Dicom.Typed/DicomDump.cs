using System.Globalization;
using System.Text;

namespace Dicom.Typed;

/// <summary>Formats data sets as text in the style of DCMTK's <c>dcmdump</c>, for diagnostics.</summary>
public static class DicomDump
{
    /// <summary>Formats a file: meta header and data set.</summary>
    /// <param name="file">The file.</param>
    /// <param name="maxValueLength">Values longer than this many characters are shortened (like <c>dcmdump -M</c> for binary data).</param>
    public static string Format(DicomFile file, int maxValueLength = 64)
    {
        var sb = new StringBuilder();
        sb.Append("# Dicom-File-Format\n\n# Dicom-Meta-Information-Header\n# Used TransferSyntax: Little Endian Explicit\n");
        AppendDataset(sb, file.BuildMeta(), 0, maxValueLength);
        sb.Append("\n# Dicom-Data-Set\n# Used TransferSyntax: ").Append(file.TransferSyntax.Uid.Name).Append('\n');
        AppendDataset(sb, file.Dataset, 0, maxValueLength);
        return sb.ToString();
    }

    /// <summary>Formats a data set.</summary>
    /// <param name="dataset">The data set.</param>
    /// <param name="maxValueLength">Maximum characters per value.</param>
    public static string Format(DicomDataset dataset, int maxValueLength = 64)
    {
        var sb = new StringBuilder();
        AppendDataset(sb, dataset, 0, maxValueLength);
        return sb.ToString();
    }

    /// <summary>Writes the dump of a data set to a text writer.</summary>
    /// <param name="writer">The target.</param>
    /// <param name="dataset">The data set.</param>
    /// <param name="maxValueLength">Maximum characters per value.</param>
    public static void Write(TextWriter writer, DicomDataset dataset, int maxValueLength = 64)
    {
        var sb = new StringBuilder();
        AppendDataset(sb, dataset, 0, maxValueLength);
        writer.Write(sb);
    }

    private static void AppendDataset(StringBuilder sb, DicomDataset ds, int depth, int max)
    {
        foreach (var item in ds)
        {
            string indent = new(' ', depth * 2);
            string keyword = item.Tag.IsPrivate
                ? (item.Tag.IsPrivateCreator ? "PrivateCreator" : $"Unknown Tag & Data ({ds.GetPrivateCreator(item.Tag) ?? "no creator"})")
                : DicomDictionary.Lookup(item.Tag).Keyword is { Length: > 0 } k ? k : "Unknown Tag & Data";
            switch (item)
            {
                case DicomSequence sq:
                    Line(sb, indent, item.Tag, "SQ", $"(Sequence with {(sq.UndefinedLength ? "undefined" : "explicit")} length #={sq.Items.Count})", -1, sq.Items.Count, keyword);
                    foreach (var child in sq.Items)
                    {
                        sb.Append(indent).Append("  (fffe,e000) na (Item with ").Append(child.UndefinedLength ? "undefined" : "explicit").Append(" length #=").Append(child.Count.ToString(CultureInfo.InvariantCulture)).Append(")\n");
                        AppendDataset(sb, child, depth + 2, max);
                        sb.Append(indent).Append("  (fffe,e00d) na (ItemDelimitationItem)\n");
                    }
                    sb.Append(indent).Append("(fffe,e0dd) na (SequenceDelimitationItem)\n");
                    break;
                case DicomFragmentSequence f:
                    Line(sb, indent, item.Tag, f.VR.Code, "(PixelSequence #=" + (f.Fragments.Count + 1).ToString(CultureInfo.InvariantCulture) + ")", -1, 1, keyword);
                    sb.Append(indent).Append("  (fffe,e000) pi (offset table, ").Append(f.OffsetTable.Length.ToString(CultureInfo.InvariantCulture)).Append(" bytes)\n");
                    foreach (var frag in f.Fragments) sb.Append(indent).Append("  (fffe,e000) pi (fragment, ").Append(frag.Length.ToString(CultureInfo.InvariantCulture)).Append(" bytes)\n");
                    break;
                case DicomElement e:
                    string value;
                    if (e.IsEmpty) value = "(no value available)";
                    else if (!e.Buffer.IsLoaded) value = $"(not loaded, {e.Length} bytes)";
                    else if (e.VR.IsString) value = "[" + Escape(e.GetString()) + "]";
                    else if (e.VR == DicomVR.OB || e.VR == DicomVR.UN) value = Hex(e.Bytes, max);
                    else value = e.GetString();
                    if (value.Length > max + 2) value = value[..max] + "...";
                    Line(sb, indent, item.Tag, e.VR.Code, value, e.Length, e.Count, keyword);
                    break;
            }
        }
    }

    private static string Escape(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char c in s) sb.Append(c < 0x20 ? '.' : c);
        return sb.ToString();
    }

    private static string Hex(ReadOnlySpan<byte> bytes, int max)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < bytes.Length && sb.Length <= max; i++)
        {
            if (i > 0) sb.Append('\\');
            sb.Append(bytes[i].ToString("x2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string indent, DicomTag tag, string vr, string value, long length, int vm, string keyword)
    {
        int start = sb.Length;
        sb.Append(indent).Append('(').Append(tag.Group.ToString("x4", CultureInfo.InvariantCulture)).Append(',').Append(tag.Element.ToString("x4", CultureInfo.InvariantCulture)).Append(") ")
          .Append(vr).Append(' ').Append(value);
        int pad = 40 + indent.Length - (sb.Length - start);
        if (pad > 0) sb.Append(' ', pad);
        sb.Append(" # ").Append(length < 0 ? "u/l" : length.ToString(CultureInfo.InvariantCulture).PadLeft(3)).Append(',')
          .Append(vm.ToString(CultureInfo.InvariantCulture).PadLeft(2)).Append(' ').Append(keyword).Append('\n');
    }
}
