using System.Threading.Channels;
using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Sharding;

namespace ActorBackup.Cluster.Capture.Sources;

/// <summary>
/// One attempt's place in a <see cref="SharedCatchUp"/>: the key range and scan point it catches up from, and the rows
/// routed to it, in a buffer of <see cref="BufferedRows"/>. The read waits while the buffer is full, so a slow attempt
/// slows the read rather than growing the node's memory, but only for so long: an attempt that takes no row within the
/// read's stall timeout is dropped from it, and receives, after what its buffer holds, a <see cref="CatchUpStalledException"/>
/// that fails it (it restarts and catches up again). An attempt that leaves (its stream was cancelled) stops receiving at
/// once. Either way the read goes on for the others.
/// </summary>
internal sealed class CatchUpMember
{
    /// <summary>
    /// Rows held for an attempt that has not taken them yet: a few of the source's batches, so that the read streams on
    /// while the attempts validate, and at most a few hundred documents per attempt in memory.
    /// </summary>
    public const int BufferedRows = 256;

    private readonly Channel<CatchUpRow> _rows = Channel.CreateBounded<CatchUpRow>(
        new BoundedChannelOptions(BufferedRows) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _left = new();

    public CatchUpMember(ShardRange range, Watermark from)
    {
        if (from.IsNone) throw new ArgumentException("A shared catch-up reads from a scan point; a replica without one scans its key range.", nameof(from));
        Range = range;
        From = from;
    }

    /// <summary>The primary keys of the attempt's shard.</summary>
    public ShardRange Range { get; }

    /// <summary>The attempt's own scan point: it receives documents stamped at or after it.</summary>
    public Watermark From { get; }

    /// <summary>True once the attempt has left the read.</summary>
    public bool HasLeft => _left.IsCancellationRequested;

    /// <summary>
    /// True when the attempt's own scan would have selected the document: its key in <see cref="Range"/> (a key that is
    /// not a string sorts before every string, so only the first range holds it) and its timestamp at or after
    /// <see cref="From"/>, or unknown (<paramref name="timestamp"/> null), as the server's filter keeps it for quarantine.
    /// </summary>
    public bool Wants(string? key, double? timestamp) =>
        (key is null ? Range.Lower is null : Range.Contains(key)) && (timestamp is not { } seconds || seconds >= From.Seconds);

    /// <summary>The next row, or null when the read has delivered everything; throws what failed the read.</summary>
    public async ValueTask<CatchUpRow?> NextAsync() =>
        await _rows.Reader.WaitToReadAsync() && _rows.Reader.TryRead(out var row) ? row : null;

    /// <summary>
    /// Hands the attempt a row, waiting at most <paramref name="stallTimeout"/> while its buffer is full; false when the
    /// attempt has left, or has just been dropped for taking no row within it.
    /// </summary>
    internal async ValueTask<bool> OfferAsync(CatchUpRow row, TimeSpan stallTimeout)
    {
        if (_rows.Writer.TryWrite(row)) return true;
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(_left.Token);
        waiting.CancelAfter(stallTimeout);
        try
        {
            await _rows.Writer.WriteAsync(row, waiting.Token);
            return true;
        }
        catch (OperationCanceledException) when (!_left.IsCancellationRequested)
        {
            _left.Cancel();
            _rows.Writer.TryComplete(new CatchUpStalledException(stallTimeout));
            return false;
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            return false;
        }
    }

    /// <summary>Ends the rows: with nothing more, or with <paramref name="error"/> that fails the attempt.</summary>
    internal void Complete(Exception? error = null) => _rows.Writer.TryComplete(error);

    /// <summary>The attempt is closed: what is buffered is dropped and the read stops routing rows to it.</summary>
    public void Leave()
    {
        _left.Cancel();
        _rows.Writer.TryComplete();
        while (_rows.Reader.TryRead(out _))
        {
        }
    }
}
