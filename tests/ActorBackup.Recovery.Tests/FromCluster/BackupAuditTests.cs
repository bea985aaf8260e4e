using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using ActorBackup.Ledger.Audit;
using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Simulation;
using ActorBackup.Recovery.FromCluster;

namespace ActorBackup.Recovery.Tests.FromCluster;

/// <summary>
/// Verify's audit over record lines read shard by shard, with failovers and everything spilled to disk, finds exactly
/// what the audit finds over the same records held in memory.
/// </summary>
public sealed class BackupAuditTests
{
    private const int Shards = 2;

    /// <summary>
    /// Six rounds of three nodes, less the fourth block (a gap in bigchain, its votes left pointing at it) and node 1's
    /// vote on the third (a gap in that node's chain), plus node 0's vote for a block the source never had.
    /// </summary>
    private static (List<SimulatedDocument> Documents, string Dropped, string Never) Ledger()
    {
        var clock = 1_500_000_000L;
        using var simulator = new FederationSimulator(new SimulationOptions("backup-audit", Nodes: 3, TransactionsPerBlock: 1, Clock: () => clock += 5));
        var rounds = simulator.Generate(6).ToList();
        var voter1 = rounds[2].Votes.OrderBy(v => v.Signer, StringComparer.Ordinal).First().Signer;
        var documents = rounds.Where(r => r.Number != 3).Select(r => r.Block)
            .Concat(rounds.SelectMany(r => r.Votes).Where(v => v.BlockId != rounds[2].Block.BlockId || v.Signer != voter1))
            .ToList();
        var never = new string('e', 64);
        documents.Add(simulator.Vote(0, never, rounds[5].Block.BlockId, true));
        // RethinkDB gives each vote a UUID as it stores it; the backup holds them with it.
        return ([.. documents.Select((d, i) => d.Kind == RecordKind.Vote ? d with { Json = WithId(d.Json, i) } : d)], rounds[3].Block.BlockId, never);
    }

    private static byte[] WithId(byte[] json, int n)
    {
        var vote = JsonNode.Parse(json)!.AsObject();
        vote["id"] = $"{n:x8}-9f0c-4f8e-a580-9e09763434c0";
        return Encoding.UTF8.GetBytes(vote.ToJsonString());
    }

    private static string TableOf(SimulatedDocument d) => d.Kind == RecordKind.Block ? "bigchain" : "votes";

    /// <summary>A replica that gives its lines and breaks after <paramref name="breakAfter"/> of them, when set.</summary>
    private static async IAsyncEnumerable<byte[]> Replica(IReadOnlyList<byte[]> lines, int? breakAfter, [EnumeratorCancellation] CancellationToken ct = default)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            await Task.Yield();
            if (i == breakAfter)
                throw new IOException("the connection was reset");
            yield return lines[i];
        }
    }

    [Fact]
    public async Task A_ledger_with_a_gap_and_a_vote_for_a_missing_block_gives_the_same_findings_read_with_failovers_and_spilled_to_disk()
    {
        var (documents, dropped, never) = Ledger();
        using var direct = new LedgerAudit();
        foreach (var d in documents)
            direct.Observe(LedgerReader.TryRead(d.Json, d.Kind, out var record, out _) ? record! : throw new InvalidOperationException("unreadable"));
        var expected = direct.Complete();

        using var temp = new TempDir();
        var reads = new ClusterReadOptions(IdsInMemory: 2, TempDirectory: temp.Path);
        var warnings = new List<string>();
        // Blocks' shards before votes', as verify reads them; each shard's first replica breaks part way, in another order.
        var shards = documents.Select((d, i) => (Document: d, Index: i)).GroupBy(x => (Table: TableOf(x.Document), Shard: x.Index % Shards), x => x.Document)
            .OrderBy(g => g.Key.Table == "votes").ThenBy(g => g.Key.Shard)
            .Select(g =>
            {
                var lines = g.Select(d => d.Json).ToList();
                var id = $"{g.Key.Table}/{g.Key.Shard:D3}";
                var replicas = new[]
                {
                    new ShardReplica("first", ct => Replica([.. Enumerable.Reverse(lines)], lines.Count / 2, ct)),
                    new ShardReplica("second", ct => Replica(lines, null, ct)),
                };
                return new AuditedShard(id, g.First().Kind, ClusterBackupSource.ReadShard(id, replicas, reads, warnings.Add));
            }).ToList();
        var problems = new List<string>();

        var report = await BackupAudit.RunAsync(shards, problems, new LedgerAuditOptions(MemoryEntries: 5, TempDirectory: temp.Path));

        Assert.Empty(problems);
        Assert.Equal(shards.Count, warnings.Count);
        Assert.Equal(expected.Findings.Select(f => f.ToString()), report.Findings.Select(f => f.ToString()));
        Assert.Equal((expected.BlocksSeen, expected.VotesSeen), (report.BlocksSeen, report.VotesSeen));
        Assert.Equal((5L, 15L), (report.BlocksSeen, report.VotesSeen));
        Assert.Equal(new[] { dropped, never }.Order(), report.Findings.Where(f => f.Kind == AuditFindingKind.MissingBlock).Select(f => f.BlockId).Order());
        Assert.Equal(4, report.Findings.Count(f => f.Kind == AuditFindingKind.OrphanVote));
        Assert.Single(report.Findings, f => f.Kind == AuditFindingKind.MissingVote);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public async Task A_line_that_is_not_its_kind_is_named_and_the_rest_audited()
    {
        var (documents, _, _) = Ledger();
        var vote = documents.First(d => d.Kind == RecordKind.Vote).Json;
        var block = documents.First(d => d.Kind == RecordKind.Block).Json;
        var problems = new List<string>();

        var report = await BackupAudit.RunAsync([new AuditedShard("bigchain/000", RecordKind.Block, Replica([block, vote], null))], problems);

        Assert.Equal(1, report.BlocksSeen);
        var problem = Assert.Single(problems);
        Assert.StartsWith("bigchain/000: a stored record cannot be read as a Block: ", problem);
    }
}
