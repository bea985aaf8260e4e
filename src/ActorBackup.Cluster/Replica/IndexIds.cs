using System.Security.Cryptography;
using System.Text;
using ActorBackup.Cluster.Encryption;
using ActorBackup.Cluster.Settings;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Cluster.Replica;

/// <summary>
/// How the record index (<see cref="ReplicaIndex"/>) writes record ids: packed (a hex id as the bytes it spells, half
/// its length), or, when the node encrypts its data at rest, sealed so that no block, transaction or vote id can be read
/// from the file. Files written before either existed hold ids as text and keep doing so. The index file records which
/// (<see cref="Mode"/>), and every reader and writer of the file uses the same.
/// </summary>
/// <remarks>
/// A sealed id is deterministic, so the index still finds a record by its id with one comparison: the nonce is the first
/// 12 bytes of a keyed hash (HMAC-SHA256) of the id, and the id is encrypted with AES-256-GCM under that nonce (as in
/// AES-GCM-SIV's synthetic IV). Equal ids give equal bytes and nothing else does; the bytes tell nothing of the id
/// without the key. Both keys are derived from one key of the key ring, which the file names, so adding a key
/// (<c>actorbackup keys rotate</c>) leaves the index readable. Ids are packed first: a hex id (a block's or a
/// transaction's) and a UUID (a vote's, which RethinkDB generates) as the bytes they spell, so a sealed 64-digit id takes
/// 61 bytes, fewer than the clear one.
/// What stays in clear: the <see cref="IdKey"/> of each id (its first eight characters as a number, 32 bits of a
/// 256-bit hash), by which ranges of ids are found, and each record's timestamp and digest.
/// </remarks>
public sealed class IndexIds
{
    private const int NonceBytes = 12, TagBytes = 16;
    private const byte Text = 0, Hex = 1, Uuid = 2;
    private const string TextMode = "clear", PackedMode = "packed", SealedMode = "sealed ";

    private readonly bool _packed;
    private readonly byte[]? _nonceKey;
    private readonly byte[]? _cipherKey;

    private IndexIds(bool packed, uint? keyId, KeyRing? keys)
    {
        _packed = packed;
        KeyId = keyId;
        if (keyId is { } id)
        {
            _nonceKey = keys!.Derive(id, "record index id nonces");
            _cipherKey = keys.Derive(id, "record index id encryption");
        }
    }

    /// <summary>Ids written as text, as files of earlier versions hold them.</summary>
    public static IndexIds AsText { get; } = new(false, null, null);

    /// <summary>Ids written packed, readable by anyone who reads the file.</summary>
    public static IndexIds Packed { get; } = new(true, null, null);

    /// <summary>The key the ids are sealed with, or null when they are in clear.</summary>
    public uint? KeyId { get; }

    /// <summary>What the index file records: "clear" (text), "packed", or "sealed " and the key's id.</summary>
    public string Mode => KeyId is { } id ? SealedMode + KeyRing.Show(id) : _packed ? PackedMode : TextMode;

    /// <summary>How ids are bound as statement parameters.</summary>
    public SqliteType Type => _packed ? SqliteType.Blob : SqliteType.Text;

    /// <summary>
    /// How a node with these keys writes ids in a new index: sealed with the key new data is encrypted with, packed when
    /// it has no keys.
    /// </summary>
    public static IndexIds For(KeyRing? keys) => keys is null ? Packed : new IndexIds(true, keys.CurrentId, keys);

    /// <summary>The statement that reads the mode an index file records (<see cref="IndexSchema"/> writes it).</summary>
    internal const string RecordedModeQuery = "SELECT value FROM settings WHERE name = 'ids'";

    /// <summary>
    /// The ids of the open index file <paramref name="file"/>, as it records them: as text when it records nothing (a file
    /// no node of this version has opened yet).
    /// </summary>
    /// <exception cref="BackupSettingsException">The ids are sealed with a key the node does not hold (one line).</exception>
    public static IndexIds RecordedIn(SqliteConnection connection, KeyRing? keys, string file)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'settings')";
        if (cmd.ExecuteScalar() is not 1L) return AsText;
        cmd.CommandText = RecordedModeQuery;
        return cmd.ExecuteScalar() is string mode ? Of(mode, keys, file) : AsText;
    }

    /// <summary>The ids of an index file whose recorded mode is <paramref name="mode"/>.</summary>
    /// <exception cref="BackupSettingsException">The ids are sealed with a key the node does not hold (one line).</exception>
    public static IndexIds Of(string mode, KeyRing? keys, string file)
    {
        if (mode == TextMode) return AsText;
        if (mode == PackedMode) return Packed;
        if (!mode.StartsWith(SealedMode, StringComparison.Ordinal)
            || !uint.TryParse(mode.AsSpan(SealedMode.Length), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var keyId))
            throw new BackupSettingsException($"The record index {file} names an unknown id mode \"{mode}\"; it was written by a newer version or damaged.");
        if (keys is null)
            throw new BackupSettingsException(
                $"The record index {file} holds ids sealed with key {KeyRing.Show(keyId)} and no actorbackup.encryption.key-file is set.");
        if (!keys.Holds(keyId))
            throw new BackupSettingsException($"The record index {file} holds ids sealed with key {KeyRing.Show(keyId)}, which the key file does not hold.");
        return new IndexIds(true, keyId, keys);
    }

    /// <summary>The value an id is written and looked up as: its text, its packed bytes or its sealed bytes.</summary>
    public object Write(string id) => _cipherKey is not null ? Seal(id) : _packed ? Pack(id) : id;

    /// <summary>The id in column <paramref name="ordinal"/> of the current row.</summary>
    public string Read(SqliteDataReader reader, int ordinal) =>
        _cipherKey is not null ? Open((byte[])reader[ordinal]) : _packed ? Unpack((byte[])reader[ordinal]) : reader.GetString(ordinal);

    private byte[] Seal(string id)
    {
        var plain = Pack(id);
        var sealedId = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = sealedId.AsSpan(0, NonceBytes);
        HMACSHA256.HashData(_nonceKey!, plain).AsSpan(0, NonceBytes).CopyTo(nonce);
        using var gcm = new AesGcm(_cipherKey!, TagBytes);
        gcm.Encrypt(nonce, plain, sealedId.AsSpan(NonceBytes, plain.Length), sealedId.AsSpan(^TagBytes));
        return sealedId;
    }

    private string Open(byte[] sealedId)
    {
        if (sealedId.Length < NonceBytes + 1 + TagBytes)
            throw new CryptographicException($"a sealed id of {sealedId.Length} bytes in the record index is too short");
        var plain = new byte[sealedId.Length - NonceBytes - TagBytes];
        using var gcm = new AesGcm(_cipherKey!, TagBytes);
        gcm.Decrypt(sealedId.AsSpan(0, NonceBytes), sealedId.AsSpan(NonceBytes, plain.Length), sealedId.AsSpan(^TagBytes), plain);
        return Unpack(plain);
    }

    private static string Unpack(byte[] packed) => packed[0] switch
    {
        Hex => Convert.ToHexStringLower(packed, 1, packed.Length - 1),
        Uuid => new Guid(packed.AsSpan(1), bigEndian: true).ToString("D"),
        _ => Encoding.UTF8.GetString(packed, 1, packed.Length - 1),
    };

    /// <summary>
    /// A lowercase hex id of even length or a lowercase UUID as its bytes, anything else as UTF-8; the first byte says which.
    /// Only forms that unpack to the very same text are packed.
    /// </summary>
    private static byte[] Pack(string id)
    {
        if (id.Length == 36 && Guid.TryParseExact(id, "D", out var uuid) && uuid.ToString("D") == id)
        {
            var packedUuid = new byte[17];
            packedUuid[0] = Uuid;
            uuid.TryWriteBytes(packedUuid.AsSpan(1), bigEndian: true, out _);
            return packedUuid;
        }
        if (id.Length > 0 && id.Length % 2 == 0 && id.All(char.IsAsciiHexDigitLower))
        {
            var packed = new byte[1 + id.Length / 2];
            packed[0] = Hex;
            Convert.FromHexString(id, packed.AsSpan(1), out _, out _);
            return packed;
        }
        var text = new byte[1 + Encoding.UTF8.GetByteCount(id)];
        text[0] = Text;
        Encoding.UTF8.GetBytes(id, text.AsSpan(1));
        return text;
    }
}
