using Akka.Actor;
using Akka.Event;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Cluster.Journal;

/// <summary>
/// Copies the SQLite write-ahead logs of the node's files (journal, record index) into the files and truncates them,
/// every <c>actorbackup.storage.wal-checkpoint-interval</c>. SQLite's own checkpoints copy pages back but leave the log
/// file at its largest size, and cannot finish while readers (restores, anti-entropy) hold old pages; a log left to
/// itself grows to the busiest moment's size and stays there.
/// </summary>
public sealed class WalCheckpoints : ReceiveActor, IWithTimers
{
    // How long a checkpoint waits for readers and a writer before it gives up until the next interval.
    private const int BusyWaitSeconds = 2;

    private readonly IReadOnlyList<string> _files;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public WalCheckpoints(IReadOnlyList<string> files, TimeSpan interval)
    {
        _files = files;
        Receive<Tick>(_ => Checkpoint());
        Timers.StartPeriodicTimer(nameof(Tick), Tick.Instance, interval);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IReadOnlyList<string> files, TimeSpan interval) => Akka.Actor.Props.Create(() => new WalCheckpoints(files, interval));

    /// <summary>
    /// Hands the file's free pages back to the file system (in a file whose <c>auto_vacuum</c> is INCREMENTAL, as new
    /// journals are: the rows of events compaction merged leave pages free), then checkpoints the file and truncates its
    /// log; false when readers or a writer kept it from finishing.
    /// </summary>
    public static bool Truncate(string file)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        connection.Open();
        DurableSqlite.MakeDurable(connection);
        using var cmd = connection.CreateCommand();
        cmd.CommandTimeout = BusyWaitSeconds;
        try
        {
            // Without auto_vacuum = INCREMENTAL this does nothing.
            cmd.CommandText = "PRAGMA incremental_vacuum";
            cmd.ExecuteNonQuery();
            cmd.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            using var reader = cmd.ExecuteReader();
            return reader.Read() && reader.GetInt64(0) == 0;
        }
        catch (SqliteException e) when (e.SqliteErrorCode is SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED)
        {
            return false;
        }
    }

    private void Checkpoint()
    {
        foreach (var file in _files.Where(File.Exists))
        {
            try
            {
                if (!Truncate(file)) _log.Debug("WAL checkpoint of {0} could not finish (readers or a writer busy); the next one tries again", file);
            }
            catch (SqliteException e)
            {
                _log.Warning("WAL checkpoint of {0} failed: {1}", file, e.Message);
            }
        }
    }

    private sealed record Tick
    {
        public static Tick Instance { get; } = new();
    }
}
