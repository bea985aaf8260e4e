using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Messages;

namespace ActorBackup.Cluster.Replica.Commands;

/// <summary>Asks for the count and digest of the stored records with a timestamp up to <paramref name="At"/> (<see cref="Replies.DigestAt"/>).</summary>
public sealed record GetDigestAt(Watermark At) : IBackupMessage;
