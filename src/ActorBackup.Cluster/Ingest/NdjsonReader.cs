namespace ActorBackup.Cluster.Ingest;

/// <summary>
/// Reads newline-delimited documents from a stream with bounded memory: a line longer than the cap is an error,
/// never a growing buffer. Blank lines are skipped and a trailing "\r" is dropped.
/// </summary>
public sealed class NdjsonReader(Stream stream, int maxLineBytes)
{
    private byte[] _buffer = new byte[Math.Min(maxLineBytes + 1, 64 * 1024)];
    private int _start;
    private int _end;
    private bool _ended;

    /// <summary>Lines returned so far, blank ones included: the number of the last line returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The next non-blank line (a copy), or null at the end of the stream.</summary>
    /// <exception cref="NdjsonLineTooLongException">A line exceeds the cap.</exception>
    public async ValueTask<ReadOnlyMemory<byte>?> NextAsync(CancellationToken ct)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0 || (_ended && _end > _start))
            {
                var stop = newline >= 0 ? newline : _end;
                var line = Trim(_buffer.AsSpan(_start, stop - _start));
                _start = newline >= 0 ? newline + 1 : _end;
                LineNumber++;
                if (line.Length > maxLineBytes)
                    throw new NdjsonLineTooLongException(LineNumber, maxLineBytes);
                if (line.IsEmpty) continue;
                return line.ToArray();
            }
            if (_ended) return null;
            if (_end - _start > maxLineBytes)
                throw new NdjsonLineTooLongException(LineNumber + 1, maxLineBytes);
            await FillAsync(ct);
        }
    }

    private async Task FillAsync(CancellationToken ct)
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
            Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, maxLineBytes + 2L));
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
        if (read == 0) _ended = true;
        _end += read;
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> line) =>
        line.TrimEnd((byte)'\r').Trim(" \t"u8);
}
