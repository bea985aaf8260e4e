using ActorBackup.Cli.CommandLine;
using ActorBackup.Recovery.Scratch;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cli.Verbs.Drill;

/// <summary>One `drill` invocation's options, checked; <see cref="Source"/> is set for restore-check only.</summary>
internal sealed record DrillSettings(
    Uri Admin, DrillScenario Scenario, int? SourcePid, ConnectionOptions? Source, string Database, ScratchTarget Scratch,
    TimeSpan Limit, bool Json)
{
    public static DrillSettings From(ParsedArgs args, string verb)
    {
        var admin = args.GetUrl("admin");
        var scenarioName = args.GetRequiredString("scenario");
        if (!DrillScenarios.TryParse(scenarioName, out var scenario))
            throw CliError.Usage($"--scenario must be one of {DrillScenarios.Names} (got '{scenarioName}')", verb);
        int? sourcePid = args.Has("source-pid") ? args.GetInt("source-pid", 1) : null;
        if (sourcePid is not null && scenario != DrillScenario.LoseSource)
            throw CliError.Usage("--source-pid only goes with --scenario lose-source", verb);
        if (scenario == DrillScenario.LoseSource && sourcePid is null)
            throw CliError.Usage("--scenario lose-source needs --source-pid N (the RethinkDB process to stop)", verb);
        var limit = args.GetSeconds("timeout");
        if (args.Has("source") != (scenario == DrillScenario.RestoreCheck))
            throw CliError.Usage("--scenario restore-check needs --source HOST:PORT, and only it takes one", verb);
        if (scenario != DrillScenario.RestoreCheck && !args.Has("scratch"))
            throw CliError.Usage($"--scenario {scenarioName} needs --scratch HOST:PORT (the RethinkDB the drill restores the backup into)", verb);
        ConnectionOptions? source = null;
        if (scenario == DrillScenario.RestoreCheck)
        {
            var (host, port) = args.GetEndpoint("source");
            source = new ConnectionOptions { Host = host, Port = port };
        }
        var database = args.GetRequiredString("db");
        return new DrillSettings(admin, scenario, sourcePid, source, database, ScratchOf(args, scenario, database, verb), limit, args.GetFlag("json"));
    }

    /// <summary>The scratch target from the options; restore-check defaults to the source server, which must then not be asked to restore over --db.</summary>
    private static ScratchTarget ScratchOf(ParsedArgs args, DrillScenario scenario, string sourceDatabase, string verb)
    {
        var onSource = !args.Has("scratch");
        var (host, port) = args.GetEndpoint(onSource ? "source" : "scratch");
        var database = args.Has("scratch-db") ? args.GetRequiredString("scratch-db") : ScratchTarget.DefaultDatabase(DateTimeOffset.UtcNow);
        if (!ScratchTarget.IsValidName(database))
            throw CliError.Usage($"--scratch-db must be letters, digits and underscores (got '{database}')", verb);
        if (scenario == DrillScenario.RestoreCheck && database == sourceDatabase
            && (onSource || args.GetString("scratch") == args.GetString("source")))
            throw CliError.Usage($"--scratch-db must not be the source database {database} on the source server", verb);
        return new ScratchTarget(new ConnectionOptions { Host = host, Port = port }, database, args.GetFlag("keep-scratch"));
    }
}
