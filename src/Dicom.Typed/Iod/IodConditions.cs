namespace Dicom.Typed.Iod;

/// <summary>The IOD contract implemented by every generated vendor IOD class.</summary>
public interface IDicomIod
{
    /// <summary>The SOP Class UID of the IOD.</summary>
    string SopClassUid { get; }

    /// <summary>Builds the data set the device would send.</summary>
    DicomDataset ToDataset();
}

/// <summary>Runtime support for conditions compiled from the definitions' condition language (paths like <c>0028,0008</c> or <c>0040,0275/0040,1001</c>).</summary>
public static class IodConditions
{
    private static DicomItem? Resolve(DicomDataset ds, string path)
    {
        DicomDataset current = ds;
        var parts = path.Split('/', '>', '.');
        for (int i = 0; i < parts.Length; i++)
        {
            if (!DicomTag.TryParse(parts[i].Trim(), out var tag)) return null;
            var item = current[tag];
            if (i == parts.Length - 1) return item;
            if (item is not DicomSequence { Items.Count: > 0 } sq) return null;
            current = sq.Items[0];
        }
        return null;
    }

    /// <summary>True when the element at <paramref name="path"/> is present (sequences: with at least one item).</summary>
    /// <param name="dataset">The data set.</param>
    /// <param name="path">The attribute path.</param>
    public static bool Present(DicomDataset dataset, string path) => Resolve(dataset, path) switch
    {
        DicomSequence sq => sq.Items.Count > 0,
        DicomElement e => !e.IsEmpty,
        null => false,
        _ => true,
    };

    /// <summary>The first value of the element at <paramref name="path"/> as text, or null.</summary>
    /// <param name="dataset">The data set.</param>
    /// <param name="path">The attribute path.</param>
    public static string? Value(DicomDataset dataset, string path)
    {
        if (Resolve(dataset, path) is not DicomElement { IsEmpty: false } e) return null;
        try
        {
            var values = e.GetStrings();
            return values.Length > 0 ? values[0] : null;
        }
        catch (DicomValueException)
        {
            return null;
        }
    }
}
