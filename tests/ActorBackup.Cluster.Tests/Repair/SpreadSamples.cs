using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Sharding;
using ActorBackup.Cluster.Tests.Node;
using ActorBackup.Cluster.Verification;
using ActorBackup.Ledger.Json;
using ActorBackup.Ledger.Simulation;
using ActorBackup.Ledger.Validation;

namespace ActorBackup.Cluster.Tests.Repair;

/// <summary>Votes of shard 17 of 64 whose ids spread over the whole shard, so over every id bucket.</summary>
internal static class SpreadSamples
{
    public const int Shard = 17;
    public const long FirstTimestamp = 1490000000;

    private static readonly object Signing = new();
    private static long _clock;
    private static readonly FederationSimulator Federation =
        new(new SimulationOptions(TestNodeFiles.FederationSeed, Nodes: 3, Clock: () => _clock));
    private static readonly ConcurrentDictionary<(int, long), CapturedRecord> SignedCache = new();

    public static string IdOf(int n) => $"{0x44000000u + (uint)((ulong)n * 2654435761UL % 0x4000000UL):x8}-0716-4f8e-a580-{n:x12}";

    public static CapturedRecord Vote(int n) => Samples.Vote(IdOf(n), FirstTimestamp + n, n);

    public static CapturedRecord[] Votes(int from, int count) => Enumerable.Range(from, count).Select(Vote).ToArray();

    /// <summary>
    /// Vote <paramref name="n"/> signed by a node of the federation <see cref="TestNodeFiles"/> gives the nodes, timestamped
    /// <paramref name="timestamp"/> (by default as <see cref="Vote"/>): it verifies against <see cref="Verifier"/>. A vote's id
    /// is RethinkDB's and not signed, so it is set to the spread id.
    /// </summary>
    public static CapturedRecord SignedVote(int n, long? timestamp = null) => SignedCache.GetOrAdd((n, timestamp ?? FirstTimestamp + n), key =>
    {
        SimulatedDocument vote;
        lock (Signing)
        {
            _clock = key.Item2;
            vote = Federation.Vote(n % 3, Samples.BlockId(n + 1), Samples.BlockId(n), valid: true);
        }
        var document = JsonNode.Parse(vote.Json)!.AsObject();
        document["id"] = IdOf(key.Item1);
        return new CapturedRecord("votes", IdOf(key.Item1), key.Item2, CanonicalJson.ToBytes(document), RecordVerdict.Verified);
    });

    /// <summary>Signed vote <paramref name="n"/> with its verdict on the block flipped after signing, its signature kept, marked Verified.</summary>
    public static CapturedRecord AlteredAfterSigning(int n)
    {
        var signed = SignedVote(n);
        return signed with
        {
            Json = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(signed.Json.Span)
                .Replace("\"is_block_valid\":true", "\"is_block_valid\":false", StringComparison.Ordinal)),
        };
    }

    public static CapturedRecord[] SignedVotes(int from, int count) => Enumerable.Range(from, count).Select(n => SignedVote(n)).ToArray();

    /// <summary>A validator of the federation's keys the signed votes verify against.</summary>
    public static LedgerValidator Validator() => new(Federation.Federation);

    /// <summary>Verifies records received for votes shard 17 against the federation's keys.</summary>
    public static ReceivedRecords Verifier() => new(new Cluster.Replica.ReplicaId("votes", Shard), new KeySpace(64), Validator());

    public static ShardDigest DigestOf(IEnumerable<CapturedRecord> records) =>
        records.Aggregate(ShardDigest.Empty, (d, r) => d.Add(RecordDigest.Of(r)));

    public static QuarantinedRecord Forged(int n) =>
        new(Vote(n) with { Verdict = RecordVerdict.Quarantined, Json = "{\"forged\":true}"u8.ToArray() }, "bad-signature", $"vote {n} has a forged signature");
}
