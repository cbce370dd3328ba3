using System.Text.RegularExpressions;

namespace Dicom.Typed.Definitions.Extractor.Parsing;

/// <summary>Small helpers shared by device parsers.</summary>
public static class DeviceHelpers
{
    /// <summary>First line (1-based) matching a regex, or 0.</summary>
    public static int FindLine(StatementText text, string pattern, int from = 1)
    {
        var rx = new Regex(pattern, RegexOptions.CultureInvariant);
        for (int n = from; n <= text.Count; n++)
        {
            if (rx.IsMatch(text[n]))
            {
                return n;
            }
        }
        return 0;
    }

    /// <summary>A section delegated to another document: the heading matching <paramref name="headingPattern"/> and the first
    /// "Refer to …" sentence after it.</summary>
    public static Section Delegated(StatementText text, string kind, string headingPattern)
    {
        int h = FindLine(text, headingPattern);
        int r = h == 0 ? 0 : FindLine(text, @"[Rr]efer(red)?\b", h + 1); // "Refer to …", "please refer 2399300 …"
        var sentence = r == 0 ? "" : StatementText.Clean(text[r]);
        var m = Regex.Match(sentence, @"[Rr]efer(?:red)?(?: to)? (?:the )?(.+?)\.?$");
        return new Section
        {
            Kind = kind,
            DelegatedTo = m.Success ? m.Groups[1].Value : null,
            Text = sentence,
            Provenance = new Provenance { Title = h == 0 ? null : StatementText.Clean(text[h]), Lines = [h, r == 0 ? h : r] },
        };
    }

    /// <summary>Whether the first TAB row of a table is the upper half of a two-row header ("IOD⇥⇥Supported⇥" over
    /// "Name⇥UID⇥Accepted⇥Created"): it has an empty cell right after a filled one.</summary>
    public static bool StackedHeader(StatementText text, TableSpan t)
    {
        for (int n = t.CaptionLine + 1; n <= t.EndLine; n++)
        {
            if (!text.IsRow(n))
            {
                continue;
            }
            var c = text.Cells(n).Select(StatementText.Clean).ToArray();
            return c.Length >= 3 && c[0].Length > 0 && c[1].Length == 0 && c.Skip(2).Any(x => x.Length > 0);
        }
        return false;
    }

    /// <summary>Fills each non-delegated section's <c>tableIds</c> with the grids of device.json whose caption lies in the section's
    /// line range (ids already listed are kept).</summary>
    public static void LinkSectionTables(DeviceOutput output)
    {
        foreach (var s in output.Device.Sections.Where(s => s.DelegatedTo is null && s.Provenance.Lines.Length == 2))
        {
            foreach (var t in output.Device.Tables)
            {
                int line = t.Provenance.Lines.Length > 0 ? t.Provenance.Lines[0] : 0;
                if (line >= s.Provenance.Lines[0] && line <= s.Provenance.Lines[1] && !s.TableIds.Contains(t.Id))
                {
                    s.TableIds.Add(t.Id);
                }
            }
        }
    }

    /// <summary>Adds a coverage entry.</summary>
    public static void Cover(DeviceOutput output, TableSpan t, string status, string? file, int rows, string? reason = null) =>
        output.Coverage.Tables.Add(new CoverageEntry
        {
            Table = t.Id,
            Title = t.Title,
            Lines = [t.CaptionLine, t.EndLine],
            Status = status,
            Output = file,
            AttributeRows = rows,
            Reason = reason,
        });

    /// <summary>Extracts every table not yet covered as a grid in device.json (skipped with a reason if it has no rows);
    /// then orders coverage by line.</summary>
    public static void CoverRemainingAsGrids(ExtractionContext ctx, DeviceOutput output, IReadOnlyDictionary<string, (string Output, int Rows)> used,
        Func<TableSpan, string?>? skipReason = null, bool stopAtProse = true)
    {
        foreach (var t in ctx.Tables)
        {
            if (used.TryGetValue(t.Id, out var u))
            {
                Cover(output, t, "extracted", u.Output, u.Rows);
                continue;
            }
            var reason = skipReason?.Invoke(t);
            var grid = PhilipsAnnex.Grid(ctx.Text, t, StackedHeader(ctx.Text, t) ? 2 : 1, stopAtProse);
            if (reason is null && grid.Rows.Count == 0)
            {
                reason = "no table rows: the caption is followed by prose only (content delegated or not applicable)";
            }
            if (reason is not null)
            {
                Cover(output, t, "skipped", null, 0, reason);
                continue;
            }
            output.Device.Tables.Add(grid);
            Cover(output, t, "extracted", "device.json", PhilipsAnnex.TagRows(grid));
        }
        output.Coverage.Tables.Sort((a, b) => a.Lines[0].CompareTo(b.Lines[0]));
    }
}
