using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Settings;

namespace ActorBackup.Cluster.Repair;

/// <summary>What a <see cref="RepairActor"/> needs, taken from <c>actorbackup.repair</c> and the node's other settings.</summary>
/// <param name="Shards">Shard count of the key space (the shard's id range is cut into buckets).</param>
/// <param name="IndexFile">The node's record index file.</param>
/// <param name="Interval">Between two comparisons with the siblings (<c>actorbackup.anti-entropy-interval</c>).</param>
/// <param name="AskTimeout">For each request to a sibling or to the local replica.</param>
/// <param name="NotPlacedRetry">
/// How soon a round runs again after a sibling's node answered that the slot is not placed there yet: placement
/// settles within seconds of a membership change, and the next <see cref="Interval"/> may be minutes away.
/// </param>
/// <param name="FarBehind">Below this fraction of a sibling's count, pull the sibling's whole replica.</param>
/// <param name="IdsPerPage">Most ids in one <see cref="Replies.BucketIds"/> or <see cref="Commands.OfferRecords"/>.</param>
/// <param name="MessageBytes">
/// Most raw bytes (ids, or record JSON before compression) in one message, well under the remote frame limit
/// (<c>akka.remote.dot-netty.tcp.maximum-frame-size</c>). A single larger record travels in a message of its own.
/// </param>
/// <param name="BatchRecords">Most records in one transferred batch, and in one write of pulled records here.</param>
/// <param name="StoreBytes">Most raw JSON bytes in one write of pulled records here (as <c>actorbackup.batch.max-bytes</c>).</param>
/// <param name="WriteLatency">Longest pulled records wait to fill one write here.</param>
/// <param name="CatchUpMargin">
/// <c>actorbackup.catch-up-margin</c>: a watermark taken from a sibling stays this far behind this node's clock, as one its own
/// capture establishes does.
/// </param>
public sealed record RepairOptions(
    int Shards, string IndexFile, TimeSpan Interval, TimeSpan AskTimeout, TimeSpan NotPlacedRetry, double FarBehind, int IdsPerPage,
    int MessageBytes, int BatchRecords, long StoreBytes, TimeSpan WriteLatency, TimeSpan CatchUpMargin)
{
    /// <summary>
    /// The source's time as this node measured it, null while no source has been measured: the ceiling of a watermark
    /// taken from a sibling, so none is taken before a measurement. The node passes its capture's clock; a test may set it.
    /// </summary>
    public Func<DateTimeOffset?> Clock { get; init; } = () => null;

    public static RepairOptions From(BackupSettings settings)
    {
        var repair = settings.Repair;
        return new RepairOptions(settings.Shards, JournalConfig.IndexFile(settings), settings.AntiEntropyInterval, repair.AskTimeout,
            repair.NotPlacedRetry, repair.FarBehind, repair.IdsPerPage, (int)repair.MessageBytes, settings.Batch.MaxRecords, settings.Batch.MaxBytes,
            repair.WriteLatency, settings.CatchUpMargin);
    }
}
