namespace ActorBackup.Cli.Verbs.Demo;

/// <summary>What the demo's restore step did: how long it took and what the verification said.</summary>
/// <param name="Ran">Whether a restore ran at all.</param>
/// <param name="Verified">Whether the restored database matched the backup; false when it did not run.</param>
/// <param name="Detail">One line: the verification result, or why nothing ran.</param>
internal sealed record DemoRestoreResult(bool Ran, TimeSpan? Duration, long Records, bool Verified, string Detail);
