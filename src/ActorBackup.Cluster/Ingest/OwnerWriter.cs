using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using Akka.Actor;

namespace ActorBackup.Cluster.Ingest;

/// <summary>
/// Writes one shard's part of a batch to every owner of the shard: on this node to the journal of its capture of that
/// replica (<see cref="Node.NodeActorPaths.JournalOf"/>), on another node through its <see cref="ImportReceiver"/>,
/// which verifies the records again before its journal stores them, in
/// messages small enough for one remote frame. It returns only when every owner confirmed every message, which a
/// journal does once the records are on disk.
/// </summary>
public sealed class OwnerWriter(ActorSystem system, IngestOptions options)
{
    private long _nextBatch;

    /// <summary>
    /// The records new to at least one owner; records every owner already held are <c>Duplicates</c>.
    /// </summary>
    /// <exception cref="IngestException">An owner did not confirm in time, or rejected the records.</exception>
    public async Task<(int Stored, int Duplicates)> WriteAsync(ShardWrite write, IReadOnlyList<string> owners)
    {
        int stored = 0, duplicates = 0;
        foreach (var part in RecordBatching.Cut(write.Verified, r => r.Json.Length, options.MaxMessageRecords, options.MaxMessageBytes))
        {
            var acks = await Task.WhenAll(owners.Select(owner =>
                AskAsync<RecordsStoredAck>(owner, write.Replica, (id, here) => here ? StoreRecords.Local(id, part) : new StoreRecords(id, part))));
            var fresh = acks.Max(a => a.Stored);
            stored += fresh;
            duplicates += part.Count - fresh;
        }
        foreach (var part in RecordBatching.Cut(write.Quarantined, q => q.Record.Json.Length, options.MaxMessageRecords, options.MaxMessageBytes))
        {
            await Task.WhenAll(owners.Select(owner =>
                AskAsync<RecordsQuarantinedAck>(owner, write.Replica, (id, here) => here ? QuarantineRecords.Local(id, part) : new QuarantineRecords(id, part))));
        }
        return (stored, duplicates);
    }

    private readonly Address _self = ((ExtendedActorSystem)system).Provider.DefaultAddress;

    /// <summary>Asks the journal on this node, with the command this process vouches for, or another node's import receiver.</summary>
    private Task<T> AskAsync<T>(string owner, ReplicaId replica, Func<long, bool, object> command)
    {
        var node = Address.Parse(owner);
        var here = node == _self;
        var path = here ? Node.NodeActorPaths.JournalOf(node, replica) : Node.NodeActorPaths.ImportReceiverOf(node);
        return JournalAsk.AskAsync<T>(system, owner, replica, path, command(Interlocked.Increment(ref _nextBatch), here), options.OwnerTimeout);
    }
}
