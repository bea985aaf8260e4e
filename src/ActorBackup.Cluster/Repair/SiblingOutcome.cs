using Akka.Actor;

namespace ActorBackup.Cluster.Repair;

/// <summary>What one comparison with one sibling did; the counts include what was stored before a failure.</summary>
/// <param name="Error">One line when the comparison failed, else null.</param>
public sealed record SiblingOutcome(ActorPath Sibling, long Repaired, long Duplicates, long Batches, bool BulkFill, string? Error);
