using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Sorting;

namespace ActorBackup.Ledger.Audit;

/// <summary>
/// Completeness audit over blocks and votes in any order (reference §5.4). Every block and vote becomes a few small
/// facts keyed by block id; <see cref="Complete"/> sorts them (out to temporary files past
/// <see cref="LedgerAuditOptions.MemoryEntries"/>) and checks each block id's facts together, so the result is exact
/// whatever the order, and memory is bounded by the options, not by the ledger (plus one entry per distinct voter
/// key). Not thread-safe: feed it from one reader. Dispose it to delete its temporary files.
/// </summary>
public sealed class LedgerAudit : IDisposable
{
    private readonly LedgerAuditOptions settings;
    private readonly SpillingSorter<AuditEntry> facts;
    private readonly Dictionary<string, int> voterNumbers = new(StringComparer.Ordinal);
    private readonly List<string> voterKeys = [];
    private readonly Dictionary<int, VoterNewest> newest = [];
    private string? genesis;
    private long blocksSeen;
    private long votesSeen;
    private long sequence;

    public LedgerAudit(LedgerAuditOptions? options = null)
    {
        settings = options ?? LedgerAuditOptions.Default;
        if (settings.MemoryEntries < 1)
            throw new ArgumentOutOfRangeException(nameof(options), settings.MemoryEntries, "MemoryEntries must be at least 1.");
        facts = new SpillingSorter<AuditEntry>(settings.MemoryEntries, long.MaxValue, _ => 0, settings.TempDirectory ?? Path.GetTempPath(),
            AuditEntry.ByBlockThenSequence, AuditEntry.Write, AuditEntry.Read);
    }

    /// <summary>Facts held in memory now: what the audit's memory grows with, never more than the options allow.</summary>
    public int HeldEntries => facts.Held;

    /// <summary>Sorted runs written to temporary files so far (and not yet merged into bigger ones).</summary>
    public int SpilledRuns => facts.Runs;

    public static async Task<AuditReport> RunAsync(IAsyncEnumerable<LedgerRecord> records, LedgerAuditOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var audit = new LedgerAudit(options);
        await foreach (var record in records.WithCancellation(cancellationToken))
            audit.Observe(record);
        return audit.Complete();
    }

    public void Observe(LedgerRecord record)
    {
        switch (record)
        {
            case Block block: Observe(block); break;
            case Vote vote: Observe(vote); break;
        }
    }

    public void Observe(Block block)
    {
        blocksSeen++;
        if (block.IsGenesis)
            genesis ??= block.Id;
        var listed = block.Voters.Select(Number).ToArray();
        facts.Add(new AuditEntry(block.Id, sequence++, AuditEntryKind.Block, -1, null, null, block.Timestamp, listed, block.IsGenesis));
    }

    public void Observe(Vote vote)
    {
        votesSeen++;
        var voter = Number(vote.NodePubkey);
        var order = sequence++;
        if (!newest.TryGetValue(voter, out var known) || vote.Timestamp >= known.Timestamp)
            newest[voter] = new VoterNewest(vote.Timestamp, vote.VotingForBlock);
        facts.Add(new AuditEntry(vote.VotingForBlock, order, AuditEntryKind.VoteFor, voter, vote.Id, null, vote.Timestamp, null, false));
        facts.Add(new AuditEntry(vote.PreviousBlock, order, AuditEntryKind.PreviousOf, voter, vote.Id, vote.VotingForBlock, vote.Timestamp, null, false));
    }

    /// <summary>Checks everything observed so far. The audit can go on observing afterwards.</summary>
    public AuditReport Complete()
    {
        var findings = new List<AuditFinding>();
        var context = new AuditGroup.Context(genesis, voterKeys, newest.ToDictionary(v => v.Key, v => v.Value.Timestamp), settings.SkipGraceSeconds);
        var group = new List<AuditEntry>();
        foreach (var entry in facts.Sorted())
        {
            if (group.Count > 0 && !string.Equals(group[0].BlockId, entry.BlockId, StringComparison.Ordinal))
            {
                AuditGroup.Check(group, context, findings);
                group.Clear();
            }
            group.Add(entry);
        }
        if (group.Count > 0)
            AuditGroup.Check(group, context, findings);
        findings.Sort((a, b) => (a.Kind, a.BlockId, a.Voter ?? "").CompareTo((b.Kind, b.BlockId, b.Voter ?? "")));
        var tips = newest.ToDictionary(v => voterKeys[v.Key], v => v.Value.Tip, StringComparer.Ordinal);
        return new AuditReport(findings, blocksSeen, votesSeen, genesis, tips);
    }

    public void Dispose() => facts.Dispose();

    private int Number(string voter)
    {
        if (!voterNumbers.TryGetValue(voter, out var number))
        {
            voterNumbers[voter] = number = voterKeys.Count;
            voterKeys.Add(voter);
        }
        return number;
    }

    private readonly record struct VoterNewest(long Timestamp, string Tip);
}
