using ActorBackup.Cluster.Membership;
using ActorBackup.Cluster.Replica;
using Akka.Actor;
using Akka.Cluster;
using Akka.DistributedData;
using Akka.Event;
using AkkaCluster = Akka.Cluster.Cluster;

namespace ActorBackup.Cluster.Status;

/// <summary>
/// Every <c>interval</c>, asks this node's replicas for their status and writes one
/// <see cref="ReplicaReport"/> per replica into <see cref="StatusKeys.Replicas"/>; removes the
/// entries of replicas this node gave up, and those of members removed from the cluster.
/// The data spreads by gossip, so any node can compute the cluster status without asking anyone.
/// </summary>
public sealed class StatusPublisher : ReceiveActor, IWithTimers
{
    private readonly IActorRef _placement;
    private readonly string _region;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _timeout;
    private readonly AkkaCluster _cluster = AkkaCluster.Get(Context.System);
    private readonly IActorRef _replicator = DistributedData.Get(Context.System).Replicator;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _self;
    private bool _collecting;

    public StatusPublisher(IActorRef placement, string region, TimeSpan interval, TimeSpan timeout)
    {
        _placement = placement;
        _region = region;
        _interval = interval;
        _timeout = timeout;
        _self = _cluster.SelfAddress.ToString();

        Receive<Tick>(_ => Collect());
        Receive<Collected>(Publish);
        Receive<Akka.Actor.Status.Failure>(f =>
        {
            _collecting = false;
            _log.Warning("Collecting the replicas' status failed: {0}", f.Cause.Message);
        });
        Receive<ClusterEvent.MemberRemoved>(removed => ForgetNode(removed.Member.Address.ToString()));
        Receive<UpdateSuccess>(_ => { });
        Receive<IUpdateResponse>(r => _log.Warning("Publishing the replicas' status failed: {0}", r));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef placement, string region, TimeSpan interval, TimeSpan timeout) =>
        Akka.Actor.Props.Create(() => new StatusPublisher(placement, region, interval, timeout));

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("publish", Tick.Instance, _interval);
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberRemoved));
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Collect()
    {
        // One round at a time: a slow journal delays the next round instead of piling up questions.
        if (_collecting) return;
        _collecting = true;
        CollectAsync().PipeTo(Self);
    }

    private async Task<Collected> CollectAsync()
    {
        var owned = await _placement.Ask<OwnedReplicas>(GetOwnedReplicas.Instance, _timeout);
        var reports = await Task.WhenAll(owned.Replicas.Select(kv => AskStatus(kv.Value)));
        return new Collected(owned.Replicas.Keys.ToHashSet(), reports.OfType<ReplicaReport>().ToArray());
    }

    private async Task<ReplicaReport?> AskStatus(IActorRef replica)
    {
        try
        {
            return ReplicaStatusAdapter.ToReport(await replica.Ask(ReplicaStatusAdapter.Query, _timeout), _self, _region);
        }
        catch (AskTimeoutException)
        {
            // A replica that is recovering or restarting keeps its last published entry.
            return null;
        }
    }

    private void Publish(Collected collected)
    {
        _collecting = false;
        var self = _cluster.SelfUniqueAddress;
        var prefix = _self + "|";
        var owned = collected.Owned.Select(id => ReplicaReport.KeyOf(_self, id.Table, id.Shard)).ToHashSet(StringComparer.Ordinal);
        _replicator.Tell(Dsl.Update(StatusKeys.Replicas, LWWDictionary<string, ReplicaReport>.Empty, WriteLocal.Instance, map =>
        {
            // Also removes what an earlier incarnation of this node on the same address left behind.
            foreach (var key in map.Entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !owned.Contains(k)).ToArray())
                map = map.Remove(self, key);
            foreach (var report in collected.Reports.Where(r => owned.Contains(r.Key)))
                map = map.SetItem(self, report.Key, report);
            return map;
        }));
    }

    private void ForgetNode(string address)
    {
        var self = _cluster.SelfUniqueAddress;
        var prefix = address + "|";
        _replicator.Tell(Dsl.Update(StatusKeys.Replicas, LWWDictionary<string, ReplicaReport>.Empty, WriteLocal.Instance, map =>
        {
            foreach (var key in map.Entries.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToArray())
                map = map.Remove(self, key);
            return map;
        }));
    }

    private sealed record Tick
    {
        public static Tick Instance { get; } = new();
    }

    private sealed record Collected(IReadOnlySet<ReplicaId> Owned, IReadOnlyList<ReplicaReport> Reports);
}
