using ActorBackup.Admin.Contract;


namespace ActorBackup.Cluster.Replica.Events;

/// <summary>The replica holds every record with a timestamp up to <paramref name="To"/>.</summary>
public sealed record WatermarkAdvanced(Watermark To) : IReplicaEvent;
