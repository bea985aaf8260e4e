using System.Security.Cryptography;

namespace ActorBackup.Cluster.Records;

/// <summary>
/// What a replica keeps of a record it quarantined: enough to name and prove it (id, SHA-256 and size of the whole
/// document, the reason) and a bounded prefix of the document as evidence, never the whole body, so that an entry
/// always reads back however large or malformed the document was.
/// </summary>
/// <param name="Sha256">SHA-256 of the whole document as received.</param>
/// <param name="Size">Bytes of the whole document.</param>
/// <param name="Prefix">Its first bytes, at most <c>actorbackup.quarantine.prefix-bytes</c>.</param>
public sealed record QuarantineEntry(string Table, string Id, long Timestamp, byte[] Sha256, long Size, ReadOnlyMemory<byte> Prefix, string ReasonCode, string Message)
{
    /// <summary>Longest id and message kept: a hostile document may carry an id of megabytes.</summary>
    public const int MaxTextLength = 1024;

    /// <summary>The entry of a quarantined record, keeping at most <paramref name="prefixBytes"/> of its document.</summary>
    public static QuarantineEntry Of(QuarantinedRecord q, int prefixBytes)
    {
        var json = q.Record.Json;
        return new QuarantineEntry(q.Record.Table, Bounded(q.Record.Id), q.Record.Timestamp, SHA256.HashData(json.Span), json.Length,
            json[..Math.Min(prefixBytes, json.Length)].ToArray(), Bounded(q.ReasonCode), Bounded(q.Message));
    }

    /// <summary>Bytes of disk the entry takes, as the quarantine's bound counts them.</summary>
    public long Weight => 64 + Id.Length + Prefix.Length + ReasonCode.Length + Message.Length;

    private static string Bounded(string text) => text.Length <= MaxTextLength ? text : text[..MaxTextLength] + "…";

    public bool Equals(QuarantineEntry? other) =>
        other is not null && Table == other.Table && Id == other.Id && Timestamp == other.Timestamp && Sha256.AsSpan().SequenceEqual(other.Sha256)
        && Size == other.Size && Prefix.Span.SequenceEqual(other.Prefix.Span) && ReasonCode == other.ReasonCode && Message == other.Message;

    public override int GetHashCode() => HashCode.Combine(Table, Id, Timestamp, Size, ReasonCode);
}
