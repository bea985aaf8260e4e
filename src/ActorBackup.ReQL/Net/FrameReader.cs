using System.Buffers.Binary;
using ActorBackup.ReQL.Errors;

namespace ActorBackup.ReQL.Net;

/// <summary>
/// Reads response frames (8-byte LE token, 4-byte LE length, JSON) from a stream. The length is checked against
/// the cap before the payload buffer is allocated, so a corrupt or hostile header cannot exhaust memory.
/// </summary>
internal sealed class FrameReader(Stream stream, long maxFrameBytes)
{
    private readonly byte[] _header = new byte[QueryWriter.HeaderSize];

    /// <summary>The next frame, or null on a clean end of stream between frames.</summary>
    public async ValueTask<(ulong Token, byte[] Payload)?> ReadAsync(CancellationToken ct)
    {
        var got = await stream.ReadAtLeastAsync(_header, _header.Length, throwOnEndOfStream: false, ct);
        if (got == 0)
            return null;
        if (got < _header.Length)
            throw new ReqlConnectionError($"The server closed the connection inside a frame header ({got} of 12 bytes).");
        var token = BinaryPrimitives.ReadUInt64LittleEndian(_header);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(_header.AsSpan(8));
        if (length > maxFrameBytes)
            throw new ReqlConnectionError(
                $"The server announced a {length}-byte response for token {token}, above the {maxFrameBytes}-byte frame cap (ConnectionOptions.MaxFrameBytes).");
        var payload = new byte[length];
        var read = await stream.ReadAtLeastAsync(payload, payload.Length, throwOnEndOfStream: false, ct);
        if (read < payload.Length)
            throw new ReqlConnectionError($"The server closed the connection inside the response for token {token} ({read} of {length} bytes).");
        return (token, payload);
    }
}
