using ActorBackup.Cli.CommandLine;
using ActorBackup.Recovery.FromCluster;

namespace ActorBackup.Cli.Verbs.Restore;

/// <summary>What restore and export read from the backup cluster: its entry node, the tables and T.</summary>
/// <param name="TokenFile">--token-file, if given (else the token comes from the environment, if set).</param>
internal sealed record ClusterSelection(string AdminUrl, string? TokenFile, IReadOnlyList<string> Tables, DateTimeOffset? At, bool ForceUnsafeAt)
{
    /// <summary>HTTP timeout for opening a request; record streams then run as long as they deliver.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>An HTTP client whose requests carry the admin token; the caller disposes it.</summary>
    public HttpClient Client() => Admin.Contract.Access.AdminHttp.Create(RequestTimeout, AdminCredentials.Token(TokenFile));

    /// <summary>Connects, checks the tables and resolves T; every failure is one line.</summary>
    public async Task<(ClusterBackupSource Source, IReadOnlyList<string> Tables, long At)> OpenAsync(HttpClient http, TextWriter output, CancellationToken ct)
    {
        try
        {
            var source = await ClusterBackupSource.ConnectAsync(http, AdminUrl, w => output.WriteLine($"warning: {w}"), ct);
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
