using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Progress;
using ActorBackup.Cli.Verbs.Restore;
using ActorBackup.Cli.Verbs.VerifyBundle;
using ActorBackup.Ledger.Selection;
using ActorBackup.Recovery.Bundle;
using ActorBackup.Recovery.Bundle.Sources;

namespace ActorBackup.Cli.Verbs.ClientBackup;

/// <summary>
/// One client-backup: reads the selection from the source, writes the bundle, then opens what it wrote and verifies
/// it as verify-bundle would, so the report is about the file on disk. Exit 0 when every selected transaction is in
/// a block its votes decide valid; 3 when a transaction is not (yet) proven or the source gave records that fail.
/// </summary>
internal sealed class ClientBackupRun(ClientBackupSettings settings, TextWriter output)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        if (!Directory.Exists(Path.GetDirectoryName(settings.Out)))
            throw new CliError($"the folder of {settings.Out} does not exist", ExitCodes.Usage);
        var ids = settings.TransactionFile is { } file ? [.. settings.Transactions, .. TransactionIdFile.Read(file)] : settings.Transactions;
        var asked = new TransactionSelection(ids, settings.PublicKeys, settings.Assets);
        var keyFile = settings.KeyFile is { } keys ? BundleFederationKeys.FromFile(keys, VerifyBundleVerb.LoadKeys(keys)) : null;
        var since = settings.Since is { } previous ? Open(previous) : null;

        using var http = Admin.Contract.Access.AdminHttp.Create(ClusterSelection.RequestTimeout, settings.Source is null ? AdminCredentials.Token(settings.TokenFile) : null);
        await using IBundleSource source = settings.Source is { } connection
            ? new ReqlBundleSource(connection, settings.Db, settings.Scan)
            : new ClusterBundleSource(http, settings.Admin!.OriginalString, w => output.WriteLine($"warning: {w}"));
        output.WriteLine($"client-backup: reading {source.Description}{(since is null ? "" : $", adding to {since.Path}")}");
        BuiltBundle bundle;
        try
        {
            bundle = await ProgressDisplay.RunAsync(output, async display =>
            {
                var progress = new ReadProgress(display);
                var built = await new BundleBuilder(source, TimeProvider.System).BuildAsync(asked, since, keyFile, progress, ct);
                progress.Finish();
                return built;
            });
            await BundleWriter.WriteAsync(settings.Out, settings.Overwrite, bundle, ct);
        }
        catch (Exception e) when (e is BundleSourceException or BundleFormatException)
        {
            throw new CliError(e.Message);
        }
        foreach (var read in source.Reads)
            output.WriteLine(read);
        foreach (var record in bundle.LeftOut)
            output.WriteLine($"left out, fails verification: {record}");

        var written = BundleArchive.Open(settings.Out);
        var verification = BundleVerifier.Verify(written, keyFile ?? BundleFederationKeys.FromManifest(settings.Out, written.Manifest!));
        output.WriteLine($"wrote {settings.Out}: {bundle.Contents.Blocks.Count} blocks ({bundle.BlocksAdded} new), "
                         + $"{bundle.Contents.Votes.Count} votes ({bundle.VotesAdded} new), {verification.Transactions.Count} transactions selected");
        VerdictText.Write(output, verification);
        return bundle.LeftOut.Count == 0 && verification.IsProven ? ExitCodes.Ok : ExitCodes.VerificationFailed;
    }

    private static BundleArchive Open(string path)
    {
        try
        {
            return BundleArchive.Open(path);
        }
        catch (BundleFormatException e)
        {
            throw new CliError($"--since: {e.Message}");
        }
    }

    /// <summary>A progress task per table, created when the table's first document is read.</summary>
    private sealed class ReadProgress(ProgressDisplay display) : IProgress<BundleReadProgress>
    {
        private readonly Dictionary<string, (IProgressTask Task, long Read)> _tasks = [];

        public void Report(BundleReadProgress value)
        {
            lock (_tasks)
            {
                if (!_tasks.TryGetValue(value.Table, out var entry))
                    entry = (display.Add($"reading {value.Table}", value.Expected), 0);
                if (value.Read > entry.Read)
                    entry.Task.Advance(value.Read - entry.Read);
                _tasks[value.Table] = (entry.Task, Math.Max(entry.Read, value.Read));
            }
        }

        public void Finish()
        {
            lock (_tasks)
            {
                foreach (var (task, read) in _tasks.Values)
                    task.Finish($"{read} documents read");
            }
        }
    }
}
