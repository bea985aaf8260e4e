using ActorBackup.Ledger.Selection;
using ActorBackup.Recovery.Archive;

namespace ActorBackup.Recovery.Bundle.Sources;

/// <summary>
/// Where a client bundle is read from. It gives candidates; the caller keeps only blocks holding a selected
/// transaction and votes on kept blocks, checking each itself, so a source (an index, a scan) may give more than
/// asked but must not give less. <see cref="Reads"/> says how each table was read, for the manifest and the user.
/// </summary>
public interface IBundleSource : IAsyncDisposable
{
    /// <summary>The source, as the manifest records it: "rethinkdb HOST:PORT database DB" or "backup cluster URL".</summary>
    string Description { get; }

    /// <summary>How each table was read so far: which index, or a scan and why.</summary>
    IReadOnlyList<string> Reads { get; }

    /// <summary>The <c>.info</c> of the bigchain and votes tables.</summary>
    Task<(TableInfo Blocks, TableInfo Votes)> TableInfosAsync(string db, CancellationToken ct);

    /// <summary>Every block holding a transaction the selection names, and maybe others.</summary>
    IAsyncEnumerable<BundleDocument> BlocksAsync(TransactionSelection selection, IProgress<BundleReadProgress> progress, CancellationToken ct);

    /// <summary>Every vote on one of <paramref name="blockIds"/>, and maybe others.</summary>
    IAsyncEnumerable<BundleDocument> VotesAsync(IReadOnlyCollection<string> blockIds, IProgress<BundleReadProgress> progress, CancellationToken ct);
}

/// <summary>How far the read of a table has come: documents read, and how many are expected (null when unknown).</summary>
public sealed record BundleReadProgress(string Table, long Read, long? Expected);

/// <summary>The source cannot be read, or does not hold a BigchainDB ledger; the message is one line.</summary>
public sealed class BundleSourceException(string message, Exception? inner = null) : Exception(message, inner);
