using ActorBackup.Cluster.Journal;
using Npgsql;

namespace ActorBackup.Bench.Storage;

/// <summary>
/// What one stopped node takes: every file of its data directory (SQLite files with their write-ahead logs checkpointed
/// into them first) and, with the journal on PostgreSQL, the tables of its database after a VACUUM, and again after a
/// VACUUM FULL (<see cref="RewrittenTables"/>), which rewrites each table without the space of the rows that journal
/// compaction deleted or replaced: a plain VACUUM leaves that space in the table for later rows.
/// </summary>
internal sealed record NodeFootprint(
    string Node, IReadOnlyDictionary<string, long> Files, IReadOnlyDictionary<string, long> Tables, IReadOnlyDictionary<string, long> RewrittenTables)
{
    /// <summary>The journal's tables after a VACUUM FULL; 0 on SQLite.</summary>
    public long RewrittenJournal => RewrittenTables.Values.Sum();

    public long Journal => Tables.Count > 0 ? Tables.Values.Sum() : Files.GetValueOrDefault("journal.sqlite");

    public long Index => Files.GetValueOrDefault("index.sqlite");

    public long Total => Files.Values.Sum() + Tables.Values.Sum();

    public long Other => Total - Journal - Index;

    /// <summary>
    /// Measures <paramref name="dataDirectory"/> and, when given, the database at <paramref name="postgresql"/>. Call after
    /// the node stopped and the SQLite pools are cleared, so that nothing holds the files.
    /// </summary>
    /// <exception cref="InvalidOperationException">A SQLite file could not be checkpointed.</exception>
    public static async Task<NodeFootprint> MeasureAsync(string node, string dataDirectory, string? postgresql, CancellationToken ct)
    {
        foreach (var file in Directory.EnumerateFiles(dataDirectory, "*.sqlite", SearchOption.AllDirectories))
        {
            if (!WalCheckpoints.Truncate(file))
                throw new InvalidOperationException($"{file} could not be checkpointed (something still holds it)");
        }
        var files = Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dataDirectory, f), f => new FileInfo(f).Length);
        var tables = postgresql is null ? new Dictionary<string, long>() : await TablesAsync(postgresql, "VACUUM (ANALYZE)", ct);
        var rewritten = postgresql is null ? new Dictionary<string, long>() : await TablesAsync(postgresql, "VACUUM (FULL, ANALYZE)", ct);
        return new NodeFootprint(node, files, tables, rewritten);
    }

    /// <summary>pg_total_relation_size (heap, TOAST, indexes, free space and visibility maps) of every table, after <paramref name="vacuum"/>.</summary>
    private static async Task<Dictionary<string, long>> TablesAsync(string connectionString, string vacuum, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using (var command = new NpgsqlCommand(vacuum, connection))
            await command.ExecuteNonQueryAsync(ct);
        await using var sizes = new NpgsqlCommand(
            """
            SELECT c.relname, pg_total_relation_size(c.oid)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            """, connection);
        var tables = new Dictionary<string, long>();
        await using var reader = await sizes.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            tables[reader.GetString(0)] = reader.GetInt64(1);
        return tables;
    }
}
