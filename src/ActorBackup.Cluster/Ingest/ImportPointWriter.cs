using ActorBackup.Admin.Contract;
using ActorBackup.Admin.Contract.Import;
using ActorBackup.Cluster.Ingest.Commands;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Placement;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using Akka.Actor;

namespace ActorBackup.Cluster.Ingest;

/// <summary>
/// Gives a table an imported point in time: asks every owner of every shard what it holds up to the point
/// (<see cref="ImportPointCheck"/>), then sends each owner's <see cref="ImportReceiver"/> (this node's too) a
/// <see cref="RaiseImportPoint"/> with what that owner was found to hold, and waits for every <see cref="WatermarkAck"/>,
/// which a journal sends once the watermark is on disk. No journal takes a watermark from another node directly.
/// </summary>
public sealed class ImportPointWriter(ActorSystem system, IngestOptions options)
{
    /// <exception cref="IngestException">
    /// A shard has too few owners, its owners disagree, hold fewer records than imported, or one did not confirm; or the
    /// table holds no verified record up to the point, which then rests on nothing.
    /// </exception>
    public async Task<ImportPointSet> SetAsync(SetImportPoint command, ShardPlacement placement, DateTimeOffset now)
    {
        if (command.At.Seconds > now.ToUnixTimeSeconds())
        {
            throw new IngestException(
                $"{command.At} is in the future of this node ({now:yyyy-MM-dd'T'HH:mm:ss'Z'}); a watermark there would claim records not yet written", retryable: false);
        }
        var shards = Enumerable.Range(0, options.Keys.ShardCount).Select(s => new ReplicaId(command.Table, s)).ToArray();
        var owners = ShardOwners.AtLeastR(placement, shards, "its point is set only on R");

        var held = await Task.WhenAll(shards.Select(r => HeldAsync(r, owners[r], command.At)));
        var records = held.Sum(h => h.Records);
        if (records == 0)
        {
            throw new IngestException(
                $"the replicas of {command.Table} hold no verified record up to {command.At}: nothing shows the ledger reached that point, so no watermark is set there",
                retryable: false);
        }
        if (records < command.MinRecords)
        {
            throw new IngestException(
                $"the replicas of {command.Table} hold {records} verified records up to {command.At}, fewer than the {command.MinRecords} the import made durable: "
                + "its shards moved to other nodes since; run the import again",
                retryable: true);
        }

        var acks = await Task.WhenAll(shards.Zip(held, (replica, shard) => (replica, shard.Owners)).SelectMany(shard => shard.Owners.Select(owner =>
            JournalAsk.AskAsync<WatermarkAck>(system, owner.Owner, shard.replica, NodeActorPaths.ImportReceiverOf(Address.Parse(owner.Owner)),
                new RaiseImportPoint(shard.replica, command.At, owner.Count, owner.Digest), options.OwnerTimeout))));
        return new ImportPointSet(command.Table, command.At, shards.Length, acks.Length, acks.Min(a => a.Flushed), records);
    }

    private async Task<(long Records, OwnerHoldings[] Owners)> HeldAsync(ReplicaId replica, IReadOnlyList<string> owners, Watermark at)
    {
        var holdings = await Task.WhenAll(owners.Select(async owner =>
        {
            var status = JournalAsk.AskAsync<ReplicaStatus>(system, owner, replica, GetReplicaStatus.Instance, options.OwnerTimeout);
            var digest = JournalAsk.AskAsync<DigestAt>(system, owner, replica, new GetDigestAt(at), options.OwnerTimeout);
            return new OwnerHoldings(owner, (await status).BackedUpTo, (await digest).Count, (await digest).Digest);
        }));
        var (records, refusal) = ImportPointCheck.Decide(replica, at, holdings);
        return refusal is null ? (records, holdings) : throw new IngestException(refusal, retryable: true);
    }
}
