using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Ingest;

/// <summary>What one owner of a shard holds up to the import's point: its watermark, and the count and digest of its verified records up to the point.</summary>
public sealed record OwnerHoldings(string Owner, Watermark Watermark, long Count, ShardDigest Digest);
