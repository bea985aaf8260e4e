using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Recovery.Restore;

/// <summary>What the target database holds before a restore: whether it exists and the documents of each table.</summary>
internal sealed record TargetState(bool DatabaseExists, IReadOnlyDictionary<string, long> TableDocuments)
{
    public long TotalDocuments => TableDocuments.Values.Sum();

    public static async Task<TargetState> InspectAsync(IConnection connection, string db, CancellationToken ct)
    {
        var databases = await R.DbList().RunAtomAsync(connection, ct);
        if (!databases.EnumerateArray().Any(d => d.GetString() == db))
            return new TargetState(false, new Dictionary<string, long>());
        var tables = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in (await R.Db(db).TableList().RunAtomAsync(connection, ct)).EnumerateArray())
        {
            var name = table.GetString()!;
            tables[name] = (await R.Db(db).Table(name).Count().RunAtomAsync(connection, ct)).GetInt64();
        }
        return new TargetState(true, tables);
    }

    /// <summary>The primary key of an existing table.</summary>
    public static async Task<string?> PrimaryKeyAsync(IConnection connection, string db, string table, CancellationToken ct)
    {
        var info = await R.Db(db).Table(table).Info().RunAtomAsync(connection, ct);
        return info.TryGetProperty("primary_key", out var pk) ? pk.GetString() : null;
    }
}
