using System.Text.Json;

namespace ActorBackup.Tags.SystemTables;

/// <summary>
/// The three system tables the server-tag layout is planned and checked from, with every row kept as RethinkDB
/// returned it: <c>{"server_config": [...], "table_config": [...], "table_status": [...]}</c> is both what
/// <c>tags snapshot</c> writes and what <c>--from-file</c> reads.
/// </summary>
public sealed class SystemTablesSnapshot
{
    public const string ServerConfigTable = "server_config";
    public const string TableConfigTable = "table_config";
    public const string TableStatusTable = "table_status";

    private readonly JsonElement _serverConfig;
    private readonly JsonElement _tableConfig;
    private readonly JsonElement _tableStatus;

    private SystemTablesSnapshot(JsonElement serverConfig, JsonElement tableConfig, JsonElement tableStatus, string origin)
    {
        _serverConfig = serverConfig.Clone();
        _tableConfig = tableConfig.Clone();
        _tableStatus = tableStatus.Clone();
        Servers = new RowReader(_serverConfig, origin, ServerConfigTable).Items().Select(ServerConfigRow.Read).ToList();
        Tables = new RowReader(_tableConfig, origin, TableConfigTable).Items().Select(TableConfigRow.Read).ToList();
        Statuses = new RowReader(_tableStatus, origin, TableStatusTable).Items().Select(TableStatusRow.Read).ToList();
        if (Servers.Count == 0)
            throw new SystemTablesFormatException(
                $"{origin} lists no server in rethinkdb.server_config, where a RethinkDB cluster lists every connected server: "
                + "it does not implement RethinkDB's system tables (reqlite does not), which the server-tag layout needs");
    }

    /// <summary>Connected servers and their tags.</summary>
    public IReadOnlyList<ServerConfigRow> Servers { get; }

    public IReadOnlyList<TableConfigRow> Tables { get; }

    public IReadOnlyList<TableStatusRow> Statuses { get; }

    /// <summary>
    /// Rows as the three tables returned them. <paramref name="origin"/> starts every error message (a file name,
    /// "the source HOST:PORT"); an empty <c>server_config</c> is refused because RethinkDB always lists itself there.
    /// </summary>
    public static SystemTablesSnapshot FromRows(JsonElement serverConfig, JsonElement tableConfig, JsonElement tableStatus, string origin) =>
        new(serverConfig, tableConfig, tableStatus, origin);

    /// <summary>Reads the object <see cref="WriteTo"/> writes.</summary>
    public static SystemTablesSnapshot Parse(string json, string origin)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new SystemTablesFormatException($"{origin}: not JSON ({e.Message})");
        }
        using (document)
        {
            var root = RowReader.Root(document.RootElement, origin);
            return new(root.Field(ServerConfigTable).Element, root.Field(TableConfigTable).Element, root.Field(TableStatusTable).Element, origin);
        }
    }

    public TableConfigRow? ConfigOf(TableRef table) => Tables.FirstOrDefault(t => t.Table == table);

    public TableStatusRow? StatusOf(TableRef table) => Statuses.FirstOrDefault(t => t.Table == table);

    /// <summary>Writes the three tables' rows exactly as they were read, one object with a key per table.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WritePropertyName(ServerConfigTable);
        _serverConfig.WriteTo(writer);
        writer.WritePropertyName(TableConfigTable);
        _tableConfig.WriteTo(writer);
        writer.WritePropertyName(TableStatusTable);
        _tableStatus.WriteTo(writer);
        writer.WriteEndObject();
    }
}
