using System.Text;
using System.Text.Json.Nodes;
using ActorBackup.Ledger.Crypto;
using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Federation;
using ActorBackup.Ledger.Json;

namespace ActorBackup.Ledger.Simulation;

/// <summary>
/// A deterministic BigchainDB 0.10 federation: node and user keys, transactions and faults all follow from the
/// seed, so the same seed and clock readings give the same bytes, and a run can stop and later continue from a
/// <see cref="SimulationResume"/> exactly as if it had never stopped. Produces documents only; writing them is
/// the caller's business.
/// </summary>
public sealed class FederationSimulator : IDisposable
{
    /// <summary>
    /// The metadata key under which every transaction of a non-genesis block records the block's number, so a
    /// resumed run can find where the ledger stopped from the stored blocks alone.
    /// </summary>
    public const string BlockNumberKey = "block";

    private const string GenesisMessage = "Hello World from the BigchainDB";

    private readonly SimulationOptions options;
    private readonly SimulatedKey[] nodes;
    private readonly SimulatedKey[] users;
    private readonly JsonArray voters;

    public FederationSimulator(SimulationOptions options)
    {
        if (options.Nodes < 1 || options.Users < 2 || options.TransactionsPerBlock < 1)
            throw new ArgumentException("A simulation needs at least 1 node, 2 users and 1 transaction per block.", nameof(options));
        this.options = options;
        nodes = Enumerable.Range(0, options.Nodes)
            .Select(i => new SimulatedKey($"node-{i}", DeterministicRandom.Bytes(options.Seed, "node-key", i, Ed25519Crypto.SeedLength))).ToArray();
        users = Enumerable.Range(0, options.Users)
            .Select(i => new SimulatedKey($"user-{i}", DeterministicRandom.Bytes(options.Seed, "user-key", i, Ed25519Crypto.SeedLength))).ToArray();
        // BigchainDB 0.10 lists voters in set order, arbitrary but fixed for a process: one shuffle per federation.
        var order = nodes.Select(n => n.PublicKey).ToList();
        var random = DeterministicRandom.For(options.Seed, "voters", 0);
        for (var i = order.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        voters = new JsonArray(order.Select(k => (JsonNode)k).ToArray());
        Federation = FederationKeys.Create(nodes.Select(n => new FederationMember(n.PublicKey, n.Name)));
    }

    public FederationKeys Federation { get; }

    /// <summary>The content of the federation key file (what <c>simulate --keys-out</c> writes).</summary>
    public string KeyFile() => FederationKeyFile.Write(Federation);

    /// <summary>
    /// Produces <paramref name="count"/> rounds: from genesis when <paramref name="resume"/> is null, else from the
    /// next block after it. <paramref name="resumeAfter"/> receives the state after each round.
    /// </summary>
    public IEnumerable<SimulatedRound> Generate(int count, SimulationResume? resume = null, Action<SimulationResume>? resumeAfter = null)
    {
        var number = resume?.BlocksWritten ?? 0;
        var lastVoted = new Dictionary<string, string>(resume?.LastVotedBlock ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var genesisId = resume?.GenesisBlockId;
        for (var produced = 0; produced < count; produced++, number++)
        {
            SimulatedRound round;
            if (number == 0)
            {
                round = GenesisRound();
                genesisId = round.Block.BlockId;
                foreach (var node in nodes)
                    lastVoted[node.PublicKey] = genesisId;
            }
            else
            {
                // A node with no vote yet chains its first vote from genesis.
                foreach (var node in nodes)
                    lastVoted.TryAdd(node.PublicKey, genesisId!);
                round = BlockRound(number, lastVoted);
            }
            resumeAfter?.Invoke(new SimulationResume(number + 1, round.Block.BlockId, genesisId!, new Dictionary<string, string>(lastVoted, StringComparer.Ordinal)));
            yield return round;
        }
    }

    /// <summary>
    /// A correctly signed block by node <paramref name="creator"/> (its index) holding <paramref name="transactions"/>,
    /// timestamped by the clock: for what rounds never produce, such as the transactions of a block voted invalid,
    /// which BigchainDB puts back into a later block (reference §6.4).
    /// </summary>
    public SimulatedDocument Block(int creator, IEnumerable<byte[]> transactions)
    {
        var list = new JsonArray(transactions.Select(tx => JsonNode.Parse(tx)).ToArray());
        return MakeBlock(nodes[creator], list, DeterministicRandom.For(options.Seed, "custom", 0), allowFaults: false);
    }

    /// <summary>Node <paramref name="voter"/>'s correctly signed vote on <paramref name="blockId"/>, its chain going on from <paramref name="previousBlock"/>.</summary>
    public SimulatedDocument Vote(int voter, string blockId, string previousBlock, bool valid) =>
        MakeVote(nodes[voter], blockId, previousBlock, valid, DeterministicRandom.For(options.Seed, "custom", 0), allowFaults: false);

    public void Dispose()
    {
        foreach (var key in nodes.Concat(users))
            key.Dispose();
    }

    private SimulatedRound GenesisRound()
    {
        var creator = nodes[0];
        var tx = TransactionFactory.Create(creator, null, new JsonObject { ["message"] = GenesisMessage }, "GENESIS");
        var block = MakeBlock(creator, new JsonArray(tx), DeterministicRandom.For(options.Seed, "genesis-faults", 0), allowFaults: false);
        return new SimulatedRound(0, block, [], []);
    }

    private SimulatedRound BlockRound(long number, Dictionary<string, string> lastVoted)
    {
        var faults = DeterministicRandom.For(options.Seed, "faults", number);
        var creator = nodes[(int)(number % nodes.Length)];
        var block = MakeBlock(creator, Transactions(number), faults, allowFaults: true);

        var votes = new List<SimulatedDocument>();
        var lost = new List<string>();
        foreach (var node in nodes)
        {
            var valid = !faults.Chance(options.FaultRates.InvalidVotes);
            var missing = faults.Chance(options.FaultRates.MissingVotes);
            var vote = MakeVote(node, block.BlockId, lastVoted[node.PublicKey], valid, faults, allowFaults: true);
            lastVoted[node.PublicKey] = block.BlockId;
            if (missing)
                lost.Add(node.PublicKey);
            else
                votes.Add(vote);
        }
        return new SimulatedRound(number, block, votes, lost);
    }

    /// <summary>
    /// Slot i of block n is a CREATE when n + i is even, otherwise a TRANSFER of slot i's CREATE in block n - 1,
    /// so every transaction can be rebuilt from the seed and the block number alone.
    /// </summary>
    private JsonArray Transactions(long number)
    {
        var list = new JsonArray();
        for (var slot = 0; slot < options.TransactionsPerBlock; slot++)
        {
            if ((number + slot) % 2 == 0 || number < 2)
            {
                list.Add(CreateFor(number, slot));
            }
            else
            {
                var (create, owner) = (CreateFor(number - 1, slot), CreateOwner(number - 1, slot));
                var recipient = users[(Array.IndexOf(users, owner) + 1 + DeterministicRandom.For(options.Seed, "recipient", number * 100_003 + slot).Next(users.Length - 1)) % users.Length];
                list.Add(TransactionFactory.Transfer(owner, create["id"]!.GetValue<string>(), recipient,
                    new JsonObject { [BlockNumberKey] = number, ["slot"] = slot }));
            }
        }
        return list;
    }

    private SimulatedKey CreateOwner(long number, int slot) =>
        users[DeterministicRandom.For(options.Seed, "owner", number * 100_003 + slot).Next(users.Length)];

    private JsonObject CreateFor(long number, int slot) =>
        TransactionFactory.Create(CreateOwner(number, slot),
            new JsonObject { ["serial"] = $"{options.Seed}-{number}-{slot}", ["kind"] = "simulated" },
            new JsonObject { [BlockNumberKey] = number, ["slot"] = slot });

    private SimulatedDocument MakeBlock(SimulatedKey creator, JsonArray transactions, DeterministicRandom faults, bool allowFaults)
    {
        var inner = new JsonObject
        {
            ["node_pubkey"] = creator.PublicKey,
            ["timestamp"] = options.ClockOrWallTime().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["transactions"] = transactions,
            ["voters"] = voters.DeepClone(),
        };
        var preimage = CanonicalJson.ToBytes(inner);
        var id = LedgerHasher.ComputeHex(LedgerHash.Sha3_256, preimage);
        var forged = allowFaults && faults.Chance(options.FaultRates.ForgedSignatures);
        var malformed = allowFaults && faults.Chance(options.FaultRates.MalformedDocuments);
        var signer = forged ? OtherNode(creator) : creator;
        var document = new JsonObject { ["block"] = inner, ["id"] = id, ["signature"] = Base58.Encode(signer.Sign(preimage)) };
        var fault = malformed ? SimulatedFault.Malformed : forged ? SimulatedFault.ForgedSignature : SimulatedFault.None;
        var timestamp = long.Parse(inner["timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        return new SimulatedDocument(RecordKind.Block, id, creator.PublicKey, timestamp, fault,
            malformed ? Break(document, "block", faults) : CanonicalJson.ToBytes(document));
    }

    private SimulatedDocument MakeVote(SimulatedKey node, string blockId, string previous, bool valid, DeterministicRandom faults, bool allowFaults)
    {
        var timestamp = options.ClockOrWallTime();
        var vote = new JsonObject
        {
            ["invalid_reason"] = null,
            ["is_block_valid"] = valid,
            ["previous_block"] = previous,
            ["timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["voting_for_block"] = blockId,
        };
        var forged = allowFaults && faults.Chance(options.FaultRates.ForgedSignatures);
        var malformed = allowFaults && faults.Chance(options.FaultRates.MalformedDocuments);
        var signer = forged ? OtherNode(node) : node;
        var document = new JsonObject
        {
            ["node_pubkey"] = node.PublicKey,
            ["signature"] = Base58.Encode(signer.Sign(CanonicalJson.ToBytes(vote))),
            ["vote"] = vote,
        };
        var fault = malformed ? SimulatedFault.Malformed : forged ? SimulatedFault.ForgedSignature : valid ? SimulatedFault.None : SimulatedFault.InvalidVote;
        return new SimulatedDocument(RecordKind.Vote, blockId, node.PublicKey, timestamp, fault,
            malformed ? Break(document, "vote", faults) : CanonicalJson.ToBytes(document));
    }

    private SimulatedKey OtherNode(SimulatedKey node) =>
        nodes.Length > 1 ? nodes[(Array.IndexOf(nodes, node) + 1) % nodes.Length] : users[0];

    /// <summary>
    /// Breaks a document one of three ways: cut short, a required field removed, or a field of the wrong type
    /// (only the last two with <see cref="SimulationOptions.MalformedAsJson"/>).
    /// </summary>
    private byte[] Break(JsonObject document, string inner, DeterministicRandom faults)
    {
        var way = options.MalformedAsJson ? 1 + faults.Next(2) : faults.Next(3);
        switch (way)
        {
            case 0:
                var whole = CanonicalJson.ToBytes(document);
                return whole[..(whole.Length / 2)];
            case 1:
                document.Remove("signature");
                return CanonicalJson.ToBytes(document);
            default:
                document[inner]!["timestamp"] = 12;
                return Encoding.UTF8.GetBytes(document.ToJsonString());
        }
    }
}
