using ActorBackup.Cluster.Capture;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Sources;
using Akka.Actor;

namespace ActorBackup.Cluster.Node;

/// <summary>
/// What a node starts for each replica it owns: the one place that chooses the replica's actor.
/// </summary>
public static class ReplicaFactory
{
    /// <summary>
    /// The capture of each owned <see cref="ReplicaId"/> (its changefeed, catch-up scan and journal), reading the sources
    /// over the node's <paramref name="sources"/>. The federation keys are loaded once here, so a missing or unreadable
    /// key file stops the node at start.
    /// </summary>
    public static Func<ReplicaId, Props> For(BackupSettings settings, SourceSessions sources)
    {
        var environment = CaptureEnvironment.Create(settings, sources);
        return id => CaptureActor.Props(id, environment);
    }
}
