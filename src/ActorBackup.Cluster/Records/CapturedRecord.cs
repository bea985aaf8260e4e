namespace ActorBackup.Cluster.Records;

/// <summary>
/// One document of a captured table, as the source sent it.
/// </summary>
/// <param name="Table">The RethinkDB table, e.g. "votes".</param>
/// <param name="Id">The primary key.</param>
/// <param name="Timestamp">The record's own timestamp in Unix seconds (block.timestamp or vote.timestamp).</param>
/// <param name="Json">The document's JSON bytes exactly as received, so a restore writes back what was read.</param>
/// <param name="Verdict">What verification said.</param>
public sealed record CapturedRecord(string Table, string Id, long Timestamp, ReadOnlyMemory<byte> Json, RecordVerdict Verdict)
{
    // The digest is needed by the replica's state and by its index for every stored record; it parses the
    // document, so it is computed once per instance. A copy made with `with` may differ, so it starts without one.
    private byte[]? _digest;

    private CapturedRecord(CapturedRecord original)
    {
        Table = original.Table;
        Id = original.Id;
        Timestamp = original.Timestamp;
        Json = original.Json;
        Verdict = original.Verdict;
    }

    /// <summary>A record whose digest the caller already computed, e.g. from the validator's parse.</summary>
    internal static CapturedRecord WithDigest(string table, string id, long timestamp, ReadOnlyMemory<byte> json, RecordVerdict verdict, byte[] digest) =>
        new(table, id, timestamp, json, verdict) { _digest = digest };

    /// <summary>The record's <see cref="RecordDigest"/>, computed on first use.</summary>
    internal ReadOnlySpan<byte> Digest => _digest ??= RecordDigest.Of(Id, Json.Span);

    public bool Equals(CapturedRecord? other) =>
        other is not null && Table == other.Table && Id == other.Id && Timestamp == other.Timestamp
        && Verdict == other.Verdict && Json.Span.SequenceEqual(other.Json.Span);

    public override int GetHashCode() => HashCode.Combine(Table, Id, Timestamp, Verdict, Json.Length);
}
