using System.Text.Json;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Recovery.Scratch;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cli.Verbs.Drill;

/// <summary>
/// The restore-check scenario: the drill's restore (the backup as of the restorable point into a scratch database,
/// verified against the backup), then each table compared with the live source's records up to the same point.
/// Nothing is killed.
/// </summary>
internal static class RestoreCheck
{
    /// <summary>Runs the check against the cluster at <paramref name="admin"/>, sending <paramref name="token"/>; returns its exit code.</summary>
    public static async Task<int> RunAsync(Uri admin, string? token, ConnectionOptions source, string sourceDb, ScratchTarget scratch, TextWriter output, bool json,
        CancellationToken ct)
    {
        await ScratchCheck.RequireUsableAsync(scratch, ct);
        var restore = await ScratchRestore.RunAsync(admin.ToString(), token, scratch, new ComparedSource(source, sourceDb), ct);
        var failure = restore.Verified ? null : $"the restore into {restore.Database} did not verify: {restore.FirstProblem}";
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new
            {
                scenario = "restore-check",
                passed = failure is null,
                failure,
                restore = ScratchRestoreReport.ToJson(restore),
            }));
        }
        else
        {
            await output.WriteLineAsync($"Drill restore-check against {admin}:");
            ScratchRestoreReport.WriteText(output, restore);
            await output.WriteLineAsync($"  result             {(failure is null ? "PASSED" : "FAILED: " + failure)}");
        }
        return failure is null ? ExitCodes.Ok : ExitCodes.VerificationFailed;
    }
}
