using ActorBackup.Cluster.Node;
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
/// Each slot's lifecycle and every decision over it are in <see cref="PlacementState{TActor}"/>; this actor
/// only applies the effects (starting, asking, stopping and telling actors).
/// </summary>
public sealed class PlacementActor : ReceiveActor, IWithTimers
{
    private const string RecomputeTimer = "recompute";

    private readonly PlacementOptions _options;
    private readonly Func<ReplicaId, Props> _factory;
    private readonly AkkaCluster _cluster = AkkaCluster.Get(Context.System);
    private readonly string _self;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private PlacementState<IActorRef> _state = PlacementState<IActorRef>.Empty;
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
        Receive<ClusterEvent.CurrentClusterState>(Place);
        Receive<GetOwnedReplicas>(_ => Sender.Tell(new OwnedReplicas(_state.Running)));
        Receive<ReleaseAllReplicas>(_ => ReleaseAll());
        Receive<Drained>(d => Apply(_state.Drained(d.Id, d.Child)));
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

    private void Place(ClusterEvent.CurrentClusterState cluster)
    {
        if (_state.Leaving) return;
        var members = MemberView.From(cluster.Members, cluster.Unreachable);
        var self = members.FirstOrDefault(m => m.Address == _self);
        var placement = RendezvousPlacement.Compute(members, _options.Tables, _options.Shards, _options.Replicas);
        var owned = self is { CanOwnReplicas: true } ? SlotChanges.OwnedBy(placement, _self) : new HashSet<ReplicaId>();
        var (decision, changes) = _state.Place(owned);
        Apply(decision);
        Apply(_state.TellOwners(placement));
        if (!changes.IsEmpty)
        {
            _log.Info("Placement over {0} reachable of {1} members: {2} replicas owned (+{3}, -{4}).",
                members.Count(m => m.CanOwnReplicas), members.Count, _state.Running.Count, changes.ToStart.Count, changes.ToStop.Count);
        }
    }

    private void ReleaseAll()
    {
        _leaving = Sender;
        Apply(_state.ReleaseAll());
        _log.Info("Leaving: releasing {0} replicas.", _state.Slots.Values.Count(s => s is SlotState<IActorRef>.Draining));
        ReplyIfReleased();
    }

    private void ReplyIfReleased()
    {
        if (_leaving is not null && _state.AllReleased)
            _leaving.Tell(Done.Instance);
    }

    private void OnTerminated(Terminated terminated)
    {
        var (state, stoppedOnItsOwn) = _state.Terminated(terminated.ActorRef);
        _state = state;
        foreach (var id in stoppedOnItsOwn)
            _log.Warning("Replica {0} stopped on its own; it is started again.", id);
        // A slot that was waiting for its previous actor to terminate starts now.
        ScheduleRecompute();
        ReplyIfReleased();
    }

    private void Apply(SlotDecision<IActorRef> decision)
    {
        _state = decision.State;
        foreach (var effect in decision.Effects)
        {
            switch (effect)
            {
                case SlotEffect<IActorRef>.Start start:
                    // The same name on every node: a replica's repair actor finds its siblings by path.
                    var child = Context.Watch(Context.ActorOf(_factory(start.Id), NodeActorPaths.ReplicaName(start.Id)));
                    _state = _state.Started(start.Id, child);
                    break;
                case SlotEffect<IActorRef>.Drain drain:
                    // A replica answers its status only after the batch it is persisting: the answer (or the
                    // timeout, if it is stuck) says it can be stopped without cutting a write in half.
                    var (id, actor) = (drain.Id, drain.Actor);
                    actor.Ask(ReplicaStatusAdapter.Query, _options.DrainTimeout)
                        .PipeTo(Self, success: _ => new Drained(id, actor), failure: _ => new Drained(id, actor));
                    break;
                case SlotEffect<IActorRef>.Stop stop:
                    Context.Stop(stop.Actor);
                    break;
                case SlotEffect<IActorRef>.TellOwners tell:
                    tell.Actor.Tell(new ReplicaOwnersChanged(tell.Owners.Select(Address.Parse).ToList()));
                    break;
            }
        }
    }

    private sealed record Recompute
    {
        public static Recompute Instance { get; } = new();
    }

    private sealed record Drained(ReplicaId Id, IActorRef Child);
}
