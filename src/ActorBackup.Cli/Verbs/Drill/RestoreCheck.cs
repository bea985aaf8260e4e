using ActorBackup.Cli.CommandLine;

namespace ActorBackup.Cli.Verbs.Drill;

/// <summary>
/// The restore-check scenario: restore the cluster's backup into a scratch database and compare it with the live
/// source. The restore from the cluster lives on the read side; it is wired here when that side lands.
/// </summary>
internal static class RestoreCheck
{
    /// <summary>Runs the check against the cluster at <paramref name="admin"/>; returns its exit code.</summary>
    public static Task<int> RunAsync(Uri admin, TextWriter output, bool json, CancellationToken ct) =>
        throw new CliError("restore-check needs restore from the cluster (restore --admin), which this build does not have yet",
            hint: "run kill-node, lose-region or lose-source");
}
