using Dicom.Typed.Definitions;
using Dicom.Typed.IO;

namespace Dicom.Typed.Devices.Tests;

/// <summary>Message datasets of the definitions (messages/*.json): an identifier built from every key of the vendor's table is encoded
/// in the transfer syntaxes the statement proposes for that service, decoded back unchanged, and read independently by pydicom.</summary>
public sealed class MessageRoundTripTests
{
    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Dicom.Typed.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }

    private static IodDefinition Message(string device, string typeName) =>
        DefinitionsJson.Load<IodDefinition>(Path.Combine(RepoRoot(), "definitions", device, "messages", typeName + ".json"));

    /// <summary>Builds the data set: every key present (universal matching: zero length), sequences with one item holding their keys;
    /// <paramref name="values"/> (tag path → value) become matching keys; fixed values printed by the vendor are applied.</summary>
    private static DicomDataset Build(IEnumerable<AttributeDefinition> attributes, IReadOnlyDictionary<string, string> values, string path = "")
    {
        var ds = new DicomDataset();
        foreach (var a in attributes)
        {
            var tag = DicomTag.Parse(a.Tag);
            string key = path + a.Tag;
            if (a.Vr == "SQ")
            {
                ds.AddOrUpdate(new DicomSequence(tag, Build(a.Items ?? [], values, key + "/")));
                continue;
            }
            var vr = DicomVR.Parse(a.Vr.Split('/')[0]);
            if (values.TryGetValue(key, out var v))
            {
                ds.AddOrUpdate(tag, vr, v);
            }
            else if (a.Value is { Kind: "fixed", Values: [var fixedValue] })
            {
                ds.AddOrUpdate(tag, vr, fixedValue);
            }
            else
            {
                ds.AddOrUpdate(tag, vr);
            }
        }
        return ds;
    }

    private static IEnumerable<string> Paths(IEnumerable<AttributeDefinition> attributes, string path = "")
    {
        foreach (var a in attributes)
        {
            yield return path + a.Tag.Replace(",", "", StringComparison.Ordinal).ToUpperInvariant();
            foreach (var p in Paths(a.Items ?? [], path + a.Tag.Replace(",", "", StringComparison.Ordinal).ToUpperInvariant() + "/"))
            {
                yield return p;
            }
        }
    }

    public static IEnumerable<object[]> Cases() =>
    [
        // Table 17 proposes ELE and ILE for the worklist; Table 19 the same for MPPS
        ["philips-vereos-2.0", "VereosWorklistQuery", "1.2.840.10008.1.2"],
        ["philips-vereos-2.0", "VereosWorklistQuery", "1.2.840.10008.1.2.1"],
        ["philips-vereos-2.0", "VereosMppsNCreate", "1.2.840.10008.1.2.1"],
        ["philips-vereos-2.0", "VereosStudyRootFindQuery", "1.2.840.10008.1.2"],
        ["shimadzu-trinias", "TriniasWorklistQuery", "1.2.840.10008.1.2"],
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Identifier_from_the_vendor_keys_round_trips_and_pydicom_reads_the_same_keys(string device, string typeName, string transferSyntaxUid)
    {
        var msg = Message(device, typeName);
        var attributes = msg.Modules.SelectMany(m => m.Attributes).ToList();
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["0010,0020"] = "PAT-0001",
            ["0040,0100/0008,0060"] = "PT",
            ["0040,0100/0040,0001"] = "VEREOS",
            ["0040,0100/0040,0002"] = "20240101-20241231",
            ["0008,0052"] = "STUDY",
        };
        var dataset = Build(attributes, values);
        var expectedPaths = Paths(attributes).Distinct().Order(StringComparer.Ordinal).ToList();

        var syntax = DicomTransferSyntax.Lookup(transferSyntaxUid) ?? throw new InvalidOperationException(transferSyntaxUid);
        using var ms = new MemoryStream();
        new DicomDatasetWriter(ms, syntax).Write(dataset);
        var bytes = ms.ToArray();
        var decoded = DicomDatasetReader.Read(bytes, syntax);
        Assert.Empty(DicomDatasetComparer.Differences(dataset, decoded));
        if (attributes.Any(a => a.Tag == "0010,0020"))
        {
            Assert.Equal("PAT-0001", decoded.GetString(DicomTag.Parse("0010,0020")));
        }

        // independent reader: pydicom lists the tag paths of the raw data set
        var (seen, patientId) = TypedMessageTests.Pydicom(bytes, implicitVr: transferSyntaxUid == "1.2.840.10008.1.2");
        Assert.Equal(expectedPaths, seen);
        if (attributes.Any(a => a.Tag == "0010,0020"))
        {
            Assert.Equal("PAT-0001", patientId);
        }
    }

    [Fact]
    public void Vereos_worklist_identifier_holds_every_key_of_table_18()
    {
        var msg = Message("philips-vereos-2.0", "VereosWorklistQuery");
        // Table 18 (L746-835) prints 71 attribute rows; the definition keeps them all, nested under their sequences
        Assert.Equal(71, Paths(msg.Modules.SelectMany(m => m.Attributes)).Count());
        var ds = Build(msg.Modules.SelectMany(m => m.Attributes), new Dictionary<string, string>());
        var sps = ds.GetSequence(DicomTag.Parse("0040,0100"))!;
        Assert.Single(sps.Items);
        Assert.True(sps.Items[0].Contains(DicomTag.Parse("0040,0001")));
        Assert.NotNull(sps.Items[0].GetSequence(DicomTag.Parse("0040,0008")));
    }
}
