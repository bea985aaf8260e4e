using System.Globalization;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Ledger.Simulation;

namespace ActorBackup.Cli.Verbs.Simulate;

/// <summary>One `simulate` invocation's options, checked; <see cref="StartTime"/> is null unless given.</summary>
internal sealed record SimulateSettings(
    string Host,
    int Port,
    string User,
    string Password,
    string Database,
    int Nodes,
    int Blocks,
    int TransactionsPerBlock,
    double Rate,
    long Seed,
    string? KeysOut,
    FaultRates Faults,
    bool VirtualClock,
    long? StartTime,
    bool Json)
{
    /// <summary>BigchainDB timestamps are ten-digit Unix seconds (vote schema pattern [0-9]{10}).</summary>
    private const long MinTimestamp = 1_000_000_000;
    private const long MaxTimestamp = 9_999_999_999;

    public string Endpoint => $"{Host}:{Port}";

    public string SeedText => Seed.ToString(CultureInfo.InvariantCulture);

    public static SimulateSettings From(ParsedArgs args, string verb)
    {
        var (host, port) = args.GetEndpoint("source");
        var clock = args.GetRequiredString("clock");
        if (clock is not ("wall" or "virtual"))
            throw CliError.Usage($"--clock must be wall or virtual (got '{clock}')", verb);
        long? start = null;
        if (args.Has("start-time"))
        {
            if (clock != "virtual")
                throw CliError.Usage("--start-time needs --clock virtual (wall-clock timestamps are the current time)", verb);
            start = args.GetLong("start-time", MinTimestamp, MaxTimestamp);
        }
        var database = args.GetRequiredString("db");
        if (database.Length == 0 || !database.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            throw CliError.Usage($"--db must be a RethinkDB name of letters, digits and underscores (got '{database}')", verb);
        var keysOut = args.GetString("keys-out");
        if (keysOut is { Length: 0 })
            throw CliError.Usage("--keys-out needs a file name", verb);
        return new SimulateSettings(
            host,
            port,
            args.GetRequiredString("user"),
            args.GetString("password") ?? "",
            database,
            args.GetInt("nodes", 1, 64),
            args.GetInt("blocks", 1),
            args.GetInt("txs-per-block", 1, 1000),
            args.GetDouble("rate", 0),
            args.GetLong("seed"),
            keysOut,
            new FaultRates(
                args.GetDouble("invalid-votes", 0, 1),
                args.GetDouble("missing-votes", 0, 1),
                args.GetDouble("forged-signatures", 0, 1),
                args.GetDouble("malformed", 0, 1)),
            clock == "virtual",
            start,
            args.GetFlag("json"));
    }
}
