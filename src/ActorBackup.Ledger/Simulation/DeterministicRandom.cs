using System.Security.Cryptography;
using System.Text;

namespace ActorBackup.Ledger.Simulation;

/// <summary>
/// SplitMix64 seeded from SHA-256 of (seed, stream name, index), so any block's randomness can be recreated
/// on its own, which is what lets a simulation resume mid-way. System.Random's seeded sequence is not a
/// documented contract across .NET versions, this is.
/// </summary>
internal sealed class DeterministicRandom
{
    private ulong state;

    private DeterministicRandom(ulong state) => this.state = state;

    public static DeterministicRandom For(string seed, string stream, long index)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}\n{stream}\n{index}"));
        return new DeterministicRandom(BitConverter.ToUInt64(digest, 0));
    }

    public static byte[] Bytes(string seed, string stream, long index, int length)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}\n{stream}\n{index}"));
        return digest[..length];
    }

    public ulong NextUInt64()
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public int Next(int exclusiveMax) => (int)(NextUInt64() % (ulong)exclusiveMax);

    public bool Chance(double probability) => NextDouble() < probability;
}
