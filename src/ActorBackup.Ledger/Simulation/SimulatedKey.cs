using ActorBackup.Ledger.Crypto;
using NSec.Cryptography;

namespace ActorBackup.Ledger.Simulation;

/// <summary>A deterministic Ed25519 keypair: seed from the simulation seed, public key in raw and base58 form.</summary>
internal sealed class SimulatedKey : IDisposable
{
    private readonly Key key;

    public SimulatedKey(string name, ReadOnlySpan<byte> seed)
    {
        Name = name;
        key = Ed25519Crypto.ImportSeed(seed);
        PublicRaw = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        PublicKey = Base58.Encode(PublicRaw);
    }

    public string Name { get; }

    public byte[] PublicRaw { get; }

    public string PublicKey { get; }

    public byte[] Sign(ReadOnlySpan<byte> message) => Ed25519Crypto.Algorithm.Sign(key, message);

    public void Dispose() => key.Dispose();
}
