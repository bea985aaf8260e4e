using ActorBackup.Cluster.Placement;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Status;
using Akka;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using AkkaCluster = Akka.Cluster.Cluster;

namespace ActorBackup.Cluster.Membership;

/// <summary>
/// Runs one child per replica this node owns. On every membership or reachability change (after a
/// short debounce) it recomputes <see cref="RendezvousPlacement"/> over the members it sees, starts
/// the replicas it gained and releases the ones it lost. No coordinator: every node does the same
/// from its own view, and two nodes briefly running the same replica is harmless (capture is idempotent).
/// </summary>
public sealed class PlacementActor : ReceiveActor, IWithTimers
{
    private const string RecomputeTimer = "recompute";

    private readonly PlacementOptions _options;
    private readonly Func<ReplicaId, Props> _factory;
    private readonly AkkaCluster _cluster = AkkaCluster.Get(Context.System);
    private readonly string _self;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<ReplicaId, IActorRef> _owned = [];
    // Given up, finishing the batch in flight before they are stopped; reclaimed if owned again meanwhile.
    private readonly Dictionary<ReplicaId, IActorRef> _releasing = [];
    // Stopped, not yet terminated: a replica is not started again until its previous actor is gone,
    // so two actors never write the same persistence id on one node.
    private readonly Dictionary<ReplicaId, IActorRef> _stopping = [];
    // The owners each running replica was last told about.
    private readonly Dictionary<ReplicaId, string> _toldOwners = [];
    // Set once the node is leaving: who to tell when the last replica has stopped.
    private IActorRef? _leaving;

    public PlacementActor(PlacementOptions options, Func<ReplicaId, Props> factory)
    {
        _options = options;
        _factory = factory;
        _self = _cluster.SelfAddress.ToString();

        Receive<ClusterEvent.IMemberEvent>(_ => ScheduleRecompute());
        Receive<ClusterEvent.IReachabilityEvent>(_ => ScheduleRecompute());
        Receive<Recompute>(_ => _cluster.SendCurrentClusterState(Self));
        Receive<ClusterEvent.CurrentClusterState>(Apply);
        Receive<GetOwnedReplicas>(_ => Sender.Tell(new OwnedReplicas(new Dictionary<ReplicaId, IActorRef>(_owned))));
        Receive<ReleaseAllReplicas>(_ => ReleaseAll());
        Receive<Drained>(OnDrained);
        Receive<Terminated>(OnTerminated);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(PlacementOptions options, Func<ReplicaId, Props> factory) =>
        Akka.Actor.Props.Create(() => new PlacementActor(options, factory));

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    // A burst of events (a region coming back) moves replicas once; the timer is not pushed back by
    // later events, so a flapping member cannot postpone placement forever.
    private void ScheduleRecompute()
    {
        if (!Timers.IsTimerActive(RecomputeTimer))
            Timers.StartSingleTimer(RecomputeTimer, Recompute.Instance, _options.Debounce);
    }

    private void Apply(ClusterEvent.CurrentClusterState state)
    {
        if (_leaving is not null) return;
        var members = MemberView.From(state.Members, state.Unreachable);
        var self = members.FirstOrDefault(m => m.Address == _self);
        var placement = RendezvousPlacement.Compute(members, _options.Tables, _options.Shards, _options.Replicas);
        var owned = self is { CanOwnReplicas: true } ? SlotChanges.OwnedBy(placement, _self) : new HashSet<ReplicaId>();
        var changes = SlotChanges.Between(_owned.Keys, owned);
        foreach (var id in changes.ToStart)
            Start(id);
        foreach (var id in changes.ToStop)
            Release(id);
        TellOwners(placement);
        if (!changes.IsEmpty)
        {
            _log.Info("Placement over {0} reachable of {1} members: {2} replicas owned (+{3}, -{4}).",
                members.Count(m => m.CanOwnReplicas), members.Count, _owned.Count, changes.ToStart.Count, changes.ToStop.Count);
        }
    }

    private void TellOwners(ShardPlacement placement)
    {
        foreach (var (id, child) in _owned)
        {
            var owners = placement.OwnersOf(id.Table, id.Shard).Select(m => m.Address).Order(StringComparer.Ordinal).ToList();
            var key = string.Join(",", owners);
            if (_toldOwners.TryGetValue(id, out var told) && told == key)
                continue;
            _toldOwners[id] = key;
            child.Tell(new ReplicaOwnersChanged(owners.Select(Address.Parse).ToList()));
        }
    }

    private void ReleaseAll()
    {
        _leaving = Sender;
        foreach (var id in _owned.Keys.ToArray())
            Release(id);
        _log.Info("Leaving: releasing {0} replicas.", _releasing.Count);
        ReplyIfReleased();
    }

    private void ReplyIfReleased()
    {
        if (_leaving is not null && _owned.Count == 0 && _releasing.Count == 0 && _stopping.Count == 0)
            _leaving.Tell(Done.Instance);
    }

    private void Start(ReplicaId id)
    {
        if (_releasing.Remove(id, out var reclaimed))
        {
            _owned[id] = reclaimed;
            return;
        }
        if (_stopping.ContainsKey(id))
            return; // started once the previous actor has terminated (OnTerminated recomputes)
        // The same name on every node: a replica's repair actor finds its siblings by path.
        var name = $"{id.Table}-{id.Shard:D3}";
        _owned[id] = Context.Watch(Context.ActorOf(_factory(id), name));
        _toldOwners.Remove(id);
    }

    private void Release(ReplicaId id)
    {
        var child = _owned[id];
        _owned.Remove(id);
        _toldOwners.Remove(id);
        _releasing[id] = child;
        // A replica answers its status only after the batch it is persisting: the answer (or the
        // timeout, if it is stuck) says it can be stopped without cutting a write in half.
        child.Ask(ReplicaStatusAdapter.Query, _options.DrainTimeout)
            .PipeTo(Self, success: _ => new Drained(id, child), failure: _ => new Drained(id, child));
    }

    private void OnDrained(Drained drained)
    {
        if (!_releasing.TryGetValue(drained.Id, out var child) || !child.Equals(drained.Child))
            return; // reclaimed meanwhile
        _releasing.Remove(drained.Id);
        _stopping[drained.Id] = child;
        Context.Stop(child);
    }

    private void OnTerminated(Terminated terminated)
    {
        var gone = terminated.ActorRef;
        RemoveActor(_stopping, gone);
        RemoveActor(_releasing, gone);
        foreach (var id in RemoveActor(_owned, gone))
            _log.Warning("Replica {0} stopped on its own; it is started again.", id);
        ScheduleRecompute();
        ReplyIfReleased();
    }

    private static IReadOnlyList<ReplicaId> RemoveActor(Dictionary<ReplicaId, IActorRef> replicas, IActorRef actor)
    {
        var ids = replicas.Where(kv => kv.Value.Equals(actor)).Select(kv => kv.Key).ToArray();
        foreach (var id in ids)
            replicas.Remove(id);
        return ids;
    }

    private sealed record Recompute
    {
        public static Recompute Instance { get; } = new();
    }

    private sealed record Drained(ReplicaId Id, IActorRef Child);
}
