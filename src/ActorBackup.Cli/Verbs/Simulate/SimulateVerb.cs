using System.Diagnostics;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Ledger.Federation;
using ActorBackup.Ledger.Simulation;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Federation;

namespace ActorBackup.Cli.Verbs.Simulate;

/// <summary>
/// `actorbackup simulate`: a BigchainDB 0.10 federation writing blocks and votes into RethinkDB, for testing a
/// backup without a real federation. The same seed continues the same ledger where an earlier run stopped.
/// </summary>
public sealed class SimulateVerb : IVerb
{
    /// <summary>Blocks per insert when not paced; a batch is also the unit an interrupted run stops at.</summary>
    private const int BatchBlocks = 25;

    /// <summary>Where a virtual clock starts on an empty database.</summary>
    private const long DefaultVirtualStart = 1_500_000_000;

    public string Name => "simulate";

    public string Summary => "Write a simulated BigchainDB 0.10 federation's blocks and votes into RethinkDB (reqlite by default).";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        SharedOptions.Server("source", "RethinkDB to write to.", "127.0.0.1:28015"),
        SharedOptions.User,
        SharedOptions.Password,
        new("db", "NAME", "Database; created with BigchainDB's tables and indexes when missing.", "bigchain"),
        new("nodes", "N", "Federation nodes (each votes on every block), 1 to 64.", "4"),
        new("blocks", "N", "Blocks to write in this run (the genesis block counts).", "100"),
        new("txs-per-block", "N", "CREATE and TRANSFER transactions per block, 1 to 1000.", "10"),
        new("rate", "BLOCKS_PER_S", "Blocks per second; 0 writes as fast as possible.", "0"),
        new("seed", "N", "Fixes keys, transactions and faults; run again with the same seed to continue the ledger.", "1"),
        new("keys-out", "FILE", "Write the federation's public key file (what backup nodes read)."),
        new("invalid-votes", "F", "Fraction of votes saying the block is invalid (0 to 1).", "0"),
        new("missing-votes", "F", "Fraction of votes cast but never written (0 to 1).", "0"),
        new("forged-signatures", "F", "Fraction of blocks and votes signed with another node's key (0 to 1).", "0"),
        new("malformed", "F", "Fraction of blocks and votes with a field removed or mistyped (0 to 1).", "0"),
        new("clock", "wall|virtual", "Timestamps from the wall clock, or a virtual clock one second per document.", "wall"),
        new("start-time", "UNIX", "Where the virtual clock starts (default: 1500000000, or after the newest stored timestamp)."),
        SharedOptions.Json("Print only a one-line JSON summary."),
    ];

    public IReadOnlyList<string> Examples { get; } =
    [
        "actorbackup simulate --source 127.0.0.1:28015 --blocks 1000 --keys-out federation-keys.json",
        "actorbackup simulate --blocks 600 --rate 2 --missing-votes 0.01",
        "actorbackup simulate --db bigchain_test --seed 7 --blocks 20 --clock virtual --json",
    ];

    public void Check(ParsedArgs args) => SimulateSettings.From(args, Name);

    public async Task<int> RunAsync(ParsedArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var settings = SimulateSettings.From(args, Name);
        await using var connection = await ConnectAsync(settings, cancellationToken);
        try
        {
            return await SimulateAsync(settings, connection, output, cancellationToken);
        }
        catch (ReqlError e)
        {
            throw new CliError($"RethinkDB at {settings.Endpoint}: {FirstLine(e.Message)}");
        }
        catch (SandboxException e)
        {
            throw new CliError(e.Message);
        }
        catch (InvalidDataException e)
        {
            throw new CliError($"cannot continue the ledger in {settings.Database}: {e.Message}", ExitCodes.Usage, "use another --db for a new federation");
        }
    }

    private static async Task<Connection> ConnectAsync(SimulateSettings settings, CancellationToken ct)
    {
        try
        {
            return await Connection.ConnectAsync(new ConnectionOptions
            {
                Host = settings.Host,
                Port = settings.Port,
                User = settings.User,
                Password = settings.Password,
                Db = settings.Database,
                ConnectTimeout = TimeSpan.FromSeconds(10),
            }, ct);
        }
        catch (ReqlConnectionError e)
        {
            // The driver's message already names the endpoint and the cause.
            throw new CliError(FirstLine(e.Message));
        }
        catch (ReqlError e)
        {
            throw new CliError($"cannot connect to {settings.Endpoint}: {FirstLine(e.Message)}");
        }
    }

    private async Task<int> SimulateAsync(SimulateSettings settings, IConnection connection, TextWriter output, CancellationToken ct)
    {
        var warnings = await BigchainSchema.EnsureAsync(connection, settings.Database, ct);
        if (!settings.Json)
        {
            foreach (var warning in warnings)
                output.WriteLine($"actorbackup simulate: warning: {warning}");
        }
        var stored = await StoredLedger.ReadAsync(connection, settings.Database, ct);

        Func<long>? clock = null;
        if (settings.VirtualClock)
            clock = SimulationClocks.Virtual(settings.StartTime ?? (stored.NewestTimestamp + 1 ?? DefaultVirtualStart));
        var options = new SimulationOptions(settings.SeedText, settings.Nodes, settings.TransactionsPerBlock,
            Faults: settings.Faults, Clock: clock, MalformedAsJson: true);
        using var simulator = new FederationSimulator(options);
        if (stored.Resume is not null && !SameKeys(simulator.Federation, stored.GenesisVoters))
        {
            throw new CliError(
                $"the database {settings.Database} holds another federation: its genesis block's voters are not the {settings.Nodes} nodes of seed {settings.Seed}",
                ExitCodes.Usage, "give the --seed and --nodes of the run that created it, or another --db");
        }
        if (stored.Resume is { BlocksWritten: > 1 } && stored.LastBlockTransactions != settings.TransactionsPerBlock)
        {
            throw new CliError(
                $"the ledger in {settings.Database} was written with --txs-per-block {stored.LastBlockTransactions}, not {settings.TransactionsPerBlock}",
                ExitCodes.Usage, "a continuation keeps the transactions per block, since each TRANSFER spends a CREATE of the block before");
        }
        if (settings.KeysOut is { } keysOut)
            SaveKeys(keysOut, simulator.Federation);

        var writer = new LedgerWriter(connection, settings.Database);
        var pacer = settings.Rate > 0 ? new Pacer(settings.Rate, TimeProvider.System) : null;
        var elapsed = Stopwatch.StartNew();
        var tally = await SimulationProgress.RunAsync(output, settings.Json, settings.Blocks, async report =>
        {
            var tally = new SimulationTally();
            using var rounds = simulator.Generate(settings.Blocks, stored.Resume).GetEnumerator();
            var batch = new List<SimulatedRound>(BatchBlocks);
            while (tally.Blocks < settings.Blocks)
            {
                ct.ThrowIfCancellationRequested();
                var allowance = pacer is null ? BatchBlocks : await pacer.WaitForAllowanceAsync(tally.Blocks, BatchBlocks, ct);
                batch.Clear();
                while (batch.Count < allowance && rounds.MoveNext())
                    batch.Add(rounds.Current);
                // Not cancellable: a batch is written whole, so an interrupted run leaves no block without its votes.
                await writer.WriteAsync(batch, CancellationToken.None);
                foreach (var round in batch)
                    tally.Add(round);
                report(tally);
            }
            return tally;
        });
        var summary = new SimulationSummary(settings, tally, stored.Resume is not null, elapsed.Elapsed, warnings);
        if (settings.Json)
            summary.WriteJson(output);
        else
            summary.WriteText(output);
        return ExitCodes.Ok;
    }

    private static bool SameKeys(FederationKeys federation, IReadOnlyList<string> voters) =>
        voters.Count == federation.Count && voters.All(federation.Contains);

    private static void SaveKeys(string path, FederationKeys federation)
    {
        try
        {
            FederationKeyFile.Save(path, federation);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliError($"cannot write the key file {path}: {e.Message}");
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
