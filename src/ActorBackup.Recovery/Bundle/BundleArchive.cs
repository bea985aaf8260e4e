using ActorBackup.Ledger.Documents;
using ActorBackup.Recovery.Archive;
using ActorBackup.Recovery.Bundle.Manifest;

namespace ActorBackup.Recovery.Bundle;

/// <summary>
/// A client bundle (or, for assembly, any dump of a ledger) opened for reading: the archive checked end to end as
/// import checks it, its <c>bigchain</c> and <c>votes</c> tables found, its manifest read. The documents are then
/// streamed, never all held. Every failure is a <see cref="BundleFormatException"/> with one line naming the file.
/// </summary>
public sealed class BundleArchive
{
    private readonly DumpArchiveReader _reader;

    private BundleArchive(string path, DumpArchiveReader reader, ArchiveTable blocks, ArchiveTable votes, BundleManifest? manifest)
    {
        Path = path;
        _reader = reader;
        Blocks = blocks;
        Votes = votes;
        Manifest = manifest;
    }

    public string Path { get; }

    public ArchiveTable Blocks { get; }

    public ArchiveTable Votes { get; }

    /// <summary>The manifest; null only for an archive opened without requiring one.</summary>
    public BundleManifest? Manifest { get; }

    /// <summary>Opens <paramref name="path"/>; without <paramref name="requireManifest"/> a plain dump of the two tables is accepted too.</summary>
    public static BundleArchive Open(string path, bool requireManifest = true)
    {
        if (!File.Exists(path))
            throw new BundleFormatException(Directory.Exists(path) ? $"{path}: a directory, not a bundle file" : $"{path}: no such file");
        DumpArchiveReader reader;
        try
        {
            reader = DumpArchiveReader.Open(path, BundleLayout.ReaderOptions);
        }
        catch (ArchiveFormatException e)
        {
            throw new BundleFormatException(e.Message, e);
        }
        var blocks = Table(path, reader, BundleLayout.BlocksTable);
        var votes = Table(path, reader, BundleLayout.VotesTable);
        byte[]? manifestBytes;
        try
        {
            manifestBytes = reader.ReadSideFile(BundleLayout.Database, BundleLayout.ManifestFile, BundleLayout.MaxManifestBytes);
        }
        catch (ArchiveFormatException e)
        {
            throw new BundleFormatException(e.Message, e);
        }
        if (manifestBytes is null)
        {
            if (requireManifest)
                throw new BundleFormatException($"{path}: not a client bundle: it has no {BundleLayout.Database}/{BundleLayout.ManifestFile} (bundles are written by `actorbackup client-backup`)");
            return new BundleArchive(path, reader, blocks, votes, null);
        }
        try
        {
            return new BundleArchive(path, reader, blocks, votes, ManifestJson.Read(manifestBytes));
        }
        catch (FormatException e)
        {
            throw new BundleFormatException($"{path}: {BundleLayout.ManifestFile} is not a bundle manifest: {e.Message}", e);
        }
    }

    /// <summary>Every block, then every vote, as the archive holds them.</summary>
    public IEnumerable<BundleDocument> Documents()
    {
        IEnumerable<ArchiveDocument> documents;
        try
        {
            documents = _reader.ReadDocuments();
        }
        catch (ArchiveFormatException e)
        {
            throw new BundleFormatException(e.Message, e);
        }
        using var each = documents.GetEnumerator();
        while (true)
        {
            try
            {
                if (!each.MoveNext())
                    yield break;
            }
            catch (ArchiveFormatException e)
            {
                throw new BundleFormatException(e.Message, e);
            }
            var document = each.Current;
            if (document.Table == Blocks)
                yield return BundleDocument.Of(RecordKind.Block, document.Document);
            else if (document.Table == Votes)
                yield return BundleDocument.Of(RecordKind.Vote, document.Document);
        }
    }

    private static ArchiveTable Table(string path, DumpArchiveReader reader, string name)
    {
        var table = reader.Tables.FirstOrDefault(t => t.Info.Db == BundleLayout.Database && t.Info.Name == name);
        if (table is null)
            throw new BundleFormatException($"{path}: not a bundle of a ledger: it has no {BundleLayout.Database}.{name} table "
                                            + $"(it holds {(reader.Tables.Count == 0 ? "none" : string.Join(", ", reader.Tables.Select(t => $"{t.Info.Db}.{t.Info.Name}")))})");
        if (table.Info.PrimaryKey != "id")
            throw new BundleFormatException($"{path}: {table.DataMember}: its primary key is \"{table.Info.PrimaryKey}\", not BigchainDB's \"id\"");
        return table;
    }
}
