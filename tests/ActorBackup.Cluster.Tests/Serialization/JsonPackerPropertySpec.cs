using System.Text;
using ActorBackup.Cluster.Serialization.Documents;
using ActorBackup.Ledger.Crypto;

namespace ActorBackup.Cluster.Tests.Serialization;

/// <summary>
/// Random hostile documents (duplicate and escaped ids, ids that hash siblings or their object, fulfillments anywhere,
/// odd numbers, non-ASCII, whitespace) pack without error and unpack to their exact bytes, and random damage to packed
/// forms is refused with <see cref="InvalidDataException"/> only. Seeded, so a failure reproduces.
/// </summary>
public sealed class JsonPackerPropertySpec
{
    private static readonly string[] Keys =
        ["id", "id", "id", "\\u0069d", "fulfillment", "fulfillment", "fulfil\\u006cment", "block", "a", "b", "transaction", "é", "i\\\"d", ""];

    private static readonly string[] Numbers = ["0", "-0", "1", "-1", "1e5", "1E+5", "1.50", "0.0", "123456789012345678", "1234567890123456789", "-9223372036854775808", "9223372036854775807", "18446744073709551616", "1e-7"];

    [Fact]
    public void Random_hostile_documents_unpack_to_their_exact_bytes()
    {
        var random = new Random(12345);
        var failures = new List<string>();
        var extended = 0;
        for (var n = 0; n < 20000 && failures.Count < 5; n++)
        {
            var json = Value(random, 0);
            if (random.Next(20) == 0) json = json.Replace(",", " ,");
            var bytes = Encoding.UTF8.GetBytes(json);
            byte[] packed;
            try
            {
                packed = JsonPacker.Pack(bytes);
            }
            catch (Exception e)
            {
                failures.Add($"Pack threw {e.GetType().Name} for {json}");
                continue;
            }
            if (!JsonPacker.Unpack(packed).AsSpan().SequenceEqual(bytes)) failures.Add($"round trip: {json}");
            if (packed[0] == JsonPacker.ExtendedTag) extended++;
        }
        Assert.Empty(failures);
        Assert.True(extended > 1000, $"only {extended} documents of format 2");
    }

    [Fact]
    public void Damaged_packed_forms_are_refused_only_with_InvalidDataException()
    {
        var random = new Random(54321);
        var failures = new List<string>();
        var extended = 0;
        for (var n = 0; n < 4000 && failures.Count < 5; n++)
        {
            var packed = JsonPacker.Pack(Encoding.UTF8.GetBytes(Value(random, 0)));
            if (packed[0] == JsonPacker.RawTag) continue;
            if (packed[0] == JsonPacker.ExtendedTag) extended++;
            for (var m = 0; m < 50; m++)
            {
                var form = packed.ToList();
                var edits = random.Next(1, 4);
                for (var e = 0; e < edits && form.Count > 1; e++)
                {
                    var at = random.Next(1, form.Count);
                    switch (random.Next(4))
                    {
                        case 0: form[at] = (byte)random.Next(256); break;
                        case 1: form[at] = (byte)random.Next(16); break;
                        case 2: form.RemoveAt(at); break;
                        default: form.Insert(at, (byte)random.Next(16)); break;
                    }
                }
                try
                {
                    JsonPacker.Unpack(form.ToArray());
                }
                catch (InvalidDataException)
                {
                }
                catch (Exception e)
                {
                    failures.Add($"{e.GetType().Name}: {e.Message} for {Convert.ToHexString(form.ToArray())}");
                }
            }
        }
        Assert.True(extended > 100, $"only {extended} forms of format 2");
        Assert.Empty(failures);
    }

    private static string Value(Random random, int depth)
    {
        var kind = random.Next(depth > 4 ? 6 : 9);
        return kind switch
        {
            0 => random.Next(3) switch { 0 => "null", 1 => "true", _ => "false" },
            1 => Numbers[random.Next(Numbers.Length)],
            2 or 3 or 4 or 5 => "\"" + Text(random) + "\"",
            6 => "[" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => Value(random, depth + 1))) + "]",
            _ => Object(random, depth),
        };
    }

    private static string Object(Random random, int depth)
    {
        var members = new List<(string Key, string Value)>();
        var count = random.Next(5);
        for (var i = 0; i < count; i++) members.Add((Keys[random.Next(Keys.Length)], Value(random, depth + 1)));
        // An id that hashes an earlier sibling, or the object itself, or is a hash of a string sibling.
        var idAt = random.Next(members.Count + 1);
        var hash = random.Next(2) == 0 ? LedgerHash.Sha3_256 : LedgerHash.Keccak256;
        var mode = random.Next(4);
        if (mode == 0) return Join(members);
        if (mode == 1 && idAt > 0)
        {
            var sibling = members[random.Next(idAt)].Value;
            members.Insert(idAt, ("id", "\"" + LedgerHasher.ComputeHex(hash, Encoding.UTF8.GetBytes(sibling)) + "\""));
            return Join(members);
        }
        if (mode == 2 && idAt > 0)
        {
            var sibling = members[random.Next(idAt)].Value.Trim('"');
            members.Insert(idAt, ("id", "\"" + LedgerHasher.ComputeHex(hash, Encoding.UTF8.GetBytes(sibling)) + "\""));
            return Join(members);
        }
        var placeholder = "\"" + new string('0', 64) + "\"";
        members.Insert(idAt, ("id", placeholder));
        var json = Join(members);
        var memberStart = 1 + members.Take(idAt).Sum(m => Encoding.UTF8.GetByteCount($"\"{m.Key}\":{m.Value}") + 1);
        var memberEnd = memberStart + Encoding.UTF8.GetByteCount("\"id\":" + placeholder);
        var bytes = Encoding.UTF8.GetBytes(json);
        byte[] preimage;
        try
        {
            preimage = IdPreimage.Of(bytes, memberStart, memberEnd);
        }
        catch (System.Text.Json.JsonException)
        {
            return json;
        }
        members[idAt] = ("id", "\"" + LedgerHasher.ComputeHex(hash, preimage) + "\"");
        return Join(members);
    }

    private static string Join(List<(string Key, string Value)> members) =>
        "{" + string.Join(",", members.Select(m => $"\"{m.Key}\":{m.Value}")) + "}";

    private static string Text(Random random)
    {
        var bytes = new byte[random.Next(10, 70)];
        random.NextBytes(bytes);
        return random.Next(12) switch
        {
            0 => Convert.ToHexStringLower(bytes),
            1 => Base58.Encode(bytes),
            2 => "cc:4:20:" + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ":96",
            3 => "cf:4:" + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            4 => new Guid(bytes[..10].Concat(bytes[..6]).ToArray()).ToString(),
            5 => random.NextInt64(0, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture),
            6 => "é\\u00e9\\n\\\"ü" + bytes[0],
            7 => "",
            8 => new string('0', random.Next(1, 20)),
            9 => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ":" + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "x",
            10 => LedgerHasher.ComputeHex(LedgerHash.Sha3_256, bytes),
            _ => "plain text " + bytes[0],
        };
    }
}
