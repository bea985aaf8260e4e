using System.Text;
using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Serialization;

/// <summary>
/// Reads what <see cref="PayloadWriter"/> wrote. Every length is checked against the bytes left
/// before anything is allocated, so corrupt input fails with <see cref="InvalidDataException"/>
/// instead of a huge allocation.
/// </summary>
internal sealed class PayloadReader : IDisposable
{
    private readonly MemoryStream _stream;
    private readonly BinaryReader _reader;

    public PayloadReader(byte[] bytes)
    {
        _stream = new MemoryStream(bytes, writable: false);
        _reader = new BinaryReader(_stream, new UTF8Encoding(false, true), leaveOpen: true);
    }

    private long Remaining => _stream.Length - _stream.Position;

    public long Long() => _reader.Read7BitEncodedInt64();

    public int Int()
    {
        var value = Long();
        if (value is < int.MinValue or > int.MaxValue) throw new InvalidDataException($"integer {value} out of range");
        return (int)value;
    }

    public byte Byte() => _reader.ReadByte();

    public string String()
    {
        var start = _stream.Position;
        var length = _reader.Read7BitEncodedInt();
        if (length < 0 || length > Remaining) throw new InvalidDataException($"a string of {length} bytes at offset {start} runs past the end");
        _stream.Position = start;
        return _reader.ReadString();
    }

    public string? OptionalString() => Present() ? String() : null;

    public long? OptionalLong() => Present() ? Long() : null;

    private bool Present() => Byte() switch
    {
        0 => false,
        1 => true,
        var b => throw new InvalidDataException($"presence byte {b} is neither 0 nor 1"),
    };

    public byte[] Bytes()
    {
        var length = _reader.Read7BitEncodedInt();
        if (length < 0 || length > Remaining) throw new InvalidDataException($"a block of {length} bytes runs past the end");
        return _reader.ReadBytes(length);
    }

    /// <summary>Every byte left, written by <see cref="PayloadWriter.Raw"/>.</summary>
    public byte[] Rest() => _reader.ReadBytes((int)Remaining);

    public Watermark Watermark()
    {
        var seconds = Long();
        if (seconds < 0 && seconds != global::ActorBackup.Admin.Contract.Watermark.None.Seconds) throw new InvalidDataException($"watermark {seconds} is negative");
        return global::ActorBackup.Admin.Contract.Watermark.FromStored(seconds);
    }

    public ShardDigest Digest()
    {
        if (Remaining < 32) throw new InvalidDataException("the digest runs past the end");
        return ShardDigest.FromBytes(_reader.ReadBytes(32));
    }

    public CapturedRecord Record()
    {
        var table = String();
        var id = String();
        var timestamp = Long();
        var verdict = (RecordVerdict)Byte();
        if (!Enum.IsDefined(verdict)) throw new InvalidDataException($"unknown verdict {(byte)verdict}");
        return new CapturedRecord(table, id, timestamp, Bytes(), verdict);
    }

    public QuarantinedRecord Quarantined() => new(Record(), String(), String());

    public IReadOnlyList<T> List<T>(Func<PayloadReader, T> read)
    {
        var count = Int();
        // Every item takes at least one byte, which bounds the count before allocating.
        if (count < 0 || count > Remaining) throw new InvalidDataException($"a list of {count} items cannot fit in {Remaining} bytes");
        var items = new T[count];
        for (var i = 0; i < count; i++) items[i] = read(this);
        return items;
    }

    /// <summary>Fails when bytes are left over, which means the layout was not the one expected.</summary>
    public void End()
    {
        if (Remaining != 0) throw new InvalidDataException($"{Remaining} bytes left over after the last field");
    }

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
    }
}
