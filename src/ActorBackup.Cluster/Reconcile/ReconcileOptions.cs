using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Settings;

namespace ActorBackup.Cluster.Reconcile;

/// <summary>What a <see cref="ReconcileActor"/> needs, from <c>actorbackup.reconcile</c> and the node's other settings.</summary>
/// <param name="Database">The source database holding the tables.</param>
/// <param name="IndexFile">The node's record index file, read for the replica's counts and ids.</param>
/// <param name="Interval">Between two rounds of the replica.</param>
/// <param name="ListBelow">Ranges with at most this many records on the source are compared id by id.</param>
/// <param name="FetchBatch">Most records fetched in one query.</param>
/// <param name="CaptureWait">How long a round waits for capture to store what it found missing before fetching it (<c>actorbackup.reconcile.capture-wait</c>).</param>
/// <param name="CaptureWaitMax">Longest a round waits for capture in all.</param>
/// <param name="AskTimeout">For each request to the local replica (<c>actorbackup.repair.ask-timeout</c>).</param>
public sealed record ReconcileOptions(string Database, string IndexFile, TimeSpan Interval, int ListBelow, int FetchBatch,
    TimeSpan CaptureWait, TimeSpan CaptureWaitMax, TimeSpan AskTimeout)
{
    public static ReconcileOptions From(BackupSettings settings) =>
        new(settings.Database, JournalConfig.IndexFile(settings), settings.Reconcile.Interval, settings.Reconcile.ListBelow,
            settings.Reconcile.FetchBatch, settings.Reconcile.CaptureWait, settings.Reconcile.CaptureWaitMax, settings.Repair.AskTimeout);
}
