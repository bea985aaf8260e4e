using ActorBackup.Cluster.Settings;
using Akka.Configuration;
using Akka.Persistence.Sql;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Cluster.Journal;

/// <summary>
/// The Akka.Persistence.Sql configuration (journal, snapshot store, query journal) for the journal
/// chosen in <see cref="BackupSettings.Journal"/>, with the plugin's own defaults as fallback (without
/// them the plugin is not found).
/// </summary>
public static class JournalConfig
{
    /// <summary>linq2db provider of Microsoft.Data.Sqlite with synchronous = FULL on every connection (<see cref="DurableSqlite"/>).</summary>
    public const string SqliteProvider = DurableSqlite.ProviderName;

    /// <summary>
    /// linq2db provider of Npgsql. The unversioned name lets linq2db detect the server's version, so
    /// one build works with whatever PostgreSQL an operator runs.
    /// </summary>
    public const string PostgreSqlProvider = "PostgreSQL";

    /// <summary>The node's journal file when the journal is SQLite.</summary>
    public static string SqliteFile(BackupSettings settings) => Path.Combine(settings.DataDirectory, "journal.sqlite");

    /// <summary>The node's record index file (always SQLite, whatever the journal).</summary>
    public static string IndexFile(BackupSettings settings) => Path.Combine(settings.DataDirectory, "index.sqlite");

    /// <summary>
    /// The persistence configuration. For SQLite it also creates the data directory and switches the
    /// file to WAL, which is stored in the file itself and so applies to the plugin's connections.
    /// </summary>
    public static Config For(BackupSettings settings)
    {
        var (connectionString, provider) = settings.Journal switch
        {
            JournalKind.Sqlite => (PrepareSqlite(SqliteFile(settings)), SqliteProvider),
            JournalKind.PostgreSql => (settings.PostgreSqlConnectionString!, PostgreSqlProvider),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Journal, "unknown journal kind"),
        };
        var quoted = Quote(connectionString);
        return ConfigurationFactory.ParseString($$"""
            akka.persistence {
              journal {
                plugin = "akka.persistence.journal.sql"
                sql {
                  connection-string = {{quoted}}
                  provider-name = "{{provider}}"
                  auto-initialize = true
                }
              }
              snapshot-store {
                plugin = "akka.persistence.snapshot-store.sql"
                sql {
                  connection-string = {{quoted}}
                  provider-name = "{{provider}}"
                  auto-initialize = true
                }
              }
              query.journal.sql {
                connection-string = {{quoted}}
                provider-name = "{{provider}}"
              }
            }
            """).WithFallback(SqlPersistence.DefaultConfiguration);
    }

    private const int PageSize = 1024;

    /// <summary>
    /// Makes the SQLite journal file durable before the plugin opens it, and returns its connection string.
    /// </summary>
    /// <remarks>
    /// WAL lets restores and status queries read while replicas write, with one fsync per commit
    /// instead of several. Durability then rests on <c>synchronous</c>, which <see cref="DurableSqlite"/>
    /// sets to FULL on every connection the plugin opens.
    /// </remarks>
    private static string PrepareSqlite(string file)
    {
        DurableSqlite.Register();
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var created = !File.Exists(file) || new FileInfo(file).Length == 0;
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, DefaultTimeout = 60 }.ToString();
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var cmd = connection.CreateCommand();
        // Set before the file's first table, and kept by the file from then on: events are stored as blobs of a few to tens
        // of KiB that run over into overflow pages, the last of which is on average half empty. Smaller pages waste less
        // (about a tenth of a journal of 100-record batches with 4 KiB pages).
        // A new file gets auto_vacuum as well: compaction (JournalCompaction) deletes the rows of the events it merges, and
        // with INCREMENTAL the pages they leave free can be handed back to the file system (WalCheckpoints) rather than only
        // reused. A file created before keeps its mode (only a VACUUM changes it) and reuses freed pages for new events; it is
        // not asked, as setting it would wait for the write lock of a file the journal may be using.
        // The page size first: setting auto_vacuum before it would fix the file's page size at SQLite's default.
        var autoVacuum = created ? " PRAGMA auto_vacuum = INCREMENTAL;" : "";
        cmd.CommandText = $"PRAGMA page_size = {PageSize};{autoVacuum} PRAGMA journal_mode = WAL;";
        var mode = cmd.ExecuteScalar() as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"The journal {file} could not be switched to WAL (journal_mode is {mode}).");
        return connectionString;
    }

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
