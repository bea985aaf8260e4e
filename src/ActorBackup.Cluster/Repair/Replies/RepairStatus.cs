using ActorBackup.Cluster.Messages;
using ActorBackup.Cluster.Replica;

namespace ActorBackup.Cluster.Repair.Replies;

/// <summary>What a <see cref="RepairActor"/> did since it started.</summary>
/// <param name="Siblings">Sibling replicas it compares with.</param>
/// <param name="Rounds">Comparisons with a sibling that completed.</param>
/// <param name="FailedRounds">Comparisons with a sibling that failed (sibling unreachable, timeout, refusal).</param>
/// <param name="Repaired">Records pulled from siblings and newly stored here.</param>
/// <param name="Duplicates">Records pulled that were already stored (harmless).</param>
/// <param name="Batches">Record batches (stream elements) received from siblings.</param>
/// <param name="BulkFills">Comparisons that pulled a sibling's whole replica.</param>
/// <param name="LastError">The last failure, one line, or null.</param>
public sealed record RepairStatus(
    ReplicaId Replica, int Siblings, long Rounds, long FailedRounds, long Repaired, long Duplicates, long Batches, long BulkFills, string? LastError)
    : IBackupMessage;
