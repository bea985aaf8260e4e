using System.Diagnostics;
using System.Globalization;
using ActorBackup.Cli.CommandLine;
using ActorBackup.ReQL.Errors;
using ActorBackup.Tags;
using ActorBackup.Tags.Applying;
using ActorBackup.Tags.Planning;
using ActorBackup.Tags.SystemTables;

namespace ActorBackup.Cli.Verbs.Tags;

/// <summary>
/// `actorbackup tags apply`: the plan, sent first as dry runs that must each match it, then table by table, waiting
/// until each reconfigured table has every replica ready before the next. A table already in the layout is left
/// alone, so a rerun after an interrupt or a failure picks up where it stopped. An interrupt is honoured between
/// steps, never inside a reconfigure, and the last line says what was done.
/// </summary>
internal static class TagsApply
{
    public static async Task<int> RunAsync(TagsSettings settings, TextWriter output, CancellationToken ct)
    {
        await using var connection = await TagsSource.ConnectAsync(settings, ct);
        var plan = TagsPlan.Plan(await TagsSource.ReadAsync(connection, settings, ct), settings);
        var reconfigurer = new TableReconfigurer(connection, settings.Origin);
        var progress = new Progress(plan);

        output.WriteLine($"server-tag layout of {settings.Origin}: {plan.ToChange.Count()} of {plan.Tables.Count} tables to reconfigure");
        foreach (var table in plan.Tables.Where(t => t.AlreadyApplied))
        {
            output.WriteLine($"{table.Table}: already in the layout, left alone");
            foreach (var note in table.Notes)
                output.WriteLine($"  note: {note}");
        }
        try
        {
            await DryRunAsync(plan, reconfigurer, output, ct);
            foreach (var table in plan.ToChange)
            {
                ct.ThrowIfCancellationRequested();
                await ApplyAsync(table, plan.Servers, reconfigurer, settings.WaitSeconds, progress, output, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            output.WriteLine($"interrupted: {progress}");
            throw;
        }
        catch (Exception e) when (e is TableNotReadyException or MissingCapabilityException or SystemTablesFormatException or ReqlError)
        {
            output.WriteLine($"stopped: {progress}");
            throw e switch
            {
                TableNotReadyException => new CliError($"{e.Message}; later tables were not touched: rerun the same `tags apply` once it is ready",
                    ExitCodes.VerificationFailed),
                ReqlError => new CliError($"{settings.Origin} failed while applying the layout: {e.Message.Split('\n')[0]}"),
                _ => new CliError(e.Message),
            };
        }
        output.WriteLine($"done: {progress}");
        return ExitCodes.Ok;
    }

    /// <summary>Every table's dry run must give exactly the planned layout before any table is changed.</summary>
    private static async Task DryRunAsync(TagPlan plan, TableReconfigurer reconfigurer, TextWriter output, CancellationToken ct)
    {
        foreach (var table in plan.ToChange)
        {
            var result = await reconfigurer.DryRunAsync(table, ct);
            var differences = LayoutDifferences.Between(result.After, table.Reconfigure, plan.Servers);
            if (result.Reconfigured != 0)
                differences = [$"the dry run reports {result.Reconfigured} tables reconfigured", .. differences];
            if (differences.Count > 0)
                throw new CliError($"the dry run of {table.Table} differs from the plan ({string.Join("; ", differences)}): nothing was changed",
                    ExitCodes.VerificationFailed);
            output.WriteLine($"{table.Table}: dry run as planned");
        }
    }

    private static async Task ApplyAsync(
        TablePlan table, ServerRoles servers, TableReconfigurer reconfigurer, int waitSeconds, Progress progress, TextWriter output, CancellationToken ct)
    {
        output.WriteLine($"{table.Table}: reconfiguring to replicas {table.Reconfigure.ReplicasText}, primary_replica_tag: {table.Reconfigure.PrimaryReplicaTag}");
        var result = await reconfigurer.ApplyAsync(table);
        progress.Reconfigured(table.Table);
        WriteShards(output, "before:", result.Before);
        WriteShards(output, "after:", result.After);
        var differences = LayoutDifferences.Between(result.After, table.Reconfigure, servers);
        if (differences.Count > 0)
        {
            output.WriteLine($"stopped: {progress}");
            throw new CliError($"{table.Table} was reconfigured, but not as planned ({string.Join("; ", differences)}); later tables were not touched",
                ExitCodes.VerificationFailed);
        }
        output.WriteLine($"  waiting until every replica is ready (up to {waitSeconds} s)");
        var clock = Stopwatch.StartNew();
        await reconfigurer.WaitReadyAsync(table.Table, waitSeconds, ct);
        progress.Ready(table.Table);
        output.WriteLine($"  ready after {clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
    }

    private static void WriteShards(TextWriter output, string label, TableConfigRow config)
    {
        for (var i = 0; i < config.Shards.Count; i++)
        {
            var shard = config.Shards[i];
            output.WriteLine($"  {(i == 0 ? label : ""),-8}shard {i + 1}: primary {shard.PrimaryReplica ?? "none"}, replicas {string.Join(", ", shard.Replicas)}");
        }
    }

    /// <summary>Which tables this run reconfigured and which of them are ready, for the last line.</summary>
    private sealed class Progress(TagPlan plan)
    {
        private readonly HashSet<TableRef> _reconfigured = [];
        private readonly HashSet<TableRef> _ready = [];

        public void Reconfigured(TableRef table) => _reconfigured.Add(table);

        public void Ready(TableRef table) => _ready.Add(table);

        public override string ToString()
        {
            var parts = new List<string>();
            var ready = plan.ToChange.Where(t => _ready.Contains(t.Table)).Select(t => t.Table.ToString()).ToList();
            var backfilling = plan.ToChange.Where(t => _reconfigured.Contains(t.Table) && !_ready.Contains(t.Table)).Select(t => t.Table.ToString()).ToList();
            var untouched = plan.ToChange.Where(t => !_reconfigured.Contains(t.Table)).Select(t => t.Table.ToString()).ToList();
            var left = plan.Tables.Where(t => t.AlreadyApplied).Select(t => t.Table.ToString()).ToList();
            if (ready.Count > 0)
                parts.Add($"reconfigured and ready: {string.Join(", ", ready)}");
            if (backfilling.Count > 0)
                parts.Add($"reconfigured, replicas not yet ready (RethinkDB goes on backfilling): {string.Join(", ", backfilling)}");
            if (untouched.Count > 0)
                parts.Add($"not changed: {string.Join(", ", untouched)}");
            if (left.Count > 0)
                parts.Add($"already in the layout, left alone: {string.Join(", ", left)}");
            if (untouched.Count > 0 || backfilling.Count > 0)
                parts.Add("rerun the same `tags apply` to finish (tables in the layout are left alone), `tags check` to follow the replicas");
            return string.Join("; ", parts);
        }
    }
}
