using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Reconcile.Commands;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Serialization;
using ActorBackup.Cluster.Sharding;
using ActorBackup.Cluster.Sources;
using Akka.Actor;
using Akka.Event;

namespace ActorBackup.Cluster.Reconcile;

/// <summary>
/// Reconciliation of one replica with the federation's sources, a child of the replica's capture: a round
/// (<see cref="ReconcileRound"/>) on <see cref="ReconcileNow"/>, which capture sends after every completed catch-up scan,
/// and from the first of those on every <see cref="ReconcileOptions.Interval"/> (the first one at a random point from half
/// an interval to one and a half, so a node's replicas spread out). No round runs on the interval before capture has
/// caught up once (or an operator asked for a round through it, or <see cref="IntervalsBeforeStartingAnyway"/> intervals
/// passed): the scan reads the same range meanwhile, and a round would fetch again from the source whatever the
/// scan had not stored yet (all of a new replica's range) and report it as missed. Rounds of one replica never overlap:
/// a request during a round runs one more round after it. It writes only through the replica actor, as capture and
/// repair do.
/// </summary>
public sealed class ReconcileActor : ReceiveActor, IWithTimers
{
    private readonly ReplicaId _replica;
    private readonly KeyRange _range;
    private readonly IActorRef _local;
    private readonly RecordClassifier _classifier;
    private readonly SourceSessions _sources;
    private readonly ReconcileOptions _options;
    private readonly StoredIdReader _index;
    private readonly ReconciledRecords _metric;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Asked> _answerThisRound = [];
    private readonly List<Asked> _answerNextRound = [];
    private ReconcileStatus _status = ReconcileStatus.None;
    private bool _running;

    /// <summary>
    /// The running round's number. It starts at random, so a round of an earlier incarnation of this actor (restarted
    /// by its supervisor while the round ran) is not taken for the current one when its end arrives.
    /// </summary>
    private long _round = Random.Shared.NextInt64();
    private string? _runAgain;

    public ReconcileActor(ReplicaId replica, ShardRange range, IActorRef local, RecordClassifier classifier, SourceSessions sources, ReconcileOptions options)
    {
        _replica = replica;
        _range = KeyRange.Of(range);
        _local = local;
        _classifier = classifier;
        _sources = sources;
        _options = options;
        _index = new StoredIdReader(options.IndexFile, AtRest.Get(Context.System).Keys);
        _metric = ReconciledRecords.Get(Context.System);

        Receive<ReconcileNow>(Requested);
        Receive<Tick>(_ => Start("interval"));
        Receive<StartIntervalAnyway>(_ => IntervalStartedAnyway());
        Receive<RoundDone>(Done);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// Intervals the rounds wait for capture to catch up once before they start anyway: a capture that never completes a
    /// scan (a feed the source refuses, a catch-up that stalls again and again) would otherwise leave the replica without
    /// its safety net. A new replica's first scan of a large ledger may take this long; rounds then read beside it.
    /// </summary>
    internal const int IntervalsBeforeStartingAnyway = 3;

    public static Props Props(ReplicaId replica, ShardRange range, IActorRef local, RecordClassifier classifier, SourceSessions sources, ReconcileOptions options) =>
        Akka.Actor.Props.Create(() => new ReconcileActor(replica, range, local, classifier, sources, options));

    protected override void PreStart() =>
        Timers.StartSingleTimer(nameof(StartIntervalAnyway), StartIntervalAnyway.Instance, _options.Interval * IntervalsBeforeStartingAnyway);

    /// <summary>A restarted actor goes on with the interval its earlier incarnation ran, if it had started it or not.</summary>
    protected override void PostRestart(Exception reason) => StartInterval();

    private void StartInterval()
    {
        Timers.Cancel(nameof(StartIntervalAnyway));
        if (Timers.IsTimerActive(nameof(Tick))) return;
        Timers.StartPeriodicTimer(nameof(Tick), Tick.Instance, _options.Interval * (0.5 + Random.Shared.NextDouble()), _options.Interval);
    }

    private void IntervalStartedAnyway()
    {
        _log.Warning("{0}: capture has not caught up with its source in {1} intervals ({2}); reconciliation rounds start on the interval anyway",
            _replica, IntervalsBeforeStartingAnyway, _options.Interval * IntervalsBeforeStartingAnyway);
        StartInterval();
    }

    protected override void PostStop()
    {
        _stopping.Cancel();
        base.PostStop();
    }

    private void Requested(ReconcileNow request)
    {
        StartInterval();
        if (request.Answer) (_running ? _answerNextRound : _answerThisRound).Add(new Asked(Sender, request.Tag, request.ListSince));
        Start(request.Reason);
    }

    private void Start(string reason)
    {
        if (_running)
        {
            _runAgain ??= reason;
            return;
        }
        _running = true;
        var number = ++_round;
        // The round answers everyone in _answerThisRound, so it lists from the earliest point any of them asked for.
        var points = _answerThisRound.Where(a => a.ListSince is not null).Select(a => a.ListSince!.Value).ToList();
        Watermark? listSince = points.Count == 0 ? null : points.Min();
        var round = new ReconcileRound(_replica, _range, _local, _index, _classifier, _options, listSince);
        round.RunAsync(_sources, _stopping.Token).PipeTo(Self, success: o => new RoundDone(number, reason, o),
            failure: e => new RoundDone(number, reason, ReconcileOutcome.Failed(null, 0, e.Message)));
    }

    private void Done(RoundDone done)
    {
        if (!_running || done.Number != _round) return;
        _running = false;
        var o = done.Outcome;
        _metric.Add(_replica.Table, o.Found);
        _status = o.Error is null
            ? new ReconcileStatus(o.ReconciledAt, _status.Found + o.Found, o.SourceLacks, null)
            : _status with { Found = _status.Found + o.Found, LastError = o.Error };
        Context.Parent.Tell(_status);
        if (o.Error is not null)
            _log.Warning("{0}: reconciliation with the source ({1}) failed: {2}", _replica, done.Reason, o.Error);
        else if (o.Found > 0 || o.Quarantined > 0 || o.SourceLacks > 0)
            _log.Warning("{0}: reconciliation with {1} ({2}): {3}", _replica, o.Source, done.Reason, Describe(o));
        else
            _log.Debug("{0}: reconciled with {1} ({2}): {3} records, none missing, {4} queries", _replica, o.Source, done.Reason, o.SourceRecords, o.Queries);
        foreach (var (asker, tag, _) in _answerThisRound) asker.Tell(tag is null ? o : new ReconcileAnswer(tag, o));
        _answerThisRound.Clear();
        _answerThisRound.AddRange(_answerNextRound);
        _answerNextRound.Clear();
        if (_runAgain is { } again)
        {
            _runAgain = null;
            Start(again);
        }
        else if (_answerThisRound.Count > 0)
            Start("requested");
    }

    /// <summary>What a round found, in one line.</summary>
    public static string Describe(ReconcileOutcome o) =>
        $"found {o.Found} records the feed and the scans missed (verified and stored), {o.Quarantined} that failed verification (quarantined), "
        + $"{o.SourceLacks} held here that the source lacks"
        + (o.FoundIds.Count > 0 ? $"; found: {string.Join(", ", o.FoundIds.Take(5))}{(o.Found > 5 ? ", ..." : "")}" : "")
        + (o.FoundStamped is { } stamped && o.ReconciledAt is { } at
            ? $"; stamped from {at - stamped.Oldest} s to {at - stamped.Newest} s before the round began (the source's time)"
            : "");

    private sealed record Tick
    {
        public static Tick Instance { get; } = new();
    }

    private sealed record StartIntervalAnyway
    {
        public static StartIntervalAnyway Instance { get; } = new();
    }

    /// <summary>Who to answer at the end of a round, with what tag, and from what point it asked the round to list.</summary>
    private sealed record Asked(IActorRef Asker, object? Tag, Watermark? ListSince);

    private sealed record RoundDone(long Number, string Reason, ReconcileOutcome Outcome);
}

