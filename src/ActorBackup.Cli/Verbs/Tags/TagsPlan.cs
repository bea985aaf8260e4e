using ActorBackup.Cli.CommandLine;
using ActorBackup.Tags.Planning;
using ActorBackup.Tags.SystemTables;

namespace ActorBackup.Cli.Verbs.Tags;

/// <summary>`actorbackup tags plan`: what apply would change per table, or the one-line reason it cannot work.</summary>
internal static class TagsPlan
{
    public static async Task<int> RunAsync(TagsSettings settings, TextWriter output, CancellationToken ct)
    {
        var plan = Plan(await TagsSource.ReadAsync(settings, ct), settings);
        if (settings.Json)
            PlanReport.WriteJson(output, plan, settings.Origin);
        else
            PlanReport.WriteText(output, plan, settings.Origin);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// The plan, or its refusal as the error: exit 2 when the options or the servers' tags do not allow the layout
    /// (nothing will change until they do), exit 3 when a table to change is not ready now.
    /// </summary>
    public static TagPlan Plan(SystemTablesSnapshot tables, TagsSettings settings) =>
        TagPlanner.Plan(tables, settings.LayoutRequest) switch
        {
            TagPlan plan => plan,
            PlanRefusal { Kind: RefusalKind.NotReady } refusal => throw new CliError(refusal.Reason, ExitCodes.VerificationFailed),
            PlanRefusal refusal => throw new CliError(refusal.Reason, ExitCodes.Usage),
            var other => throw new InvalidOperationException($"unknown plan outcome {other}"),
        };
}
