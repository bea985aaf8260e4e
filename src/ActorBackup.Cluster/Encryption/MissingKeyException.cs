using System.Runtime.Serialization;

namespace ActorBackup.Cluster.Encryption;

/// <summary>A persisted payload is encrypted with a key this node was not given (no key file, or one without that key).</summary>
public sealed class MissingKeyException(uint keyId, string manifest, bool keyFileSet) : SerializationException(keyFileSet
    ? $"A \"{manifest}\" payload is encrypted with key {KeyRing.Show(keyId)}, which the key file does not hold."
    : $"A \"{manifest}\" payload is encrypted with key {KeyRing.Show(keyId)} and no actorbackup.encryption.key-file is set.")
{
    public uint KeyId { get; } = keyId;
}
