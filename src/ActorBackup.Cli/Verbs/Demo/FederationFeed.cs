using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Verbs.Simulate;
using ActorBackup.Ledger.Federation;
using ActorBackup.Ledger.Simulation;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Local;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cli.Verbs.Demo;

/// <summary>
/// A simulated federation of BigchainDB nodes writing blocks and their votes into the source at a steady rate, in
/// this process, with the `simulate` verb's simulator and writer, until stopped.
/// </summary>
internal sealed class FederationFeed : IAsyncDisposable
{
    private const int MaxBatch = 25;

    private readonly Connection _connection;
    private readonly FederationSimulator _simulator;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _writing;
    private long _blocks;
    private long _votes;

    private FederationFeed(Connection connection, FederationSimulator simulator, string database, double rate)
    {
        _connection = connection;
        _simulator = simulator;
        _writing = Task.Run(() => WriteAsync(new LedgerWriter(connection, database), rate, _stop.Token));
    }

    public long Blocks => Interlocked.Read(ref _blocks);

    public long Votes => Interlocked.Read(ref _votes);

    /// <summary>Why writing stopped on its own, or null while it goes on.</summary>
    public string? Failure { get; private set; }

    /// <summary>Creates the BigchainDB tables, saves the federation's key file, then starts writing.</summary>
    public static async Task<FederationFeed> StartAsync(
        ReqliteProcess source, string database, int nodes, double rate, string keysFile, CancellationToken ct)
    {
        Connection connection;
        try
        {
            connection = await Connection.ConnectAsync(new ConnectionOptions
            {
                Host = source.Host,
                Port = source.Port,
                Db = database,
                ConnectTimeout = TimeSpan.FromSeconds(10),
            }, ct);
            await BigchainSchema.EnsureAsync(connection, database, ct);
        }
        catch (ReqlError e)
        {
            throw new CliError($"the source {source.Endpoint}: {e.Message.Split('\n')[0]}");
        }
        var simulator = new FederationSimulator(new SimulationOptions("demo", nodes, TransactionsPerBlock: 5));
        FederationKeyFile.Save(keysFile, simulator.Federation);
        return new FederationFeed(connection, simulator, database, rate);
    }

    private async Task WriteAsync(LedgerWriter writer, double rate, CancellationToken ct)
    {
        var pacer = new Pacer(rate, TimeProvider.System);
        using var rounds = _simulator.Generate(int.MaxValue).GetEnumerator();
        var batch = new List<SimulatedRound>(MaxBatch);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var allowance = await pacer.WaitForAllowanceAsync(Blocks, MaxBatch, ct);
                batch.Clear();
                while (batch.Count < allowance && rounds.MoveNext())
                    batch.Add(rounds.Current);
                // Whole batches only, so a stop never leaves a block without its votes.
                await writer.WriteAsync(batch, CancellationToken.None);
                Interlocked.Add(ref _blocks, batch.Count);
                Interlocked.Add(ref _votes, batch.Sum(r => r.Votes.Count));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped by DisposeAsync.
        }
        catch (Exception e) when (e is ReqlError or CliError)
        {
            Failure = e.Message.Split('\n')[0];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _writing;
        await _connection.DisposeAsync();
        _simulator.Dispose();
        _stop.Dispose();
    }
}
