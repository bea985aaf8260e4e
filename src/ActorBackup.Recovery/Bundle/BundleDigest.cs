using System.Security.Cryptography;
using System.Text.Json;
using ActorBackup.Ledger.Json;

namespace ActorBackup.Recovery.Bundle;

/// <summary>
/// SHA-256 of a document's canonical JSON: equal for the same document however it was printed (a source's answer,
/// the Python format of a dump), different once any byte of its content changes, signed part or not.
/// </summary>
public static class BundleDigest
{
    public static string Of(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        return Of(document.RootElement);
    }

    public static string Of(JsonElement document) => Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.ToBytes(document)));
}
