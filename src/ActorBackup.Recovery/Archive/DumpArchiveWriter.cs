using System.Formats.Tar;
using System.Text.RegularExpressions;

namespace ActorBackup.Recovery.Archive;

/// <summary>
/// Writes an archive in the exact layout of <c>rethinkdb dump</c>: a gzip-compressed tar whose only members are
/// regular files <c>rethinkdb_dump_&lt;time&gt;/&lt;db&gt;/&lt;table&gt;.json</c> and <c>.info</c>. Tables are
/// filled independently (in parallel if wanted) through <see cref="BeginTable"/>; each one enters the tar whole
/// when it completes. Call <see cref="CompleteAsync"/> to end the archive; an archive not completed is unusable.
/// </summary>
public sealed partial class DumpArchiveWriter : IAsyncDisposable
{
    private readonly DumpArchiveOptions _options;
    private readonly ParallelGzipStream _gzip;
    private readonly TarWriter _tar;
    private readonly SemaphoreSlim _tarGate = new(1, 1);
    private readonly HashSet<string> _begun = new(StringComparer.Ordinal);
    private readonly HashSet<string> _completed = new(StringComparer.Ordinal);
    private bool _finished;

    private DumpArchiveWriter(Stream output, DumpArchiveOptions options)
    {
        _options = options;
        _gzip = new ParallelGzipStream(output, options.ChunkBytes, options.CompressionThreads, options.CompressionLevel);
        _tar = new TarWriter(_gzip, TarEntryFormat.Pax, leaveOpen: true);
    }

    /// <summary>Starts an archive on <paramref name="output"/>, which the caller keeps owning.</summary>
    public static DumpArchiveWriter Create(Stream output, DumpArchiveOptions? options = null) =>
        new(output, options ?? new DumpArchiveOptions());

    /// <summary>The archive's single top folder, <c>rethinkdb_dump_&lt;time&gt;</c>.</summary>
    public string TopFolder => _options.TopFolder;

    /// <summary>Uncompressed tar bytes written so far.</summary>
    public long TarBytes => _gzip.BytesIn;

    /// <summary>Compressed bytes written so far.</summary>
    public long CompressedBytes => _gzip.BytesOut;

    /// <summary>Opens a table for rows; several may be open at once. Names must be valid RethinkDB names, each table once.</summary>
    public TableDataWriter BeginTable(TableInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (!IsValidName(info.Db) || !IsValidName(info.Name))
            throw new ArgumentException($"'{info.Db}.{info.Name}' is not a valid RethinkDB db.table name (letters, digits, _ and - only)", nameof(info));
        lock (_begun)
        {
            if (_finished)
                throw new InvalidOperationException("The archive is already complete.");
            if (!_begun.Add(Key(info)))
                throw new InvalidOperationException($"Table {Key(info)} is already in this archive.");
        }
        return new TableDataWriter(this, info, new TableSpool(_options.TempDirectory, _options.SpoolMemoryBytes));
    }

    /// <summary>Ends the tar and the compressed stream. Every table begun must have completed.</summary>
    public async Task CompleteAsync(CancellationToken ct = default)
    {
        lock (_begun)
        {
            var open = _begun.Except(_completed).Order(StringComparer.Ordinal).ToList();
            if (open.Count > 0)
                throw new InvalidOperationException($"Tables not completed: {string.Join(", ", open)}.");
            _finished = true;
        }
        await _tarGate.WaitAsync(ct);
        try
        {
            await _tar.DisposeAsync();
            await _gzip.FinishAsync(ct);
        }
        finally
        {
            _tarGate.Release();
        }
    }

    /// <summary>
    /// Adds a file beside the tables, <c>top/db/fileName</c>, such as a bundle's manifest. Its extension must not be one
    /// restore reads (.json, .info, .csv), so <c>rethinkdb restore</c> and our reader pass over it.
    /// </summary>
    public async Task AddFileAsync(string db, string fileName, ReadOnlyMemory<byte> content, CancellationToken ct = default)
    {
        if (!IsValidName(db))
            throw new ArgumentException($"'{db}' is not a valid RethinkDB database name", nameof(db));
        if (fileName.Length == 0 || fileName.IndexOfAny(['/', '\\']) >= 0 || fileName is "." or ".."
            || Path.GetExtension(fileName) is ".json" or ".info" or ".csv")
            throw new ArgumentException($"'{fileName}' is not a side file name: no path, and not an extension restore reads", nameof(fileName));
        await _tarGate.WaitAsync(ct);
        try
        {
            if (_finished)
                throw new InvalidOperationException("The archive is already complete.");
            using var data = new MemoryStream(content.ToArray(), writable: false);
            await _tar.WriteEntryAsync(Entry($"{TopFolder}/{db}/{fileName}", data), ct);
        }
        finally
        {
            _tarGate.Release();
        }
    }

    internal async Task AppendTableAsync(TableInfo info, TableSpool data, CancellationToken ct)
    {
        var folder = $"{TopFolder}/{info.Db}/{info.Name}";
        var infoLine = info.ToInfoLine();
        await _tarGate.WaitAsync(ct);
        try
        {
            if (_finished)
                throw new InvalidOperationException("The archive is already complete.");
            using var infoStream = new MemoryStream(infoLine, writable: false);
            await _tar.WriteEntryAsync(Entry(folder + ".info", infoStream), ct);
            await _tar.WriteEntryAsync(Entry(folder + ".json", data.Rewind()), ct);
        }
        finally
        {
            _tarGate.Release();
        }
        lock (_begun)
            _completed.Add(Key(info));
    }

    internal void Abandon(TableInfo info)
    {
        lock (_begun)
            _begun.Remove(Key(info));
    }

    private PaxTarEntry Entry(string name, Stream data) =>
        new(TarEntryType.RegularFile, name)
        {
            DataStream = data,
            ModificationTime = _options.DumpTime,
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
        };

    public async ValueTask DisposeAsync()
    {
        // An archive left incomplete is garbage either way; only release what is held.
        if (!_finished)
            await _tar.DisposeAsync();
        _tarGate.Dispose();
    }

    private static string Key(TableInfo info) => $"{info.Db}.{info.Name}";

    /// <summary>Whether a db or table name is one RethinkDB accepts (letters, digits, _ and -).</summary>
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex NamePattern();
}
