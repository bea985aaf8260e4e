using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Messages;

namespace ActorBackup.Cluster.Capture.Points;

/// <summary>
/// The replica's own capture sent <paramref name="To"/> to its journal and the journal made it durable: capture itself
/// saw every record up to it. Persisted apart from the replica's watermark, which repair and import may raise further.
/// </summary>
public sealed record CapturePointConfirmed(Watermark To) : IBackupMessage;
