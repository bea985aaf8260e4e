using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Settings;
using Akka.Actor;

namespace ActorBackup.Cluster.Node;

/// <summary>
/// What a node starts for each replica it owns: the one place that chooses the replica's actor.
/// </summary>
public static class ReplicaFactory
{
    /// <summary>The replica actor under its backoff supervisor, one per owned <see cref="ReplicaId"/>.</summary>
    public static Func<ReplicaId, Props> For(BackupSettings settings)
    {
        var options = ReplicaOptions.From(settings);
        return id => ReplicaActor.Supervised(id, options, settings.RestartBackoff);
    }
}
