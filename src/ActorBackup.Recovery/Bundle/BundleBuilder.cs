using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Federation;
using ActorBackup.Ledger.Selection;
using ActorBackup.Ledger.Validation;
using ActorBackup.Recovery.Archive;
using ActorBackup.Recovery.Bundle.Manifest;
using ActorBackup.Recovery.Bundle.Sources;

namespace ActorBackup.Recovery.Bundle;

/// <summary>
/// Makes a client bundle: every block holding a selected transaction and every vote on those blocks, each checked
/// (id, signatures, every transaction) against the federation keys, plus the manifest. With a previous bundle it
/// keeps that bundle's records (checked again), asks the source again for its selection and any new one, and adds
/// only what the previous bundle lacks: new blocks, and new votes on old and new blocks.
/// </summary>
public sealed class BundleBuilder(IBundleSource source, TimeProvider clock)
{
    /// <param name="asked">The selection given now; with <paramref name="since"/> it is added to that bundle's.</param>
    /// <param name="keyFile">Keys the user got from the federation; without them, the voters the blocks list.</param>
    /// <exception cref="BundleFormatException">The previous bundle does not read or does not verify.</exception>
    /// <exception cref="BundleSourceException">The source cannot be read.</exception>
    public async Task<BuiltBundle> BuildAsync(TransactionSelection asked, BundleArchive? since, BundleFederationKeys? keyFile,
        IProgress<BundleReadProgress> progress, CancellationToken ct)
    {
        var selection = since?.Manifest is { } old ? old.Selection.ToSelection().Union(asked) : asked;
        var (oldBlocks, oldVotes) = since is null ? ([], []) : Read(since);
        var blocks = new Dictionary<string, (Block Block, bool IsNew)>(StringComparer.Ordinal);
        foreach (var block in oldBlocks)
            blocks[block.Id] = (block, false);
        var leftOut = new List<string>();

        await foreach (var document in source.BlocksAsync(selection, progress, ct))
        {
            if (document.Id is null || blocks.ContainsKey(document.Id))
                continue;
            if (!LedgerReader.TryRead(document.Json, RecordKind.Block, out var record, out var failure))
            {
                leftOut.Add($"{document.Describe}: {failure.Reason}: {failure.Message}");
                continue;
            }
            var block = (Block)record!;
            if (selection.Matching(block).Count > 0)
                blocks[block.Id] = (block, true);
        }

        var keys = keyFile ?? BundleFederationKeys.FromVoters(blocks.Values.Select(b => b.Block));
        var validator = new LedgerValidator(keys.Keys, new LedgerValidatorOptions(Deep: true));
        var contents = new BundleContents();
        foreach (var (block, isNew) in blocks.Values)
        {
            var result = validator.Validate(block.Json.Span, RecordKind.Block);
            if (result.IsValid)
                contents.Add(block);
            else if (isNew)
                leftOut.Add($"block {block.Id}: {result.Reason}: {result.Message}");
            else
                throw new BundleFormatException($"{since!.Path}: block {block.Id} does not verify with {keys.Source}: {result.Reason}: {result.Message}");
        }
        foreach (var vote in oldVotes)
        {
            var result = validator.Validate(vote.Json.Span, RecordKind.Vote);
            if (!result.IsValid || !contents.HasBlock(vote.VotingForBlock))
                throw new BundleFormatException($"{since!.Path}: vote {vote.Id} " + (result.IsValid
                    ? $"is on block {vote.VotingForBlock}, which the bundle does not hold"
                    : $"does not verify with {keys.Source}: {result.Reason}: {result.Message}"));
            contents.Add(vote);
        }
        var blocksAdded = blocks.Values.Count(b => b.IsNew && contents.HasBlock(b.Block.Id));

        var votesAdded = 0;
        await foreach (var document in source.VotesAsync(contents.Blocks.Select(b => b.Id).ToList(), progress, ct))
        {
            if (document.Id is null || contents.HasVote(document.Id))
                continue;
            var result = validator.ValidateAndRead(document.Json, RecordKind.Vote, out var record, out _);
            if (record is not Vote vote || !contents.HasBlock(vote.VotingForBlock))
                continue;
            if (!result.IsValid)
            {
                leftOut.Add($"{document.Describe}: {result.Reason}: {result.Message}");
                continue;
            }
            contents.Add(vote);
            votesAdded++;
        }

        var (blocksInfo, votesInfo) = since is not null && blocksAdded + votesAdded == 0
            ? (since.Blocks.Info, since.Votes.Info)
            : await source.TableInfosAsync(BundleLayout.Database, ct);
        var take = new BundleTake(clock.GetUtcNow(), source.Description, [.. source.Reads], blocksAdded, votesAdded);
        var manifest = Manifest(selection, contents, keys, [.. since?.Manifest?.Takes ?? [], take]);
        var notFound = manifest.Transactions.Where(t => t.Blocks.Count == 0).Select(t => t.Id).ToList();
        return new BuiltBundle(contents, manifest, blocksInfo, votesInfo, blocksAdded, votesAdded, leftOut, notFound);
    }

    /// <summary>The manifest of <paramref name="contents"/>: its transactions as the selection finds them, its elections decided with <paramref name="keys"/>.</summary>
    public static BundleManifest Manifest(TransactionSelection selection, BundleContents contents, BundleFederationKeys keys, IReadOnlyList<BundleTake> takes)
    {
        var holding = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var id in selection.TransactionIds)
            holding[id] = [];
        foreach (var block in contents.Blocks)
        {
            foreach (var tx in selection.Matching(block))
            {
                if (!holding.TryGetValue(tx, out var list))
                    holding[tx] = list = [];
                list.Add(block.Id);
            }
        }
        var elections = BundleElections.Decide(contents, keys.Keys);
        var blocks = contents.Blocks.Select(b => new BundleBlock(b.Id, BundleDigest.Of(b.Json),
            BundleElections.ToManifest(elections[b.Id].Result, elections[b.Id].Rules),
            contents.VotesFor(b.Id).Select(v => new BundleVote(v.Id!, v.NodePubkey, BundleDigest.Of(v.Json))).ToList())).ToList();
        return new BundleManifest(BundleSelection.Of(selection), takes, keys.ToManifest(),
            holding.Select(h => new BundleTransaction(h.Key, h.Value)).ToList(), blocks);
    }

    private static (List<Block> Blocks, List<Vote> Votes) Read(BundleArchive bundle)
    {
        var blocks = new List<Block>();
        var votes = new List<Vote>();
        foreach (var document in bundle.Documents())
        {
            if (document.Id is null)
                throw new BundleFormatException($"{bundle.Path}: a {document.Table} document has no string id");
            if (!LedgerReader.TryRead(document.Json, document.Kind, out var record, out var failure))
                throw new BundleFormatException($"{bundle.Path}: {document.Describe} is not a {document.Kind}: {failure.Message}");
            if (record is Block block)
                blocks.Add(block);
            else
                votes.Add((Vote)record!);
        }
        return (blocks, votes);
    }
}

/// <summary>
/// A bundle ready to write. <see cref="LeftOut"/>: records the source gave that failed verification, each one line;
/// <see cref="NotFound"/>: transactions asked for by id that no block holds.
/// </summary>
public sealed record BuiltBundle(
    BundleContents Contents,
    BundleManifest Manifest,
    TableInfo BlocksInfo,
    TableInfo VotesInfo,
    int BlocksAdded,
    int VotesAdded,
    IReadOnlyList<string> LeftOut,
    IReadOnlyList<string> NotFound);
