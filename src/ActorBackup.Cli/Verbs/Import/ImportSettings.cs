using ActorBackup.Admin.Contract;


namespace ActorBackup.Cli.Verbs.Import;

/// <summary>What `actorbackup import` does: which archive, into which cluster, which tables, in what chunks.</summary>
/// <param name="TokenFile">--token-file, if given (else the token comes from the environment, if set).</param>
/// <param name="Tables">Tables of the archive to import; empty for every table the cluster backs up.</param>
/// <param name="ChunkDocuments">Most documents per request to the node.</param>
/// <param name="ChunkBytes">Most bytes of JSON per request to the node.</param>
/// <param name="Attempts">Tries per request when the cluster fails it transiently.</param>
/// <param name="RequestTimeout">Longest one request may take.</param>
/// <param name="AsOf">The point in time the import is complete up to; null for the newest verified record of the archive.</param>
internal sealed record ImportSettings(
    string Archive, Uri Admin, string? TokenFile, IReadOnlyList<string> Tables, int ChunkDocuments, int ChunkBytes, int Attempts, TimeSpan RequestTimeout, Watermark? AsOf)
{
    /// <summary>First pause before a failed request is sent again; it doubles with each try.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);
}
