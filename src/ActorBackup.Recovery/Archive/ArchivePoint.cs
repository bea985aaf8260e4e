using System.Text.Json;

namespace ActorBackup.Recovery.Archive;

/// <summary>
/// The point in time an archive holds every record up to, for the tables it names, whole (every key range): what
/// <c>actorbackup export</c> read the cluster at. Kept in a side file beside the tables (<see cref="FileName"/>), which
/// <c>rethinkdb restore</c> and our reader pass over, so the archive stays a <c>rethinkdb dump</c> archive. An archive
/// from <c>rethinkdb dump</c> has none.
/// </summary>
public sealed record ArchivePoint(long At, IReadOnlyList<string> Tables)
{
    public const string FileName = "actorbackup-point.txt";

    private const int MaxBytes = 64 * 1024;

    public byte[] Write() => JsonSerializer.SerializeToUtf8Bytes(new { at = At, tables = Tables });

    /// <summary>The point recorded for database <paramref name="db"/> of the archive, or null when it records none.</summary>
    /// <exception cref="ArchiveFormatException">The side file is there but not a point.</exception>
    public static ArchivePoint? Read(DumpArchiveReader archive, string db)
    {
        if (archive.ReadSideFile(db, FileName, MaxBytes) is not { } content)
            return null;
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            var tables = root.GetProperty("tables").EnumerateArray().Select(t => t.GetString() ?? throw new FormatException("a table name is not a string")).ToArray();
            var at = root.GetProperty("at").GetInt64();
            if (at < 0) throw new FormatException($"at is negative ({at})");
            return new ArchivePoint(at, tables);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ArchiveFormatException($"{archive.TopFolder}/{db}/{FileName}: not a recorded point ({e.Message})", e);
        }
    }
}
