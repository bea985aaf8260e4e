using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Messages;
using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Replica.Replies;

/// <summary>Count and digest of the stored records with a timestamp up to <paramref name="At"/>.</summary>
public sealed record DigestAt(Watermark At, long Count, ShardDigest Digest) : IBackupMessage;
