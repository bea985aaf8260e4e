using System.Runtime.InteropServices;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Settings;

namespace ActorBackup.Cli.Verbs.Node;

/// <summary>`actorbackup node`: runs one backup node until SIGTERM or Ctrl-C, then leaves the cluster.</summary>
public sealed class NodeVerb : IVerb
{
    public string Name => "node";

    public string Summary => "Run a backup node: join the cluster, capture the replicas placed here, serve the admin endpoint.";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("config", "FILE", "HOCON file of this node (see hocon/node.conf); reference.conf gives the defaults.", Required: true),
    ];

    public IReadOnlyList<string> Examples { get; } =
    [
        "actorbackup node --config /etc/actorbackup/node.conf",
    ];

    public void Check(ParsedArgs args)
    {
        if (args.GetRequiredString("config").Length == 0)
            throw CliError.Usage("--config needs a file name", Name);
    }

    public async Task<int> RunAsync(ParsedArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var configuration = Load(args.GetRequiredString("config"));
        BackupNode node;
        try
        {
            node = BackupNode.Start(configuration);
        }
        catch (BackupSettingsException e)
        {
            throw new CliError(e.Message, ExitCodes.Usage);
        }
        catch (Exception e) when (e is not CliError)
        {
            // A journal that cannot be opened or a similar fault of the environment: one line, not a trace.
            throw new CliError($"the node could not start: {e.GetBaseException().Message}");
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // SIGTERM (docker stop, systemd) means "leave and stop", like Ctrl-C; without this the runtime
        // would exit at once and the others would see a crash instead of a leave.
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        await output.WriteLineAsync(
            $"actorbackup node: {node.Address} region {configuration.Settings.Region}, admin {node.AdminUrl}, journal {node.Journal}");
        await output.FlushAsync(CancellationToken.None);

        var stopRequested = Task.Delay(Timeout.Infinite, stop.Token);
        var finished = await Task.WhenAny(stopRequested, node.WhenTerminated);
        if (finished == node.WhenTerminated)
        {
            await node.DisposeAsync();
            throw new CliError("the node stopped on its own (see the log above).");
        }
        await node.StopAsync();
        await output.WriteLineAsync($"actorbackup node: {node.Address} left the cluster and stopped");
        return ExitCodes.Ok;
    }

    private static NodeConfiguration Load(string path)
    {
        try
        {
            return NodeConfiguration.Load(path);
        }
        catch (BackupSettingsException e)
        {
            throw new CliError(e.Message, ExitCodes.Usage);
        }
    }
}
