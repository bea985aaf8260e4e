using ActorBackup.Ledger.Crypto;
using NSec.Cryptography;

namespace ActorBackup.Ledger.Federation;

/// <summary>
/// The public keys of a federation's nodes (BigchainDB's keyring plus the node itself). Keys are decoded and
/// imported once here, so verifying a signature costs a dictionary lookup instead of a base58 decode.
/// </summary>
public sealed class FederationKeys
{
    private readonly Dictionary<string, PublicKey> keys;
    private readonly Dictionary<string, PublicKey>.AlternateLookup<ReadOnlySpan<char>> bySpan;

    private FederationKeys(IReadOnlyList<FederationMember> members, Dictionary<string, PublicKey> keys)
    {
        Members = members;
        this.keys = keys;
        bySpan = keys.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public IReadOnlyList<FederationMember> Members { get; }

    public int Count => Members.Count;

    /// <summary>Builds the set, or explains in one line which key is unusable.</summary>
    public static bool TryCreate(IEnumerable<FederationMember> members, out FederationKeys? federation, out string error)
    {
        var list = new List<FederationMember>();
        var keys = new Dictionary<string, PublicKey>(StringComparer.Ordinal);
        Span<byte> raw = stackalloc byte[Ed25519Crypto.PublicKeyLength];
        foreach (var member in members)
        {
            if (!Base58.TryDecodeExact(member.PublicKey.AsSpan(), raw))
            {
                federation = null;
                error = $"The public key \"{member.PublicKey}\" is not base58 of 32 bytes.";
                return false;
            }
            var key = Ed25519Crypto.TryImportPublicKey(raw);
            if (key is null)
            {
                federation = null;
                error = $"The public key \"{member.PublicKey}\" is not a valid Ed25519 public key.";
                return false;
            }
            if (!keys.TryAdd(member.PublicKey, key))
            {
                federation = null;
                error = $"The public key \"{member.PublicKey}\" is listed twice.";
                return false;
            }
            list.Add(member);
        }
        federation = new FederationKeys(list, keys);
        error = "";
        return true;
    }

    public static FederationKeys Create(IEnumerable<FederationMember> members) =>
        TryCreate(members, out var federation, out var error) ? federation! : throw new ArgumentException(error, nameof(members));

    public static FederationKeys FromPublicKeys(params IEnumerable<string> publicKeys) =>
        Create(publicKeys.Select(k => new FederationMember(k, null)));

    public bool Contains(string publicKey) => keys.ContainsKey(publicKey);

    internal bool TryGetKey(ReadOnlySpan<byte> base58Utf8, out PublicKey key)
    {
        key = null!;
        if (base58Utf8.Length > 64)
            return false;
        Span<char> chars = stackalloc char[base58Utf8.Length];
        for (var i = 0; i < base58Utf8.Length; i++)
            chars[i] = (char)base58Utf8[i];
        return bySpan.TryGetValue(chars, out key!);
    }
}
