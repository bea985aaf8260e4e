using Spectre.Console;

namespace ActorBackup.Cli.Verbs.Simulate;

/// <summary>
/// Shows how far a run is: a progress bar on a terminal, otherwise a plain line every tenth of the run, nothing
/// with --json (stdout then carries only the summary).
/// </summary>
internal static class SimulationProgress
{
    public static async Task<T> RunAsync<T>(TextWriter output, bool json, int total, Func<Action<SimulationTally>, Task<T>> work)
    {
        if (json)
            return await work(_ => { });
        if (ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected)
        {
            return await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask("simulate: blocks", maxValue: total);
                    return await work(tally => task.Value = tally.Blocks);
                });
        }
        var every = Math.Max(1L, total / 10);
        var next = every;
        return await work(tally =>
        {
            if (tally.Blocks < next && tally.Blocks < total)
                return;
            output.WriteLine($"simulate: {tally.Blocks}/{total} blocks, {tally.Votes} votes written");
            next = (tally.Blocks / every + 1) * every;
        });
    }
}
