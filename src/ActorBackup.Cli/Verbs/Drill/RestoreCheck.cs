using System.Diagnostics;
using System.Text.Json;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Recovery.FromCluster;
using ActorBackup.Recovery.Restore;
using ActorBackup.Recovery.Verification;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cli.Verbs.Drill;

/// <summary>
/// The restore-check scenario: restores the cluster's backup as of its restorable point into a scratch database on
/// the source server, verifies it against the backup, compares it table by table with the live source's records up
/// to the same point, then drops the scratch database. Nothing is killed.
/// </summary>
internal static class RestoreCheck
{
    /// <summary>Runs the check against the cluster at <paramref name="admin"/>; returns its exit code.</summary>
    public static async Task<int> RunAsync(Uri admin, ConnectionOptions source, string sourceDb, TextWriter output, bool json, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var scratch = $"actorbackup_check_{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}";
        var problems = new List<string>();
        ClusterRestoreOutcome outcome;
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            outcome = await ClusterRestorer.RestoreAsync(http, admin.ToString(), source, scratch, null, ct);
            if (!outcome.Report.Verified)
                problems.Add($"the restore differs from the backup: {outcome.Report.FirstProblem}");
            await using var connection = await Connection.ConnectAsync(source, ct);
            foreach (var table in outcome.Tables)
            {
                var comparison = await SourceComparison.CompareAsync(connection, sourceDb, connection, scratch, table, outcome.At, ct);
                if (comparison.Problem is { } problem)
                    problems.Add($"the restore differs from the source: {problem}");
            }
            await R.DbDrop(scratch).RunAtomAsync(connection, ct);
        }
        catch (Exception e) when (e is BackupClusterException or RestoreException or ReqlError or HttpRequestException or InvalidDataException)
        {
            throw new CliError($"restore-check failed: {e.Message}");
        }
        var records = outcome.Report.Tables.Sum(t => t.Documents);
        var at = DateTimeOffset.FromUnixTimeSeconds(outcome.At).ToString("yyyy-MM-ddTHH:mm:ssZ");
        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new
            {
                scenario = "restore-check",
                passed = problems.Count == 0,
                restorablePoint = at,
                records,
                seconds = Math.Round(clock.Elapsed.TotalSeconds, 1),
                problems,
            }));
        }
        else
        {
            await output.WriteLineAsync($"Drill restore-check: {records} records as of {at} restored into {scratch} on {source.Host}:{source.Port} in {clock.Elapsed.TotalSeconds:0.0} s");
            await output.WriteLineAsync(problems.Count == 0
                ? "  PASSED: equal to the backup and to the source (counts and digests per table); scratch database dropped"
                : string.Join(Environment.NewLine, problems.Select(p => $"  FAILED: {p}")));
        }
        return problems.Count == 0 ? ExitCodes.Ok : ExitCodes.VerificationFailed;
    }
}
