using System.Text;
using NSec.Cryptography;

namespace ActorBackup.Ledger.Tests;

public class HashAndEncodingTests
{
    [Fact]
    public void Both_era_hashes_match_the_published_vectors()
    {
        foreach (var vector in Fixtures.TestVectors.GetProperty("hashes").EnumerateArray())
        {
            var input = Encoding.UTF8.GetBytes(vector.GetProperty("input_utf8").GetString()!);
            Assert.Equal(vector.GetProperty("sha3_256_fips202").GetString(), LedgerHasher.ComputeHex(LedgerHash.Sha3_256, input));
            Assert.Equal(vector.GetProperty("keccak256_pysha3_0.3").GetString(), LedgerHasher.ComputeHex(LedgerHash.Keccak256, input));
        }
    }

    [Fact]
    public void Base58_round_trips_every_published_key_and_the_private_seed_derives_the_public_key()
    {
        foreach (var pair in Fixtures.TestVectors.GetProperty("keypairs").EnumerateArray())
        {
            var seed = Convert.FromHexString(pair.GetProperty("private_seed_hex").GetString()!);
            var publicRaw = Convert.FromHexString(pair.GetProperty("public_raw_hex").GetString()!);
            Assert.Equal(pair.GetProperty("private").GetString(), Base58.Encode(seed));
            Assert.Equal(pair.GetProperty("public").GetString(), Base58.Encode(publicRaw));

            var decoded = new byte[32];
            Assert.True(Base58.TryDecodeExact(pair.GetProperty("public").GetString().AsSpan(), decoded));
            Assert.Equal(publicRaw, decoded);

            using var key = Ed25519Crypto.ImportSeed(seed);
            Assert.Equal(publicRaw, key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        }
    }

    [Fact]
    public void Base58_keeps_leading_zero_bytes_as_leading_ones()
    {
        byte[] data = [0, 0, 1, 2, 255];
        var text = Base58.Encode(data);
        Assert.StartsWith("11", text);
        var decoded = new byte[5];
        Assert.True(Base58.TryDecodeExact(text.AsSpan(), decoded));
        Assert.Equal(data, decoded);
        Assert.Equal("111", Base58.Encode(new byte[3]));
        Assert.True(Base58.TryDecodeExact("111".AsSpan(), decoded.AsSpan(0, 3)));
    }

    [Fact]
    public void Base58_rejects_characters_outside_the_alphabet_and_wrong_lengths()
    {
        var buffer = new byte[32];
        Assert.False(Base58.TryDecodeExact("0OIl".AsSpan(), buffer));
        Assert.False(Base58.TryDecodeExact("".AsSpan(), buffer));
        Assert.False(Base58.TryDecodeExact(Fixtures.Node1.AsSpan(), new byte[31]));
        Assert.False(Base58.TryDecodeExact(Fixtures.Node1.AsSpan(), new byte[33]));
        Assert.False(Base58.TryDecodeExact("é".AsSpan(), buffer));
    }

    [Fact]
    public void Base58_agrees_with_itself_on_random_data_of_every_length()
    {
        var random = new Random(7);
        for (var length = 1; length < 80; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            data[0] = (byte)(length % 3 == 0 ? 0 : data[0]);
            var decoded = new byte[length];
            Assert.True(Base58.TryDecodeExact(Base58.Encode(data).AsSpan(), decoded));
            Assert.Equal(data, decoded);
        }
    }
}
