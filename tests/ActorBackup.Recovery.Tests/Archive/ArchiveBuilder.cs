using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using ActorBackup.Recovery.Archive;

namespace ActorBackup.Recovery.Tests.Archive;

/// <summary>Writes archives for the tests: ours through the real writer, and hand-made tars for malformed cases.</summary>
internal static class ArchiveBuilder
{
    public static readonly DateTimeOffset DumpTime = new(2024, 5, 1, 10, 20, 30, TimeSpan.Zero);

    public static DumpArchiveOptions SmallChunks(string temp) => new()
    {
        DumpTime = DumpTime,
        ChunkBytes = 4096,
        CompressionThreads = 2,
        SpoolMemoryBytes = 2048,
        TempDirectory = temp,
    };

    /// <summary>The top folder the writer derives from a dump time (local time, as the Python tool).</summary>
    public static string Top(DateTimeOffset time) => new DumpArchiveOptions { DumpTime = time }.TopFolder;

    public static TableInfo Info(string db, string table, string pk = "id") => new(db, table, pk, []);

    /// <summary>Writes an archive holding the given tables, each row as UTF-8 JSON text.</summary>
    public static async Task WriteAsync(string path, DumpArchiveOptions options, params (TableInfo Info, string[] Rows)[] tables)
    {
        await using var file = File.Create(path);
        await using var archive = DumpArchiveWriter.Create(file, options);
        foreach (var (info, rows) in tables)
        {
            using var table = archive.BeginTable(info);
            foreach (var row in rows)
                table.WriteRow(Encoding.UTF8.GetBytes(row));
            await table.CompleteAsync();
        }
        await archive.CompleteAsync();
    }

    /// <summary>A tar (optionally gzipped) with exactly these members and contents.</summary>
    public static void WriteRaw(string path, bool gzip, params (string Name, string Content)[] members)
    {
        using var file = File.Create(path);
        using Stream output = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var (name, content) in members)
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
            });
        }
    }
}
