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
    ];

    public IReadOnlyList<string> Examples { get; } =
    [
        "actorbackup verify --admin http://127.0.0.1:8558",
        "actorbackup verify --admin http://10.0.0.5:8558 --json",
    ];

    public void Check(ParsedArgs args)
    {
    }

    public async Task<int> RunAsync(ParsedArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        using var http = AdminCredentials.Client(args, ClusterSelection.RequestTimeout);
        VerifyFindings findings;
        try
        {
            var source = await ClusterBackupSource.ConnectAsync(http, args.GetRequiredString("admin"), null, cancellationToken);
            findings = await new BackupVerifier(source).RunAsync(cancellationToken);
        }
        catch (BackupClusterException e)
        {
            throw new CliError(e.Message);
        }
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
            }, new JsonSerializerOptions { WriteIndented = true }));
        else
            Write(output, findings);
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
