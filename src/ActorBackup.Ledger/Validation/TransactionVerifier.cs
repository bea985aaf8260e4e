using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorBackup.Ledger.Crypto;
using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Json;

namespace ActorBackup.Ledger.Validation;

/// <summary>
/// Transaction id and input signature checks for every layout (reference §7). The id is the era hash of the
/// document with each fulfillment set to null; what each fulfillment signs depends on the layout.
/// </summary>
internal static class TransactionVerifier
{
    // Backlog bookkeeping that is never part of a transaction id (reference §8).
    private static readonly string[] BacklogFields = ["assignee", "assignment_timestamp"];

    /// <summary>A transaction on its own: its id decides the hash era.</summary>
    public static ValidationResult VerifyStandalone(JsonElement tx) => Verify(tx, LedgerHash.None);

    /// <summary>Checks <paramref name="tx"/>; with <see cref="LedgerHash.None"/> either era hash is accepted.</summary>
    public static ValidationResult Verify(JsonElement tx, LedgerHash hash)
    {
        if (tx.ValueKind != JsonValueKind.Object)
            return ValidationResult.Invalid(InvalidReason.NotAnObject, "A transaction must be a JSON object.");
        var layout = TransactionLayouts.Detect(tx);
        if (layout == TransactionLayout.Unknown)
            return ValidationResult.Invalid(InvalidReason.UnknownTransactionLayout, "The transaction matches no BigchainDB 0.5-0.10 layout.");
        var r = JsonFields.Require(tx, "transaction", "id", JsonValueKind.String, out var idElement);
        if (!r.IsValid)
            return r;

        var doc = Load(tx);
        var id = idElement.GetString()!;
        var idPreimage = IdPreimage(doc, layout);
        if (hash == LedgerHash.None)
            hash = LedgerHasher.Detect(idPreimage, System.Text.Encoding.UTF8.GetBytes(id));
        if (hash == LedgerHash.None || LedgerHasher.ComputeHex(hash, idPreimage) != id)
            return ValidationResult.Invalid(InvalidReason.TransactionIdMismatch, $"The transaction id {id} is not the hash of its content.");

        return layout switch
        {
            TransactionLayout.V09 => VerifyFlatInputs(doc, hash),
            TransactionLayout.V07 or TransactionLayout.V08 => VerifyNestedFulfillments(doc, hash, layout),
            _ => VerifyEarlyFulfillments(doc, id, layout),
        } is { IsValid: false } failure ? failure : ValidationResult.Valid(hash);
    }

    /// <summary>The bytes whose hash is the transaction id: the document (0.5/0.6: its inner transaction) without id, fulfillments nulled.</summary>
    internal static byte[] IdPreimage(JsonElement tx) => IdPreimage(Load(tx), TransactionLayouts.Detect(tx));

    internal static bool TryIdPreimage(JsonElement tx, out byte[] preimage)
    {
        preimage = [];
        if (TransactionLayouts.Detect(tx) == TransactionLayout.Unknown)
            return false;
        preimage = IdPreimage(tx);
        return true;
    }

    /// <summary>What input <paramref name="index"/> of a 0.9/0.10 transaction signs.</summary>
    internal static byte[] FlatInputMessage(JsonElement tx, int index, LedgerHash hash) => FlatInputMessage(Load(tx), index, hash);

    private static JsonObject Load(JsonElement tx)
    {
        var doc = (JsonObject)JsonNode.Parse(JsonMarshal.GetRawUtf8Value(tx), documentOptions: LedgerJson.DocumentOptions)!;
        foreach (var field in BacklogFields)
            doc.Remove(field);
        return doc;
    }

    private static byte[] IdPreimage(JsonObject doc, TransactionLayout layout) =>
        layout is TransactionLayout.V05 or TransactionLayout.V06
            ? CanonicalJson.ToBytes(Strip(doc["transaction"]!.DeepClone()))
            : CanonicalJson.ToBytes(Without(Strip(doc.DeepClone()), "id"));

    private static byte[] FlatInputMessage(JsonObject doc, int index, LedgerHash hash)
    {
        var partial = Without(doc.DeepClone(), "id");
        partial["inputs"] = new JsonArray(Strip(((JsonArray)doc["inputs"]!)[index]!.DeepClone()));
        return WithId(partial, hash);
    }

    /// <summary>0.9/0.10: input i signs the document rebuilt with only input i, plus the id of that partial document.</summary>
    private static ValidationResult VerifyFlatInputs(JsonObject doc, LedgerHash hash)
    {
        if (doc["inputs"] is not JsonArray inputs || doc["outputs"] is not JsonArray outputs)
            return ValidationResult.Invalid(InvalidReason.WrongFieldType, "transaction.inputs and transaction.outputs must be arrays.");
        // BigchainDB zips inputs with outputs, so inputs past the number of outputs were never checked.
        var checkedInputs = Math.Min(inputs.Count, outputs.Count);
        for (var i = 0; i < checkedInputs; i++)
        {
            if (inputs[i] is not JsonObject)
                return ValidationResult.Invalid(InvalidReason.WrongFieldType, $"input {i} must be an object.");
            var r = VerifyFulfillment(inputs[i], FlatInputMessage(doc, i, hash), $"input {i}");
            if (!r.IsValid)
                return r;
        }
        return ValidationResult.Valid();
    }

    /// <summary>
    /// 0.7: fulfillment i signs the document with only fulfillment i and condition i (renumbered 0);
    /// 0.8: with only fulfillment i and all conditions; both plus the id of that partial document.
    /// </summary>
    private static ValidationResult VerifyNestedFulfillments(JsonObject doc, LedgerHash hash, TransactionLayout layout)
    {
        if (doc["transaction"] is not JsonObject inner || inner["fulfillments"] is not JsonArray fulfillments || inner["conditions"] is not JsonArray conditions)
            return ValidationResult.Invalid(InvalidReason.WrongFieldType, "transaction.fulfillments and transaction.conditions must be arrays.");
        var checkedInputs = Math.Min(fulfillments.Count, conditions.Count);
        for (var i = 0; i < checkedInputs; i++)
        {
            if (fulfillments[i] is not JsonObject)
                return ValidationResult.Invalid(InvalidReason.WrongFieldType, $"fulfillment {i} must be an object.");
            var partial = Without(doc.DeepClone(), "id");
            var partialInner = (JsonObject)partial["transaction"]!;
            var fulfillment = (JsonObject)Strip(fulfillments[i]!.DeepClone())!;
            fulfillment["fid"] = 0;
            partialInner["fulfillments"] = new JsonArray(fulfillment);
            if (layout == TransactionLayout.V07)
            {
                if (conditions[i] is not JsonObject condition)
                    return ValidationResult.Invalid(InvalidReason.WrongFieldType, $"condition {i} must be an object.");
                var only = (JsonObject)condition.DeepClone();
                only["cid"] = 0;
                partialInner["conditions"] = new JsonArray(only);
            }
            var message = WithId(partial, hash);
            var r = VerifyFulfillment(fulfillments[i], message, $"fulfillment {i}");
            if (!r.IsValid)
                return r;
        }
        return ValidationResult.Valid();
    }

    /// <summary>0.5/0.6: fulfillment i signs {operation, timestamp, data, version, id, fulfillment, condition}.</summary>
    private static ValidationResult VerifyEarlyFulfillments(JsonObject doc, string id, TransactionLayout layout)
    {
        if (doc["transaction"] is not JsonObject inner || inner["fulfillments"] is not JsonArray fulfillments || inner["conditions"] is not JsonArray conditions)
            return ValidationResult.Invalid(InvalidReason.WrongFieldType, "transaction.fulfillments and transaction.conditions must be arrays.");
        var version = layout == TransactionLayout.V06 ? inner["version"] : doc["version"];
        for (var i = 0; i < fulfillments.Count; i++)
        {
            if (fulfillments[i] is not JsonObject fulfillment || fulfillment["fid"] is not JsonValue fid || !fid.TryGetValue<JsonElement>(out var fidElement)
                || !fidElement.TryGetInt32(out var conditionIndex) || conditionIndex < 0 || conditionIndex >= conditions.Count)
                return ValidationResult.Invalid(InvalidReason.WrongFieldType, $"fulfillment {i} has no usable \"fid\".");
            var message = new JsonObject
            {
                ["operation"] = inner["operation"]?.DeepClone(),
                ["timestamp"] = inner["timestamp"]?.DeepClone(),
                ["data"] = inner["data"]?.DeepClone(),
                ["version"] = version?.DeepClone(),
                ["id"] = id,
                ["fulfillment"] = Strip(fulfillment.DeepClone()),
                ["condition"] = conditions[conditionIndex]?.DeepClone(),
            };
            var r = VerifyFulfillment(fulfillment, CanonicalJson.ToBytes(message), $"fulfillment {i}");
            if (!r.IsValid)
                return r;
        }
        return ValidationResult.Valid();
    }

    private static ValidationResult VerifyFulfillment(JsonNode? input, byte[] message, string what)
    {
        if (input is not JsonObject obj || obj["owners_before"] is not JsonArray owners)
            return ValidationResult.Invalid(InvalidReason.WrongFieldType, $"{what} has no \"owners_before\" array.");
        var uri = obj["fulfillment"] is JsonValue value && value.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        var r = Fulfillment.TryParse(uri, out var fulfillment);
        if (!r.IsValid)
            return ValidationResult.Invalid(r.Reason, $"{what}: {r.Message}");
        var signer = Base58.Encode(fulfillment.PublicKey);
        if (!owners.Any(o => o is JsonValue v && v.TryGetValue<JsonElement>(out var k) && k.ValueKind == JsonValueKind.String && k.GetString() == signer))
            return ValidationResult.Invalid(InvalidReason.FulfillmentKeyNotOwner, $"{what} is signed by {signer}, who is not in owners_before.");
        var key = Ed25519Crypto.TryImportPublicKey(fulfillment.PublicKey);
        if (key is null || !Ed25519Crypto.Verify(key, message, fulfillment.Signature))
            return ValidationResult.Invalid(InvalidReason.TransactionSignatureMismatch, $"{what}: the signature does not verify.");
        return ValidationResult.Valid();
    }

    private static byte[] WithId(JsonObject partial, LedgerHash hash)
    {
        partial["id"] = LedgerHasher.ComputeHex(hash, CanonicalJson.ToBytes(partial));
        return CanonicalJson.ToBytes(partial);
    }

    /// <summary>Sets every "fulfillment" value inside fulfillments/inputs entries to null.</summary>
    private static JsonNode? Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj.ContainsKey("fulfillment") && (obj.ContainsKey("owners_before") || obj.ContainsKey("fid")))
                    obj["fulfillment"] = null;
                foreach (var key in new[] { "fulfillments", "inputs" })
                {
                    if (obj[key] is JsonArray list)
                        foreach (var item in list)
                            Strip(item);
                }
                if (obj["transaction"] is JsonObject inner)
                    Strip(inner);
                break;
        }
        return node;
    }

    private static JsonObject Without(JsonNode? node, string key)
    {
        var obj = (JsonObject)node!;
        obj.Remove(key);
        return obj;
    }
}
