using System.Text;

namespace ActorBackup.Ledger.Crypto;

/// <summary>
/// Base58 with the Bitcoin alphabet and no checksum, as the Python <c>base58</c> package BigchainDB used:
/// each leading zero byte is one leading '1'.
/// </summary>
public static class Base58
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    // 58^5 still fits in 32 bits, so five digits are folded into the limbs per pass.
    private const int DigitsPerPass = 5;

    private static readonly sbyte[] DigitOf = BuildDigitTable();

    /// <summary>Decodes base58 ASCII text that must yield exactly <paramref name="destination"/>.Length bytes.</summary>
    public static bool TryDecodeExact(ReadOnlySpan<byte> text, Span<byte> destination) =>
        TryDecode(text, destination, out var written) && written == destination.Length;

    /// <summary>
    /// Decodes base58 ASCII text of at most 128 characters; false on a character outside the alphabet or when the
    /// value needs more than <paramref name="destination"/>.Length bytes.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> text, Span<byte> destination, out int written)
    {
        written = 0;
        if (text.IsEmpty || text.Length > 128)
            return false;

        var leadingZeros = 0;
        while (leadingZeros < text.Length && text[leadingZeros] == (byte)'1')
            leadingZeros++;

        // Big-endian value in 32-bit limbs, least significant limb last.
        Span<uint> limbs = stackalloc uint[(text.Length * 733 / 1000 + 4) / 4 + 1];
        limbs.Clear();
        var used = 0;
        var i = leadingZeros;
        while (i < text.Length)
        {
            var count = Math.Min(DigitsPerPass, text.Length - i);
            ulong multiplier = 1;
            ulong carry = 0;
            for (var k = 0; k < count; k++)
            {
                var c = text[i + k];
                var digit = c < 128 ? DigitOf[c] : (sbyte)-1;
                if (digit < 0)
                    return false;
                carry = carry * 58 + (ulong)digit;
                multiplier *= 58;
            }
            i += count;
            for (var j = limbs.Length - 1; j >= limbs.Length - used; j--)
            {
                var t = limbs[j] * multiplier + carry;
                limbs[j] = (uint)t;
                carry = t >> 32;
            }
            while (carry != 0)
            {
                used++;
                limbs[limbs.Length - used] = (uint)carry;
                carry >>= 32;
            }
        }

        var significant = used * 4;
        var first = limbs.Length - used;
        // Skip the zero bytes at the top of the most significant limb.
        var skip = 0;
        if (used > 0)
        {
            var top = limbs[first];
            while (skip < 3 && (top >> (24 - 8 * skip)) == 0)
                skip++;
        }
        var valueBytes = used == 0 ? 0 : significant - skip;
        if (leadingZeros + valueBytes > destination.Length)
            return false;
        written = leadingZeros + valueBytes;

        destination[..leadingZeros].Clear();
        var o = leadingZeros;
        for (var j = first; j < limbs.Length; j++)
        {
            var limb = limbs[j];
            for (var b = j == first ? skip : 0; b < 4; b++)
                destination[o++] = (byte)(limb >> (24 - 8 * b));
        }
        return true;
    }

    /// <summary>Decodes base58 text that must yield exactly <paramref name="destination"/>.Length bytes.</summary>
    public static bool TryDecodeExact(ReadOnlySpan<char> text, Span<byte> destination)
    {
        if (text.Length > 128)
            return false;
        Span<byte> ascii = stackalloc byte[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] > 127)
                return false;
            ascii[i] = (byte)text[i];
        }
        return TryDecodeExact(ascii, destination);
    }

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var leadingZeros = 0;
        while (leadingZeros < data.Length && data[leadingZeros] == 0)
            leadingZeros++;

        // Little-endian base58 digits of the value.
        var digits = new byte[data.Length * 138 / 100 + 1];
        var length = 0;
        for (var i = leadingZeros; i < data.Length; i++)
        {
            var carry = (int)data[i];
            for (var j = 0; j < length; j++)
            {
                carry += digits[j] << 8;
                digits[j] = (byte)(carry % 58);
                carry /= 58;
            }
            while (carry > 0)
            {
                digits[length++] = (byte)(carry % 58);
                carry /= 58;
            }
        }

        var builder = new StringBuilder(leadingZeros + length);
        builder.Append('1', leadingZeros);
        for (var j = length - 1; j >= 0; j--)
            builder.Append(Alphabet[digits[j]]);
        return builder.ToString();
    }

    private static sbyte[] BuildDigitTable()
    {
        var table = new sbyte[128];
        Array.Fill(table, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
            table[Alphabet[i]] = (sbyte)i;
        return table;
    }
}
