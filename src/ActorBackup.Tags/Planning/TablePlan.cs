using ActorBackup.Tags.SystemTables;

namespace ActorBackup.Tags.Planning;

/// <summary>What the plan does to one table.</summary>
/// <param name="Current">Where each shard's replicas are now, by role.</param>
/// <param name="Reconfigure">The reconfigure that lays the table out (sent only when <paramref name="AlreadyApplied"/> is false).</param>
/// <param name="AlreadyApplied">The table is in the layout already; apply leaves it alone.</param>
/// <param name="Notes">What else the operator should know about this table (settings a reconfigure resets, replicas not ready).</param>
public sealed record TablePlan(
    TableRef Table,
    TableConfigRow Config,
    TableStatusRow? Status,
    IReadOnlyList<ReplicaCounts> Current,
    ReconfigureArgs Reconfigure,
    bool AlreadyApplied,
    IReadOnlyList<string> Notes);
