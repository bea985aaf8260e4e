using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cluster.Admin;
using ActorBackup.Cluster.Membership;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Sources;
using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using AkkaCluster = Akka.Cluster.Cluster;

namespace ActorBackup.Cluster.Status;

/// <summary>
/// Computes the current <see cref="ClusterStatus"/> from this node's view; safe to call from any thread. Its time is the
/// sources' as this node measured it (<paramref name="sources"/>), the clock watermarks are in.
/// </summary>
public sealed class ClusterStatusSource(ActorSystem system, BackupSettings settings, TimeSpan timeout, SourceSessions sources)
{
    private readonly AkkaCluster _cluster = AkkaCluster.Get(system);
    private readonly IActorRef _replicator = DistributedData.Get(system).Replicator;

    public async Task<ClusterStatus> CurrentAsync(CancellationToken cancellationToken)
    {
        var state = _cluster.State;
        var unreachable = state.Unreachable.Select(m => m.UniqueAddress).ToHashSet();
        var members = state.Members
            .Select(m => new MemberEntry(m.Address.ToString(), MemberView.RegionOf(m.Roles), StatusName(m.Status), !unreachable.Contains(m.UniqueAddress),
                AdminUrlRole.Of(m.Roles), m.Address == _cluster.SelfAddress ? Environment.ProcessId : null))
            .OrderBy(m => m.Address, StringComparer.Ordinal)
            .ToArray();
        var response = await _replicator.Ask<IGetResponse>(Dsl.Get(StatusKeys.Replicas, ReadLocal.Instance), timeout, cancellationToken);
        var reports = response is GetSuccess success
            ? success.Get(StatusKeys.Replicas).Entries.Values.ToArray()
            : [];
        return ClusterStatusBuilder.Build(
            _cluster.SelfAddress.ToString(), members, reports, settings.Tables, settings.Shards, settings.Replicas,
            // Only the time shown and the point objective's age: no watermark rests on it, so the node's clock stands in
            // until a source has been measured.
            sources.SourceNowOrNull() ?? DateTimeOffset.UtcNow, sources.Report());
    }

    /// <summary>Akka's member status as the status JSON spells it.</summary>
    public static string StatusName(MemberStatus status) => status switch
    {
        MemberStatus.WeaklyUp => "weakly-up",
        _ => status.ToString().ToLowerInvariant(),
    };
}
