using ActorBackup.Cli.CommandLine;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cli.Verbs.Drill;

/// <summary>One `drill` invocation's options, checked; <see cref="Source"/> is set for restore-check only.</summary>
internal sealed record DrillSettings(Uri Admin, DrillScenario Scenario, int? SourcePid, ConnectionOptions? Source, string Database, TimeSpan Limit, bool Json)
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
        var limit = TimeSpan.FromSeconds(args.GetInt("timeout", 1, 86_400));
        if (args.Has("source") != (scenario == DrillScenario.RestoreCheck))
            throw CliError.Usage("--scenario restore-check needs --source HOST:PORT, and only it takes one", verb);
        ConnectionOptions? source = null;
        if (scenario == DrillScenario.RestoreCheck)
        {
            var (host, port) = args.GetEndpoint("source");
            source = new ConnectionOptions { Host = host, Port = port };
        }
        return new DrillSettings(admin, scenario, sourcePid, source, args.GetRequiredString("db"), limit, args.GetFlag("json"));
    }
}
