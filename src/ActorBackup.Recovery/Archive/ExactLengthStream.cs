namespace ActorBackup.Recovery.Archive;

/// <summary>
/// A member's data that must be exactly as long as its tar header says. .NET's gzip reader ends quietly at a cut
/// in the compressed stream, so a short member is the sign of a truncated archive and is reported as one.
/// </summary>
internal sealed class ExactLengthStream(Stream inner, long length) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_read >= length || buffer.IsEmpty)
            return 0;
        var n = inner.Read(buffer[..(int)Math.Min(buffer.Length, length - _read)]);
        if (n == 0)
            throw new EndOfStreamException();
        _read += n;
        return n;
    }

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
