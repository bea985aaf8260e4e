using System.Text;
using System.Text.Json;
using ActorBackup.Ledger.Federation;
using ActorBackup.Testing;

namespace ActorBackup.Ledger.Tests.Support;

/// <summary>The shared BigchainDB fixtures, kept in tests/fixtures/bigchaindb.</summary>
internal static class Fixtures
{
    public const string Node1 = "DngBurxfeNVKZWCEcDnLj1eMPAS7focUZTE5FndFGuHT";
    public const string Node2 = "4XYfCbabAWVUCbjTmRTFEu2sc3dFEdkse4r6X498B1s8";
    public const string Node3 = "9WYFf8T65bv4S8jKU8wongKPD4AmMZAwvk1absFDbYLM";
    public const string Issue548Voter = "EUFZWcucxJnJjp38fGKPh47L2gND188ujUsULumbse3w";

    /// <summary>The three generated-example nodes plus the node that cast the real 0.5 vote.</summary>
    public static FederationKeys Federation { get; } = FederationKeys.FromPublicKeys(Node1, Node2, Node3, Issue548Voter);

    public static string PathOf(string name) => Path.Combine(RepoPaths.BigchainDbFixtures, name);

    public static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    public static JsonElement Element(string name) => JsonDocument.Parse(Bytes(name)).RootElement;

    public static JsonElement TestVectors => Element("test_vectors.json");

    public static IEnumerable<string> Names(string contains) =>
        Directory.GetFiles(RepoPaths.BigchainDbFixtures, "*.json").Select(Path.GetFileName).Where(n => n!.Contains(contains)).Order().Cast<string>();

    /// <summary>Each element of a JSON array file, re-encoded on its own.</summary>
    public static IEnumerable<byte[]> ArrayItems(string name) =>
        Element(name).EnumerateArray().Select(e => Encoding.UTF8.GetBytes(e.GetRawText()));

    /// <summary>The hash era a file name announces: "keccak" in the name, or SHA3 for 0.8.1 onwards.</summary>
    public static LedgerHash HashNamedBy(string name) =>
        name.Contains("keccak") ? LedgerHash.Keccak256 : LedgerHash.Sha3_256;
}
