using System.Runtime.CompilerServices;

namespace ActorBackup.Admin.Contract.Ndjson;

/// <summary>
/// Reads newline-delimited JSON from a stream with bounded memory: a line longer than the cap is an error, never a
/// growing buffer. Blank lines are skipped and a trailing "\r" is dropped. The node reads import bodies with it,
/// clients the record streams of the node's replicas.
/// </summary>
/// <param name="lineEndRequired">
/// Whether the last line must end with "\n": true where the writer ends every line, so that a stream cut short (a node
/// that died mid-answer) is an error rather than a shorter last record.
/// </param>
public sealed class NdjsonReader(Stream stream, int maxLineBytes, bool lineEndRequired = false)
{
    private byte[] _buffer = new byte[Math.Min(maxLineBytes + 1, 64 * 1024)];
    private int _start;
    private int _end;
    private bool _ended;

    /// <summary>Lines returned so far, blank ones included: the number of the last line returned.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Every non-blank line of <paramref name="stream"/>, each a copy.</summary>
    /// <exception cref="NdjsonLineTooLongException">A line exceeds the cap.</exception>
    /// <exception cref="InvalidDataException">The stream ended inside a line, and line ends are required.</exception>
    public static async IAsyncEnumerable<byte[]> ReadAllAsync(Stream stream, int maxLineBytes, bool lineEndRequired,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var reader = new NdjsonReader(stream, maxLineBytes, lineEndRequired);
        while (await reader.NextAsync(ct) is { } line)
            yield return line;
    }

    /// <summary>The next non-blank line (a copy), or null at the end of the stream.</summary>
    /// <exception cref="NdjsonLineTooLongException">A line exceeds the cap.</exception>
    /// <exception cref="InvalidDataException">The stream ended inside a line, and line ends are required.</exception>
    public async ValueTask<byte[]?> NextAsync(CancellationToken ct)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline < 0 && _ended && _end > _start && lineEndRequired)
                throw new InvalidDataException("the stream ended in the middle of a line");
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
