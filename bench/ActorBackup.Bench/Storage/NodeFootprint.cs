using ActorBackup.Cluster.Journal;
using Npgsql;

namespace ActorBackup.Bench.Storage;

/// <summary>
/// What one stopped node takes: every file of its data directory (SQLite files with their write-ahead logs checkpointed
/// into them first) and, with the journal on PostgreSQL, the tables of its database after a VACUUM.
/// </summary>
internal sealed record NodeFootprint(string Node, IReadOnlyDictionary<string, long> Files, IReadOnlyDictionary<string, long> Tables)
{
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
        var tables = postgresql is null ? new Dictionary<string, long>() : await TablesAsync(postgresql, ct);
        return new NodeFootprint(node, files, tables);
    }

    /// <summary>pg_total_relation_size (heap, TOAST, indexes, free space and visibility maps) of every table, after a VACUUM.</summary>
    private static async Task<Dictionary<string, long>> TablesAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using (var vacuum = new NpgsqlCommand("VACUUM (ANALYZE)", connection))
            await vacuum.ExecuteNonQueryAsync(ct);
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
