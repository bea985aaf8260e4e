using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Settings;

namespace ActorBackup.Cluster.Repair;

/// <summary>What a <see cref="RepairActor"/> needs.</summary>
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
/// Most raw bytes (ids, or record JSON before compression) in one message, well under Akka.Remote's
/// 128 kB frame limit. A single record larger than the frame limit cannot be transferred.
/// </param>
/// <param name="BatchRecords">Most records in one transferred batch, and in one write of pulled records here.</param>
/// <param name="StoreBytes">Most raw JSON bytes in one write of pulled records here (as <c>actorbackup.batch.max-bytes</c>).</param>
public sealed record RepairOptions(
    int Shards, string IndexFile, TimeSpan Interval, TimeSpan AskTimeout, double FarBehind, int IdsPerPage, int MessageBytes,
    int BatchRecords, long StoreBytes)
{
    public TimeSpan NotPlacedRetry { get; init; } = TimeSpan.FromSeconds(5);

    public static RepairOptions From(BackupSettings settings) =>
        new(settings.Shards, JournalConfig.IndexFile(settings), settings.AntiEntropyInterval, TimeSpan.FromSeconds(30),
            FarBehind: 0.5, IdsPerPage: 1000, MessageBytes: 64 * 1024, BatchRecords: settings.Batch.MaxRecords, StoreBytes: settings.Batch.MaxBytes);
}
