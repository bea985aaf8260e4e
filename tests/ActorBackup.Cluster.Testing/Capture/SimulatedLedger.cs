using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorBackup.Cluster.Records;
using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Federation;
using ActorBackup.Ledger.Json;
using ActorBackup.Ledger.Simulation;

namespace ActorBackup.Cluster.Tests.Capture;

/// <summary>One document as written to a source: its table, id and timestamp, and its bytes.</summary>
public sealed record LedgerDocument(string Table, string Id, long Timestamp, byte[] Json, SimulatedFault Fault)
{
    public byte[] Digest => RecordDigest.Of(Id, Json);
}

/// <summary>
/// A simulated BigchainDB federation whose timestamps follow a clock the test sets (near now, so the watermark
/// logic runs), with ids on votes as RethinkDB would have given them, so that two sources can hold the same votes.
/// </summary>
public sealed class SimulatedLedger : IDisposable
{
    private readonly FederationSimulator _simulator;
    private SimulationResume? _resume;

    public SimulatedLedger(string seed, long start, FaultRates? faults = null)
    {
        NextTimestamp = start;
        _simulator = new FederationSimulator(new SimulationOptions(seed, Nodes: 3, TransactionsPerBlock: 1, Faults: faults, Clock: () => NextTimestamp++));
    }

    /// <summary>The timestamp the next document gets; each document advances it by one second.</summary>
    public long NextTimestamp { get; set; }

    public FederationKeys Federation => _simulator.Federation;

    /// <summary>The blocks and votes of the next <paramref name="rounds"/> rounds (genesis first).</summary>
    public IReadOnlyList<LedgerDocument> Next(int rounds) =>
        _simulator.Generate(rounds, _resume, r => _resume = r)
            .SelectMany(round => round.Votes.Prepend(round.Block))
            .Select(ToDocument)
            .ToList();

    /// <summary>Node <paramref name="voter"/>'s signed vote on <paramref name="block"/>, stamped by the clock now: a vote cast long after its block.</summary>
    public LedgerDocument LateVote(int voter, LedgerDocument block) => ToDocument(_simulator.Vote(voter, block.Id, block.Id, valid: true));

    public void Dispose() => _simulator.Dispose();

    private static LedgerDocument ToDocument(SimulatedDocument document)
    {
        if (document.Kind == RecordKind.Block)
            return new LedgerDocument("bigchain", document.BlockId, document.Timestamp, document.Json, document.Fault);
        // A vote's id is a UUID RethinkDB generates on insert; derive one from the content so every source agrees.
        var id = new Guid(SHA256.HashData(document.Json).AsSpan(0, 16)).ToString();
        if (!IsObject(document.Json) || JsonNode.Parse(document.Json) is not JsonObject vote)
            return new LedgerDocument("votes", id, document.Timestamp, document.Json, document.Fault);
        vote["id"] = id;
        return new LedgerDocument("votes", id, document.Timestamp, CanonicalJson.ToBytes(vote), document.Fault);
    }

    /// <summary>True for documents a RethinkDB can hold (a truncated one is not JSON at all).</summary>
    public static bool IsStorable(LedgerDocument document) => IsObject(document.Json);

    private static bool IsObject(byte[] json)
    {
        try
        {
            using var parsed = JsonDocument.Parse(json);
            return parsed.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
