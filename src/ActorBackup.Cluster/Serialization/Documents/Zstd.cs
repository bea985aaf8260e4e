using ZstdSharp;

namespace ActorBackup.Cluster.Serialization.Documents;

/// <summary>zstd frames with or without a table's dictionary; one compressor and decompressor per thread and dictionary.</summary>
internal static class Zstd
{
    [ThreadStatic] private static Dictionary<(uint, int), Compressor>? _compressors;
    [ThreadStatic] private static Dictionary<uint, Decompressor>? _decompressors;

    public static byte[] Compress(ReadOnlySpan<byte> raw, ZstdDictionary? dictionary, int level)
    {
        _compressors ??= [];
        var key = (dictionary?.Id ?? 0, level);
        if (!_compressors.TryGetValue(key, out var compressor))
        {
            compressor = new Compressor(level);
            if (dictionary is not null) compressor.LoadDictionary(dictionary.Bytes);
            _compressors[key] = compressor;
        }
        return compressor.Wrap(raw).ToArray();
    }

    /// <exception cref="InvalidDataException">Not a zstd frame, or one inflating past <paramref name="maxBytes"/>.</exception>
    public static byte[] Decompress(ReadOnlySpan<byte> frame, ZstdDictionary? dictionary, int maxBytes)
    {
        _decompressors ??= [];
        var id = dictionary?.Id ?? 0;
        if (!_decompressors.TryGetValue(id, out var decompressor))
        {
            decompressor = new Decompressor();
            if (dictionary is not null) decompressor.LoadDictionary(dictionary.Bytes);
            _decompressors[id] = decompressor;
        }
        ulong size;
        try
        {
            size = Decompressor.GetDecompressedSize(frame);
        }
        catch (ZstdException e)
        {
            throw new InvalidDataException($"not a zstd frame ({e.Message})", e);
        }
        if (size > (ulong)maxBytes) throw new InvalidDataException($"the payload inflates past {maxBytes} bytes");
        var output = new byte[size];
        try
        {
            var written = decompressor.Unwrap(frame, output);
            return written == output.Length ? output : output[..written];
        }
        catch (ZstdException e)
        {
            throw new InvalidDataException($"the zstd frame is corrupt ({e.Message})", e);
        }
    }
}
