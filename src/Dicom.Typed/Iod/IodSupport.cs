using System.Globalization;

namespace Dicom.Typed.Iod;

/// <summary>A private attribute identified by group, private creator and element byte, independent of the block it lands in.</summary>
/// <param name="Group">The odd group.</param>
/// <param name="Creator">The private creator.</param>
/// <param name="ElementByte">The element byte (yy of gggg,xxyy).</param>
public readonly record struct DicomPrivateTag(ushort Group, string Creator, byte ElementByte)
{
    /// <summary>Finds the tag in a data set by its creator, or null when the creator has no block there.</summary>
    /// <param name="dataset">The data set.</param>
    public DicomTag? Find(DicomDataset dataset) => dataset.FindPrivateTag(Group, Creator, ElementByte);

    /// <summary>Gets the tag in a data set, reserving a block for the creator when needed.</summary>
    /// <param name="dataset">The data set.</param>
    public DicomTag Reserve(DicomDataset dataset) => dataset.ReservePrivateTag(Group, Creator, ElementByte);

    /// <inheritdoc />
    public override string ToString() => $"({Group:X4},\"{Creator}\",{ElementByte:X2})";
}

/// <summary>Writes typed values into a data set; used by generated IOD builders.</summary>
public readonly struct IodWriter
{
    private readonly DicomDataset _ds;

    /// <summary>Creates a writer.</summary>
    /// <param name="dataset">The target data set.</param>
    public IodWriter(DicomDataset dataset) => _ds = dataset;

    /// <summary>The data set being written.</summary>
    public DicomDataset Dataset => _ds;

    /// <summary>Writes one value; null writes an empty element when <paramref name="writeEmpty"/> (Type 2), else nothing.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="tag">The tag.</param>
    /// <param name="vr">The VR.</param>
    /// <param name="value">The value.</param>
    /// <param name="writeEmpty">Write an empty element for null.</param>
    public void Value<T>(DicomTag tag, DicomVR vr, T? value, bool writeEmpty)
    {
        if (value is null)
        {
            if (writeEmpty) WriteEmpty(tag, vr);
            return;
        }
        Values(tag, vr, [value], writeEmpty);
    }

    /// <summary>Writes one value of a value type; null writes an empty element when <paramref name="writeEmpty"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="tag">The tag.</param>
    /// <param name="vr">The VR.</param>
    /// <param name="value">The value.</param>
    /// <param name="writeEmpty">Write an empty element for null.</param>
    public void Struct<T>(DicomTag tag, DicomVR vr, T? value, bool writeEmpty) where T : struct
    {
        if (value is null)
        {
            if (writeEmpty) WriteEmpty(tag, vr);
            return;
        }
        Values(tag, vr, [value.Value], writeEmpty);
    }

    /// <summary>Writes several values.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="tag">The tag.</param>
    /// <param name="vr">The VR.</param>
    /// <param name="values">The values, or null.</param>
    /// <param name="writeEmpty">Write an empty element for null or no values.</param>
    public void Values<T>(DicomTag tag, DicomVR vr, IReadOnlyList<T>? values, bool writeEmpty)
    {
        if (values is null || values.Count == 0)
        {
            if (writeEmpty) WriteEmpty(tag, vr);
            return;
        }
        if (vr.IsString)
        {
            var text = new string[values.Count];
            for (int i = 0; i < text.Length; i++) text[i] = Format(values[i]);
            _ds.AddOrUpdate(tag, vr, text);
            return;
        }
        switch (values)
        {
            case IReadOnlyList<DicomTag> tags: _ds.AddOrUpdate(DicomElement.FromTags(tag, tags.ToArray())); return;
            case IReadOnlyList<byte[]> blobs: _ds.AddOrUpdate(new DicomElement(tag, vr, DicomBuffer.FromMemory(DicomElement.Pad(blobs[0], 0)))); return;
            case IReadOnlyList<ushort> v: _ds.AddOrUpdate(DicomElement.FromValues(tag, vr, v.ToArray())); return;
            case IReadOnlyList<short> v: _ds.AddOrUpdate(DicomElement.FromValues(tag, vr, v.ToArray())); return;
            case IReadOnlyList<uint> v: _ds.AddOrUpdate(DicomElement.FromValues(tag, vr, v.ToArray())); return;
            case IReadOnlyList<int> v: _ds.AddOrUpdate(DicomElement.FromValues(tag, vr, v.ToArray())); return;
            case IReadOnlyList<float> v: _ds.AddOrUpdate(DicomElement.FromValues(tag, vr, v.ToArray())); return;
            case IReadOnlyList<double> v: _ds.AddOrUpdate(DicomElement.FromValues(tag, vr, v.ToArray())); return;
            case IReadOnlyList<long> v: _ds.AddOrUpdate(DicomElement.FromValues(tag, vr, v.ToArray())); return;
            case IReadOnlyList<ulong> v: _ds.AddOrUpdate(DicomElement.FromValues(tag, vr, v.ToArray())); return;
            default: throw new DicomValueException(tag, $"cannot write {typeof(T).Name} as {vr}");
        }
    }

    /// <summary>Writes a sequence; null writes an empty sequence when <paramref name="writeEmpty"/>.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="tag">The tag.</param>
    /// <param name="items">The items.</param>
    /// <param name="toDataset">Converts an item.</param>
    /// <param name="writeEmpty">Write an empty sequence for null.</param>
    public void Sequence<T>(DicomTag tag, IReadOnlyList<T>? items, Func<T, DicomDataset> toDataset, bool writeEmpty)
    {
        if (items is null)
        {
            if (writeEmpty) _ds.AddOrUpdate(new DicomSequence(tag));
            return;
        }
        _ds.AddOrUpdate(new DicomSequence(tag, items.Select(toDataset)));
    }

    /// <summary>Writes a private value under its creator's block (reserved as needed).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="tag">The private tag.</param>
    /// <param name="vr">The VR.</param>
    /// <param name="values">The values.</param>
    public void Private<T>(DicomPrivateTag tag, DicomVR vr, IReadOnlyList<T>? values)
    {
        if (values is null) return;
        Values(tag.Reserve(_ds), vr, values, writeEmpty: true);
    }

    private void WriteEmpty(DicomTag tag, DicomVR vr)
    {
        if (vr == DicomVR.SQ) _ds.AddOrUpdate(new DicomSequence(tag));
        else _ds.AddOrUpdate(new DicomElement(tag, vr, DicomBuffer.Empty, _ds.CharacterSet));
    }

    private static string Format<T>(T value) => value switch
    {
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        null => "",
        _ => value.ToString() ?? "",
    };
}

/// <summary>Reads typed values tolerantly and collects findings; used by generated <c>Read</c> methods.</summary>
public sealed class IodReader
{
    private readonly DicomDataset _ds;
    private readonly string _path;
    private readonly List<DicomFinding> _findings;
    private readonly HashSet<uint> _known = [];

    /// <summary>Creates a reader for a (top-level or item) data set.</summary>
    /// <param name="dataset">The data set.</param>
    /// <param name="path">Path prefix for findings (e.g. <c>(0040,0275)[0].</c>), empty at top level.</param>
    /// <param name="findings">The list that collects findings (shared by nested readers).</param>
    public IodReader(DicomDataset dataset, string path = "", List<DicomFinding>? findings = null)
    {
        _ds = dataset;
        _path = path;
        _findings = findings ?? [];
    }

    /// <summary>The data set being read.</summary>
    public DicomDataset Dataset => _ds;

    /// <summary>The findings so far.</summary>
    public List<DicomFinding> Findings => _findings;

    private void Add(DicomTag tag, DicomFindingRule rule, DicomFindingSeverity severity, string message) =>
        _findings.Add(new DicomFinding(_path + tag, rule, severity, message));

    /// <summary>Marks the tag as known and returns its item; a missing Type 1 or 2 (or 1C/2C whose condition holds: passed as "1"/"2") is a finding.</summary>
    private DicomItem? Lookup(DicomTag tag, string type, string what)
    {
        _known.Add(tag.Value);
        var item = _ds[tag];
        if (item == null)
        {
            if (type is "1") Add(tag, DicomFindingRule.MissingType1, DicomFindingSeverity.Error, $"Type 1 {what} is missing");
            else if (type is "2") Add(tag, DicomFindingRule.MissingType2, DicomFindingSeverity.Error, $"Type 2 {what} is missing");
        }
        return item;
    }

    private DicomElement? Element(DicomTag tag, DicomVR vr, string type, string name)
    {
        var item = Lookup(tag, type, "attribute " + name);
        if (item == null) return null;
        if (item is not DicomElement e)
        {
            Add(tag, DicomFindingRule.WrongVR, DicomFindingSeverity.Error, $"{name} is a {item.VR} element, expected {vr}");
            return null;
        }
        if (e.VR != vr && e.VR != DicomVR.UN && !(vr == DicomVR.OW && e.VR == DicomVR.OB) && !(vr == DicomVR.OB && e.VR == DicomVR.OW))
            Add(tag, DicomFindingRule.WrongVR, DicomFindingSeverity.Warning, $"{name} has VR {e.VR}, the definition says {vr}");
        if (e.IsEmpty)
        {
            if (type is "1" or "1C") Add(tag, DicomFindingRule.EmptyType1, DicomFindingSeverity.Error, $"Type {type} attribute {name} is empty");
            return null;
        }
        return e;
    }

    /// <summary>Reads all values of an element as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="tag">The tag.</param>
    /// <param name="vr">The VR of the definition.</param>
    /// <param name="type">The attribute type ("1", "1C", "2", "2C", "3").</param>
    /// <param name="name">The attribute name for messages.</param>
    /// <param name="vm">The VM of the definition.</param>
    /// <returns>The values, or null when missing, empty or invalid.</returns>
    public IReadOnlyList<T>? Values<T>(DicomTag tag, DicomVR vr, string type, string name, string vm = "1-n")
    {
        var e = Element(tag, vr, type, name);
        if (e == null) return null;
        try
        {
            T[] values = typeof(T) == typeof(byte[]) ? [(T)(object)e.Bytes.ToArray()] : e.GetValues<T>();
            var m = DicomVM.Parse(vm);
            if (typeof(T) != typeof(byte[]) && !m.Accepts(values.Length))
                Add(tag, DicomFindingRule.WrongVM, DicomFindingSeverity.Warning, $"{name} has {values.Length} value(s), VM is {vm}");
            return values;
        }
        catch (DicomValueException ex)
        {
            Add(tag, DicomFindingRule.InvalidValue, DicomFindingSeverity.Error, $"{name}: {ex.Message}");
            return null;
        }
    }

    /// <summary>Reads the first value of an element as a reference type.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="tag">The tag.</param>
    /// <param name="vr">The VR.</param>
    /// <param name="type">The attribute type.</param>
    /// <param name="name">The attribute name.</param>
    public T? Value<T>(DicomTag tag, DicomVR vr, string type, string name) where T : class
    {
        var v = Values<T>(tag, vr, type, name, "1");
        return v is { Count: > 0 } ? v[0] : null;
    }

    /// <summary>Reads the first value of an element as a value type.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="tag">The tag.</param>
    /// <param name="vr">The VR.</param>
    /// <param name="type">The attribute type.</param>
    /// <param name="name">The attribute name.</param>
    public T? Struct<T>(DicomTag tag, DicomVR vr, string type, string name) where T : struct
    {
        var v = Values<T>(tag, vr, type, name, "1");
        return v is { Count: > 0 } ? v[0] : null;
    }

    /// <summary>Checks a value against enumerated values (error) or defined terms (information).</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="name">The attribute name.</param>
    /// <param name="isDefinedTerms">Defined terms may be extended by the device.</param>
    /// <param name="allowed">The allowed values.</param>
    public void CheckEnumerated(DicomTag tag, string name, bool isDefinedTerms, params string[] allowed)
    {
        if (_ds.GetElement(tag) is not { IsEmpty: false } e || !e.VR.IsString) return;
        foreach (var v in e.GetStrings())
        {
            if (v.Length > 0 && Array.IndexOf(allowed, v) < 0)
            {
                Add(tag, DicomFindingRule.NotEnumerated, isDefinedTerms ? DicomFindingSeverity.Information : DicomFindingSeverity.Error,
                    $"{name} value '{v}' is not one of the {(isDefinedTerms ? "defined terms" : "enumerated values")} {string.Join(", ", allowed)}");
            }
        }
    }

    /// <summary>Checks a fixed value.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="name">The attribute name.</param>
    /// <param name="expected">The fixed value (multiple values joined with '\').</param>
    public void CheckFixed(DicomTag tag, string name, string expected)
    {
        _known.Add(tag.Value);
        if (_ds.GetElement(tag) is not { } e) return;
        string actual = e.GetString();
        bool same = actual == expected;
        if (!same && !e.VR.IsString || e.VR == DicomVR.DS || e.VR == DicomVR.IS)
        {
            // numbers compare by value: "0000" is 0
            var a = actual.Split('\\');
            var b = expected.Split('\\');
            same = a.Length == b.Length && a.Zip(b).All(p => p.First == p.Second
                || (double.TryParse(p.First, NumberStyles.Float, CultureInfo.InvariantCulture, out double x)
                    && double.TryParse(p.Second, NumberStyles.Float, CultureInfo.InvariantCulture, out double y) && x == y));
        }
        if (!same) Add(tag, DicomFindingRule.FixedValueMismatch, DicomFindingSeverity.Error, $"{name} is '{actual}', the device always writes '{expected}'");
    }

    /// <summary>Reads a sequence's items with a nested reader per item.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="tag">The tag.</param>
    /// <param name="type">The attribute type.</param>
    /// <param name="name">The attribute name.</param>
    /// <param name="readItem">Reads one item.</param>
    public IReadOnlyList<T>? Sequence<T>(DicomTag tag, string type, string name, Func<IodReader, T> readItem)
    {
        var item = Lookup(tag, type, "sequence " + name);
        if (item == null) return null;
        if (item is not DicomSequence sq)
        {
            Add(tag, DicomFindingRule.WrongVR, DicomFindingSeverity.Error, $"{name} is not a sequence");
            return null;
        }
        if (sq.Items.Count == 0 && type is "1" or "1C") Add(tag, DicomFindingRule.EmptyType1, DicomFindingSeverity.Error, $"Type {type} sequence {name} has no items");
        var list = new List<T>(sq.Items.Count);
        for (int i = 0; i < sq.Items.Count; i++)
        {
            var nested = new IodReader(sq.Items[i], $"{_path}{tag}[{i}].", _findings);
            list.Add(readItem(nested));
            nested.ReportUnexpected();
        }
        return list;
    }

    /// <summary>Reads a private value found by its creator.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="tag">The private tag.</param>
    /// <param name="vr">The VR.</param>
    /// <param name="name">The attribute name.</param>
    public IReadOnlyList<T>? Private<T>(DicomPrivateTag tag, DicomVR vr, string name)
    {
        var t = tag.Find(_ds);
        if (t == null) return null;
        _known.Add(t.Value.PrivateCreatorTag.Value);
        return Values<T>(t.Value, vr, "3", name);
    }

    /// <summary>Marks a tag as part of the definition without reading it.</summary>
    /// <param name="tag">The tag.</param>
    public void Known(DicomTag tag) => _known.Add(tag.Value);

    /// <summary>Reports elements the definition does not contain (warnings); private elements whose block has no creator are reported too.</summary>
    public void ReportUnexpected()
    {
        foreach (var item in _ds)
        {
            var tag = item.Tag;
            if (_known.Contains(tag.Value) || tag.Group == 0x0002 || tag.Element == 0) continue;
            if (tag.IsPrivate)
            {
                if (tag.PrivateBlock != 0 && _ds.GetPrivateCreator(tag) == null)
                    Add(tag, DicomFindingRule.PrivateCreatorMissing, DicomFindingSeverity.Error, $"private element {tag} has no private creator for block {tag.PrivateBlock:X2}");
                continue;
            }
            Add(tag, DicomFindingRule.UnexpectedAttribute, DicomFindingSeverity.Warning,
                $"{DicomDictionary.Lookup(tag).Name} {tag} is not in this device's definition");
        }
    }
}
