namespace ActorBackup.Cli.Verbs.Demo;

/// <summary>
/// The demo's restore step: restore the backup cluster into a fresh database on the source and verify it. The
/// restore from a cluster lives on the read side; it is wired here when that side lands.
/// </summary>
internal static class DemoRestore
{
    /// <summary>Restores from the cluster at <paramref name="admin"/> into a scratch database of <paramref name="source"/>.</summary>
    public static Task<DemoRestoreResult> RunAsync(Uri admin, ReqliteInstance source, CancellationToken ct) =>
        Task.FromResult(DemoRestoreResult.NotRun("restore from the cluster is not part of this build yet"));
}
