using ActorBackup.Admin.Contract;

namespace ActorBackup.Cluster.Reconcile.Commands;

/// <summary>
/// Reconcile the replica with its source as soon as it can: at once, or right after a round already running. With
/// <see cref="Answer"/>, the sender gets the <see cref="ReconcileOutcome"/> of a round that started after this request,
/// or, with a <see cref="Tag"/>, a <see cref="ReconcileAnswer"/> carrying it. Sent within the node only.
/// </summary>
/// <param name="Reason">Why, for the log ("reconnect", "requested").</param>
/// <param name="Tag">Returned with the answer, so an asker that asks again can tell the answers apart.</param>
/// <param name="ListSince">
/// With <see cref="Answer"/>: the round that answers also lists, by id, every document of the shard the source holds
/// stamped at or after this point (<see cref="Watermark.None"/>: every one), and fetches each one not stored here,
/// rather than taking agreeing tallies (<see cref="IdTally"/>) for equal contents. Asked by capture before its watermark moves past what a catch-up
/// may have left out.
/// </param>
public sealed record ReconcileNow(string Reason, bool Answer = false, object? Tag = null, Watermark? ListSince = null);
