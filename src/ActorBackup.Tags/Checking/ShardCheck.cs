using ActorBackup.Tags.SystemTables;

namespace ActorBackup.Tags.Checking;

/// <summary>One shard as `tags check` found it, from <c>table_status</c>.</summary>
/// <param name="Number">1-based, as RethinkDB's web UI numbers shards.</param>
/// <param name="Primaries">The servers acting as its primary now (normally one).</param>
/// <param name="BackupReplicas">Its replicas on backup-tagged servers, ready or not.</param>
/// <param name="Problems">Each way it falls short; empty when it is as asked.</param>
public sealed record ShardCheck(
    int Number,
    IReadOnlyList<string> Primaries,
    bool PrimaryOnOriginal,
    IReadOnlyList<ReplicaStatus> BackupReplicas,
    int ReadyBackupReplicas,
    IReadOnlyList<string> Problems)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>One table as `tags check` found it.</summary>
/// <param name="Problem">Why its shards could not be checked at all (no such table, status unavailable); null when they were.</param>
public sealed record TableCheck(TableRef Table, IReadOnlyList<ShardCheck> Shards, string? Problem)
{
    public bool Ok => Problem is null && Shards.All(s => s.Ok);
}

/// <summary>Every chosen table's shards, checked.</summary>
public sealed record TagCheckReport(TagCheckRequest Request, IReadOnlyList<TableCheck> Tables)
{
    public bool Ok => Tables.All(t => t.Ok);

    /// <summary>Shards that fall short, plus one for each table that could not be checked.</summary>
    public int Failing => Tables.Sum(t => t.Problem is null ? t.Shards.Count(s => !s.Ok) : 1);
}
