using ActorBackup.ReQL.Net;

namespace ActorBackup.Cli.Verbs.ClientBackup;

/// <summary>Everything one `actorbackup client-backup` run needs, checked; files are read only when it runs.</summary>
/// <param name="Transactions">Ids given with --tx.</param>
/// <param name="TransactionFile">The --tx-file to read more ids from.</param>
/// <param name="Source">The federation's RethinkDB, when reading from it.</param>
/// <param name="Admin">The backup cluster's admin URL, when reading from it.</param>
/// <param name="TokenFile">Where the admin token is (else $ACTORBACKUP_ADMIN_TOKEN, else none).</param>
/// <param name="Since">The previous bundle to extend.</param>
/// <param name="KeyFile">Federation keys to check against, instead of the voters the blocks list.</param>
/// <param name="Scan">Read whole tables even where an index could answer.</param>
internal sealed record ClientBackupSettings(
    IReadOnlyList<string> Transactions,
    string? TransactionFile,
    IReadOnlyList<string> PublicKeys,
    IReadOnlyList<string> Assets,
    ConnectionOptions? Source,
    string Db,
    Uri? Admin,
    string? TokenFile,
    string Out,
    string? Since,
    string? KeyFile,
    bool Scan,
    bool Overwrite);
