using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Settings;
using Akka.Actor;
using Akka.Configuration;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Cluster.Tests.Replica;

/// <summary>A node's data directory in a fresh temp folder and the configuration of an actor system over it.</summary>
public sealed class ReplicaEnvironment : IDisposable
{
    public const int SnapshotEvery = 10;

    public ReplicaEnvironment(string? postgreSqlConnectionString = null)
    {
        DataDirectory = Directory.CreateTempSubdirectory("actorbackup-replica-").FullName;
        var journal = postgreSqlConnectionString is null
            ? "journal = sqlite"
            : $"journal = postgresql\npostgresql.connection-string = \"{postgreSqlConnectionString}\"";
        Settings = BackupSettings.Create(ConfigurationFactory.ParseString($$"""
            actorbackup {
              data-dir = "{{DataDirectory}}"
              snapshot-every = {{SnapshotEvery}}
              {{journal}}
            }
            """));
        Config = ConfigurationFactory.ParseString("akka.loglevel = WARNING")
            .WithFallback(JournalConfig.For(Settings))
            .WithFallback(BackupConfig.Reference);
    }

    public string DataDirectory { get; }
    public BackupSettings Settings { get; }
    public Config Config { get; }
    public ReplicaOptions Options => ReplicaOptions.From(Settings);

    /// <summary>What a query of the node's SQLite journal file returns, one <paramref name="row"/> per row, read on a connection of its own.</summary>
    public List<T> JournalRows<T>(string sql, Func<SqliteDataReader, T> row)
    {
        using var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = JournalConfig.SqliteFile(Settings), Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(row(reader));
        return rows;
    }

    /// <summary>Another actor system over the same data directory, as after a node restart.</summary>
    public ActorSystem NewSystem() => ActorSystem.Create("restarted", Config);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
