namespace ActorBackup.Recovery.FromCluster;

/// <summary>
/// Splits a stream of newline-delimited JSON into lines without holding more than one line and one read
/// buffer; a line longer than the cap is an error rather than unbounded memory.
/// </summary>
public static class NdjsonLines
{
    public static async IAsyncEnumerable<byte[]> ReadAsync(Stream stream, int maxLineBytes,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var buffer = new byte[Math.Min(maxLineBytes + 1, 64 * 1024)];
        var start = 0;
        var end = 0;
        while (true)
        {
            var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (newline >= 0)
            {
                if (newline > start)
                    yield return buffer[start..newline];
                start = newline + 1;
                continue;
            }
            if (end - start > maxLineBytes)
                throw new InvalidDataException($"a line is longer than {maxLineBytes} bytes");
            if (start > 0)
            {
                Array.Copy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == buffer.Length)
                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, maxLineBytes + 1L));
            var read = await stream.ReadAsync(buffer.AsMemory(end), ct);
            if (read == 0)
            {
                if (end > start)
                    throw new InvalidDataException("the stream ended in the middle of a line");
                yield break;
            }
            end += read;
        }
    }
}
