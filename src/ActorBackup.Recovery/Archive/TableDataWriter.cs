using System.Buffers;
using System.Text.Json;

namespace ActorBackup.Recovery.Archive;

/// <summary>
/// Collects one table's rows, in order, as the Python tool's <c>json_writer</c> prints them:
/// <c>[</c>, then <c>"\n"</c> before the first row and <c>",\n"</c> before each other, then <c>"\n]\n"</c>.
/// Not thread-safe: one producer per table. Dispose without <see cref="CompleteAsync"/> drops the table.
/// </summary>
public sealed class TableDataWriter : IDisposable
{
    private readonly DumpArchiveWriter _archive;
    private readonly TableSpool _spool;
    private readonly ArrayBufferWriter<byte> _row = new(64 * 1024);
    private bool _completed;
    private bool _disposed;

    internal TableDataWriter(DumpArchiveWriter archive, TableInfo info, TableSpool spool)
    {
        _archive = archive;
        Info = info;
        _spool = spool;
        _spool.Write("["u8);
    }

    public TableInfo Info { get; }

    /// <summary>Rows written so far.</summary>
    public long Rows { get; private set; }

    /// <summary>Bytes of the <c>.json</c> member so far.</summary>
    public long Bytes => _spool.Length;

    /// <summary>Appends a row; it must be a JSON object.</summary>
    public void WriteRow(JsonElement row)
    {
        if (row.ValueKind != JsonValueKind.Object)
            throw new ArgumentException($"A row of {Info.Db}.{Info.Name} must be a JSON object, not {row.ValueKind}.", nameof(row));
        WriteRow(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(row));
    }

    /// <summary>Appends a row given as UTF-8 JSON text; it must be one JSON object.</summary>
    public void WriteRow(ReadOnlySpan<byte> utf8Json)
    {
        ObjectDisposedException.ThrowIf(_disposed || _completed, this);
        _row.ResetWrittenCount();
        _row.Write(Rows == 0 ? "\n"u8 : ",\n"u8);
        var start = _row.WrittenCount;
        PythonJson.Write(utf8Json, _row);
        if (_row.WrittenSpan[start] != (byte)'{')
            throw new ArgumentException($"A row of {Info.Db}.{Info.Name} must be a JSON object.", nameof(utf8Json));
        _spool.Write(_row.WrittenSpan);
        Rows++;
    }

    /// <summary>Closes the array and adds the table's <c>.info</c> and <c>.json</c> to the archive.</summary>
    public async Task CompleteAsync(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(_disposed || _completed, this);
        _spool.Write("\n]\n"u8);
        await _archive.AppendTableAsync(Info, _spool, ct);
        _completed = true;
        _spool.Dispose();
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _spool.Dispose();
        if (!_completed)
            _archive.Abandon(Info);
    }
}
