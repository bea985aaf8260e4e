using ActorBackup.ReQL.Net;

namespace ActorBackup.Cli.Verbs.Dump;

/// <summary>Everything one `actorbackup dump` run needs, validated.</summary>
/// <param name="Connection">Where the source is and how to log in.</param>
/// <param name="Db">The database to dump.</param>
/// <param name="Out">The archive's final path.</param>
/// <param name="Tables">Tables to dump; empty means every table of <paramref name="Db"/>.</param>
/// <param name="Clients">Tables read at once.</param>
/// <param name="Overwrite">Whether an existing <paramref name="Out"/> may be replaced.</param>
internal sealed record DumpSettings(ConnectionOptions Connection, string Db, string Out, IReadOnlyList<string> Tables, int Clients, bool Overwrite)
{
    /// <summary>Documents per read; reqlite answers a whole read in one frame, so reads are paged by primary key.</summary>
    public int PageSize { get; init; } = 1000;

    /// <summary>Consecutive transient failures (without a document read in between) tolerated per table.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>First pause after a transient failure; it doubles on each further failure, up to 10 s.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);
}
