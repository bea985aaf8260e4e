using ActorBackup.Ledger.Audit;
using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Sorting;
using ActorBackup.Ledger.Validation;
using ActorBackup.Recovery.Archive;

namespace ActorBackup.Recovery.Bundle.Assembly;

/// <summary>
/// Rebuilds one ledger from many bundles: every document of every bundle is sorted by table and id (out to
/// temporary files past a memory budget), each id's copies are checked in bundle order and the first that verifies
/// is written, the others reported if they differ; ids with no copy that verifies are left out and named. The
/// result is one <c>rethinkdb dump</c> archive in primary-key order, and the completeness audit of what it holds.
/// Memory is bounded by the budget, not by the ledger.
/// </summary>
public sealed class BundleAssembler(BundleFederationKeys keys, AssemblyOptions options)
{
    public async Task<AssemblyReport> AssembleAsync(IReadOnlyList<BundleArchive> bundles, string outPath, bool overwrite, CancellationToken ct)
    {
        if (bundles.Count == 0)
            throw new ArgumentException("Nothing to assemble.", nameof(bundles));
        var validator = new LedgerValidator(keys.Keys, new LedgerValidatorOptions(Deep: true));
        var leftOut = new List<string>();
        var conflicts = new List<string>();
        var counts = bundles.Select(b => new Counts()).ToArray();
        using var sorter = new SpillingSorter<AssemblyEntry>(int.MaxValue, options.MemoryBytes, AssemblyEntry.SizeOf, options.TempDirectory,
            AssemblyEntry.Order, AssemblyEntry.Write, AssemblyEntry.Read);
        long sequence = 0;
        for (var i = 0; i < bundles.Count; i++)
        {
            foreach (var document in bundles[i].Documents())
            {
                ct.ThrowIfCancellationRequested();
                counts[i].Documents++;
                if (document.Id is null)
                {
                    counts[i].LeftOut++;
                    leftOut.Add($"{Name(bundles[i])}: a {document.Table} document has no string id");
                    continue;
                }
                sorter.Add(new AssemblyEntry(document.Kind, document.Id, i, sequence++, document.Json));
            }
        }

        using var audit = new LedgerAudit(options.Audit);
        long blocks = 0, votes = 0;
        var size = await ArchiveFile.WriteAsync(outPath, overwrite, async archive =>
        {
            var table = archive.BeginTable(bundles[0].Blocks.Info with { Db = BundleLayout.Database });
            try
            {
                foreach (var group in Groups(sorter.Sorted()))
                {
                    var kind = group[0].Kind;
                    if (kind == RecordKind.Vote && table.Info.Name == BundleLayout.BlocksTable)
                        table = await VotesNext(archive, table, bundles[0], ct);
                    if (Choose(group, validator, bundles, counts, leftOut, conflicts) is not { } chosen)
                        continue;
                    table.WriteRow(chosen.Json.Span);
                    audit.Observe(chosen);
                    if (kind == RecordKind.Block) blocks++; else votes++;
                }
                if (table.Info.Name == BundleLayout.BlocksTable)
                    table = await VotesNext(archive, table, bundles[0], ct);
                await table.CompleteAsync(ct);
            }
            finally
            {
                table.Dispose();
            }
        }, ct);

        var report = audit.Complete();
        var summaries = bundles.Select((b, i) => new AssembledBundle(b.Path, counts[i].Documents, counts[i].New, counts[i].Duplicates, counts[i].LeftOut)).ToList();
        return new AssemblyReport(outPath, keys, summaries, blocks, votes, leftOut, conflicts, report, size);
    }

    /// <summary>Completes the blocks table and begins the votes table (both always exist, even empty, as in a dump of the two).</summary>
    private static async Task<TableDataWriter> VotesNext(DumpArchiveWriter archive, TableDataWriter blocks, BundleArchive first, CancellationToken ct)
    {
        await blocks.CompleteAsync(ct);
        blocks.Dispose();
        return archive.BeginTable(first.Votes.Info with { Db = BundleLayout.Database });
    }

    /// <summary>
    /// The first copy that verifies. Copies that do not are named: as left out when no copy verifies, else as damaged
    /// copies beside copies that verify but differ from the one kept.
    /// </summary>
    private static LedgerRecord? Choose(IReadOnlyList<AssemblyEntry> copies, LedgerValidator validator, IReadOnlyList<BundleArchive> bundles,
        Counts[] counts, List<string> leftOut, List<string> conflicts)
    {
        LedgerRecord? chosen = null;
        string? digest = null;
        var failures = new List<string>();
        foreach (var copy in copies)
        {
            var what = $"{(copy.Kind == RecordKind.Block ? "block" : "vote")} {copy.Id}";
            var copyDigest = BundleDigest.Of(copy.Json);
            if (chosen is not null && copyDigest == digest)
            {
                counts[copy.Bundle].Duplicates++;
                continue;
            }
            var result = validator.ValidateAndRead(copy.Json, copy.Kind, out var record, out _);
            if (!result.IsValid || record is null)
            {
                counts[copy.Bundle].LeftOut++;
                failures.Add($"{what} in {Name(bundles[copy.Bundle])}: {result.Reason}: {result.Message}");
                continue;
            }
            if (chosen is null)
            {
                (chosen, digest) = (record, copyDigest);
                counts[copy.Bundle].New++;
                continue;
            }
            counts[copy.Bundle].Duplicates++;
            conflicts.Add($"{what}: the copy in {Name(bundles[copy.Bundle])} verifies but differs from the one kept; it was not used");
        }
        if (chosen is null)
            leftOut.AddRange(failures);
        else
            conflicts.AddRange(failures.Select(f => $"{f} (another copy verifies and was kept)"));
        return chosen;
    }

    private static IEnumerable<List<AssemblyEntry>> Groups(IEnumerable<AssemblyEntry> sorted)
    {
        var group = new List<AssemblyEntry>();
        foreach (var entry in sorted)
        {
            if (group.Count > 0 && (group[0].Kind != entry.Kind || !string.Equals(group[0].Id, entry.Id, StringComparison.Ordinal)))
            {
                yield return group;
                group = [];
            }
            group.Add(entry);
        }
        if (group.Count > 0)
            yield return group;
    }

    private static string Name(BundleArchive bundle) => Path.GetFileName(bundle.Path);

    private sealed class Counts
    {
        public long Documents;
        public long New;
        public long Duplicates;
        public long LeftOut;
    }
}

/// <summary>
/// <paramref name="MemoryBytes"/>: documents held in memory before they are sorted out to a temporary file in
/// <paramref name="TempDirectory"/>; <paramref name="Audit"/>: the completeness audit's own budget.
/// </summary>
public sealed record AssemblyOptions(long MemoryBytes, string TempDirectory, LedgerAuditOptions Audit)
{
    public static AssemblyOptions Default { get; } = new(64L << 20, Path.GetTempPath(), LedgerAuditOptions.Default);
}
