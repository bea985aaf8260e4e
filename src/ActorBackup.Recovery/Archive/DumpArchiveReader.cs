using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;

namespace ActorBackup.Recovery.Archive;

/// <summary>
/// Reads an archive made by <c>rethinkdb dump</c> or by <see cref="DumpArchiveWriter"/> (gzip-compressed or plain
/// tar). <see cref="Open"/> first checks the whole archive — layout, metadata, every document's JSON, the gzip and
/// tar framing to the very end — and only then reports its tables, so a corrupt or truncated archive is refused
/// before anything from it is used. <see cref="ReadDocuments"/> then streams the documents in archive order.
/// Memory is bounded by the largest single document.
/// </summary>
public sealed class DumpArchiveReader
{
    private readonly string _path;
    private readonly DumpArchiveReaderOptions _options;

    private DumpArchiveReader(string path, DumpArchiveReaderOptions options, string topFolder, IReadOnlyList<ArchiveTable> tables)
    {
        _path = path;
        _options = options;
        TopFolder = topFolder;
        Tables = tables;
    }

    /// <summary>The archive's single top folder, e.g. <c>rethinkdb_dump_2024-05-01T10:20:30</c>.</summary>
    public string TopFolder { get; }

    /// <summary>Every table, in the order their data members appear.</summary>
    public IReadOnlyList<ArchiveTable> Tables { get; }

    /// <summary>Validates the archive at <paramref name="path"/> end to end; throws <see cref="ArchiveFormatException"/> if anything is wrong.</summary>
    public static DumpArchiveReader Open(string path, DumpArchiveReaderOptions? options = null)
    {
        options ??= new DumpArchiveReaderOptions();
        string? top = null;
        var infos = new Dictionary<(string Db, string Table), TableInfo>();
        var data = new List<(MemberPath Path, string Member, long Count)>();
        Scan(path, (member, memberPath, content) =>
        {
            if (top is null)
                top = memberPath.Top;
            else if (top != memberPath.Top)
                throw new ArchiveFormatException($"{member}: unexpected directory structure: a second top folder '{memberPath.Top}' beside '{top}'");
            var key = (memberPath.Db, memberPath.Table);
            if (memberPath.Extension == ".info")
            {
                if (infos.ContainsKey(key))
                    throw new ArchiveFormatException($"{member}: the archive holds this member twice");
                infos[key] = ReadInfo(member, memberPath, content, options);
                return;
            }
            if (data.Any(d => (d.Path.Db, d.Path.Table) == key))
                throw new ArchiveFormatException($"{member}: the archive holds this member twice");
            var rows = new JsonRowReader(content, member, options);
            while (rows.TryRead(out _)) { }
            data.Add((memberPath, member, rows.Count));
        });
        if (top is null)
            throw new ArchiveFormatException($"{path}: the archive has no .json or .info files");
        foreach (var (memberPath, member, _) in data)
        {
            if (!infos.ContainsKey((memberPath.Db, memberPath.Table)))
                throw new ArchiveFormatException($"{member}: data without its metadata file {memberPath.Table}.info");
        }
        foreach (var ((db, table), _) in infos)
        {
            if (!data.Any(d => d.Path.Db == db && d.Path.Table == table))
                throw new ArchiveFormatException($"{top}/{db}/{table}.info: metadata without its data file {table}.json");
        }
        var tables = data.Select(d => new ArchiveTable(infos[(d.Path.Db, d.Path.Table)], d.Member, d.Count)).ToList();
        return new DumpArchiveReader(path, options, top, tables);
    }

    /// <summary>Every document of every table, in archive order. Throws <see cref="ArchiveFormatException"/> if the file changed since <see cref="Open"/>.</summary>
    public IEnumerable<ArchiveDocument> ReadDocuments()
    {
        var byMember = Tables.ToDictionary(t => t.DataMember, StringComparer.Ordinal);
        using var file = File.OpenRead(_path);
        using var input = Decompressed(_path, file);
        using var tar = new TarReader(input, leaveOpen: true);
        while (Next(tar, _path) is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null)
                continue;
            if (!byMember.TryGetValue(entry.Name, out var table))
                continue;
            var rows = new JsonRowReader(new ExactLengthStream(entry.DataStream, entry.Length), entry.Name, _options);
            while (rows.TryRead(out var document))
                yield return new ArchiveDocument(table, rows.Count - 1, document);
            if (rows.Count != table.DocumentCount)
                throw new ArchiveFormatException($"{entry.Name}: holds {rows.Count} documents now but {table.DocumentCount} when the archive was opened");
        }
    }

    /// <summary>
    /// The content of the side file <c>top/db/fileName</c> (see <see cref="DumpArchiveWriter.AddFileAsync"/>), or null
    /// when the archive has none. One larger than <paramref name="maxBytes"/> is an <see cref="ArchiveFormatException"/>.
    /// </summary>
    public byte[]? ReadSideFile(string db, string fileName, int maxBytes)
    {
        var wanted = $"{TopFolder}/{db}/{fileName}";
        using var file = OpenFile(_path);
        using var input = Decompressed(_path, file);
        using var tar = new TarReader(input, leaveOpen: true);
        while (Next(tar, _path) is { } entry)
        {
            var name = string.Join('/', entry.Name.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "."));
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || name != wanted)
                continue;
            if (entry.Length > maxBytes)
                throw new ArchiveFormatException($"{entry.Name}: larger than the cap of {maxBytes} bytes ({entry.Length} bytes)");
            var content = new byte[entry.Length];
            try
            {
                (entry.DataStream ?? Stream.Null).ReadExactly(content);
            }
            catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException)
            {
                throw new ArchiveFormatException($"{entry.Name}: {Truncated(e)}", e);
            }
            return content;
        }
        return null;
    }

    private static void Scan(string path, Action<string, MemberPath, Stream> onMember)
    {
        using var file = OpenFile(path);
        using var counted = new CountingStream(Decompressed(path, file));
        using var tar = new TarReader(counted, leaveOpen: true);
        while (true)
        {
            var before = counted.BytesRead;
            if (Next(tar, path) is not { } entry)
            {
                // GetNextEntry also returns null at a plain end of data: an archive cut at a member boundary would
                // pass as complete unless the zero block that marks the end was really read.
                if (counted.BytesRead - before < 512)
                    throw new ArchiveFormatException($"{path}: truncated: the tar end-of-archive marker is missing");
                break;
            }
            try
            {
                if (entry.EntryType is (TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                    && MemberPath.Parse(entry.Name) is { } memberPath)
                    onMember(entry.Name, memberPath, new ExactLengthStream(entry.DataStream ?? Stream.Null, entry.Length));
                entry.DataStream?.CopyTo(Stream.Null);
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
            {
                throw new ArchiveFormatException($"{entry.Name}: {Truncated(e)}", e);
            }
        }
        // Reading on to the end checks the last gzip member's trailer (CRC and length).
        try
        {
            counted.CopyTo(Stream.Null);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new ArchiveFormatException($"{path}: {Truncated(e)}", e);
        }
    }

    private static TarEntry? Next(TarReader tar, string path)
    {
        try
        {
            return tar.GetNextEntry(copyData: false);
        }
        catch (EndOfStreamException e)
        {
            throw new ArchiveFormatException($"{path}: truncated: unexpected end of data", e);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or FormatException or ArgumentException)
        {
            throw new ArchiveFormatException($"{path}: not a readable tar archive: {OneLine(e.Message)}", e);
        }
    }

    private static string Truncated(Exception e) => e is EndOfStreamException ? "truncated: unexpected end of data" : OneLine(e.Message);

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private static FileStream OpenFile(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArchiveFormatException($"{path}: cannot open: {OneLine(e.Message)}", e);
        }
    }

    /// <summary>The tar stream: gunzipped if the file starts with the gzip magic, as is otherwise.</summary>
    private static Stream Decompressed(string path, FileStream file)
    {
        Span<byte> magic = stackalloc byte[6];
        var n = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        file.Position = 0;
        if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
            return new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
        if (n >= 3 && magic[..3].SequenceEqual("BZh"u8))
            throw new ArchiveFormatException($"{path}: bzip2-compressed archives are not supported; use gzip or plain tar");
        if (n >= 6 && magic.SequenceEqual(new byte[] { 0xfd, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0 }))
            throw new ArchiveFormatException($"{path}: xz-compressed archives are not supported; use gzip or plain tar");
        if (file.Length < 512)
            throw new ArchiveFormatException($"{path}: not a tar or gzip archive: {file.Length} bytes, less than one tar header");
        return file;
    }

    private static TableInfo ReadInfo(string member, MemberPath memberPath, Stream content, DumpArchiveReaderOptions options)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = content.Read(chunk)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > options.MaxInfoBytes)
                throw new ArchiveFormatException($"{member}: larger than the cap of {options.MaxInfoBytes} bytes for metadata");
        }
        try
        {
            using var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length),
                new JsonDocumentOptions { MaxDepth = options.MaxNestingDepth + 1 });
            return TableInfo.FromInfoDocument(memberPath.Db, memberPath.Table, document.RootElement);
        }
        catch (JsonException e)
        {
            var cut = e.Message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            throw new ArchiveFormatException($"{member}: invalid JSON: {(cut > 0 ? e.Message[..cut] : e.Message)}", e);
        }
        catch (FormatException e)
        {
            throw new ArchiveFormatException($"{member}: not table metadata: {e.Message}", e);
        }
    }
}
