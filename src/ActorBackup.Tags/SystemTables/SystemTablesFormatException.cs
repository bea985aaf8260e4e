namespace ActorBackup.Tags.SystemTables;

/// <summary>
/// System-table rows that are not what RethinkDB 2.4 returns (a saved file edited by hand, or a source that only
/// imitates RethinkDB). The message is one line naming where, e.g. <c>layout.json: table_config[1].shards[0].replicas …</c>.
/// </summary>
public sealed class SystemTablesFormatException(string message) : Exception(message);
