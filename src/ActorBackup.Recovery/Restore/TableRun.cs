using ActorBackup.Recovery.Verification;

namespace ActorBackup.Recovery.Restore;

/// <summary>A table being restored: what has been written so far, updated by every writer.</summary>
internal sealed class TableRun(RestoreTable table, IProgress<RestoreProgress>? progress)
{
    private readonly Lock _gate = new();
    private long _documents;
    private long _bytes;
    private TableDigest _digest;

    public RestoreTable Table { get; } = table;

    public string Name => Table.Name;

    public string PrimaryKey => Table.Info.PrimaryKey;

    public long Documents
    {
        get { lock (_gate) return _documents; }
    }

    public long Bytes
    {
        get { lock (_gate) return _bytes; }
    }

    public TableDigest Digest
    {
        get { lock (_gate) return _digest; }
    }

    /// <summary>Counts a batch the target confirmed, with the digest of its documents.</summary>
    public void Written(int documents, long bytes, TableDigest digest)
    {
        long totalDocuments, totalBytes;
        lock (_gate)
        {
            totalDocuments = _documents += documents;
            totalBytes = _bytes += bytes;
            _digest += digest;
        }
        Report(RestorePhase.Writing, totalDocuments, totalBytes);
    }

    public void Report(RestorePhase phase) => Report(phase, Documents, Bytes);

    private void Report(RestorePhase phase, long documents, long bytes) =>
        progress?.Report(new RestoreProgress(Name, phase, documents, bytes, Table.ExpectedCount));
}
