namespace ActorBackup.Cluster.Reconcile;

/// <summary>
/// The outcome of a round that started after a <see cref="Commands.ReconcileNow"/> carrying <paramref name="Tag"/>:
/// the tag tells the asker which of its questions this answers.
/// </summary>
public sealed record ReconcileAnswer(object Tag, ReconcileOutcome Outcome);
