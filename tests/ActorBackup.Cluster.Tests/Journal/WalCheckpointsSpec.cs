using ActorBackup.Cluster.Journal;
using ActorBackup.Testing;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Cluster.Tests.Journal;

public sealed class WalCheckpointsSpec() : DilatedTestKit("akka.loglevel = WARNING"), IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("actorbackup-wal-").FullName;

    private string File => Path.Combine(_directory, "data.sqlite");

    private string Wal => File + "-wal";

    public new void Dispose()
    {
        base.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A writer with SQLite's own checkpoints off, so its log only grows; left open, as the journal's are.</summary>
    private SqliteConnection Writer()
    {
        var connection = new SqliteConnection($"Data Source={File};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE IF NOT EXISTS t (x BLOB);";
        cmd.ExecuteNonQuery();
        return connection;
    }

    private static void Write(SqliteConnection connection, int rows)
    {
        using var tx = connection.BeginTransaction();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "INSERT INTO t VALUES (randomblob(4096))";
        for (var i = 0; i < rows; i++) cmd.ExecuteNonQuery();
        tx.Commit();
    }

    [Fact]
    public void A_checkpoint_copies_the_log_into_the_file_and_truncates_it_to_nothing()
    {
        using var writer = Writer();
        Write(writer, 200);
        Assert.True(new FileInfo(Wal).Length > 800_000);

        Assert.True(WalCheckpoints.Truncate(File));

        Assert.Equal(0, new FileInfo(Wal).Length);
        using var cmd = writer.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM t";
        Assert.Equal(200L, cmd.ExecuteScalar());
    }

    [Fact]
    public void In_a_file_with_incremental_auto_vacuum_a_checkpoint_hands_the_pages_of_deleted_rows_back()
    {
        using (var create = new SqliteConnection($"Data Source={File};Pooling=False"))
        {
            create.Open();
            using var pragma = create.CreateCommand();
            pragma.CommandText = "PRAGMA page_size = 1024; PRAGMA auto_vacuum = INCREMENTAL;";
            pragma.ExecuteNonQuery();
        }
        using var writer = Writer();
        Write(writer, 200);
        Assert.True(WalCheckpoints.Truncate(File));
        var full = new FileInfo(File).Length;
        using var cmd = writer.CreateCommand();
        cmd.CommandText = "DELETE FROM t WHERE rowid > 20";
        cmd.ExecuteNonQuery();

        Assert.True(WalCheckpoints.Truncate(File));

        cmd.CommandText = "PRAGMA freelist_count";
        Assert.Equal(0L, cmd.ExecuteScalar());
        Assert.True(new FileInfo(File).Length < full / 5, $"{new FileInfo(File).Length} bytes left of {full}");
    }

    [Fact]
    public void A_checkpoint_a_reader_holds_back_says_so_and_leaves_the_log_whole()
    {
        using var writer = Writer();
        Write(writer, 50);
        using var reader = new SqliteConnection($"Data Source={File};Pooling=False");
        reader.Open();
        using var read = reader.BeginTransaction(deferred: true);
        using (var cmd = reader.CreateCommand())
        {
            cmd.CommandText = "SELECT count(*) FROM t";
            Assert.Equal(50L, cmd.ExecuteScalar());
        }
        Write(writer, 50);
        var before = new FileInfo(Wal).Length;

        Assert.False(WalCheckpoints.Truncate(File));

        Assert.Equal(before, new FileInfo(Wal).Length);
    }

    [Fact]
    public async Task The_actor_truncates_every_log_it_watches_at_each_interval()
    {
        using var writer = Writer();
        Write(writer, 100);
        Assert.True(new FileInfo(Wal).Length > 0);

        Sys.ActorOf(WalCheckpoints.Props([File, Path.Combine(_directory, "absent.sqlite")], TimeSpan.FromMilliseconds(200)));

        await Eventually.Passes(() => Assert.Equal(0, new FileInfo(Wal).Length), TimeSpan.FromSeconds(10));
        Write(writer, 100);
        Assert.True(new FileInfo(Wal).Length > 0);
        await Eventually.Passes(() => Assert.Equal(0, new FileInfo(Wal).Length), TimeSpan.FromSeconds(10));
        Assert.False(System.IO.File.Exists(Path.Combine(_directory, "absent.sqlite")));
    }
}
