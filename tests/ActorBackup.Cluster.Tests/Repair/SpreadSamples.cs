using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Tests.Repair;

/// <summary>Votes of shard 17 of 64 whose ids spread over the whole shard, so over every id bucket.</summary>
internal static class SpreadSamples
{
    public const int Shard = 17;
    public const long FirstTimestamp = 1490000000;

    public static CapturedRecord Vote(int n) =>
        Samples.Vote($"{0x44000000u + (uint)((ulong)n * 2654435761UL % 0x4000000UL):x8}-0716-4f8e-a580-{n:x12}", FirstTimestamp + n, n);

    public static CapturedRecord[] Votes(int from, int count) => Enumerable.Range(from, count).Select(Vote).ToArray();

    public static ShardDigest DigestOf(IEnumerable<CapturedRecord> records) =>
        records.Aggregate(ShardDigest.Empty, (d, r) => d.Add(RecordDigest.Of(r)));

    public static QuarantinedRecord Forged(int n) =>
        new(Vote(n) with { Verdict = RecordVerdict.Quarantined, Json = "{\"forged\":true}"u8.ToArray() }, "bad-signature", $"vote {n} has a forged signature");
}
