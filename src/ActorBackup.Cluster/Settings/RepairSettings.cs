namespace ActorBackup.Cluster.Settings;

/// <summary>How replicas of a shard compare and repair each other (<c>actorbackup.repair</c>).</summary>
/// <param name="AskTimeout">Longest wait for each request to a sibling or to the local replica.</param>
/// <param name="NotPlacedRetry">How soon a round runs again after a sibling's node answered that the slot is not placed there yet.</param>
/// <param name="FarBehind">Below this fraction of a sibling's record count, the sibling's whole replica is pulled.</param>
/// <param name="IdsPerPage">Most ids in one page of a bucket's ids or in one request for records.</param>
/// <param name="MessageBytes">Most raw bytes (ids, or record JSON before compression) in one message between nodes.</param>
/// <param name="WriteLatency">Longest pulled records wait to fill a journal write before it is made anyway.</param>
public sealed record RepairSettings(
    TimeSpan AskTimeout, TimeSpan NotPlacedRetry, double FarBehind, int IdsPerPage, long MessageBytes, TimeSpan WriteLatency);
