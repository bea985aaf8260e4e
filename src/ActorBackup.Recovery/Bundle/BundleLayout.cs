using ActorBackup.Ledger.Validation;
using ActorBackup.Recovery.Archive;

namespace ActorBackup.Recovery.Bundle;

/// <summary>
/// Where things are in a client bundle, a <c>rethinkdb dump</c> archive of the <c>bigchain</c> database holding the
/// <c>bigchain</c> and <c>votes</c> tables, plus the manifest as a side file that restore passes over.
/// </summary>
public static class BundleLayout
{
    public const string Database = "bigchain";

    public const string BlocksTable = "bigchain";

    public const string VotesTable = "votes";

    public const string ManifestFile = "actorbackup-bundle.manifest";

    /// <summary>A manifest names every block and vote with a digest; 64 MiB is several hundred thousand of them.</summary>
    public const int MaxManifestBytes = 64 << 20;

    /// <summary>Documents are read with the ledger's own cap (a full 1000-transaction block is about 1.5 MB), not import's 128 MiB.</summary>
    public static DumpArchiveReaderOptions ReaderOptions { get; } = new() { MaxDocumentBytes = LedgerValidatorOptions.DefaultMaxDocumentBytes };
}
