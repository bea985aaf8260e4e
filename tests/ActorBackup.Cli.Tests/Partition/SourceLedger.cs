using System.Text;
using System.Text.Json;
using ActorBackup.Cluster.Capture;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Sharding;
using ActorBackup.Cluster.Status;
using ActorBackup.Ledger.Documents;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cli.Tests.Partition;

/// <summary>
/// What the source holds, read table by table and cut into the cluster's shards: per shard the records' ledger
/// timestamps and the digest a replica holding exactly these records reports.
/// </summary>
public sealed class SourceLedger
{
    private readonly Dictionary<string, List<long>> _timestamps;
    private readonly Dictionary<string, ShardDigest> _digests;

    private SourceLedger(Dictionary<string, List<long>> timestamps, Dictionary<string, ShardDigest> digests)
    {
        _timestamps = timestamps;
        _digests = digests;
    }

    public static async Task<SourceLedger> ReadAsync(string host, int port, string database, int shards)
    {
        await using var connection = await Connection.ConnectAsync(new ConnectionOptions { Host = host, Port = port, Db = database });
        var keySpace = new KeySpace(shards);
        var timestamps = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        var digests = new Dictionary<string, ShardDigest>(StringComparer.Ordinal);
        foreach (var table in new[] { "bigchain", "votes" })
        {
            foreach (var range in keySpace.Ranges)
            {
                timestamps[ClusterStatusBuilder.IdOf(table, range.Shard)] = [];
                digests[ClusterStatusBuilder.IdOf(table, range.Shard)] = ShardDigest.Empty;
            }
            var documents = await R.Db(database).Table(table).RunAtomAsync(connection, CancellationToken.None);
            foreach (var document in documents.EnumerateArray())
            {
                var json = Encoding.UTF8.GetBytes(document.GetRawText());
                if (!LedgerReader.TryRead(json, RecordKinds.Of(table), out var record, out var failure) || record?.Id is not { } id)
                    throw new InvalidDataException($"the source's {table} holds a record the simulator did not write: {failure.Message}");
                var shard = ClusterStatusBuilder.IdOf(table, keySpace.ShardOf(id));
                timestamps[shard].Add(record switch
                {
                    Block block => block.Timestamp,
                    Vote vote => vote.Timestamp,
                    _ => throw new InvalidDataException($"{table} {id} is a {record.Kind}"),
                });
                digests[shard] = digests[shard].Add(RecordDigest.Of(id, json));
            }
        }
        return new SourceLedger(timestamps, digests);
    }

    public long Total => _timestamps.Values.Sum(t => t.Count);

    public long Count(string shard) => _timestamps[shard].Count;

    /// <summary>Records of the shard whose timestamp is at most <paramref name="upTo"/>: what a replica with that watermark must hold.</summary>
    public long CountUpTo(string shard, DateTimeOffset upTo) => _timestamps[shard].Count(t => t <= upTo.ToUnixTimeSeconds());

    public string Digest(string shard) => _digests[shard].ToString();
}
