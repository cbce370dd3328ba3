using Dicom.Typed.Definitions;

namespace Dicom.Typed.Network.Definitions;

/// <summary>Turns a device's message definitions (messages/*.json: MWL query keys, MPPS N-CREATE/N-SET attribute lists) into
/// data sets for the typed clients.</summary>
public static class DeviceMessageTemplates
{
    /// <summary>A data set with every attribute of the message present and empty; each sequence gets one item holding its
    /// (empty) item attributes. Rows whose tag or VR cannot be parsed are reported in <paramref name="skipped"/>, never guessed.</summary>
    /// <param name="message">The message definition.</param>
    /// <param name="skipped">Rows left out, with the reason (tag and provenance line).</param>
    public static DicomDataset CreateTemplate(IodDefinition message, List<string>? skipped = null)
    {
        var ds = new DicomDataset();
        foreach (var m in message.Modules) Add(ds, m.Attributes, skipped);
        return ds;
    }

    private static void Add(DicomDataset ds, IEnumerable<AttributeDefinition> attributes, List<string>? skipped)
    {
        foreach (var a in attributes)
        {
            if (!DicomTag.TryParse(a.Tag, out var tag) || !DicomVR.TryParse(a.Vr, out var vr))
            {
                skipped?.Add($"{a.Tag} {a.Vr} '{a.Name}' ({a.Provenance.Table}, line {a.Provenance.Lines.FirstOrDefault()}): not a tag/VR");
                continue;
            }
            if (tag.IsPrivate)
            {
                skipped?.Add($"{a.Tag} '{a.Name}': private attribute in a query template");
                continue;
            }
            if (vr == DicomVR.SQ)
            {
                var item = ds.GetSequence(tag) is { Items.Count: > 0 } existing ? existing.Items[0] : new DicomDataset();
                if (a.Items != null) Add(item, a.Items, skipped);
                ds.AddOrUpdate(new DicomSequence(tag, item.Count > 0 ? [item] : []));
            }
            else if (!ds.Contains(tag)) ds.AddOrUpdate(new DicomElement(tag, vr, DicomBuffer.Empty));
        }
    }

    /// <summary>A typed worklist query whose return keys are those of the device's MWL query definition.</summary>
    /// <param name="message">A Modality Worklist "C-FIND-RQ identifier" message definition.</param>
    /// <exception cref="ArgumentException">The message is not a Modality Worklist query.</exception>
    public static DicomWorklistQuery CreateWorklistQuery(IodDefinition message)
    {
        if (message.SopClassUid != DicomUid.ModalityWorklistInformationModelFind.Value)
            throw new ArgumentException($"{message.TypeName} is not a Modality Worklist query (SOP class {message.SopClassUid})", nameof(message));
        return new DicomWorklistQuery(CreateTemplate(message));
    }

    /// <summary>Adds, as empty attributes, every attribute the device's MPPS message lists but <paramref name="dataset"/>
    /// lacks (recursively into sequences both have). Existing values are never changed.</summary>
    /// <param name="dataset">An N-CREATE or N-SET data set.</param>
    /// <param name="message">The device's N-CREATE or N-SET definition.</param>
    public static DicomDataset Complete(DicomDataset dataset, IodDefinition message)
    {
        DicomMppsCreate.AddMissing(dataset, CreateTemplate(message));
        return dataset;
    }
}
