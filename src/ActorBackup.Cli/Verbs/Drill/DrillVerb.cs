using ActorBackup.Cli.CommandLine;
using ActorBackup.Cluster.Status;

namespace ActorBackup.Cli.Verbs.Drill;

/// <summary>
/// `actorbackup drill`: a scripted failure against a running cluster on this machine (it stops processes by the
/// pids the nodes publish in /status), then the checks of the design: nothing acknowledged lost, capture resumed,
/// every shard back to R.
/// </summary>
public sealed class DrillVerb : IVerb
{
    public string Name => "drill";

    public string Summary => "Kill a node, a region or the source of a running cluster and prove nothing acknowledged was lost.";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("admin", "URL", "Admin endpoint of a node that stays up (the drill never kills the node answering it).", Required: true),
        new("scenario", "NAME", $"What fails: {DrillScenarios.Names}.", Required: true),
        new("source-pid", "N", "Process id of the RethinkDB source the nodes read (lose-source); they fail over to the next of actorbackup.sources."),
        new("source", "HOST:PORT", "The RethinkDB source to compare with and to restore a scratch database into (restore-check)."),
        new("db", "NAME", "The source database (restore-check).", "bigchain"),
        new("timeout", "SECONDS", "Longest wait for capture to resume and every shard to be back to R.", "120"),
        OptionSpec.Flag("json", "Print only a one-line JSON report."),
    ];

    public IReadOnlyList<string> Examples { get; } =
    [
        "actorbackup drill --admin http://127.0.0.1:8558 --scenario kill-node",
        "actorbackup drill --admin http://127.0.0.1:8558 --scenario lose-region --json",
        "actorbackup drill --admin http://127.0.0.1:8558 --scenario lose-source --source-pid 4242",
        "actorbackup drill --admin http://127.0.0.1:8558 --scenario restore-check --source 127.0.0.1:28015",
    ];

    public void Check(ParsedArgs args) => DrillSettings.From(args, Name);

    public async Task<int> RunAsync(ParsedArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var (adminUri, scenario, sourcePid, source, db, limit, json) = DrillSettings.From(args, Name);
        if (source is not null)
            return await RestoreCheck.RunAsync(adminUri, source, db, output, json, cancellationToken);

        using var client = new StatusClient(adminUri, TimeSpan.FromSeconds(10));
        var before = await Fetch(client, cancellationToken);
        if (before.Shards.Count(s => s.UnderReplicated) is var under and > 0)
        {
            throw new CliError($"{under} of {before.Shards.Count} shards are below R={before.Replicas} before the drill: a drill starts from a healthy cluster",
                hint: "wait until `actorbackup status` shows every shard at R");
        }
        var victims = VictimChooser.Choose(scenario, before, sourcePid);
        foreach (var victim in victims)
            ProcessKiller.RequireRunning(victim);

        var runner = new DrillRunner(ct => client.GetAsync(ct), limit, json ? null : line => output.WriteLine($"actorbackup drill: {line}"));
        var report = await runner.RunAsync(DrillScenarios.NameOf(scenario), victims, () =>
        {
            foreach (var victim in victims)
                ProcessKiller.Kill(victim);
        }, cancellationToken);
        if (json)
        {
            await output.WriteLineAsync(report.ToJson());
        }
        else
        {
            await output.WriteLineAsync($"Drill {report.Scenario} against {before.Node}:");
            report.WriteText(output);
        }
        return report.Passed ? ExitCodes.Ok : ExitCodes.VerificationFailed;
    }

    private static async Task<ClusterStatus> Fetch(StatusClient client, CancellationToken ct)
    {
        try
        {
            return await client.GetAsync(ct);
        }
        catch (StatusUnavailableException e)
        {
            throw new CliError(e.Message, hint: "is a node running there? see actorbackup.admin.endpoint");
        }
    }
}
