using System.Buffers;
using System.IO.Compression;
using System.IO.Hashing;

namespace ActorBackup.Recovery.Archive;

/// <summary>
/// A write-only stream that gzips what it is given on several cores and still produces ONE gzip member: every
/// <c>chunkBytes</c> of input is deflated independently on the thread pool and ended with a sync flush (an empty
/// stored block, so it stops byte-aligned with no final bit), the last chunk is finished normally, and the raw
/// deflate pieces are written in order between one gzip header and one CRC-32/size trailer — the layout pigz
/// writes. A multi-member gzip would be simpler, but Python's streaming <c>tarfile</c> mode (<c>r|*</c>, which
/// <c>rethinkdb restore</c> uses) stops after the first member. At most <c>maxInFlight</c> chunks are being
/// compressed or waiting to be written, so a slow output slows the writer down instead of filling memory.
/// </summary>
internal sealed class ParallelGzipStream : Stream
{
    private readonly Stream _output;
    private readonly int _chunkBytes;
    private readonly int _maxInFlight;
    private readonly int _level;
    private readonly Queue<Task<Compressed>> _inFlight = new();
    private readonly Crc32 _crc = new();
    private bool _headerWritten;
    private byte[] _chunk;
    private int _filled;
    private bool _finished;

    public ParallelGzipStream(Stream output, int chunkBytes, int threads, int level)
    {
        if (level is < 1 or > 9)
            throw new ArgumentOutOfRangeException(nameof(level), level, "gzip levels are 1 to 9");
        _output = output;
        _chunkBytes = chunkBytes;
        _maxInFlight = Math.Max(2, threads * 2);
        _level = level;
        _chunk = ArrayPool<byte>.Shared.Rent(chunkBytes);
    }

    /// <summary>Uncompressed bytes accepted so far.</summary>
    public long BytesIn { get; private set; }

    /// <summary>Compressed bytes written to the output so far.</summary>
    public long BytesOut { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_finished;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesIn;
        set => throw new NotSupportedException();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (buffer.Length > 0)
        {
            var n = Math.Min(buffer.Length, _chunkBytes - _filled);
            buffer.Span[..n].CopyTo(_chunk.AsSpan(_filled));
            _crc.Append(buffer.Span[..n]);
            _filled += n;
            BytesIn += n;
            buffer = buffer[n..];
            if (_filled == _chunkBytes)
                await SubmitAsync(cancellationToken);
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // TarWriter's synchronous paths end up here; the archive writer itself only uses the asynchronous ones.
    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Compresses the last partial chunk, writes every member and flushes the output.</summary>
    public async Task FinishAsync(CancellationToken ct)
    {
        if (_finished)
            return;
        await SubmitAsync(ct, final: true);
        while (_inFlight.Count > 0)
            await WriteOldestAsync(ct);
        _finished = true;
        ArrayPool<byte>.Shared.Return(_chunk);
        var trailer = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc.GetCurrentHashAsUInt32());
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(4), unchecked((uint)BytesIn));
        await _output.WriteAsync(trailer, ct);
        BytesOut += trailer.Length;
        await _output.FlushAsync(ct);
    }

    // Members are only cut at chunk boundaries; a partial flush would just make smaller members.
    public override void Flush() { }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private async Task SubmitAsync(CancellationToken ct, bool final = false)
    {
        if (!_headerWritten)
        {
            // ID1 ID2, CM=deflate, no flags, no mtime, no extra flags, OS=Unix (RFC 1952 §2.3).
            await _output.WriteAsync(new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 }, ct);
            BytesOut += 10;
            _headerWritten = true;
        }
        var data = _chunk;
        var length = _filled;
        var level = _level;
        _chunk = final ? data : ArrayPool<byte>.Shared.Rent(_chunkBytes);
        _filled = 0;
        _inFlight.Enqueue(Task.Run(() => Compress(data, length, level, final), ct));
        while (_inFlight.Count >= _maxInFlight)
            await WriteOldestAsync(ct);
    }

    private async Task WriteOldestAsync(CancellationToken ct)
    {
        var member = await _inFlight.Dequeue();
        await _output.WriteAsync(member.Buffer.AsMemory(0, member.Length), ct);
        BytesOut += member.Length;
        ArrayPool<byte>.Shared.Return(member.Buffer);
    }

    private static Compressed Compress(byte[] data, int length, int level, bool final)
    {
        try
        {
            // Worst-case deflate expansion is tiny (5 bytes per 16 KiB block) plus the flush markers.
            var target = new PooledBufferStream(ArrayPool<byte>.Shared.Rent(length + length / 1000 + 1024));
            int kept;
            using (var deflate = new DeflateStream(target, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true))
            {
                deflate.Write(data, 0, length);
                if (!final)
                    deflate.Flush();
                kept = target.Length32;
            }
            // The final chunk keeps what disposing adds: the block with the final bit. Others drop it.
            if (final)
            {
                // zlib writes nothing for an empty input; the stream still needs its last block (fixed Huffman, end code).
                if (target.Length32 == 0)
                    target.Write([3, 0]);
                kept = target.Length32;
            }
            return new Compressed(target.Buffer, kept);
        }
        finally
        {
            if (!final)
                ArrayPool<byte>.Shared.Return(data);
        }
    }

    private readonly record struct Compressed(byte[] Buffer, int Length);

    /// <summary>A write-only view of a pooled array that grows (re-renting) if the estimate was short.</summary>
    private sealed class PooledBufferStream(byte[] buffer) : Stream
    {
        public byte[] Buffer { get; private set; } = buffer;

        public int Length32 { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Length32;

        public override long Position
        {
            get => Length32;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> bytes)
        {
            if (Length32 + bytes.Length > Buffer.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(Buffer.Length * 2, Length32 + bytes.Length));
                Buffer.AsSpan(0, Length32).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(Buffer);
                Buffer = bigger;
            }
            bytes.CopyTo(Buffer.AsSpan(Length32));
            Length32 += bytes.Length;
        }

        public override void Flush() { }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
