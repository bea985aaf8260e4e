using ActorBackup.Recovery.Archive;
using ActorBackup.Recovery.Bundle.Manifest;

namespace ActorBackup.Recovery.Bundle;

/// <summary>Writes a bundle: the blocks and votes as a <c>rethinkdb dump</c> archive of the bigchain database, rows in id order, and the manifest beside them.</summary>
public static class BundleWriter
{
    public static Task<long> WriteAsync(string path, bool overwrite, BuiltBundle bundle, CancellationToken ct) =>
        ArchiveFile.WriteAsync(path, overwrite, async archive =>
        {
            using (var blocks = archive.BeginTable(bundle.BlocksInfo with { Db = BundleLayout.Database }))
            {
                foreach (var block in bundle.Contents.Blocks)
                    blocks.WriteRow(block.Json.Span);
                await blocks.CompleteAsync(ct);
            }
            using (var votes = archive.BeginTable(bundle.VotesInfo with { Db = BundleLayout.Database }))
            {
                foreach (var vote in bundle.Contents.Votes)
                    votes.WriteRow(vote.Json.Span);
                await votes.CompleteAsync(ct);
            }
            await archive.AddFileAsync(BundleLayout.Database, BundleLayout.ManifestFile, ManifestJson.Write(bundle.Manifest), ct);
        }, ct);
}
