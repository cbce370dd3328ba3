using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Dicom.Typed.Generators.Json;
using Dicom.Typed.Generators.Model;
using Dicom.Typed.Generators.Parsing;

namespace Dicom.Typed.Generators.Emit
{
    /// <summary>The network peers of one device.json: one per AE that accepts associations (has SCP presentation contexts).</summary>
    internal sealed record NetworkPeerFileModel(string File, string DeviceId, string Namespace, EquatableArray<NetworkPeerModel> Peers, EquatableArray<DiagnosticInfo> Diagnostics);

    /// <summary>One AE of a device in its SCP role.</summary>
    internal sealed record NetworkPeerModel(string TypeName, string DeviceName, string AeName, string AeProvenance, EquatableArray<AcceptedContextModel> Contexts);

    /// <summary>One accepted SOP class with its transfer syntaxes (rows of one SOP class merged).</summary>
    internal sealed record AcceptedContextModel(string SopClassUid, string SopClassName, EquatableArray<string> TransferSyntaxes, EquatableArray<string> TransferSyntaxNames, string Provenance);

    /// <summary>
    /// Parses the <c>network</c> section of <c>definitions/&lt;device&gt;/device.json</c> and emits one peer description class per
    /// Application Entity that accepts associations, marked <c>[DicomAcceptedSopClasses]</c> / <c>[DicomAcceptedTransferSyntaxes]</c>
    /// and implementing <c>IDicomPeerDefinition</c>. A delegated device (<c>"network": null</c> or no SCP rows) yields no peer.
    /// </summary>
    internal static class NetworkPeerEmitter
    {
        internal const string DiagnosticId = "DTG012";
        private const string ImplicitVRLittleEndian = "1.2.840.10008.1.2";

        public static NetworkPeerFileModel Parse(string path, string text)
        {
            var diags = new List<DiagnosticInfo>();
            var peers = new List<NetworkPeerModel>();
            string deviceId = DeviceErrata.FolderOf(path).Split('/').Last();
            void Problem(JsonNode? at, string message) => diags.Add(new DiagnosticInfo(DiagnosticId, message, path, at?.Line ?? 1, at?.Column ?? 1, true));
            try
            {
                var root = JsonLite.Parse(text);
                if (root.Kind != JsonKind.Object) { Problem(root, "device.json must be a JSON object"); return Result(); }
                deviceId = root.GetString("id") ?? deviceId;
                var network = root["network"];
                if (network == null || network.Kind == JsonKind.Null) return Result();
                if (network.Kind != JsonKind.Object) { Problem(network, "'network' must be an object or null"); return Result(); }
                string deviceName = string.Join(" ", new[] { root.GetString("vendor"), root.GetString("product"), root.GetString("version") }.Where(s => !string.IsNullOrWhiteSpace(s)));
                string prefix = TypePrefix(root);

                // AEs by name (network AEs only; media AEs never accept associations).
                var aes = new List<(string Name, string Provenance, JsonNode Node)>();
                var aeList = network["applicationEntities"];
                if (aeList != null && aeList.Kind != JsonKind.Array && aeList.Kind != JsonKind.Null) Problem(aeList, "'network.applicationEntities' must be an array");
                foreach (var ae in aeList?.Items ?? new List<JsonNode>())
                {
                    string? name = ae.GetString("name");
                    if (ae.Kind != JsonKind.Object || string.IsNullOrWhiteSpace(name)) { Problem(ae, "An application entity needs a 'name'"); continue; }
                    if (ae.GetString("kind") == "media") continue;
                    aes.Add((name!, Provenance(ae["provenance"]), ae));
                }

                var contexts = network["presentationContexts"];
                if (contexts == null || contexts.Kind == JsonKind.Null) return Result();
                if (contexts.Kind != JsonKind.Array) { Problem(contexts, "'network.presentationContexts' must be an array"); return Result(); }

                // SCP rows grouped per AE (rows without an AE belong to the device's first network AE), SOP classes merged.
                var byAe = new List<(string Ae, List<Builder> Rows)>();
                foreach (var row in contexts.Items!)
                {
                    if (row.Kind != JsonKind.Object) { Problem(row, "A presentation context must be an object"); continue; }
                    string role = row.GetString("role") ?? "";
                    if (role.Length == 0) { Problem(row, "A presentation context needs a 'role' (SCU, SCP or SCU/SCP)"); continue; }
                    if (!HasScpRole(role)) continue;
                    string uid = (row.GetString("sopClassUid") ?? "").Trim();
                    if (!IsUid(uid)) { Problem(row["sopClassUid"] ?? row, "SCP presentation context '" + (row.GetString("sopClassName") ?? "") + "' has an invalid SOP Class UID '" + uid + "'"); continue; }
                    string? aeName = row.GetString("applicationEntity");
                    if (aeName == null)
                    {
                        if (aes.Count == 0) { Problem(row, "SCP presentation context " + uid + " names no application entity and the network defines none"); continue; }
                        aeName = aes[0].Name;
                    }
                    else if (!aes.Any(a => a.Name == aeName))
                    {
                        Problem(row["applicationEntity"], "SCP presentation context " + uid + " names application entity '" + aeName + "', which network.applicationEntities does not define");
                        continue;
                    }
                    var syntaxes = new List<(string Uid, string Name)>();
                    var tsNode = row["transferSyntaxes"];
                    if (tsNode != null && tsNode.Kind != JsonKind.Array && tsNode.Kind != JsonKind.Null) { Problem(tsNode, "'transferSyntaxes' must be an array"); continue; }
                    bool bad = false;
                    foreach (var ts in tsNode?.Items ?? new List<JsonNode>())
                    {
                        string tsUid = (ts.GetString("uid") ?? "").Trim();
                        if (!IsUid(tsUid)) { Problem(ts, "Transfer syntax '" + (ts.GetString("name") ?? "") + "' of " + uid + " has an invalid UID '" + tsUid + "'"); bad = true; continue; }
                        syntaxes.Add((tsUid, ts.GetString("name") ?? tsUid));
                    }
                    if (bad) continue;
                    int group = byAe.FindIndex(g => g.Ae == aeName);
                    if (group < 0) { byAe.Add((aeName!, new List<Builder>())); group = byAe.Count - 1; }
                    var list = byAe[group].Rows;
                    var b = list.FirstOrDefault(x => x.Uid == uid);
                    if (b == null) list.Add(b = new Builder(uid, row.GetString("sopClassName") ?? uid, Provenance(row["provenance"])));
                    foreach (var s in syntaxes) if (!b.Syntaxes.Any(x => x.Uid == s.Uid)) b.Syntaxes.Add(s);
                }
                foreach (var (ae, rows) in byAe)
                {
                    var info = aes.First(a => a.Name == ae);
                    var ctx = rows.Select(r =>
                    {
                        if (r.Syntaxes.Count == 0) r.Syntaxes.Add((ImplicitVRLittleEndian, "Implicit VR Little Endian (default, PS3.5 10.1)"));
                        return new AcceptedContextModel(r.Uid, r.Name, new EquatableArray<string>(r.Syntaxes.Select(s => s.Uid)), new EquatableArray<string>(r.Syntaxes.Select(s => s.Name)), r.Provenance);
                    });
                    peers.Add(new NetworkPeerModel(prefix + AePart(ae) + "Scp", deviceName, ae, info.Provenance, new EquatableArray<AcceptedContextModel>(ctx)));
                }
                for (int i = 0; i < peers.Count; i++)
                    for (int j = 0; j < i; j++)
                        if (peers[i].TypeName == peers[j].TypeName) Problem(null, "Application entities '" + peers[j].AeName + "' and '" + peers[i].AeName + "' give the same peer type name " + peers[i].TypeName);
            }
            catch (JsonLiteException e)
            {
                diags.Add(new DiagnosticInfo(DiagnosticId, "Malformed JSON: " + e.Reason, path, e.Line, e.Column, true));
            }
            return Result();

            NetworkPeerFileModel Result() => new NetworkPeerFileModel(path, deviceId, IodParser.Namespace(deviceId), new EquatableArray<NetworkPeerModel>(diags.Count > 0 ? new List<NetworkPeerModel>() : peers), new EquatableArray<DiagnosticInfo>(diags));
        }

        private sealed class Builder
        {
            public Builder(string uid, string name, string provenance) { Uid = uid; Name = name; Provenance = provenance; }
            public string Uid { get; }
            public string Name { get; }
            public string Provenance { get; }
            public List<(string Uid, string Name)> Syntaxes { get; } = new List<(string Uid, string Name)>();
        }

        private static bool HasScpRole(string role) =>
            role.Replace(" ", "").Split('/', ',', '&').Any(r => r.Equals("SCP", StringComparison.OrdinalIgnoreCase));

        private static bool IsUid(string uid)
        {
            if (uid.Length == 0 || uid.Length > 64 || uid[0] == '.' || uid[uid.Length - 1] == '.') return false;
            foreach (char c in uid) if (!(c == '.' || (c >= '0' && c <= '9'))) return false;
            return uid.IndexOf("..", StringComparison.Ordinal) < 0;
        }

        private static string Provenance(JsonNode? p)
        {
            if (p == null || p.Kind != JsonKind.Object) return "";
            var parts = new List<string>();
            string? file = p.GetString("file"), table = p.GetString("table"), title = p.GetString("title");
            if (file != null) parts.Add(file);
            if (table != null) parts.Add(table);
            if (title != null) parts.Add("\"" + title + "\"");
            var lines = p["lines"]?.Items;
            if (lines != null && lines.Count > 0) parts.Add(lines.Count > 1 && lines[0].Text != lines[lines.Count - 1].Text ? "lines " + lines[0].Text + "-" + lines[lines.Count - 1].Text : "line " + lines[0].Text);
            return string.Join(", ", parts);
        }

        /// <summary>The common leading words of the device's IOD type names ("SyngoCtImage", "SyngoCtRawData" → "SyngoCt"),
        /// so the peers sit beside the IODs under one prefix; the product name when the device defines no IODs.</summary>
        private static string TypePrefix(JsonNode root)
        {
            var names = (root["iods"]?.Items ?? new List<JsonNode>()).Select(i => i.GetString("typeName")).Where(n => !string.IsNullOrEmpty(n)).Select(n => Words(n!)).ToList();
            if (names.Count == 0) return Identifier(root.GetString("product") ?? "Device");
            var prefix = names[0];
            int count = prefix.Count;
            foreach (var n in names.Skip(1))
            {
                int k = 0;
                while (k < count && k < n.Count && n[k] == prefix[k]) k++;
                count = k;
            }
            // Keep at least the first word; never take a whole IOD name.
            count = Math.Max(1, Math.Min(count, prefix.Count - 1));
            return string.Concat(prefix.Take(count));
        }

        /// <summary>"SyngoCtImage" → Syngo, Ct, Image.</summary>
        private static List<string> Words(string pascal)
        {
            var words = new List<string>();
            var sb = new StringBuilder();
            foreach (char c in pascal)
            {
                if (char.IsUpper(c) && sb.Length > 0) { words.Add(sb.ToString()); sb.Clear(); }
                sb.Append(c);
            }
            if (sb.Length > 0) words.Add(sb.ToString());
            return words;
        }

        /// <summary>"Storage Commitment AE" → StorageCommitment; "DICOM Manager" → DicomManager; "DAR-9500f" → Dar9500f.</summary>
        private static string AePart(string aeName)
        {
            var words = aeName.Split(new[] { ' ', '-', '_', '/', '.', '(', ')', '\'' }, StringSplitOptions.RemoveEmptyEntries).ToList();
            if (words.Count > 1 && words[words.Count - 1].Equals("AE", StringComparison.OrdinalIgnoreCase)) words.RemoveAt(words.Count - 1);
            return Identifier(string.Join(" ", words));
        }

        private static string Identifier(string text)
        {
            var sb = new StringBuilder();
            foreach (var w in text.Split(new[] { ' ', '-', '_', '/', '.', '(', ')', '\'' }, StringSplitOptions.RemoveEmptyEntries))
            {
                string word = new string(w.Where(c => char.IsLetterOrDigit(c) && c < 128).ToArray());
                if (word.Length == 0) continue;
                bool allUpper = word.Length > 2 && word.Where(char.IsLetter).All(char.IsUpper);
                sb.Append(char.ToUpperInvariant(word[0])).Append(allUpper ? word.Substring(1).ToLowerInvariant() : word.Substring(1));
            }
            if (sb.Length == 0 || char.IsDigit(sb[0])) sb.Insert(0, '_');
            return sb.ToString();
        }

        public static string Emit(NetworkPeerFileModel file, NetworkPeerModel peer)
        {
            var w = new CodeWriter();
            string x(string s) => IodEmitter.Xml(s);
            var sops = peer.Contexts.Select(c => c.SopClassUid).ToList();
            var syntaxes = new List<string>();
            foreach (var c in peer.Contexts) foreach (var t in c.TransferSyntaxes) if (!syntaxes.Contains(t)) syntaxes.Add(t);

            w.Line("// <auto-generated/> by Dicom.Typed.Generators from the network definitions of " + file.DeviceId + " (device.json)");
            w.Line("#nullable enable");
            w.Open("namespace " + file.Namespace);
            w.Line("/// <summary>");
            w.Line("/// The " + x(peer.AeName) + " of " + x(peer.DeviceName) + " as a network peer that accepts associations: the " + peer.Contexts.Count.ToString(CultureInfo.InvariantCulture)
                   + " SOP class" + (peer.Contexts.Count == 1 ? "" : "es") + " it accepts as SCP and their transfer syntaxes, from the conformance statement.");
            w.Line("/// Bind a client to it (<c>DicomDeviceStorageScu&lt;" + peer.TypeName + "&gt;</c>) and analyzer DT0007 warns at compile time when an IOD or transfer syntax the AE does not accept is sent.");
            w.Line("/// </summary>");
            w.Line("/// <remarks>");
            if (peer.AeProvenance.Length > 0) w.Line("/// <para>AE specification: " + x(peer.AeProvenance) + ".</para>");
            w.Line("/// <list type=\"table\">");
            w.Line("/// <listheader><term>SOP class (accepted as SCP)</term><description>Transfer syntaxes; statement table and lines</description></listheader>");
            foreach (var c in peer.Contexts)
                w.Line("/// <item><term>" + x(c.SopClassName) + " (" + c.SopClassUid + ")</term><description>" + x(string.Join(", ", c.TransferSyntaxNames)) + (c.Provenance.Length > 0 ? "; " + x(c.Provenance) : "") + "</description></item>");
            w.Line("/// </list>");
            w.Line("/// </remarks>");
            w.Line("[global::Dicom.Typed.Iod.DicomAcceptedSopClasses(" + string.Join(", ", sops.Select(IodEmitter.Q)) + ")]");
            w.Line("[global::Dicom.Typed.Iod.DicomAcceptedTransferSyntaxes(" + string.Join(", ", syntaxes.Select(IodEmitter.Q)) + ")]");
            foreach (var c in peer.Contexts)
                w.Line("[global::Dicom.Typed.Iod.DicomAcceptedPresentationContext(" + IodEmitter.Q(c.SopClassUid) + ", " + string.Join(", ", c.TransferSyntaxes.Select(IodEmitter.Q)) + ")]");
            w.Line("[global::System.CodeDom.Compiler.GeneratedCode(\"Dicom.Typed.Generators\", \"1.0\")]");
            w.Open("public sealed class " + peer.TypeName + " : global::Dicom.Typed.Iod.IDicomPeerDefinition");
            w.Line("private " + peer.TypeName + "() { }");
            w.Line();
            w.Line("/// <summary>The device identifier: <c>" + x(file.DeviceId) + "</c>.</summary>");
            w.Line("public static string DeviceId => " + IodEmitter.Q(file.DeviceId) + ";");
            w.Line();
            w.Line("/// <summary>The device: " + x(peer.DeviceName) + ".</summary>");
            w.Line("public static string DeviceName => " + IodEmitter.Q(peer.DeviceName) + ";");
            w.Line();
            w.Line("/// <summary>The Application Entity as the statement names it: " + x(peer.AeName) + ".</summary>");
            w.Line("public static string ApplicationEntityName => " + IodEmitter.Q(peer.AeName) + ";");
            w.Line();
            w.Line("/// <summary>The presentation contexts the AE accepts as SCP, one per SOP class, in statement order (see the remarks of the type).</summary>");
            w.Open("public static global::System.Collections.Generic.IReadOnlyList<global::Dicom.Typed.Iod.DicomAcceptedContext> AcceptedContexts { get; } = new global::Dicom.Typed.Iod.DicomAcceptedContext[]");
            foreach (var c in peer.Contexts)
                w.Line("new global::Dicom.Typed.Iod.DicomAcceptedContext(" + IodEmitter.Q(c.SopClassUid) + ", " + IodEmitter.Q(c.SopClassName) + ", new string[] { "
                       + string.Join(", ", c.TransferSyntaxes.Select(IodEmitter.Q)) + " }, " + IodEmitter.Q(c.Provenance) + "),");
            w.Close(";");
            w.Close();
            w.Close();
            return w.ToString();
        }
    }
}
