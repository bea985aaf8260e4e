using ActorBackup.Recovery.Restore;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cli.Verbs.Restore;

/// <summary>Everything one `actorbackup restore --from-archive` run needs, validated.</summary>
/// <param name="Archive">The archive's full path.</param>
/// <param name="Target">Where the target server is and how to log in.</param>
/// <param name="Db">The target database.</param>
/// <param name="Tables">Tables of the archive to restore; empty means all.</param>
/// <param name="At">Restore the ledger as it was at this time; null for everything.</param>
/// <param name="Options">How the engine writes.</param>
internal sealed record ArchiveRestoreSettings(string Archive, ConnectionOptions Target, string Db, IReadOnlyList<string> Tables,
    DateTimeOffset? At, RestoreOptions Options);
