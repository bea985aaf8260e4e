using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cli.CommandLine;

namespace ActorBackup.Cli.Verbs.Status;

/// <summary>`actorbackup status`: what the cluster holds, from any node's admin endpoint.</summary>
public sealed class StatusVerb : IVerb
{
    public string Name => "status";

    public string Summary => "Show the cluster: members, replicas per shard, restorable point, RPO, quarantine.";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        SharedOptions.Admin("Admin endpoint of any node."),
        SharedOptions.TokenFile,
        SharedOptions.Json("Print the status JSON as the node returned it."),
        SharedOptions.Timeout("Give up on the endpoint after this long.", 10, 1, 3600),
    ];

    public IReadOnlyList<string> Examples { get; } =
    [
        "actorbackup status",
        "actorbackup status --admin http://10.0.0.5:8558 --json",
    ];

    public void Check(ParsedArgs args)
    {
    }

    public async Task<int> RunAsync(ParsedArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        using var http = AdminCredentials.Client(args, args.GetSeconds("timeout"));
        StatusReading reading;
        try
        {
            reading = await new StatusClient(http, args.GetUrl("admin")).ReadAsync(cancellationToken);
        }
        catch (StatusUnavailableException e)
        {
            throw e.Failure switch
            {
                StatusFailure.Unreachable => new CliError($"cannot reach the admin endpoint {e.Url}: {e.Reason}", hint: "is a node running there? see actorbackup.admin.endpoint"),
                StatusFailure.NoAnswer => new CliError($"the admin endpoint {e.Url} {e.Reason}"),
                _ => new CliError(e.Message),
            };
        }
        if (args.GetFlag("json"))
            await output.WriteAsync(reading.Json.EndsWith('\n') ? reading.Json : reading.Json + "\n");
        else
            StatusReport.Write(output, reading.Status);
        return ExitCodes.Ok;
    }
}
