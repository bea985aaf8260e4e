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
}
