using ActorBackup.Cli.CommandLine;

namespace ActorBackup.Cli;

public static class Program
{
    /// <summary>Every verb of the executable, in the order --help lists them.</summary>
    public static IReadOnlyList<IVerb> Verbs { get; } =
    [
        new Verbs.Node.NodeVerb(),
        new Verbs.Status.StatusVerb(),
        new Verbs.Members.MembersVerb(),
        new Verbs.Restore.RestoreVerb(),
        new Verbs.Export.ExportVerb(),
        new Verbs.Verify.VerifyVerb(),
        new Verbs.Dump.DumpVerb(),
        new Verbs.Tags.TagsVerb(),
        new Verbs.Import.ImportVerb(),
        new Verbs.ClientBackup.ClientBackupVerb(),
        new Verbs.VerifyBundle.VerifyBundleVerb(),
        new Verbs.Assemble.AssembleVerb(),
        new Verbs.Simulate.SimulateVerb(),
        new Verbs.Drill.DrillVerb(),
        new Verbs.Certs.CertsVerb(),
        new Verbs.Demo.DemoVerb(),
        new Verbs.Keys.KeysVerb(),
    ];

    public static async Task<int> Main(string[] args)
    {
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        return await RunAsync(args, Console.Out, Console.Error, cts.Token);
    }

    /// <summary>Dispatches to a verb; every failure becomes one line on <paramref name="error"/> and an exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var (invocation, code) = Prepare(args, output, error);
        if (invocation is null)
            return code;
        var verb = invocation.Verb;
        try
        {
            return await verb.RunAsync(invocation.Args, output, cancellationToken);
        }
        catch (CliError e)
        {
            WriteError(error, verb, e);
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine($"actorbackup {verb.Name}: interrupted");
            return ExitCodes.Interrupted;
        }
    }

    /// <summary>
    /// Parses and checks a command line exactly as <see cref="RunAsync"/> does, without running the verb: the same
    /// one-line error and exit code for a command line it would refuse, <see cref="ExitCodes.Ok"/> for one it would run.
    /// </summary>
    public static int Check(string[] args, TextWriter error)
    {
        var (invocation, code) = Prepare(args, TextWriter.Null, error);
        return invocation is null ? code : ExitCodes.Ok;
    }

    /// <summary>The verb and its checked options, or null with the exit code when there is nothing to run (help, a usage error).</summary>
    private static (Invocation? Invocation, int ExitCode) Prepare(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            HelpWriter.WriteOverview(output, Verbs);
            return (null, args.Length == 0 ? ExitCodes.Usage : ExitCodes.Ok);
        }
        var verb = Verbs.FirstOrDefault(v => v.Name == args[0]);
        if (verb is null)
        {
            error.WriteLine($"actorbackup: error: unknown verb '{args[0]}' (hint: the verbs are {string.Join(", ", Verbs.Select(v => v.Name))})");
            return (null, ExitCodes.Usage);
        }
        var rest = args[1..];
        if (rest.Contains("--help") || rest.Contains("-h"))
        {
            HelpWriter.WriteVerb(output, verb);
            return (null, ExitCodes.Ok);
        }
        try
        {
            var parsed = ParsedArgs.Parse(verb.Name, verb.Options, rest);
            verb.Check(parsed);
            return (new Invocation(verb, parsed), ExitCodes.Ok);
        }
        catch (CliError e)
        {
            WriteError(error, verb, e);
            return (null, e.ExitCode);
        }
    }

    private static void WriteError(TextWriter error, IVerb verb, CliError e) =>
        error.WriteLine(e.Hint is null
            ? $"actorbackup {verb.Name}: error: {e.Message}"
            : $"actorbackup {verb.Name}: error: {e.Message} (hint: {e.Hint})");

    private sealed record Invocation(IVerb Verb, ParsedArgs Args);
}
