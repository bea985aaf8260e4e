using System.IO.Compression;

namespace ActorBackup.Ledger.Sorting;

/// <summary>
/// Sorts more items than fit in memory: items collect in a buffer of at most <c>memoryItems</c> items and
/// <c>memoryBytes</c> bytes (as <c>sizeOf</c> counts them), each full buffer is sorted and written to a compressed
/// temporary file (a run), and reading merges the runs. Runs are merged in levels, at most <see cref="FanIn"/> at a
/// time, so the open files and read buffers stay bounded however many items come. Temporary files are deleted when
/// closed; nothing survives <see cref="Dispose"/> or a crash of the process.
/// </summary>
public sealed class SpillingSorter<T>(
    int memoryItems, long memoryBytes, Func<T, long> sizeOf, string directory, IComparer<T> comparer,
    Action<BinaryWriter, T> write, Func<BinaryReader, T> read) : IDisposable
{
    /// <summary>Runs merged at once; a level holding this many is merged into one run of the next level.</summary>
    public const int FanIn = 8;

    private readonly List<T> buffer = new(Math.Min(memoryItems, 1 << 16));
    private readonly List<List<FileStream>> levels = [];
    private long heldBytes;

    /// <summary>Items in memory now.</summary>
    public int Held => buffer.Count;

    /// <summary>Runs on disk now.</summary>
    public int Runs => levels.Sum(l => l.Count);

    public void Add(T item)
    {
        buffer.Add(item);
        heldBytes += sizeOf(item);
        if (buffer.Count >= memoryItems || heldBytes >= memoryBytes)
            Spill();
    }

    /// <summary>Every item added so far, in order. More items may be added afterwards and sorted again.</summary>
    public IEnumerable<T> Sorted()
    {
        buffer.Sort(comparer);
        var sources = levels.SelectMany(l => l).Select(ReadRun).Append(buffer).ToList();
        return Merge(sources);
    }

    private void Spill()
    {
        buffer.Sort(comparer);
        AddRun(0, WriteRun(buffer));
        buffer.Clear();
        heldBytes = 0;
    }

    private void AddRun(int level, FileStream run)
    {
        while (levels.Count <= level)
            levels.Add([]);
        levels[level].Add(run);
        if (levels[level].Count < FanIn)
            return;
        var merged = WriteRun(Merge(levels[level].Select(ReadRun).ToList()));
        foreach (var file in levels[level])
            file.Dispose();
        levels[level].Clear();
        AddRun(level + 1, merged);
    }

    private FileStream WriteRun(IEnumerable<T> items)
    {
        var file = new FileStream(Path.Combine(directory, $"actorbackup-sort-{Guid.NewGuid():N}.run"), FileMode.CreateNew,
            FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new BinaryWriter(new BufferedStream(gzip, 1 << 14)))
        {
            foreach (var item in items)
            {
                writer.Write(true);
                write(writer, item);
            }
            writer.Write(false);
        }
        return file;
    }

    private IEnumerable<T> ReadRun(FileStream file)
    {
        file.Position = 0;
        using var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new BinaryReader(new BufferedStream(gzip, 1 << 14));
        while (reader.ReadBoolean())
            yield return read(reader);
    }

    private IEnumerable<T> Merge(IReadOnlyList<IEnumerable<T>> sources)
    {
        var heads = new PriorityQueue<IEnumerator<T>, T>(comparer);
        var open = new List<IEnumerator<T>>();
        try
        {
            foreach (var source in sources)
            {
                var e = source.GetEnumerator();
                open.Add(e);
                if (e.MoveNext())
                    heads.Enqueue(e, e.Current);
            }
            while (heads.TryDequeue(out var e, out var item))
            {
                yield return item;
                if (e.MoveNext())
                    heads.Enqueue(e, e.Current);
            }
        }
        finally
        {
            foreach (var e in open)
                e.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var file in levels.SelectMany(l => l))
            file.Dispose();
        levels.Clear();
        buffer.Clear();
    }
}
