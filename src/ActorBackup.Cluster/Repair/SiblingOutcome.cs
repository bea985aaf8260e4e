using Akka.Actor;

namespace ActorBackup.Cluster.Repair;

/// <summary>What one comparison with one sibling did; the counts include what was stored before a failure.</summary>
/// <param name="Error">One line when the comparison failed, else null.</param>
/// <param name="NotPlaced">
/// No repair actor for this replica answered at the sibling's path: the slot is not placed there yet (or no more), as
/// happens for a moment whenever membership changes, or the node cannot be reached, which membership reports on its
/// own. Not a fault of this replica, and worth trying again soon.
/// </param>
public sealed record SiblingOutcome(ActorPath Sibling, long Repaired, long Duplicates, long Batches, bool BulkFill, string? Error, bool NotPlaced = false)
{
    /// <summary>Records the sibling sent that failed verification here and were quarantined.</summary>
    public long Rejected { get; init; }

    /// <summary>The first of them, "id: reason: message", or null.</summary>
    public string? FirstRejection { get; init; }

    /// <summary>What the watermark could rest on once the comparison completed; null when it did not.</summary>
    public RepairEvidence? Evidence { get; init; }
}
