using System.Text.Json;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;
using ActorBackup.Tags.Planning;

namespace ActorBackup.Tags.Applying;

/// <summary>Sends one table's reconfigure (as a dry run or for real) and waits for the table to be ready.</summary>
/// <param name="source">How messages name the source, e.g. "the source 10.0.0.5:28015".</param>
public sealed class TableReconfigurer(IConnection connection, string source)
{
    /// <summary>What the server would make of the plan, changing nothing.</summary>
    public Task<ReconfigureResult> DryRunAsync(TablePlan plan, CancellationToken ct) => SendAsync(plan, dryRun: true, ct);

    /// <summary>
    /// Reconfigures the table. Not cancellable once sent: the answer is the only way to know what the server did,
    /// so an interrupt is honoured before and after, never in between.
    /// </summary>
    public Task<ReconfigureResult> ApplyAsync(TablePlan plan) => SendAsync(plan, dryRun: false, CancellationToken.None);

    /// <summary>Returns once every replica of the table is ready; <see cref="TableNotReadyException"/> after <paramref name="timeoutSeconds"/>.</summary>
    public async Task WaitReadyAsync(TableRef table, int timeoutSeconds, CancellationToken ct)
    {
        try
        {
            await TagQueries.WaitForAllReplicas(table, timeoutSeconds).RunAtomAsync(connection, ct);
        }
        catch (ReqlError e) when (e is not ReqlDriverError && MissingCapabilityException.IsMissing(e))
        {
            throw new MissingCapabilityException(source, "wait", e.Message);
        }
        catch (ReqlAvailabilityError e)
        {
            throw new TableNotReadyException(table, timeoutSeconds, e.Message);
        }
    }

    private async Task<ReconfigureResult> SendAsync(TablePlan plan, bool dryRun, CancellationToken ct)
    {
        JsonElement answer;
        try
        {
            answer = await TagQueries.Reconfigure(plan.Table, plan.Reconfigure, dryRun).RunAtomAsync(connection, ct);
        }
        catch (ReqlError e) when (e is not ReqlDriverError && MissingCapabilityException.IsMissing(e))
        {
            throw new MissingCapabilityException(source, "reconfigure", e.Message);
        }
        return ReconfigureResult.Read(answer, $"{source}'s answer to the {(dryRun ? "dry run" : "reconfigure")} of {plan.Table}");
    }
}
