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
/// Runs are cut where an event is not a plain record, quarantine or watermark event (an <see cref="EventsMerged"/> is
/// never merged again, so a record is rewritten at most once), where an event is not small (more than
/// 1/<see cref="SmallFraction"/> of <c>actorbackup.batch</c>'s records or bytes: catch-up batches stay as they are) and where
/// the run would exceed the batch bounds (a merged event is no larger than the batches the replica writes anyway).
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
    /// Merges the runs of small events of <paramref name="persistenceId"/> with sequence numbers in (<paramref name="after"/>,
    /// <paramref name="through"/>], every one of which the journal must have confirmed. Returns how many events were removed.
    /// </summary>
    /// <param name="beforeDelete">Called inside the transaction once the merged payloads are written and before the merged
    /// events are deleted (tests throw there to show that a failure at that step leaves the journal as it was).</param>
    public int Compact(string persistenceId, long after, long through, Action? beforeDelete = null)
    {
        if (through - after > MaxEvents)
            throw new ArgumentOutOfRangeException(nameof(through), $"at most {MaxEvents} events are compacted at once ({after} to {through} asked)");
        using var connection = Open();
        using var tx = connection.BeginTransaction();
        var events = Read(connection, tx, persistenceId, after, through);
        var runs = Runs(events);
        foreach (var run in runs)
        {
            var merged = EventsMerged.Of(run[0].Seq, run.Select(r => r.Event));
            var serializer = _serialization.FindSerializerFor(merged);
            var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, merged);
            Execute(connection, tx, "UPDATE journal SET message = @m, identifier = @i, manifest = @f WHERE persistence_id = @p AND sequence_number = @s",
                ("@m", serializer.ToBinary(merged)), ("@i", serializer.Identifier), ("@f", manifest), ("@p", persistenceId), ("@s", run[^1].Seq));
        }
        beforeDelete?.Invoke();
        var removed = 0;
        foreach (var run in runs)
            removed += Execute(connection, tx, "DELETE FROM journal WHERE persistence_id = @p AND sequence_number >= @a AND sequence_number < @b",
                ("@p", persistenceId), ("@a", run[0].Seq), ("@b", run[^1].Seq));
        tx.Commit();
        return removed;
    }

    private readonly record struct Stored(long Seq, IReplicaEvent Event, long Records, long Bytes);

    /// <summary>Maximal runs of at least two consecutive events that may be merged and fit together within the batch bounds.</summary>
    private List<List<Stored>> Runs(IReadOnlyList<Stored> events)
    {
        var runs = new List<List<Stored>>();
        var run = new List<Stored>();
        long records = 0, bytes = 0;
        void Close()
        {
            if (run.Count >= 2) runs.Add(run);
            run = [];
            records = bytes = 0;
        }
        foreach (var e in events)
        {
            var mergeable = e.Event is RecordsStored or RecordsQuarantined or WatermarkAdvanced;
            if (!mergeable || e.Records > _bounds.MaxRecords / SmallFraction || e.Bytes > _bounds.MaxBytes / SmallFraction)
            {
                Close();
                continue;
            }
            var contiguous = run.Count == 0 || run[^1].Seq + 1 == e.Seq;
            if (!contiguous || records + e.Records > _bounds.MaxRecords || bytes + e.Bytes > _bounds.MaxBytes) Close();
            run.Add(e);
            records += e.Records;
            bytes += e.Bytes;
        }
        Close();
        return runs;
    }

    private List<Stored> Read(DbConnection connection, DbTransaction tx, string persistenceId, long after, long through)
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
                RecordsStored s => (s.Records.Count, s.Records.Sum(r => (long)r.Json.Length)),
                RecordsQuarantined q => (q.Records.Count, q.Records.Sum(x => x.Weight)),
                _ => (0, 0L),
            };
            events.Add(new Stored(seq, e, records, bytes));
        }
        return events;
    }

    private DbConnection Open()
    {
        DbConnection connection = _kind == JournalKind.Sqlite ? new SqliteConnection(_connectionString) : new NpgsqlConnection(_connectionString);
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

    private static DbCommand Command(DbConnection connection, DbTransaction tx, string sql, params (string Name, object Value)[] parameters)
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
