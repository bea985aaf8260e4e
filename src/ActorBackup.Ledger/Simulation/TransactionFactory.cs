using System.Text.Json.Nodes;
using ActorBackup.Ledger.Crypto;
using ActorBackup.Ledger.Json;
using ActorBackup.Ledger.Validation;

namespace ActorBackup.Ledger.Simulation;

/// <summary>Builds signed BigchainDB 0.10 transactions (layout of reference §7.5, single Ed25519 input).</summary>
internal static class TransactionFactory
{
    public const string Version = "0.10";

    public static JsonObject Create(SimulatedKey owner, JsonNode? assetData, JsonNode? metadata, string operation = "CREATE") =>
        Sign(new JsonObject
        {
            ["asset"] = new JsonObject { ["data"] = assetData },
            ["inputs"] = new JsonArray(Input(owner, null)),
            ["metadata"] = metadata,
            ["operation"] = operation,
            ["outputs"] = new JsonArray(Output(owner, 1)),
            ["version"] = Version,
        }, owner);

    public static JsonObject Transfer(SimulatedKey owner, string createId, SimulatedKey recipient, JsonNode? metadata) =>
        Sign(new JsonObject
        {
            ["asset"] = new JsonObject { ["id"] = createId },
            ["inputs"] = new JsonArray(Input(owner, new JsonObject { ["output"] = 0, ["txid"] = createId })),
            ["metadata"] = metadata,
            ["operation"] = "TRANSFER",
            ["outputs"] = new JsonArray(Output(recipient, 1)),
            ["version"] = Version,
        }, owner);

    private static JsonObject Input(SimulatedKey owner, JsonObject? fulfills) => new()
    {
        ["fulfillment"] = null,
        ["fulfills"] = fulfills,
        ["owners_before"] = new JsonArray(owner.PublicKey),
    };

    private static JsonObject Output(SimulatedKey owner, int amount) => new()
    {
        ["amount"] = amount,
        ["condition"] = new JsonObject
        {
            ["details"] = new JsonObject
            {
                ["bitmask"] = 32,
                ["public_key"] = owner.PublicKey,
                ["signature"] = null,
                ["type"] = "fulfillment",
                ["type_id"] = 4,
            },
            ["uri"] = Fulfillment.ConditionUri(owner.PublicRaw),
        },
        ["public_keys"] = new JsonArray(owner.PublicKey),
    };

    /// <summary>id = hash of the unsigned body; the single input signs the unsigned body with its id.</summary>
    private static JsonObject Sign(JsonObject unsigned, SimulatedKey owner)
    {
        unsigned["id"] = LedgerHasher.ComputeHex(LedgerHash.Sha3_256, CanonicalJson.ToBytes(unsigned));
        var signature = owner.Sign(CanonicalJson.ToBytes(unsigned));
        unsigned["inputs"]![0]!["fulfillment"] = Fulfillment.Uri(owner.PublicRaw, signature);
        return unsigned;
    }
}
