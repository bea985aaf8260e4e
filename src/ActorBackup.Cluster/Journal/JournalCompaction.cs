using System.Data.Common;
using ActorBackup.Cluster.Replica.Events;
using ActorBackup.Cluster.Settings;
using Akka.Actor;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ActorBackup.Cluster.Journal;

/// <summary>
/// Rewrites runs of a replica's small journal events as one <see cref="EventsMerged"/> each, in the journal's own tables
/// (<c>actorbackup.storage.compact-every</c>). A replica following its source writes an event or two per batch interval,
/// of a record or two each; every one pays a journal row (persistence id, sequence number, writer id, manifest, time, an
/// entry of the (persistence id, sequence number) key) and a zstd frame of its own. Merged, a run pays one row and its
/// records share one frame.
/// </summary>
/// <remarks>
/// One database transaction per call: the run's events are read, the last event's row takes the merged payload (same
/// sequence number, writer and time) and the run's other rows are deleted. A crash anywhere before the commit leaves the
/// journal as it was, and after it as merged; replay applies the same records, quarantine entries and watermark either
/// way (the state they build does not depend on their order). The journal never holds both a merged event and the
/// events it replaces.
/// A run holds small events (at most 1/<see cref="SmallFraction"/> of <c>actorbackup.batch</c>'s records and bytes: catch-up
/// batches stay as they are) and merged events, which are merged again with what follows them, so that a replica that
/// follows its source for long ends up with events of about a batch, as a catch-up writes. Runs are cut where an event is
/// neither a plain record, quarantine or watermark event nor a merged one, where sequence numbers are not consecutive
/// (a merged event covers those of the events it replaced), and where the run would exceed the batch bounds. A merged
/// event joins a run only when what the run holds before it is at least half its size, and one starts a run only when
/// what follows it is at least half its size (sizes in bytes of documents and quarantine entries): each time a record
/// is rewritten, the event holding it grows by half at least, so a record is rewritten a few times at most (about
/// log1.5 of a batch over the first merged event that held it). A merged event over half a batch's records or bytes is
/// full and stays as it is, and so is one that covers <see cref="MaxEvents"/> sequence numbers: no merged event covers
/// more, so that a reader finds a deleted event's records within that many sequence numbers after it.
/// The plugin's <c>default</c> table mapping (table <c>journal</c>, its column names) is what <see cref="JournalConfig"/>
/// configures on both SQLite and PostgreSQL. Sequence numbers get gaps; the highest one never moves, since a run ends at an
/// event that stays. Readers find a deleted event's records in the first event after it (<see cref="Reading.ReplicaReader"/>).
/// </remarks>
public sealed class JournalCompaction
{
    /// <summary>
    /// An event is small, and merged, when it holds at most this fraction of a batch's records and bytes: larger ones
    /// (catch-up batches) already share a row and a frame among many records, and rewriting them would gain little for
    /// the writes.
    /// </summary>
    public const int SmallFraction = 8;

    /// <summary>Most events one call looks at, the bound of <c>actorbackup.storage.compact-every</c>: a gap in sequence numbers is shorter.</summary>
    public const int MaxEvents = 1024;

    private readonly JournalKind _kind;
    private readonly string _connectionString;
    private readonly BatchSettings _bounds;
    private readonly Akka.Serialization.Serialization _serialization;

    public JournalCompaction(ActorSystem system, Replica.CompactionOptions options)
    {
        _kind = options.Journal;
        _connectionString = options.ConnectionString;
        _bounds = options.Bounds;
        _serialization = system.Serialization;
    }

    /// <summary>The connection string compaction opens the node's SQLite journal file with.</summary>
    public static string SqliteConnectionString(BackupSettings settings) =>
        new SqliteConnectionStringBuilder { DataSource = JournalConfig.SqliteFile(settings), Pooling = false, DefaultTimeout = 60 }.ToString();

    /// <summary>
    /// Merges the runs of small and merged events of <paramref name="persistenceId"/> with sequence numbers in
    /// (<paramref name="after"/>, <paramref name="through"/>], every one of which the journal must have confirmed.
    /// </summary>
    /// <param name="beforeDelete">Called inside the transaction once the merged payloads are written and before the merged
    /// events are deleted (tests throw there to show that a failure at that step leaves the journal as it was).</param>
    /// <param name="beforeWrite">Called once the runs are merged and compressed, before the write transaction (tests
    /// change the window there to show that a window changed meanwhile is left as it is).</param>
    public CompactionResult Compact(string persistenceId, long after, long through, Action? beforeDelete = null, Action? beforeWrite = null)
    {
        if (through - after > MaxEvents)
            throw new ArgumentOutOfRangeException(nameof(through), $"at most {MaxEvents} events are compacted at once ({after} to {through} asked)");
        using var connection = Open();
        // The window is read and its runs merged and compressed before the write transaction, which on SQLite holds the
        // journal's write lock that capture waits for; the transaction then checks that the window is as it was read (a
        // compaction of an earlier incarnation of the replica may still have been running) and gives up otherwise.
        var events = Read(connection, null, persistenceId, after, through);
        var runs = Runs(events);
        var written = runs.Select(run =>
        {
            var merged = EventsMerged.Of(run[0].First, run.Select(r => r.Event));
            var serializer = _serialization.FindSerializerFor(merged);
            return (Payload: serializer.ToBinary(merged), serializer.Identifier, Manifest: Akka.Serialization.Serialization.ManifestFor(serializer, merged));
        }).ToList();
        beforeWrite?.Invoke();
        using var tx = connection.BeginTransaction();
        if (!Unchanged(connection, tx, persistenceId, after, through, events)) return new CompactionResult(0, after);
        foreach (var (run, merged) in runs.Zip(written))
        {
            Execute(connection, tx, "UPDATE journal SET message = @m, identifier = @i, manifest = @f WHERE persistence_id = @p AND sequence_number = @s",
                ("@m", merged.Payload), ("@i", merged.Identifier), ("@f", merged.Manifest), ("@p", persistenceId), ("@s", run[^1].Seq));
        }
        beforeDelete?.Invoke();
        var removed = 0;
        foreach (var run in runs)
            removed += Execute(connection, tx, "DELETE FROM journal WHERE persistence_id = @p AND sequence_number >= @a AND sequence_number < @b",
                ("@p", persistenceId), ("@a", run[0].Seq), ("@b", run[^1].Seq));
        tx.Commit();
        return new CompactionResult(removed, SettledThrough(events, runs, after));
    }

    /// <summary>
    /// The last sequence number up to which every event of the window, as merged, is one no run takes any more: a later
    /// window need not read those again.
    /// </summary>
    private long SettledThrough(IReadOnlyList<Stored> events, List<List<Stored>> runs, long after)
    {
        var merged = runs.ToDictionary(run => run[0].Seq, run => run);
        var settled = after;
        for (var i = 0; i < events.Count;)
        {
            if (merged.TryGetValue(events[i].Seq, out var run))
            {
                if (!Full(run.Sum(r => r.Records), run.Sum(r => r.Bytes))) break;
                settled = run[^1].Seq;
                i += run.Count;
            }
            else
            {
                if (Mergeable(events[i])) break;
                settled = events[i].Seq;
                i++;
            }
        }
        return settled;
    }

    /// <param name="First">The first sequence number the event covers: its own, or a merged event's first.</param>
    /// <param name="Payload">The event's payload as the journal holds it.</param>
    private readonly record struct Stored(long First, long Seq, IReplicaEvent Event, long Records, long Bytes, byte[] Payload);

    /// <summary>Whether the journal still holds exactly the events of the window as they were read.</summary>
    private static bool Unchanged(DbConnection connection, DbTransaction tx, string persistenceId, long after, long through, IReadOnlyList<Stored> events)
    {
        using var cmd = Command(connection, tx,
            "SELECT sequence_number, message FROM journal WHERE persistence_id = @p AND sequence_number > @a AND sequence_number <= @b ORDER BY sequence_number",
            ("@p", persistenceId), ("@a", after), ("@b", through));
        using var reader = cmd.ExecuteReader();
        var i = 0;
        while (reader.Read())
        {
            if (i >= events.Count || reader.GetInt64(0) != events[i].Seq || !((byte[])reader.GetValue(1)).AsSpan().SequenceEqual(events[i].Payload)) return false;
            i++;
        }
        return i == events.Count;
    }

    /// <summary>
    /// Runs of at least two consecutive events that may be merged and fit together within the batch bounds, in which no
    /// merged event is more than twice what the run holds besides it (the remarks of <see cref="JournalCompaction"/>).
    /// </summary>
    private List<List<Stored>> Runs(IReadOnlyList<Stored> events)
    {
        var runs = new List<List<Stored>>();
        var i = 0;
        while (i < events.Count)
        {
            var run = new List<Stored>();
            long records = 0, bytes = 0;
            for (var j = i; j < events.Count; j++)
            {
                var e = events[j];
                var fits = Mergeable(e)
                    && (run.Count == 0 || (run[^1].Seq + 1 == e.First && records + e.Records <= _bounds.MaxRecords && bytes + e.Bytes <= _bounds.MaxBytes
                                           && e.Seq - run[0].First < MaxEvents
                                           && (e.Event is not EventsMerged || e.Bytes <= 2 * bytes)));
                if (!fits) break;
                run.Add(e);
                records += e.Records;
                bytes += e.Bytes;
            }
            if (run.Count >= 2 && (run[0].Event is not EventsMerged || run[0].Bytes <= 2 * (bytes - run[0].Bytes)))
            {
                runs.Add(run);
                i += run.Count;
            }
            else
            {
                i++;
            }
        }
        return runs;
    }

    private bool Mergeable(Stored e) => e.Event switch
    {
        EventsMerged => !Full(e.Records, e.Bytes) && e.Seq - e.First + 1 < MaxEvents,
        RecordsStored or RecordsQuarantined or WatermarkAdvanced => e.Records <= _bounds.MaxRecords / SmallFraction && e.Bytes <= _bounds.MaxBytes / SmallFraction,
        _ => false,
    };

    private List<Stored> Read(DbConnection connection, DbTransaction? tx, string persistenceId, long after, long through)
    {
        using var cmd = Command(connection, tx,
            "SELECT sequence_number, message, identifier, manifest FROM journal WHERE persistence_id = @p AND sequence_number > @a AND sequence_number <= @b ORDER BY sequence_number",
            ("@p", persistenceId), ("@a", after), ("@b", through));
        using var reader = cmd.ExecuteReader();
        var events = new List<Stored>();
        while (reader.Read())
        {
            var seq = reader.GetInt64(0);
            var payload = (byte[])reader.GetValue(1);
            var identifier = Convert.ToInt32(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture);
            var manifest = reader.IsDBNull(3) ? "" : reader.GetString(3);
            if (_serialization.Deserialize(payload, identifier, manifest) is not IReplicaEvent e)
                throw new InvalidOperationException($"{persistenceId} holds an event at {seq} that is not a replica event (manifest \"{manifest}\").");
            var (records, bytes) = e switch
            {
                RecordsStored s => Size(s, null),
                RecordsQuarantined q => Size(null, q),
                EventsMerged m => Size(m.Stored, m.Quarantined),
                _ => (0, 0L),
            };
            events.Add(new Stored(e is EventsMerged merged ? merged.FirstSequenceNr : seq, seq, e, records, bytes, payload));
        }
        return events;
    }

    /// <summary>A merged event over half a batch's records or bytes is full: no run could double it within the bounds.</summary>
    private bool Full(long records, long bytes) => 2 * records > _bounds.MaxRecords || 2 * bytes > _bounds.MaxBytes;

    private static (long Records, long Bytes) Size(RecordsStored? stored, RecordsQuarantined? quarantined) =>
        ((stored?.Records.Count ?? 0) + (quarantined?.Records.Count ?? 0),
         (stored?.Records.Sum(r => (long)r.Json.Length) ?? 0) + (quarantined?.Records.Sum(x => x.Weight) ?? 0));

    private DbConnection Open() => Open(_kind, _connectionString);

    /// <summary>
    /// Opens a connection of our own to the node's journal, beside the plugin's: on SQLite durable
    /// (<see cref="DurableSqlite.MakeDurable"/>) and waiting up to a minute for the write lock.
    /// </summary>
    internal static DbConnection Open(JournalKind kind, string connectionString)
    {
        DbConnection connection = kind == JournalKind.Sqlite ? new SqliteConnection(connectionString) : new NpgsqlConnection(connectionString);
        try
        {
            connection.Open();
            if (connection is SqliteConnection sqlite)
            {
                DurableSqlite.MakeDurable(sqlite);
                using var cmd = sqlite.CreateCommand();
                cmd.CommandText = "PRAGMA busy_timeout = 60000;";
                cmd.ExecuteNonQuery();
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static int Execute(DbConnection connection, DbTransaction tx, string sql, params (string Name, object Value)[] parameters)
    {
        using var cmd = Command(connection, tx, sql, parameters);
        return cmd.ExecuteNonQuery();
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, params (string Name, object Value)[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }
}
