using System.Security.Cryptography;
using System.Text;
using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Tests;

/// <summary>Records shaped like BigchainDB 0.10 votes, for tests that need many of them.</summary>
internal static class Samples
{
    public static string BlockId(int n) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"block {n}")));

    public static CapturedRecord Vote(string id, long timestamp, int n = 0) =>
        new("votes", id, timestamp, Encoding.UTF8.GetBytes(
            $$$"""{"id":"{{{id}}}","node_pubkey":"4K9sWUMFwTgaDGPfdynrbxWqWS6sWmKbZoTjxLtVUibD","signature":"2GoLp8X8ptpJZVkW1RJAkhPPnXGFrdcS8BqCN1HvDNXsj3wF8yCwmpjB7h4PB3kCrWnGTQNhxUM7UxDCsNBRVnc","vote":{"invalid_reason":null,"is_block_valid":true,"previous_block":"{{{BlockId(n)}}}","timestamp":"{{{timestamp}}}","voting_for_block":"{{{BlockId(n + 1)}}}"}}"""),
            RecordVerdict.Verified);

    /// <summary>A vote whose id falls in the given shard of a 64-shard key space (ids start with the shard's hex prefix).</summary>
    public static CapturedRecord VoteInShard(int shard, int n, long timestamp)
    {
        var prefix = (shard * 4).ToString("x2");
        return Vote($"{prefix}{n:x6}-0716-4f8e-a580-9e09763434c0", timestamp, n);
    }
}
