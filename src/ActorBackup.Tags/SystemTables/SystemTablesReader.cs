using System.Text.Json;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Tags.SystemTables;

/// <summary>Reads <c>server_config</c>, <c>table_config</c> and <c>table_status</c> from a live source, rows untouched.</summary>
public static class SystemTablesReader
{
    /// <param name="source">How messages name the source, e.g. "the source 10.0.0.5:28015".</param>
    public static async Task<SystemTablesSnapshot> ReadAsync(IConnection connection, string source, CancellationToken ct)
    {
        var serverConfig = await ReadTableAsync(connection, SystemTablesSnapshot.ServerConfigTable, source, ct);
        var tableConfig = await ReadTableAsync(connection, SystemTablesSnapshot.TableConfigTable, source, ct);
        var tableStatus = await ReadTableAsync(connection, SystemTablesSnapshot.TableStatusTable, source, ct);
        return SystemTablesSnapshot.FromRows(serverConfig, tableConfig, tableStatus, source);
    }

    private static async Task<JsonElement> ReadTableAsync(IConnection connection, string table, string source, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        try
        {
            await using var rows = await TagQueries.SystemTable(table).RunCursorAsync(connection, ct);
            await using var writer = new Utf8JsonWriter(buffer);
            writer.WriteStartArray();
            await foreach (var row in rows.WithCancellation(ct))
                row.WriteTo(writer);
            writer.WriteEndArray();
        }
        catch (ReqlError e) when (e is not ReqlDriverError && (MissingCapabilityException.IsMissing(e) || e is ReqlNonExistenceError))
        {
            throw new MissingCapabilityException(source, $"a read of rethinkdb.{table}", e.Message);
        }
        using var document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
    }
}
