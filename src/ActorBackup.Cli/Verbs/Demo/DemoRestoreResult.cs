namespace ActorBackup.Cli.Verbs.Demo;

/// <summary>What the demo's restore step did: how long it took and what the verification said.</summary>
/// <param name="Verified">Whether the restored database matched the backup and the source.</param>
/// <param name="Detail">One line: the verification result, or why the restore failed.</param>
internal sealed record DemoRestoreResult(TimeSpan Duration, long Records, bool Verified, string Detail);
