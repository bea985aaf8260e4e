using System.Buffers;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Recovery.FromCluster;

/// <summary>
/// The ids of the records a shard read has given so far, so that a read failing over to another replica gives none
/// twice. Up to <see cref="ClusterReadOptions.IdsInMemory"/> ids are held in memory; past that they move into a
/// temporary SQLite file and every later id goes there too, so memory stays flat whatever the shard's size. An id of
/// 64 lowercase hex digits (a block's hash) is kept as its 32 bytes, any other as its text. Dispose it to delete the file.
/// </summary>
public sealed class GivenRecordIds : IDisposable
{
    /// <summary>Inserts between commits once on disk: few enough that SQLite's page cache bounds what is held.</summary>
    private const int InsertsPerCommit = 4096;

    private readonly ClusterReadOptions _options;
    private HashSet<string>? _memory = new(StringComparer.Ordinal);
    private SqliteConnection? _file;
    private SqliteCommand? _insert;
    private SqliteParameter? _id;
    private SqliteTransaction? _transaction;
    private string? _path;
    private int _uncommitted;

    public GivenRecordIds(ClusterReadOptions? options = null)
    {
        _options = options ?? ClusterReadOptions.Default;
        if (_options.IdsInMemory < 0)
            throw new ArgumentOutOfRangeException(nameof(options), _options.IdsInMemory, "IdsInMemory must be zero or more.");
    }

    /// <summary>How many ids were added (each counted once).</summary>
    public long Count { get; private set; }

    /// <summary>Whether the ids moved to the temporary file.</summary>
    public bool OnDisk => _file is not null;

    /// <summary>Adds <paramref name="id"/>; false when it was given before.</summary>
    public bool Add(string id)
    {
        bool added;
        if (_memory is not null)
        {
            if (_memory.Count >= _options.IdsInMemory && !_memory.Contains(id))
                MoveToDisk();
        }
        if (_memory is not null)
            added = _memory.Add(id);
        else
        {
            _id!.Value = Key(id);
            added = _insert!.ExecuteNonQuery() == 1;
            if (added && ++_uncommitted >= InsertsPerCommit)
            {
                _transaction!.Commit();
                _transaction.Dispose();
                _transaction = _file!.BeginTransaction();
                _insert.Transaction = _transaction;
                _uncommitted = 0;
            }
        }
        if (added)
            Count++;
        return added;
    }

    public void Dispose()
    {
        _memory = null;
        _insert?.Dispose();
        _transaction?.Dispose();
        _file?.Dispose();
        if (_path is not null)
            File.Delete(_path);
    }

    private void MoveToDisk()
    {
        var folder = _options.TempDirectory ?? Path.GetTempPath();
        Directory.CreateDirectory(folder);
        _path = Path.Combine(folder, $"actorbackup-given-{Guid.NewGuid():N}.sqlite");
        _file = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate }.ToString());
        _file.Open();
        using (var setup = _file.CreateCommand())
        {
            // A scratch file: nothing to recover after a crash. A column without a type keeps a 32-byte key and a text
            // key apart, so two different ids never meet.
            setup.CommandText = $"""
                PRAGMA journal_mode = OFF;
                PRAGMA synchronous = OFF;
                PRAGMA cache_size = -{_options.CacheKib};
                CREATE TABLE given (id PRIMARY KEY) WITHOUT ROWID;
                """;
            setup.ExecuteNonQuery();
        }
        _transaction = _file.BeginTransaction();
        _insert = _file.CreateCommand();
        _insert.Transaction = _transaction;
        _insert.CommandText = "INSERT OR IGNORE INTO given (id) VALUES ($id)";
        // No declared type: each value binds as what it is, bytes as a blob, a string as text.
        _id = _insert.Parameters.AddWithValue("$id", DBNull.Value);
        var held = _memory!;
        _memory = null;
        foreach (var id in held)
        {
            _id.Value = Key(id);
            _insert.ExecuteNonQuery();
        }
    }

    /// <summary>The stored form: 32 bytes for an id of 64 lowercase hex digits, else the id's text.</summary>
    private static object Key(string id)
    {
        if (id.Length == 64 && !id.AsSpan().ContainsAnyExcept(LowerHex))
            return Convert.FromHexString(id);
        return id;
    }

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");
}
