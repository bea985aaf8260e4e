using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ActorBackup.Cluster.Encryption;

/// <summary>
/// The keys data at rest is encrypted with: every key of the key file can decrypt, the last one encrypts. Each
/// payload names its key by <see cref="IdOf"/> (four bytes derived from the key, which tell nothing about it), so
/// adding a key (<c>actorbackup keys rotate</c>) leaves older data readable.
/// </summary>
/// <remarks>
/// A sealed payload is the key id (4 bytes), a random 96-bit nonce, the AES-256-GCM ciphertext and its 16-byte tag;
/// the associated data names what the payload is (its manifest), so a payload cannot be passed off as another kind.
/// </remarks>
public sealed class KeyRing
{
    public const int KeyBytes = 32;
    private const int IdBytes = 4, NonceBytes = 12, TagBytes = 16;

    private readonly Dictionary<uint, byte[]> _keys = [];

    /// <param name="keys">The keys in the order of the key file; the last one encrypts.</param>
    public KeyRing(IReadOnlyList<byte[]> keys)
    {
        if (keys.Count == 0) throw new ArgumentException("A key ring needs at least one key.", nameof(keys));
        foreach (var key in keys)
        {
            if (key.Length != KeyBytes) throw new ArgumentException($"A key has {KeyBytes} bytes, not {key.Length}.", nameof(keys));
            _keys[IdOf(key)] = key;
        }
        CurrentId = IdOf(keys[^1]);
    }

    /// <summary>The id of the key new data is encrypted with.</summary>
    public uint CurrentId { get; }

    /// <summary>Every key id the ring holds.</summary>
    public IReadOnlyCollection<uint> Ids => _keys.Keys;

    public bool Holds(uint keyId) => _keys.ContainsKey(keyId);

    /// <summary>Eight hex digits, as messages and the journal name a key.</summary>
    public static string Show(uint keyId) => keyId.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The id of a key: the first four bytes of HMAC-SHA256(key, "actorbackup key id").</summary>
    public static uint IdOf(byte[] key) =>
        BinaryPrimitives.ReadUInt32BigEndian(HMACSHA256.HashData(key, "actorbackup key id"u8));

    /// <summary>The id of the key a sealed payload names, or null when it is too short to name one.</summary>
    public static uint? KeyIdOf(ReadOnlySpan<byte> sealedBytes) =>
        sealedBytes.Length >= IdBytes ? BinaryPrimitives.ReadUInt32BigEndian(sealedBytes) : null;

    public byte[] Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associated)
    {
        var sealedBytes = new byte[IdBytes + NonceBytes + plaintext.Length + TagBytes];
        BinaryPrimitives.WriteUInt32BigEndian(sealedBytes, CurrentId);
        var nonce = sealedBytes.AsSpan(IdBytes, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(_keys[CurrentId], TagBytes);
        gcm.Encrypt(nonce, plaintext, sealedBytes.AsSpan(IdBytes + NonceBytes, plaintext.Length), sealedBytes.AsSpan(^TagBytes), associated);
        return sealedBytes;
    }

    /// <exception cref="CryptographicException">The key is not in the ring, or the payload was not sealed with it (or was altered).</exception>
    public byte[] Open(ReadOnlySpan<byte> sealedBytes, ReadOnlySpan<byte> associated)
    {
        if (sealedBytes.Length < IdBytes + NonceBytes + TagBytes)
            throw new CryptographicException($"an encrypted payload of {sealedBytes.Length} bytes is too short");
        var id = BinaryPrimitives.ReadUInt32BigEndian(sealedBytes);
        if (!_keys.TryGetValue(id, out var key))
            throw new CryptographicException($"the payload was encrypted with key {Show(id)}, which the key file does not hold");
        var plaintext = new byte[sealedBytes.Length - IdBytes - NonceBytes - TagBytes];
        using var gcm = new AesGcm(key, TagBytes);
        gcm.Decrypt(sealedBytes.Slice(IdBytes, NonceBytes), sealedBytes[(IdBytes + NonceBytes)..^TagBytes], sealedBytes[^TagBytes..], plaintext, associated);
        return plaintext;
    }

    /// <summary>A key of its own for one purpose (such as hashing ids), derived from the key <paramref name="keyId"/>.</summary>
    public byte[] Derive(uint keyId, string purpose) =>
        HMACSHA256.HashData(_keys.TryGetValue(keyId, out var key) ? key : throw new CryptographicException($"the key file does not hold key {Show(keyId)}"),
            Encoding.UTF8.GetBytes("actorbackup " + purpose));
}
