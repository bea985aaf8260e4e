using System.Text.Json;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Verbs.Restore;
using ActorBackup.Recovery.FromCluster;

namespace ActorBackup.Cli.Verbs.Verify;

/// <summary>`actorbackup verify`: is the backup complete and consistent? Exit 0 if so, 3 with the findings if not.</summary>
public sealed class VerifyVerb : IVerb
{
    public string Name => "verify";

    public string Summary => "Check the whole backup: replicas per shard, digest agreement, vote chains, quarantine, restorable point.";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        SharedOptions.Admin("Admin endpoint of any backup node."),
        SharedOptions.TokenFile,
        SharedOptions.Json("Print the findings as JSON."),
        OptionSpec.Flag("against-source",
            "First have every replica reconcile with the federation's source (needs the admin token): what the source holds and the backup lacked is fetched, verified and stored, and named; exit 3 if anything was missing."),
    ];

    public IReadOnlyList<string> Examples { get; } =
    [
        "actorbackup verify --admin http://127.0.0.1:8558",
        "actorbackup verify --admin http://10.0.0.5:8558 --json",
        "actorbackup verify --admin http://127.0.0.1:8558 --against-source --token-file admin.token",
    ];

    public void Check(ParsedArgs args)
    {
    }

    public async Task<int> RunAsync(ParsedArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        using var http = AdminCredentials.Client(args, ClusterSelection.RequestTimeout);
        VerifyFindings findings;
        ReconcileFindings? reconciled = null;
        try
        {
            var admin = args.GetRequiredString("admin");
            if (args.GetFlag("against-source"))
            {
                // A round waits for the source's query budget: its answer may take minutes, bounded by the node.
                using var patient = AdminCredentials.Client(args, System.Threading.Timeout.InfiniteTimeSpan);
                var status = await new AdminClient(http, admin).StatusAsync(cancellationToken);
                reconciled = await new SourceReconciliation(patient, status).RunAsync(cancellationToken);
            }
            var source = await ClusterBackupSource.ConnectAsync(http, admin, null, cancellationToken);
            findings = await new BackupVerifier(source).RunAsync(cancellationToken);
        }
        catch (BackupClusterException e)
        {
            throw new CliError(e.Message);
        }
        if (reconciled is not null)
            findings = findings with { Problems = [.. reconciled.Problems, .. findings.Problems] };
        if (args.GetFlag("json"))
            output.WriteLine(JsonSerializer.Serialize(new
            {
                healthy = findings.IsHealthy,
                adminUrl = findings.AdminUrl,
                restorablePoint = findings.RestorablePoint,
                shards = findings.Shards,
                blocksAudited = findings.BlocksAudited,
                votesAudited = findings.VotesAudited,
                quarantineByReason = findings.QuarantineByReason,
                problems = findings.Problems,
                againstSource = reconciled is null ? null : new
                {
                    replicasReconciled = reconciled.Reconciled,
                    recordsFound = reconciled.Found,
                    queries = reconciled.Queries,
                    replicas = reconciled.Replicas,
                },
            }, new JsonSerializerOptions { WriteIndented = true }));
        else
        {
            if (reconciled is not null)
                output.WriteLine($"against the source: {reconciled.Reconciled} replicas reconciled with {reconciled.Queries} queries, "
                    + $"{reconciled.Found} records were missing and are now stored");
            Write(output, findings);
        }
        return findings.IsHealthy ? ExitCodes.Ok : ExitCodes.VerificationFailed;
    }

    private static void Write(TextWriter output, VerifyFindings findings)
    {
        var point = findings.RestorablePoint is { } p ? ClusterBackupSource.Iso(p.ToUnixTimeSeconds()) : "none";
        output.WriteLine($"backup via {findings.AdminUrl}: {findings.Shards} shards, restorable point {point}");
        output.WriteLine($"audited {findings.BlocksAudited} blocks and {findings.VotesAudited} votes");
        output.WriteLine(findings.QuarantineByReason.Count == 0
            ? "quarantine: empty"
            : "quarantine: " + string.Join(", ", findings.QuarantineByReason.Select(q => $"{q.Key} {q.Value}")));
        if (findings.IsHealthy)
        {
            output.WriteLine("verify: ok, the backup is complete and consistent");
            return;
        }
        output.WriteLine($"verify: {findings.Problems.Count} problems");
        foreach (var problem in findings.Problems)
            output.WriteLine($"  {problem}");
    }
}
