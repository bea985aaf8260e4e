using System.Collections.Concurrent;
using System.Data.Common;
using LinqToDB.Data;
using LinqToDB.DataProvider.SQLite;
using LinqToDB.Internal.DataProvider.SQLite;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Cluster.Journal;

/// <summary>
/// The linq2db provider the journal plugin opens its SQLite connections through: Microsoft.Data.Sqlite's, except that
/// every connection it opens sets <c>synchronous = FULL</c> and checks it took. In WAL mode FULL fsyncs the log at
/// every commit, so a write the journal confirmed survives a power cut; NORMAL would fsync only at checkpoints. The
/// setting is per connection, Microsoft.Data.Sqlite takes no pragmas in a connection string, and the plugin opens its
/// own connections, so this is the one place where all of them pass.
/// </summary>
public sealed class DurableSqlite : SQLiteDataProvider
{
    /// <summary>The provider name the journal configuration gives the plugin.</summary>
    public const string ProviderName = "ActorBackup.SQLite";

    private static readonly Lazy<bool> Registration = new(() =>
    {
        DataConnection.AddDataProvider(ProviderName, new DurableSqlite());
        return true;
    });

    private static readonly ConcurrentDictionary<string, long> DurableConnections = new(StringComparer.Ordinal);

    // The base class names its field readers after Microsoft.Data.Sqlite's provider only under its own name.
    private DurableSqlite() : base("SQLite.MS", SQLiteProvider.Microsoft)
    {
    }

    /// <summary>Connections to <paramref name="file"/> set to FULL (and found so) by <see cref="MakeDurable"/> since the process started.</summary>
    public static long Opened(string file) => DurableConnections.GetValueOrDefault(Path.GetFullPath(file));

    /// <summary>Makes <see cref="ProviderName"/> known to linq2db; idempotent.</summary>
    public static void Register() => _ = Registration.Value;

    protected override DbConnection CreateConnectionInternal(string connectionString) => new Connection(connectionString);

    /// <summary>Sets and checks the durability pragmas on a connection just opened.</summary>
    /// <exception cref="InvalidOperationException">SQLite did not take synchronous = FULL.</exception>
    public static void MakeDurable(SqliteConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA synchronous = FULL; PRAGMA synchronous;";
        var level = cmd.ExecuteScalar();
        if (level is not 2L)
            throw new InvalidOperationException($"SQLite did not set synchronous = FULL on {connection.DataSource} (it reads {level}).");
        DurableConnections.AddOrUpdate(Path.GetFullPath(connection.DataSource), 1, (_, n) => n + 1);
    }

    private sealed class Connection(string connectionString) : SqliteConnection(connectionString)
    {
        public override void Open()
        {
            base.Open();
            MakeDurable(this);
        }

        public override Task OpenAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Open();
            return Task.CompletedTask;
        }
    }
}
