using ActorBackup.Cli.CommandLine;
using ActorBackup.Recovery.FromCluster;

namespace ActorBackup.Cli.Verbs.Restore;

/// <summary>What restore and export read from the backup cluster: its entry node, the tables and T.</summary>
/// <param name="TokenFile">--token-file, if given (else the token comes from the environment, if set).</param>
/// <param name="FederationKeysFile">--federation-keys: every record served is verified against the federation's keys here.</param>
internal sealed record ClusterSelection(
    string AdminUrl, string? TokenFile, IReadOnlyList<string> Tables, DateTimeOffset? At, bool ForceUnsafeAt, string? FederationKeysFile)
{
    private ServedRecordCheck? _check;

    /// <summary>The check of <see cref="FederationKeysFile"/>, its keys read on first use; an unreadable file is one line.</summary>
    public ServedRecordCheck? Check =>
        FederationKeysFile is null ? null : _check ??= new ServedRecordCheck(VerifyBundle.VerifyBundleVerb.LoadKeys(FederationKeysFile));

    public const string KeysHelp =
        "The federation's key file: every block and vote the backup nodes serve is checked here (id and signatures) before it is written; "
        + "one that fails is read from another replica instead. Without it, records are taken as the nodes serve them.";

    /// <summary>What the success line adds about the records' verification.</summary>
    public string Verified() => _check is { } check
        ? $"; ids and signatures of {check.Checked} blocks and votes checked against the federation's keys"
        : "";

    /// <summary>HTTP timeout for opening a request; record streams then run as long as they deliver.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>An HTTP client whose requests carry the admin token; the caller disposes it.</summary>
    public HttpClient Client() => Admin.Contract.Access.AdminHttp.Create(RequestTimeout, AdminCredentials.Token(TokenFile));

    /// <summary>Connects, checks the tables and resolves T; every failure is one line.</summary>
    public async Task<(ClusterBackupSource Source, IReadOnlyList<string> Tables, long At)> OpenAsync(HttpClient http, TextWriter output, CancellationToken ct)
    {
        try
        {
            var source = await ClusterBackupSource.ConnectAsync(http, AdminUrl, w => output.WriteLine($"warning: {w}"), ct, check: Check);
            if (Check is null)
                output.WriteLine("note: records are taken as the backup nodes serve them; --federation-keys FILE checks every id and signature here");
            var tables = source.SelectTables(Tables);
            var at = source.ResolvePoint(At?.ToUnixTimeSeconds(), ForceUnsafeAt);
            return (source, tables, at);
        }
        catch (BackupClusterException e)
        {
            throw new CliError(e.Message);
        }
    }
}
