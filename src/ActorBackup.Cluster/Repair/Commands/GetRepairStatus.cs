using ActorBackup.Cluster.Messages;

namespace ActorBackup.Cluster.Repair.Commands;

/// <summary>Asks a <see cref="RepairActor"/> for <see cref="Replies.RepairStatus"/>.</summary>
public sealed record GetRepairStatus : IBackupMessage
{
    public static GetRepairStatus Instance { get; } = new();
}
