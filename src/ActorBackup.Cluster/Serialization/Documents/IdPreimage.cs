using System.Buffers;
using System.Text.Json;

namespace ActorBackup.Cluster.Serialization.Documents;

/// <summary>
/// What a BigchainDB transaction id hashes (0.7 onwards): the transaction as serialized, without its <c>id</c> member and
/// with the value of every <c>fulfillment</c> member, at any depth, replaced by <c>null</c>. Read from the compact JSON
/// of the object as written, so that a packer and an unpacker that see the same bytes get the same pre-image; whether
/// its hash is the id is for the packer to check.
/// </summary>
internal static class IdPreimage
{
    /// <param name="json">A compact JSON object.</param>
    /// <param name="memberStart">Where the dropped member's name starts (its opening quote), in <paramref name="json"/>.</param>
    /// <param name="memberEnd">Where its value ends.</param>
    /// <exception cref="JsonException">Not a JSON object.</exception>
    public static byte[] Of(ReadOnlySpan<byte> json, int memberStart, int memberEnd)
    {
        // The comma that goes with the member: the one before it, or after it when it comes first.
        if (json[memberStart - 1] == (byte)',') memberStart--;
        else if (memberEnd < json.Length && json[memberEnd] == (byte)',') memberEnd++;

        var output = new ArrayBufferWriter<byte>(json.Length);
        var copied = 0;
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenStartIndex >= memberStart && reader.TokenStartIndex < memberEnd) continue;
            if (reader.TokenType != JsonTokenType.PropertyName || reader.ValueIsEscaped || !reader.ValueSpan.SequenceEqual("fulfillment"u8)) continue;
            reader.Read();
            var valueStart = (int)reader.TokenStartIndex;
            reader.Skip();
            Copy(json, ref copied, valueStart, memberStart, memberEnd, output);
            output.Write("null"u8);
            copied = (int)reader.BytesConsumed;
        }
        Copy(json, ref copied, json.Length, memberStart, memberEnd, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Copies <paramref name="json"/> from <paramref name="copied"/> to <paramref name="end"/>, leaving out the dropped member.</summary>
    private static void Copy(ReadOnlySpan<byte> json, ref int copied, int end, int memberStart, int memberEnd, ArrayBufferWriter<byte> output)
    {
        // A fulfillment's value may end right where the member's comma starts: copied == memberStart.
        if (copied <= memberStart && end > memberStart)
        {
            output.Write(json[copied..memberStart]);
            copied = memberEnd;
        }
        if (end > copied) output.Write(json[copied..end]);
        copied = Math.Max(copied, end);
    }
}
