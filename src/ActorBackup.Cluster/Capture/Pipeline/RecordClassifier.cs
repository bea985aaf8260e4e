using System.Security.Cryptography;
using System.Text;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Sharding;
using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Validation;

namespace ActorBackup.Cluster.Capture.Pipeline;

/// <summary>
/// Turns a source document into a record to store or to quarantine, with one parse (<see cref="LedgerValidator.ValidateAndRead"/>).
/// Nothing is dropped: a document without a usable id is quarantined under a key derived from its content that
/// falls in this replica's range, and one without a readable timestamp under timestamp 0.
/// </summary>
public sealed class RecordClassifier(ReplicaId replica, ShardRange range, LedgerValidator validator)
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);
    private readonly RecordKind _kind = RecordKinds.Of(replica.Table);

    public CaptureElement Classify(SourceDocument document)
    {
        var json = document.Json.Span;
        var result = validator.ValidateAndRead(json, _kind, out var record, out var canonical);
        var id = record?.Id ?? DocumentId.TryRead(json);
        var timestamp = record switch
        {
            Block b => b.Timestamp,
            Vote v => v.Timestamp,
            _ => 0,
        };
        if (!IsUsable(id))
        {
            var verdict = result.IsValid ? "it verifies otherwise" : $"and {ReasonCodes.Of(result.Reason)}: {result.Message}";
            var message = $"The document has no string id in {range} that can be stored ({Describe(id)}), {verdict}";
            return Quarantine(DerivedKey(json), Math.Max(0, timestamp), document, ReasonCodes.UnusableId, message);
        }
        if (!result.IsValid)
            return Quarantine(id!, Math.Max(0, timestamp), document, ReasonCodes.Of(result.Reason), result.Message);
        if (timestamp < 0)
            return Quarantine(id!, 0, document, ReasonCodes.Of(InvalidReason.BadTimestamp), $"The timestamp {timestamp} is before 1970.");
        // The digest is computed here, on the validating cores, from the validator's parse rather than by the replica.
        var stored = canonical is null
            ? new CapturedRecord(replica.Table, id!, timestamp, document.Json, RecordVerdict.Verified)
            : CapturedRecord.WithDigest(replica.Table, id!, timestamp, document.Json, RecordVerdict.Verified, RecordDigest.OfCanonical(id!, canonical));
        return new ValidDocument(stored, document.Origin);
    }

    /// <summary>
    /// "&lt;lower bound or 0&gt;-unkeyed-&lt;content hash&gt;": the lower bound (8 hex digits, or "0" for the first
    /// range) is a prefix, and '-' sorts before every hex digit, so the key lies in the range.
    /// </summary>
    public string DerivedKey(ReadOnlySpan<byte> json) =>
        $"{range.Lower ?? "0"}-unkeyed-{Convert.ToHexStringLower(SHA256.HashData(json))[..32]}";

    private bool IsUsable(string? id)
    {
        if (string.IsNullOrEmpty(id) || !range.Contains(id)) return false;
        try
        {
            StrictUtf8.GetByteCount(id);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    private static string Describe(string? id) => id is null ? "none" : $"id of {id.Length} characters";

    private InvalidDocument Quarantine(string key, long timestamp, SourceDocument document, string code, string message) =>
        new(new QuarantinedRecord(new CapturedRecord(replica.Table, key, timestamp, document.Json, RecordVerdict.Quarantined), code, message), document.Origin);
}
