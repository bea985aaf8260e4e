namespace ActorBackup.Cluster.Journal.Events;

/// <summary>
/// The journal holds data encrypted with the key <paramref name="KeyId"/>: persisted in clear before the first such
/// payload, so that a node started without that key stops at once instead of failing on its first read.
/// </summary>
public sealed record KeyInUse(uint KeyId) : INodeStoreEvent;
