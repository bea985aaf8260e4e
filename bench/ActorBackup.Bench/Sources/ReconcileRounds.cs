using System.Diagnostics;
using ActorBackup.Cluster.Reconcile;
using ActorBackup.Cluster.Reconcile.Commands;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Sources;
using ActorBackup.Testing.Network;
using Akka.Actor;

namespace ActorBackup.Bench.Sources;

/// <summary>
/// A <see cref="ReconcileActor"/> beside each of the <see cref="StoredReplicas"/>, as capture starts one, over the node's
/// <see cref="SourceSessions"/> (which reach the source through a <see cref="CountingRelay"/>), and a measured pass of
/// one round of every replica, one replica after another, as asked with <see cref="ReconcileNow"/>. The actors' own
/// interval is a day: only the asked rounds run.
/// </summary>
internal sealed class ReconcileRounds(IReadOnlyDictionary<ReplicaId, IActorRef> actors, CountingRelay relay)
{
    private static readonly TimeSpan RoundTimeout = TimeSpan.FromHours(4);

    /// <summary>What one round of every replica cost, counted by the rounds (<see cref="Queries"/>) and at the relay.</summary>
    /// <param name="Queries">Queries the rounds sent, as they count them (<see cref="ReconcileOutcome.Queries"/>): counts, id listings, fetches.</param>
    /// <param name="Frames">Query frames the source received: the rounds' queries, the CONTINUEs of their listings, the probes.</param>
    /// <param name="Bytes">Bytes to and from the source, both ways.</param>
    /// <param name="SlowestReplica">The longest round of one replica.</param>
    public sealed record Pass(int Replicas, long Queries, long Frames, long Bytes, TimeSpan Time, TimeSpan SlowestReplica, long Found, long SourceLacks);

    public static ReconcileRounds Start(ActorSystem system, StoredReplicas replicas, SourceSessions sessions, BackupSettings settings, CountingRelay relay)
    {
        var options = ReconcileOptions.From(settings);
        var actors = replicas.Replicas.ToDictionary(r => r.Key, r => system.ActorOf(
            ReconcileActor.Props(r.Key, r.Value.Range, r.Value.Actor, r.Value.Classifier, sessions, options), $"reconcile-{r.Key.Table}-{r.Key.Shard}"));
        return new ReconcileRounds(actors, relay);
    }

    /// <summary>One round of every replica, each asked once the one before answered.</summary>
    /// <exception cref="InvalidOperationException">A round failed.</exception>
    public async Task<Pass> RunAsync(CancellationToken ct)
    {
        var (frames, bytes) = (Frames(), relay.BytesFromSource + relay.BytesToSource);
        var (queries, found, lacks, slowest) = (0L, 0L, 0L, TimeSpan.Zero);
        var clock = Stopwatch.StartNew();
        foreach (var (replica, actor) in actors)
        {
            var started = clock.Elapsed;
            var outcome = await actor.Ask<ReconcileOutcome>(new ReconcileNow("benchmark", Answer: true), RoundTimeout, ct);
            if (outcome.Error is not null)
                throw new InvalidOperationException($"{replica}: the round failed: {outcome.Error}");
            queries += outcome.Queries;
            found += outcome.Found;
            lacks += outcome.SourceLacks;
            if (clock.Elapsed - started > slowest) slowest = clock.Elapsed - started;
        }
        return new Pass(actors.Count, queries, Frames() - frames, relay.BytesFromSource + relay.BytesToSource - bytes, clock.Elapsed, slowest, found, lacks);
    }

    private long Frames() => relay.Starts + relay.Continues;
}
