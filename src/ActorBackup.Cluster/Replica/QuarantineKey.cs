using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Replica;

/// <summary>What identifies a quarantined record: its id and the hex SHA-256 of its content.</summary>
public readonly record struct QuarantineKey(string Id, string DigestHex)
{
    public static QuarantineKey Of(QuarantinedRecord q) => new(q.Record.Id, Convert.ToHexStringLower(RecordDigest.Of(q.Record)));
}
