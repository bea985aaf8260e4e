namespace ActorBackup.Recovery.Archive;

/// <summary>
/// Holds one table's <c>.json</c> bytes until the table is complete, because a tar header needs the member size
/// before its data. Small tables stay in memory; past <see cref="DumpArchiveOptions.SpoolMemoryBytes"/> the bytes
/// move to a temporary file that is deleted when the spool is disposed, so memory stays bounded for any table size.
/// </summary>
internal sealed class TableSpool : IDisposable
{
    private readonly string _directory;
    private readonly int _memoryLimit;
    private MemoryStream? _memory = new();
    private FileStream? _file;

    public TableSpool(string directory, int memoryLimit)
    {
        _directory = directory;
        _memoryLimit = memoryLimit;
    }

    public long Length => _file?.Length ?? _memory!.Length;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (_file is not null)
        {
            _file.Write(bytes);
            return;
        }
        if (_memory!.Length + bytes.Length > _memoryLimit)
        {
            _file = new FileStream(Path.Combine(_directory, $"actorbackup-spool-{Guid.NewGuid():N}.json"), FileMode.CreateNew,
                FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            _memory.Position = 0;
            _memory.CopyTo(_file);
            _memory = null;
            _file.Write(bytes);
            return;
        }
        _memory.Write(bytes);
    }

    /// <summary>The spooled bytes from the start, as a seekable stream owned by the spool.</summary>
    public Stream Rewind()
    {
        Stream s = _file is not null ? _file : _memory!;
        s.Flush();
        s.Position = 0;
        return s;
    }

    public void Dispose()
    {
        _file?.Dispose();
        _memory?.Dispose();
    }
}
