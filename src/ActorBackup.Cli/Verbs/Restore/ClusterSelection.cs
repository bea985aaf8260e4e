using ActorBackup.Cli.CommandLine;
using ActorBackup.Recovery.FromCluster;

namespace ActorBackup.Cli.Verbs.Restore;

/// <summary>What restore and export read from the backup cluster: its entry node, the tables and T.</summary>
internal sealed record ClusterSelection(string AdminUrl, IReadOnlyList<string> Tables, DateTimeOffset? At, bool ForceUnsafeAt)
{
    /// <summary>HTTP timeout for opening a request; record streams then run as long as they deliver.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

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
