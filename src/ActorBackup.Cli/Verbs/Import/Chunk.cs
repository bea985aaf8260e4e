namespace ActorBackup.Cli.Verbs.Import;

/// <summary>The NDJSON of the next request, bounded by a document count and by bytes.</summary>
internal sealed class Chunk(ImportSettings settings)
{
    private readonly MemoryStream _buffer = new();
    private int _count;

    public bool IsEmpty => _count == 0;

    public bool IsFull => _count >= settings.ChunkDocuments || _buffer.Length >= settings.ChunkBytes;

    public void Add(byte[] line)
    {
        _buffer.Write(line);
        _buffer.WriteByte((byte)'\n');
        _count++;
    }

    /// <summary>The body and how many documents it holds; the chunk starts empty again.</summary>
    public (byte[] Body, int Count) Take()
    {
        var taken = (_buffer.ToArray(), _count);
        _buffer.SetLength(0);
        _count = 0;
        return taken;
    }
}
