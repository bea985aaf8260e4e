using System.Buffers;

namespace ActorBackup.Ledger.Json;

/// <summary>A growable byte buffer on rented arrays; dispose to return them.</summary>
internal sealed class PooledBuffer : IDisposable
{
    private byte[] array;
    private int length;

    public PooledBuffer(int initialCapacity = 1024) => array = ArrayPool<byte>.Shared.Rent(initialCapacity);

    public ReadOnlySpan<byte> WrittenSpan => array.AsSpan(0, length);

    public void Append(byte value)
    {
        if (length == array.Length)
            Grow(1);
        array[length++] = value;
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (length + bytes.Length > array.Length)
            Grow(bytes.Length);
        bytes.CopyTo(array.AsSpan(length));
        length += bytes.Length;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(array);
        array = [];
        length = 0;
    }

    private void Grow(int needed)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(array.Length * 2, length + needed));
        array.AsSpan(0, length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(array);
        array = bigger;
    }
}
