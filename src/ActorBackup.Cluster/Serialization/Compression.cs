using System.IO.Compression;

namespace ActorBackup.Cluster.Serialization;

/// <summary>Brotli for record batches: JSON of blocks and votes shrinks several-fold, and journal writes and frames shrink with it.</summary>
internal static class Compression
{
    // A batch is at most 16 MiB of raw JSON (actorbackup.batch.max-bytes) plus framing; anything
    // inflating past this is corrupt or hostile, not a batch.
    public const int MaxInflatedBytes = 64 * 1024 * 1024;

    // Quality 4 compresses JSON nearly as well as the slow levels at a fraction of the cost.
    private static readonly BrotliCompressionOptions Options = new() { Quality = 4 };

    public static byte[] Compress(byte[] raw)
    {
        using var output = new MemoryStream(raw.Length / 4 + 64);
        using (var brotli = new BrotliStream(output, Options, leaveOpen: true))
            brotli.Write(raw);
        return output.ToArray();
    }

    public static byte[] Decompress(byte[] compressed)
    {
        using var input = new MemoryStream(compressed, writable: false);
        using var brotli = new BrotliStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream(compressed.Length * 4);
        var buffer = new byte[81920];
        try
        {
            int read;
            while ((read = brotli.Read(buffer)) > 0)
            {
                if (output.Length + read > MaxInflatedBytes)
                    throw new InvalidDataException($"the payload inflates past {MaxInflatedBytes} bytes");
                output.Write(buffer, 0, read);
            }
        }
        catch (InvalidOperationException e)
        {
            // BrotliStream reports corrupt input as InvalidOperationException.
            throw new InvalidDataException($"the Brotli stream is corrupt ({e.Message})", e);
        }
        return output.ToArray();
    }
}
