using ActorBackup.Cluster.Journal;
using LinqToDB;
using LinqToDB.Data;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Cluster.Tests.Journal;

public sealed class DurableSqliteSpec : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actorbackup-durable-").FullName;

    private string File => Path.Combine(_directory, "data.sqlite");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static long Synchronous(System.Data.Common.DbConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA synchronous";
        return (long)cmd.ExecuteScalar()!;
    }

    [Fact]
    public void A_connection_left_at_synchronous_off_is_set_back_to_full()
    {
        using var connection = new SqliteConnection($"Data Source={File};Pooling=False");
        connection.Open();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "PRAGMA synchronous = OFF";
            cmd.ExecuteNonQuery();
        }
        Assert.Equal(0L, Synchronous(connection));

        DurableSqlite.MakeDurable(connection);

        Assert.Equal(2L, Synchronous(connection));
    }

    [Fact]
    public void A_connection_the_provider_opens_is_set_to_full_and_counted()
    {
        DurableSqlite.Register();
        var before = DurableSqlite.Opened(File);

        using var data = new DataConnection(new DataOptions().UseConnectionString(DurableSqlite.ProviderName, $"Data Source={File};Pooling=False"));
        data.Execute("CREATE TABLE t (x INTEGER)");

        Assert.Equal(2L, Synchronous(data.OpenDbConnection()));
        Assert.Equal(before + 1, DurableSqlite.Opened(File));
    }

    /// <summary>
    /// The journal plugin opens pooled connections from many threads at once. Microsoft.Data.Sqlite 10.0.0 could hand one
    /// native handle to two connections opened at the same moment (dotnet/efcore#39008): two journal writes then ran in
    /// one SQLite transaction, and a loaded node logged "Safety level may not be changed inside a transaction" at every
    /// open of that handle. With 10.0.0 this found a shared handle within the first few dozen waves.
    /// </summary>
    [Fact]
    public void Connections_the_provider_opens_at_once_never_share_a_native_handle()
    {
        const int Opens = 16, Waves = 400;
        DurableSqlite.Register();
        var provider = DataConnection.GetDataProvider(DurableSqlite.ProviderName, $"Data Source={File}")!;
        var connectionString = $"Data Source={File}";
        for (var wave = 0; wave < Waves; wave++)
        {
            var connections = new System.Data.Common.DbConnection[Opens];
            var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
            using var start = new Barrier(Opens);
            var threads = Enumerable.Range(0, Opens).Select(i => new Thread(() =>
            {
                try
                {
                    var connection = provider.CreateConnection(connectionString);
                    connections[i] = connection;
                    if (!start.SignalAndWait(TimeSpan.FromSeconds(30))) throw new TimeoutException("the other opens never came");
                    connection.Open();
                }
                catch (Exception e)
                {
                    failures.Enqueue(e);
                }
            })).ToArray();
            foreach (var thread in threads) thread.Start();
            foreach (var thread in threads) thread.Join();
            Assert.Empty(failures);
            var handles = connections.Select(c => ((SqliteConnection)c).Handle!.DangerousGetHandle()).ToList();
            foreach (var connection in connections) connection.Dispose();
            Assert.True(handles.Distinct().Count() == Opens, $"wave {wave}: {Opens - handles.Distinct().Count()} connection(s) got a handle another one held");
            // Emptied so that the next wave's opens take handles out of the pool's idle list and create new ones at once.
            using (var pooled = new SqliteConnection(connectionString)) SqliteConnection.ClearPool(pooled);
        }
    }
}
