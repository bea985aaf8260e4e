namespace ActorBackup.Recovery.Restore;

/// <summary>How a restore writes; the defaults follow <c>rethinkdb restore</c> (200-row batches, soft durability).</summary>
public sealed record RestoreOptions
{
    /// <summary>Restore into a database that already holds documents, replacing rows with the same primary key.</summary>
    public bool Force { get; init; }

    /// <summary>Inspect the target and count the documents, but write nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Connections inserting batches in parallel.</summary>
    public int Writers { get; init; } = 4;

    /// <summary>Most documents per insert.</summary>
    public int BatchRows { get; init; } = 200;

    /// <summary>Most bytes of JSON per insert (a batch always holds at least one document).</summary>
    public int BatchBytes { get; init; } = 1 << 20;

    /// <summary>Batches read ahead of the writers; with <see cref="BatchBytes"/> this bounds the memory in flight.</summary>
    public int QueuedBatches { get; init; } = 8;

    /// <summary>Insert with <c>durability: "hard"</c> instead of "soft".</summary>
    public bool HardDurability { get; init; }

    /// <summary>Recreate the secondary indexes once the documents are in.</summary>
    public bool SecondaryIndexes { get; init; } = true;

    /// <summary>Tries per batch (and per connection) before a transient failure ends the restore.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Pause after the first transient failure; it doubles on each further one, up to 5 s.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    internal void Validate()
    {
        if (Writers < 1 || BatchRows < 1 || BatchBytes < 1 || QueuedBatches < 1 || MaxAttempts < 1)
            throw new ArgumentException("Writers, BatchRows, BatchBytes, QueuedBatches and MaxAttempts must be at least 1.");
    }
}
