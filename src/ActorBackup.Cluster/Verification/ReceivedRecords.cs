using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Sharding;
using ActorBackup.Ledger.Validation;

namespace ActorBackup.Cluster.Verification;

/// <summary>
/// Verifies records that reach a replica from anywhere but this node's own verification (a sibling's repair, another
/// node's import), and records read back from the journal to be served for a restore or an export, against the
/// federation's keys, exactly as capture verifies a document read from the source
/// (<see cref="RecordClassifier"/>): the id, timestamp and verdict the sender gave are not looked at, only the document.
/// Capture's own records are verified once, in its pipeline, and never again here.
/// </summary>
public sealed class ReceivedRecords(ReplicaId replica, ShardRange range, LedgerValidator validator)
{
    private readonly RecordClassifier _classifier = new(replica, range, validator);

    public ReceivedRecords(ReplicaId replica, KeySpace keys, LedgerValidator validator) : this(replica, keys.Ranges[replica.Shard], validator) { }

    /// <summary>
    /// The records that verify here, ready to store, and those that do not, ready for quarantine with a message that
    /// starts with <paramref name="origin"/>, which names where they came from (e.g. "received by repair from &lt;address&gt;").
    /// </summary>
    public Checked Check(IEnumerable<CapturedRecord> records, string origin)
    {
        var verified = new List<CapturedRecord>();
        var rejected = new List<QuarantinedRecord>();
        foreach (var record in records)
        {
            switch (_classifier.Classify(new SourceDocument(record.Json, DocumentOrigin.Scan)))
            {
                case ValidDocument valid:
                    verified.Add(valid.Record);
                    break;
                case InvalidDocument invalid:
                    var q = invalid.Record;
                    rejected.Add(q with { Message = $"{origin} as {record.Verdict} record {record.Id}: {q.Message}" });
                    break;
            }
        }
        return new Checked(verified, rejected);
    }

    /// <summary>The outcome of <see cref="Check"/>.</summary>
    public sealed record Checked(IReadOnlyList<CapturedRecord> Verified, IReadOnlyList<QuarantinedRecord> Rejected);
}
