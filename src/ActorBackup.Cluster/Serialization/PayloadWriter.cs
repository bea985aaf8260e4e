using System.Text;
using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Serialization;

/// <summary>
/// Writes the compact binary layout: integers as 7-bit varints, strings and byte blocks
/// length-prefixed, no type names. The matching reads are in <see cref="PayloadReader"/>.
/// </summary>
internal sealed class PayloadWriter : IDisposable
{
    private readonly MemoryStream _stream = new();
    private readonly BinaryWriter _writer;

    // Strings are written with replacement rather than failing: a quarantined record may carry a lone
    // surrogate in its id or message, and its raw JSON bytes keep the exact evidence anyway.
    // Stored records never contain one (Admission refuses them).
    public PayloadWriter() => _writer = new BinaryWriter(_stream, new UTF8Encoding(false, false), leaveOpen: true);

    public PayloadWriter Long(long value)
    {
        _writer.Write7BitEncodedInt64(value);
        return this;
    }

    public PayloadWriter Int(int value) => Long(value);

    public PayloadWriter Byte(byte value)
    {
        _writer.Write(value);
        return this;
    }

    public PayloadWriter String(string value)
    {
        _writer.Write(value);
        return this;
    }

    /// <summary>A presence byte (0 or 1), then the string when present.</summary>
    public PayloadWriter OptionalString(string? value) => value is null ? Byte(0) : Byte(1).String(value);

    /// <summary>A presence byte (0 or 1), then the number when present.</summary>
    public PayloadWriter OptionalLong(long? value) => value is null ? Byte(0) : Byte(1).Long(value.Value);

    public PayloadWriter Bytes(ReadOnlySpan<byte> value)
    {
        _writer.Write7BitEncodedInt(value.Length);
        _writer.Write(value);
        return this;
    }

    /// <summary>Bytes without a length: only as the last field, read back with <see cref="PayloadReader.Rest"/>.</summary>
    public PayloadWriter Raw(ReadOnlySpan<byte> value)
    {
        _writer.Write(value);
        return this;
    }

    public PayloadWriter Watermark(Watermark value) => Long(value.Seconds);

    public PayloadWriter Digest(ShardDigest value)
    {
        _writer.Write(value.ToBytes());
        return this;
    }

    public PayloadWriter Record(CapturedRecord r) =>
        String(r.Table).String(r.Id).Long(r.Timestamp).Byte((byte)r.Verdict).Bytes(r.Json.Span);

    public PayloadWriter Quarantined(QuarantinedRecord q) => Record(q.Record).String(q.ReasonCode).String(q.Message);

    public PayloadWriter List<T>(IReadOnlyList<T> items, Action<PayloadWriter, T> write)
    {
        Int(items.Count);
        foreach (var item in items) write(this, item);
        return this;
    }

    public byte[] ToArray()
    {
        _writer.Flush();
        return _stream.ToArray();
    }

    public void Dispose()
    {
        _writer.Dispose();
        _stream.Dispose();
    }
}
