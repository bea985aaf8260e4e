using ActorBackup.Ledger.Federation;
using ActorBackup.Ledger.Simulation;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;
using ActorBackup.Sandbox.Reqlite;

namespace ActorBackup.Sandbox.Federation;

/// <summary>
/// A simulated federation of BigchainDB nodes writing blocks and their votes at a steady rate, in this process, with
/// the simulator and writer of the `simulate` verb, until stopped. Given several sources it stands for one RethinkDB
/// cluster of several servers: every batch goes to every server still up, so each holds the same ledger, and
/// losing one (a write to it fails) leaves the others written to.
/// </summary>
public sealed class FederationFeed : IAsyncDisposable
{
    private const int MaxBatch = 25;

    private readonly IReadOnlyList<(string Endpoint, Connection Connection)> _sources;
    private readonly FederationSimulator _simulator;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _writing;
    private readonly List<string> _lost = [];
    private long _blocks;
    private int _disposed;
    private long _votes;

    private FederationFeed(IReadOnlyList<(string, Connection)> sources, FederationSimulator simulator, string database, double rate)
    {
        _sources = sources;
        _simulator = simulator;
        _writing = Task.Run(() => WriteAsync(database, rate, _stop.Token));
    }

    public long Blocks => Interlocked.Read(ref _blocks);

    public long Votes => Interlocked.Read(ref _votes);

    /// <summary>Why writing stopped on its own (no source left to write to), or null while it goes on.</summary>
    public string? Failure { get; private set; }

    /// <summary>Sources a write failed on, which the feed no longer writes to, each with the reason.</summary>
    public IReadOnlyList<string> Lost { get { lock (_lost) return _lost.ToArray(); } }

    /// <summary>Creates the BigchainDB tables on every source, saves the federation's key file, then starts writing.</summary>
    /// <exception cref="SandboxException">A source cannot be written to.</exception>
    public static async Task<FederationFeed> StartAsync(
        IReadOnlyList<ReqliteServer> sources, string database, int nodes, double rate, string keysFile, CancellationToken ct)
    {
        var connections = new List<(string, Connection)>();
        try
        {
            foreach (var source in sources)
                connections.Add((source.Endpoint, await ConnectAsync(source, database, ct)));
        }
        catch
        {
            foreach (var (_, connection) in connections)
                await connection.DisposeAsync();
            throw;
        }
        var simulator = new FederationSimulator(Options(nodes));
        FederationKeyFile.Save(keysFile, simulator.Federation);
        return new FederationFeed(connections, simulator, database, rate);
    }

    /// <summary>
    /// The simulation the feed writes: a simulator made from these options with another <see cref="SimulationOptions.Clock"/>
    /// signs with the same federation's keys, so its blocks and votes verify against the feed's key file.
    /// </summary>
    public static SimulationOptions Options(int nodes) => new("demo", nodes, TransactionsPerBlock: 5);

    private static async Task<Connection> ConnectAsync(ReqliteServer source, string database, CancellationToken ct)
    {
        try
        {
            var connection = await Connection.ConnectAsync(new ConnectionOptions
            {
                Host = source.Host,
                Port = source.Port,
                Db = database,
                ConnectTimeout = TimeSpan.FromSeconds(10),
            }, ct);
            await BigchainSchema.EnsureAsync(connection, database, ct);
            return connection;
        }
        catch (ReqlError e)
        {
            throw new SandboxException($"the source {source.Endpoint}: {e.Message.Split('\n')[0]}");
        }
    }

    private async Task WriteAsync(string database, double rate, CancellationToken ct)
    {
        var writers = _sources.Select(s => (s.Endpoint, Writer: new LedgerWriter(s.Connection, database))).ToList();
        var pacer = new Pacer(rate, TimeProvider.System);
        using var rounds = _simulator.Generate(int.MaxValue).GetEnumerator();
        var batch = new List<SimulatedRound>(MaxBatch);
        try
        {
            while (!ct.IsCancellationRequested && writers.Count > 0)
            {
                var allowance = await pacer.WaitForAllowanceAsync(Blocks, MaxBatch, ct);
                batch.Clear();
                while (batch.Count < allowance && rounds.MoveNext())
                    batch.Add(_sources.Count > 1 ? VoteIds.Assign(rounds.Current) : rounds.Current);
                foreach (var (endpoint, writer) in writers.ToArray())
                {
                    try
                    {
                        // Whole batches only, so a stop never leaves a block without its votes.
                        await writer.WriteAsync(batch, CancellationToken.None);
                    }
                    catch (Exception e) when (e is ReqlError or SandboxException)
                    {
                        writers.RemoveAll(w => w.Endpoint == endpoint);
                        lock (_lost) _lost.Add($"{endpoint}: {e.Message.Split('\n')[0]}");
                    }
                }
                if (writers.Count == 0)
                    break;
                Interlocked.Add(ref _blocks, batch.Count);
                Interlocked.Add(ref _votes, batch.Sum(r => r.Votes.Count));
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopped by DisposeAsync.
        }
        if (writers.Count == 0)
            Failure = string.Join("; ", Lost);
    }

    /// <summary>Stops writing (a whole batch is finished first) and closes the connections; later calls do nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync();
        await _writing;
        foreach (var (_, connection) in _sources)
            await connection.DisposeAsync();
        _simulator.Dispose();
        _stop.Dispose();
    }
}
