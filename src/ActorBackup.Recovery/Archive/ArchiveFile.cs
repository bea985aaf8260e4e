namespace ActorBackup.Recovery.Archive;

/// <summary>
/// Writes an archive under a temporary name beside <c>path</c> and renames it to <c>path</c> only once complete, so a
/// failed or interrupted write never leaves a partial archive under the name (nor removes the one that was there).
/// </summary>
public static class ArchiveFile
{
    /// <returns>The compressed size written.</returns>
    public static async Task<long> WriteAsync(string path, bool overwrite, Func<DumpArchiveWriter, Task> fill, CancellationToken ct)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.partial");
        try
        {
            long size;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                await using var archive = DumpArchiveWriter.Create(file, new DumpArchiveOptions { TempDirectory = folder });
                await fill(archive);
                await archive.CompleteAsync(ct);
                size = archive.CompressedBytes;
                await file.FlushAsync(ct);
            }
            File.Move(temporary, path, overwrite);
            return size;
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }
}
