using System.Text.Json;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Recovery.FromCluster;
using ActorBackup.Recovery.Verification;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cli.Verbs.Drill;

/// <summary>
/// The restore-check scenario: the drill's restore (the backup as of the restorable point into a scratch database,
/// verified against the backup), then each table compared with the live source's records up to the same point.
/// Nothing is killed.
/// </summary>
internal static class RestoreCheck
{
    /// <summary>Runs the check against the cluster at <paramref name="admin"/>; returns its exit code.</summary>
    public static async Task<int> RunAsync(Uri admin, ConnectionOptions source, string sourceDb, ScratchTarget scratch, TextWriter output, bool json,
        CancellationToken ct)
    {
        await ScratchRestore.PrepareAsync(scratch, ct);
        var restore = await ScratchRestore.RunAsync(admin, scratch, "the backup and the source", (restored, outcome, token) =>
            CompareWithSourceAsync(source, sourceDb, restored, scratch.Database, outcome, token), ct);
        var failure = restore.Verified ? null : $"the restore into {restore.Database} did not verify: {restore.FirstProblem}";
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new
            {
                scenario = "restore-check",
                passed = failure is null,
                failure,
                restore = restore.ToJson(),
            }));
        }
        else
        {
            await output.WriteLineAsync($"Drill restore-check against {admin}:");
            restore.WriteText(output);
            await output.WriteLineAsync($"  result             {(failure is null ? "PASSED" : "FAILED: " + failure)}");
        }
        return failure is null ? ExitCodes.Ok : ExitCodes.VerificationFailed;
    }

    private static async Task<string?> CompareWithSourceAsync(ConnectionOptions source, string sourceDb, IConnection restored, string restoredDb,
        ClusterRestoreOutcome outcome, CancellationToken ct)
    {
        await using var connection = await Connection.ConnectAsync(source, ct);
        foreach (var table in outcome.Tables)
        {
            var comparison = await SourceComparison.CompareAsync(connection, sourceDb, restored, restoredDb, table, outcome.At, ct);
            if (comparison.Problem is { } problem)
                return $"the restore differs from the source: {problem}";
        }
        return null;
    }
}
