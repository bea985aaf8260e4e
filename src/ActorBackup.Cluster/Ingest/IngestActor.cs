using ActorBackup.Admin.Contract.Import;
using ActorBackup.Cluster.Capture;
using ActorBackup.Cluster.Ingest.Commands;
using ActorBackup.Cluster.Ingest.Replies;
using ActorBackup.Cluster.Membership;
using ActorBackup.Cluster.Placement;
using ActorBackup.Ledger.Validation;
using Akka.Actor;
using Akka.Event;
using AkkaCluster = Akka.Cluster.Cluster;

namespace ActorBackup.Cluster.Ingest;

/// <summary>
/// Takes imported documents on one node (<see cref="Node.NodeActorPaths.Ingest"/>) and makes them durable on R replicas: each batch is
/// verified and sorted into shards (<see cref="IngestPlan"/>), then written to every owner the current placement
/// gives its shard (<see cref="OwnerWriter"/>), and acknowledged only when all of them confirmed. A few batches run
/// at once, the next ones wait in a bounded line; the work runs off the actor's thread and comes back as a message.
/// Once every batch of a table is acknowledged, <see cref="SetImportPoint"/> gives its replicas the import's point in
/// time (<see cref="ImportPointWriter"/>); it waits in the same line.
/// </summary>
public sealed class IngestActor : ReceiveActor
{
    private readonly IngestOptions _options;
    private readonly OwnerWriter _writer;
    private readonly ImportPointWriter _points;
    private readonly ActorSystem _system = Context.System;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Queue<(IngestCommand Command, IActorRef ReplyTo)> _waiting = new();
    private int _inFlight;

    private readonly Func<DateTimeOffset?> _sourceNow;

    /// <param name="sourceNow">The source's time as this node measured it, null before any source answered: an import point past it is refused.</param>
    public IngestActor(IngestOptions options, Func<DateTimeOffset?> sourceNow)
    {
        _options = options;
        _sourceNow = sourceNow;
        _writer = new OwnerWriter(Context.System, options);
        _points = new ImportPointWriter(Context.System, options);
        Receive<IngestRecords>(r => Enqueue(new IngestCommand(r.Table, r)));
        Receive<SetImportPoint>(p => Enqueue(new IngestCommand(p.Table, p)));
        Receive<Finished>(OnFinished);
    }

    public static Props Props(IngestOptions options, Func<DateTimeOffset?> sourceNow) => Akka.Actor.Props.Create(() => new IngestActor(options, sourceNow));

    private void Enqueue(IngestCommand command)
    {
        if (_waiting.Count >= _options.MaxQueued)
        {
            Sender.Tell(new IngestFailed($"the node is busy with {_waiting.Count + _inFlight} import batches; send this one again later", Retryable: true));
            return;
        }
        _waiting.Enqueue((command, Sender));
        StartWaiting();
    }

    private void OnFinished(Finished finished)
    {
        _inFlight--;
        if (finished.Reply is IngestFailed failed)
            _log.Warning("An import step of {0} failed: {1}", finished.Table, failed.Reason);
        finished.ReplyTo.Tell(finished.Reply);
        StartWaiting();
    }

    private void StartWaiting()
    {
        while (_inFlight < _options.MaxInFlight && _waiting.TryDequeue(out var next))
        {
            _inFlight++;
            var (command, replyTo) = next;
            var self = Self;
            RunAsync(command).ContinueWith(t => self.Tell(new Finished(command.Table, replyTo, t.Result)), TaskScheduler.Default);
        }
    }

    // Never throws: every failure becomes an IngestFailed.
    private async Task<object> RunAsync(IngestCommand command)
    {
        try
        {
            if (_options.Validator is not { } validator)
                return new IngestFailed("this node has no federation key file (actorbackup.federation-keys), so it cannot verify imported records", Retryable: false);
            if (!RecordKinds.IsCapturable(command.Table) || !_options.Tables.Contains(command.Table))
                return new IngestFailed($"table {command.Table} is not backed up by this cluster (it backs up {string.Join(", ", _options.Tables)})", Retryable: false);
            return command.Message switch
            {
                IngestRecords batch => await IngestAsync(batch, validator),
                SetImportPoint point => await SetPointAsync(point),
                var other => new IngestFailed($"unexpected {other.GetType().Name}", Retryable: false),
            };
        }
        catch (IngestException e)
        {
            return new IngestFailed(e.Message, e.Retryable);
        }
        catch (Exception e)
        {
            _log.Error(e, "An import step of {0} failed unexpectedly.", command.Table);
            return new IngestFailed($"the import step failed on this node: {e.Message}", Retryable: true);
        }
    }

    private async Task<object> IngestAsync(IngestRecords batch, LedgerValidator validator)
    {
        var writes = await Task.Run(() => IngestPlan.Build(batch.Table, batch.Documents, _options.Keys, validator));
        var owners = ShardOwners.AtLeastR(CurrentPlacement(), writes.Select(w => w.Replica), "an import is acknowledged only when durable on R");
        var results = await Task.WhenAll(writes.Select(w => _writer.WriteAsync(w, owners[w.Replica])));
        var notes = writes.SelectMany(w => w.Quarantined)
            .Select(q => new QuarantineNote(q.Record.Id, q.ReasonCode, q.Message))
            .ToArray();
        var newest = writes.SelectMany(w => w.Verified).Select(r => r.Timestamp).DefaultIfEmpty(-1).Max();
        return new IngestAck(results.Sum(r => r.Stored), results.Sum(r => r.Duplicates), notes, newest);
    }

    /// <summary>Sets an import point no later than the source's time as this node measured it; refused before it measured any.</summary>
    private Task<ImportPointSet> SetPointAsync(SetImportPoint point)
    {
        var now = _sourceNow() ?? throw new IngestException(
            "no source has been measured by this node yet, so the source's time is unknown and no import point is set; try again once it reaches a source",
            retryable: true);
        return _points.SetAsync(point, CurrentPlacement(), now);
    }

    private ShardPlacement CurrentPlacement()
    {
        var state = AkkaCluster.Get(_system).State;
        var members = MemberView.From(state.Members, state.Unreachable);
        return RendezvousPlacement.Compute(members, _options.Tables, _options.Keys.ShardCount, _options.Replicas);
    }

    private sealed record Finished(string Table, IActorRef ReplyTo, object Reply);

    private sealed record IngestCommand(string Table, object Message);
}
