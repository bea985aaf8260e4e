namespace ActorBackup.Recovery.Archive;

/// <summary>How a <see cref="DumpArchiveWriter"/> lays out and compresses an archive.</summary>
public sealed record DumpArchiveOptions
{
    /// <summary>The dump's time; the top folder is <c>rethinkdb_dump_&lt;local time as %Y-%m-%dT%H:%M:%S&gt;</c> like the Python tool's.</summary>
    public DateTimeOffset DumpTime { get; init; } = DateTimeOffset.Now;

    /// <summary>gzip level, 1 (fastest) to 9 (smallest); 6 is gzip's and Python's default.</summary>
    public int CompressionLevel { get; init; } = 6;

    /// <summary>How many chunks are compressed at once.</summary>
    public int CompressionThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>Bytes of tar stream per independent gzip member.</summary>
    public int ChunkBytes { get; init; } = 1 << 20;

    /// <summary>Where table spools go once they outgrow memory.</summary>
    public string TempDirectory { get; init; } = Path.GetTempPath();

    /// <summary>Bytes of a table's data kept in memory before it spills to a temporary file.</summary>
    public int SpoolMemoryBytes { get; init; } = 8 << 20;

    /// <summary>The top folder name derived from <see cref="DumpTime"/>.</summary>
    public string TopFolder => "rethinkdb_dump_" + DumpTime.ToLocalTime().ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
