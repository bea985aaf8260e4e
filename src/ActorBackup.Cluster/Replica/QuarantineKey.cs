using System.Security.Cryptography;
using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Replica;

/// <summary>What identifies a quarantined record: its id and the hex SHA-256 of its whole document as received.</summary>
public readonly record struct QuarantineKey(string Id, string DigestHex)
{
    public static QuarantineKey Of(QuarantineEntry e) => new(e.Id, Convert.ToHexStringLower(e.Sha256));

    public static QuarantineKey Of(QuarantinedRecord q) => Of(QuarantineEntry.Of(q, 0));
}
