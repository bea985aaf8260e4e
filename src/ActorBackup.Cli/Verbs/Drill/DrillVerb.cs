using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Recovery.Scratch;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Processes;

namespace ActorBackup.Cli.Verbs.Drill;

/// <summary>
/// `actorbackup drill`: a scripted failure against a running cluster on this machine (it stops processes by the
/// pids the nodes publish in /status), then the checks of the design: nothing acknowledged lost, capture resumed,
/// every shard back to R, and the backup as of the restorable point restored into a scratch database and verified.
/// </summary>
/// <remarks>
/// A killing scenario requires --scratch: a drill that stopped processes without proving the backup restores would
/// prove less than it claims, and skipping the restore silently would hide that. restore-check kills nothing and
/// restores onto the source server unless --scratch says otherwise.
/// </remarks>
public sealed class DrillVerb : IVerb
{
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(10);

    public string Name => "drill";

    public string Summary => "Kill a node, a region or the source of a running cluster, prove nothing acknowledged was lost, and restore the backup into a scratch database.";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        SharedOptions.Admin("Admin endpoint of a node that stays up (the drill never kills the node answering it).", required: true),
        SharedOptions.TokenFile,
        new("scenario", "NAME", $"What fails: {DrillScenarios.Names}.", Required: true),
        SharedOptions.Server("scratch", "RethinkDB the drill restores the backup into once the failure is over; required by kill-node, lose-region and lose-source (restore-check: default the --source server)."),
        new("scratch-db", "NAME", "New database the drill restores into (letters, digits, underscores); dropped after a verified restore.", "actorbackup_drill_<UTC time>"),
        OptionSpec.Flag("keep-scratch", "Keep the scratch database after a verified restore (one that did not verify is always kept)."),
        new("source-pid", "N", "Process id of the RethinkDB source the nodes read (lose-source); they fail over to the next of actorbackup.sources."),
        SharedOptions.Server("source", "The RethinkDB source to compare the restore with (restore-check)."),
        new("db", "NAME", "The source database (restore-check).", "bigchain"),
        SharedOptions.Timeout("Longest wait for capture to resume and every shard to be back to R.", 120, 1, 86_400),
        SharedOptions.Json("Print only a one-line JSON report. Exit code 0 passed, 3 a check or the restore failed."),
    ];

    public IReadOnlyList<string> Examples { get; } =
    [
        "actorbackup drill --admin http://127.0.0.1:8558 --scenario kill-node --scratch 127.0.0.1:28016",
        "actorbackup drill --admin http://127.0.0.1:8558 --scenario lose-region --scratch 127.0.0.1:28016 --json",
        "actorbackup drill --admin http://127.0.0.1:8558 --scenario lose-source --source-pid 4242 --scratch 127.0.0.1:28016 --scratch-db drill_lose_source --keep-scratch",
        "actorbackup drill --admin http://127.0.0.1:8558 --scenario restore-check --source 127.0.0.1:28015",
    ];

    public void Check(ParsedArgs args) => DrillSettings.From(args, Name);

    public async Task<int> RunAsync(ParsedArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var (adminUri, scenario, sourcePid, source, db, scratch, limit, json) = DrillSettings.From(args, Name);
        var token = AdminCredentials.Token(args);
        using var http = Admin.Contract.Access.AdminHttp.Create(StatusTimeout, token);
        var client = new StatusClient(http, adminUri);
        var before = await Fetch(client, cancellationToken);
        if (source is not null)
            return await RestoreCheck.RunAsync(adminUri, token, source, db, scratch, output, json, cancellationToken);
        if (before.Shards.Count(s => s.UnderReplicated) is var under and > 0)
        {
            throw new CliError($"{under} of {before.Shards.Count} shards are below R={before.Replicas} before the drill: a drill starts from a healthy cluster",
                hint: "wait until `actorbackup status` shows every shard at R");
        }
        var victims = VictimChooser.Choose(scenario, before, sourcePid);
        foreach (var victim in victims)
            RequireRunning(victim);
        await ScratchCheck.RequireUsableAsync(scratch, cancellationToken);

        Action<string>? log = json ? null : line => output.WriteLine($"actorbackup drill: {line}");
        var runner = new DrillRunner(ct => client.GetAsync(ct), limit, log);
        var drill = await runner.RunAsync(DrillScenarios.NameOf(scenario), victims, () =>
        {
            foreach (var victim in victims)
                Kill(victim);
        }, cancellationToken);
        log?.Invoke($"restoring the backup as of the restorable point into {scratch.Database} on {scratch.Endpoint}");
        var restore = await ScratchRestore.RunAsync(adminUri.ToString(), token, scratch, null, cancellationToken);
        var report = drill with { Restore = restore };
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

    /// <summary>Checks that <paramref name="victim"/> is a running process on this machine, and a node's victim verifiably that node.</summary>
    private static void RequireRunning(DrillVictim victim)
    {
        if (!ProcessKiller.IsRunning(victim.Pid))
        {
            throw new CliError($"{victim.What} has pid {victim.Pid}, but no such process runs on this machine",
                hint: "run the drill on the machine of the processes it stops");
        }
        if (victim.Address is { } address && NodeProcessCheck.WhyNot(victim.Pid, address) is { } reason)
            throw new CliError($"refusing to kill {victim.What} {address}: {reason}");
    }

    /// <summary>Stops <paramref name="victim"/> the way a crash does (SIGKILL) and waits until it is gone.</summary>
    private static void Kill(DrillVictim victim)
    {
        try
        {
            if (!ProcessKiller.Kill(victim.Pid))
                throw new CliError($"{victim.What} (pid {victim.Pid}) is no longer running: nothing to kill");
        }
        catch (SandboxException e)
        {
            throw new CliError($"{victim.What}: {e.Message}");
        }
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
