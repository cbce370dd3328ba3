using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Dicom.Typed.Text;

namespace Dicom.Typed;

/// <summary>
/// A data set: data elements ordered by tag (PS3.5 7.1). Sequence items are data sets too; an item inherits the
/// Specific Character Set of its enclosing data set unless it has its own.
/// </summary>
public sealed class DicomDataset : IEnumerable<DicomItem>
{
    private readonly List<DicomItem> _items = [];
    private DicomCharacterSet? _characterSet;

    /// <summary>Creates an empty data set.</summary>
    public DicomDataset() { }

    /// <summary>Creates a data set with the given elements.</summary>
    /// <param name="items">The elements.</param>
    public DicomDataset(IEnumerable<DicomItem> items)
    {
        foreach (var i in items) AddOrUpdate(i);
    }

    /// <summary>The sequence containing this data set when it is an item; null for a top-level data set.</summary>
    public DicomSequence? Parent { get; internal set; }

    /// <summary>The data set that contains <see cref="Parent"/>, if known.</summary>
    internal DicomDataset? ParentDataset { get; set; }

    /// <summary>For items: whether the item is written with undefined length; preserved from the source, true for new items.</summary>
    public bool UndefinedLength { get; set; } = true;

    /// <summary>Number of elements at this level.</summary>
    public int Count => _items.Count;

    /// <summary>The Specific Character Set in effect: this data set's (0008,0005), else the enclosing data set's, else the default repertoire.</summary>
    public DicomCharacterSet CharacterSet
    {
        get
        {
            if (_characterSet != null) return _characterSet;
            return ParentDataset?.CharacterSet ?? DicomCharacterSet.Default;
        }
    }

    /// <summary>Gets the element with <paramref name="tag"/>, or null.</summary>
    /// <param name="tag">The tag.</param>
    public DicomItem? this[DicomTag tag] => Find(tag) is var i and >= 0 ? _items[i] : null;

    private int Find(DicomTag tag)
    {
        var items = _items;
        uint v = tag.Value;
        int count = items.Count;
        if (count > 0 && items[count - 1].Tag.Value == v) return count - 1;
        int lo = 0, hi = count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            uint m = items[mid].Tag.Value;
            if (m == v) return mid;
            if (m < v) lo = mid + 1; else hi = mid - 1;
        }
        return ~lo;
    }

    /// <summary>True when the data set contains <paramref name="tag"/>.</summary>
    /// <param name="tag">The tag.</param>
    public bool Contains(DicomTag tag) => Find(tag) >= 0;

    /// <summary>Adds an element, replacing any element with the same tag.</summary>
    /// <param name="item">The element.</param>
    /// <returns>This data set.</returns>
    public DicomDataset AddOrUpdate(DicomItem item)
    {
        int count = _items.Count;
        if (count == 0 || _items[count - 1].Tag.Value < item.Tag.Value)
        {
            _items.Add(item);
        }
        else
        {
            int i = Find(item.Tag);
            if (i >= 0) _items[i] = item; else _items.Insert(~i, item);
        }
        OnAdded(item);
        return this;
    }

    /// <summary>Adds an element; throws when the tag is already present.</summary>
    /// <param name="item">The element.</param>
    /// <exception cref="ArgumentException">Duplicate tag.</exception>
    public DicomDataset Add(DicomItem item)
    {
        int i = Find(item.Tag);
        if (i >= 0) throw new ArgumentException($"The data set already contains {item.Tag}", nameof(item));
        _items.Insert(~i, item);
        OnAdded(item);
        return this;
    }

    /// <summary>Appends an element read from a stream; returns false when the tag is not greater than the last one (out of order or duplicate).</summary>
    internal bool TryAppend(DicomItem item)
    {
        int count = _items.Count;
        if (count > 0 && _items[count - 1].Tag.Value >= item.Tag.Value) return false;
        _items.Add(item);
        OnAdded(item);
        return true;
    }

    private void OnAdded(DicomItem item)
    {
        if (item is DicomSequence sq)
        {
            foreach (var ds in sq.Items) ds.ParentDataset = this;
        }
        else if (item.Tag.Value == 0x00080005u && item is DicomElement e)
        {
            _characterSet = DicomCharacterSet.Parse(e.GetStrings());
        }
    }

    /// <summary>Removes the element with <paramref name="tag"/>.</summary>
    /// <param name="tag">The tag.</param>
    /// <returns>True when removed.</returns>
    public bool Remove(DicomTag tag)
    {
        int i = Find(tag);
        if (i < 0) return false;
        _items.RemoveAt(i);
        if (tag.Value == 0x00080005u) _characterSet = null;
        return true;
    }

    /// <summary>Removes all elements matching <paramref name="predicate"/>.</summary>
    /// <param name="predicate">The filter.</param>
    /// <returns>The number removed.</returns>
    public int RemoveAll(Predicate<DicomItem> predicate)
    {
        int n = _items.RemoveAll(predicate);
        if (!Contains(new DicomTag(0x00080005u))) _characterSet = null;
        return n;
    }

    /// <summary>Removes all elements.</summary>
    public void Clear()
    {
        _items.Clear();
        _characterSet = null;
    }

    // ---- typed access -------------------------------------------------------------------------------------------

    /// <summary>Gets the value element with <paramref name="tag"/>, or null.</summary>
    /// <param name="tag">The tag.</param>
    public DicomElement? GetElement(DicomTag tag) => this[tag] as DicomElement;

    /// <summary>Gets the sequence with <paramref name="tag"/>, or null.</summary>
    /// <param name="tag">The tag.</param>
    public DicomSequence? GetSequence(DicomTag tag) => this[tag] as DicomSequence;

    /// <summary>Gets the value of an element as one string (multiple values joined with '\').</summary>
    /// <param name="tag">The tag.</param>
    /// <exception cref="DicomValueException">The element is missing.</exception>
    public string GetString(DicomTag tag) => GetElement(tag)?.GetString() ?? throw new DicomValueException(tag, "element not present");

    /// <summary>Gets the value of an element as one string, or <paramref name="fallback"/> when missing.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="fallback">The default.</param>
    [return: NotNullIfNotNull(nameof(fallback))]
    public string? GetStringOrDefault(DicomTag tag, string? fallback = null) => GetElement(tag)?.GetString() ?? fallback;

    /// <summary>Tries to get the value of an element as one string.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="value">The value.</param>
    public bool TryGetString(DicomTag tag, [NotNullWhen(true)] out string? value)
    {
        value = GetElement(tag)?.GetString();
        return value != null;
    }

    /// <summary>Gets all values of an element as strings; empty when missing.</summary>
    /// <param name="tag">The tag.</param>
    public string[] GetStrings(DicomTag tag) => GetElement(tag)?.GetStrings() ?? [];

    /// <summary>Gets one value of an element converted to <typeparamref name="T"/> (see <see cref="DicomElement.GetValue{T}(int)"/>).</summary>
    /// <typeparam name="T">Target type.</typeparam>
    /// <param name="tag">The tag.</param>
    /// <param name="index">Value index.</param>
    /// <exception cref="DicomValueException">Missing or not convertible.</exception>
    public T GetValue<T>(DicomTag tag, int index = 0) =>
        (GetElement(tag) ?? throw new DicomValueException(tag, "element not present")).GetValue<T>(index);

    /// <summary>Gets one value, or <paramref name="fallback"/> when the element is missing, empty or not convertible.</summary>
    /// <typeparam name="T">Target type.</typeparam>
    /// <param name="tag">The tag.</param>
    /// <param name="index">Value index.</param>
    /// <param name="fallback">The default.</param>
    public T GetValueOrDefault<T>(DicomTag tag, int index, T fallback)
    {
        var e = GetElement(tag);
        if (e == null || e.IsEmpty) return fallback;
        try
        {
            var values = e.GetValues<T>();
            return index < values.Length ? values[index] : fallback;
        }
        catch (DicomValueException)
        {
            return fallback;
        }
    }

    /// <summary>Tries to get one value.</summary>
    /// <typeparam name="T">Target type.</typeparam>
    /// <param name="tag">The tag.</param>
    /// <param name="value">The value.</param>
    public bool TryGetValue<T>(DicomTag tag, [MaybeNullWhen(false)] out T value)
    {
        value = default;
        var e = GetElement(tag);
        if (e == null || e.IsEmpty) return false;
        try
        {
            var values = e.GetValues<T>();
            if (values.Length == 0) return false;
            value = values[0];
            return true;
        }
        catch (DicomValueException)
        {
            return false;
        }
    }

    /// <summary>Gets all values converted to <typeparamref name="T"/>; empty when missing.</summary>
    /// <typeparam name="T">Target type.</typeparam>
    /// <param name="tag">The tag.</param>
    public T[] GetValues<T>(DicomTag tag) => GetElement(tag)?.GetValues<T>() ?? [];

    /// <summary>Sets string values using the dictionary VR of <paramref name="tag"/>.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="values">The values (none for an empty, present element).</param>
    public DicomDataset AddOrUpdate(DicomTag tag, params string[] values) => AddOrUpdate(tag, DicomDictionary.Lookup(tag).VR, values);

    /// <summary>Sets string values with an explicit VR; numeric VRs parse the strings.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="vr">The VR.</param>
    /// <param name="values">The values.</param>
    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, params string[] values)
    {
        if (vr.IsString)
        {
            var cs = tag.Value == 0x00080005u ? DicomCharacterSet.Default : CharacterSet;
            return AddOrUpdate(DicomElement.FromStrings(tag, vr, cs, values));
        }
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return vr.Code switch
        {
            "US" or "OW" => AddOrUpdate(DicomElement.FromValues(tag, vr, Array.ConvertAll(values, s => ushort.Parse(s, inv)))),
            "SS" => AddOrUpdate(DicomElement.FromValues(tag, vr, Array.ConvertAll(values, s => short.Parse(s, inv)))),
            "UL" or "OL" => AddOrUpdate(DicomElement.FromValues(tag, vr, Array.ConvertAll(values, s => uint.Parse(s, inv)))),
            "SL" => AddOrUpdate(DicomElement.FromValues(tag, vr, Array.ConvertAll(values, s => int.Parse(s, inv)))),
            "FL" or "OF" => AddOrUpdate(DicomElement.FromValues(tag, vr, Array.ConvertAll(values, s => float.Parse(s, inv)))),
            "FD" or "OD" => AddOrUpdate(DicomElement.FromValues(tag, vr, Array.ConvertAll(values, s => double.Parse(s, inv)))),
            "SV" => AddOrUpdate(DicomElement.FromValues(tag, vr, Array.ConvertAll(values, s => long.Parse(s, inv)))),
            "UV" or "OV" => AddOrUpdate(DicomElement.FromValues(tag, vr, Array.ConvertAll(values, s => ulong.Parse(s, inv)))),
            "AT" => AddOrUpdate(DicomElement.FromTags(tag, Array.ConvertAll(values, DicomTag.Parse))),
            "SQ" => throw new ArgumentException("Use DicomSequence for SQ", nameof(vr)),
            _ => AddOrUpdate(new DicomElement(tag, vr, DicomBuffer.FromMemory(DicomElement.Pad(Convert.FromHexString(string.Concat(values)), 0)))),
        };
    }

    /// <summary>Sets numeric values using the dictionary VR of <paramref name="tag"/>, converting them to the VR's binary type (or text for DS/IS).</summary>
    /// <typeparam name="T">A numeric type.</typeparam>
    /// <param name="tag">The tag.</param>
    /// <param name="values">The values.</param>
    /// <exception cref="OverflowException">A value does not fit the VR.</exception>
    public DicomDataset AddOrUpdate<T>(DicomTag tag, params T[] values) where T : unmanaged, IConvertible
    {
        var vr = DicomDictionary.Lookup(tag).VR;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (vr.IsString)
        {
            return AddOrUpdate(tag, vr, Array.ConvertAll(values, v => vr == DicomVR.DS && (v is double or float)
                ? DicomDecimalString.FromDouble(v.ToDouble(inv)).Text
                : v.ToString(inv)));
        }
        return vr.Code switch
        {
            "US" or "OW" => AddOrUpdate(DicomElement.FromValues(tag, vr, Array.ConvertAll(values, v => v.ToUInt16(inv)))),
            "SS" => AddOrUpdate(DicomElement.FromValues(tag, vr, Array.ConvertAll(values, v => v.ToInt16(inv)))),
            "UL" or "OL" => AddOrUpdate(DicomElement.FromValues(tag, vr, Array.ConvertAll(values, v => v.ToUInt32(inv)))),
            "SL" => AddOrUpdate(DicomElement.FromValues(tag, vr, Array.ConvertAll(values, v => v.ToInt32(inv)))),
            "FL" or "OF" => AddOrUpdate(DicomElement.FromValues(tag, vr, Array.ConvertAll(values, v => v.ToSingle(inv)))),
            "FD" or "OD" => AddOrUpdate(DicomElement.FromValues(tag, vr, Array.ConvertAll(values, v => v.ToDouble(inv)))),
            "SV" => AddOrUpdate(DicomElement.FromValues(tag, vr, Array.ConvertAll(values, v => v.ToInt64(inv)))),
            "UV" or "OV" => AddOrUpdate(DicomElement.FromValues(tag, vr, Array.ConvertAll(values, v => v.ToUInt64(inv)))),
            _ => AddOrUpdate(DicomElement.FromValues(tag, vr, values)),
        };
    }

    /// <summary>Sets a sequence.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="items">The items.</param>
    public DicomDataset AddOrUpdate(DicomTag tag, params DicomDataset[] items) => AddOrUpdate(new DicomSequence(tag, items));

    // ---- private blocks ----------------------------------------------------------------------------------------

    /// <summary>Finds the block that <paramref name="creator"/> reserved in <paramref name="group"/> (PS3.5 7.8.1).</summary>
    /// <param name="group">An odd group number.</param>
    /// <param name="creator">The Private Creator value (trailing spaces ignored).</param>
    /// <returns>The block number (0x10-0xFF), or null.</returns>
    public byte? FindPrivateBlock(ushort group, string creator)
    {
        string wanted = creator.TrimEnd(' ', '\0');
        for (int block = 0x10; block <= 0xFF; block++)
        {
            if (GetElement(new DicomTag(group, (ushort)block)) is { } e && e.VR.IsString && e.GetString().TrimEnd(' ', '\0') == wanted) return (byte)block;
        }
        return null;
    }

    /// <summary>Finds the tag of a private element by creator and element byte, never by a fixed block.</summary>
    /// <param name="group">An odd group number.</param>
    /// <param name="creator">The Private Creator.</param>
    /// <param name="elementByte">The low byte of the element number (the yy of gggg,xxyy).</param>
    /// <returns>The tag in this data set, or null when the creator has no block here.</returns>
    public DicomTag? FindPrivateTag(ushort group, string creator, byte elementByte) =>
        FindPrivateBlock(group, creator) is byte b ? new DicomTag(group, (ushort)((b << 8) | elementByte)) : null;

    /// <summary>Gets the tag of a private element, reserving a block for <paramref name="creator"/> when it has none.</summary>
    /// <param name="group">An odd group number.</param>
    /// <param name="creator">The Private Creator.</param>
    /// <param name="elementByte">The low byte of the element number.</param>
    /// <exception cref="DicomException">All 240 blocks of the group are taken.</exception>
    public DicomTag ReservePrivateTag(ushort group, string creator, byte elementByte)
    {
        if ((group & 1) == 0 || group <= 0x0007) throw new ArgumentOutOfRangeException(nameof(group), "Private groups are odd and above 0007");
        if (string.IsNullOrWhiteSpace(creator)) throw new ArgumentException("A private creator must not be empty", nameof(creator));
        byte? block = FindPrivateBlock(group, creator);
        if (block == null)
        {
            for (int b = 0x10; b <= 0xFF && block == null; b++)
            {
                if (!Contains(new DicomTag(group, (ushort)b))) block = (byte)b;
            }
            if (block == null) throw new DicomException($"No free private block in group {group:X4} for '{creator}'");
            AddOrUpdate(DicomElement.FromStrings(new DicomTag(group, block.Value), DicomVR.LO, CharacterSet, creator));
        }
        return new DicomTag(group, (ushort)((block.Value << 8) | elementByte));
    }

    /// <summary>Gets the Private Creator of a private data element, or null when its block is not reserved.</summary>
    /// <param name="tag">A private data element tag.</param>
    public string? GetPrivateCreator(DicomTag tag)
    {
        if (!tag.IsPrivate || tag.PrivateBlock == 0) return null;
        return GetElement(tag.PrivateCreatorTag)?.GetString();
    }

    // ---- misc ---------------------------------------------------------------------------------------------------

    /// <summary>Copies the data set (element buffers are shared; sequences and items are copied).</summary>
    public DicomDataset Clone()
    {
        var copy = new DicomDataset { UndefinedLength = UndefinedLength };
        foreach (var item in _items)
        {
            copy._items.Add(item is DicomSequence sq ? CloneSequence(sq) : item);
            if (item.Tag.Value == 0x00080005u) copy._characterSet = _characterSet;
        }
        foreach (var sq in copy._items.OfType<DicomSequence>())
        {
            foreach (var ds in sq.Items) ds.ParentDataset = copy;
        }
        return copy;
    }

    private static DicomSequence CloneSequence(DicomSequence sq) =>
        new(sq.Tag, sq.Items.Select(i => i.Clone())) { UndefinedLength = sq.UndefinedLength };

    /// <inheritdoc />
    public IEnumerator<DicomItem> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => $"DicomDataset ({_items.Count} elements)";
}
