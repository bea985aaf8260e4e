namespace ActorBackup.Cluster.Journal;

/// <summary>What one call of <see cref="JournalCompaction.Compact"/> did.</summary>
/// <param name="Removed">Events removed (merged into the event that ends their run).</param>
/// <param name="SettledThrough">The sequence number up to which every event of the window is one that no run takes any
/// more (a catch-up batch, a full merged event, or an event that cannot be merged): later windows may start after it.
/// The window's start when its first event may still be merged.</param>
public sealed record CompactionResult(int Removed, long SettledThrough);
