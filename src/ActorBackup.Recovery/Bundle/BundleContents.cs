using ActorBackup.Ledger.Documents;

namespace ActorBackup.Recovery.Bundle;

/// <summary>
/// The verified blocks and votes of one bundle, each once by id, in id order (the order a dump writes rows in).
/// A client's bundle holds the blocks of its own transactions, so it is held in memory whole.
/// </summary>
public sealed class BundleContents
{
    private readonly SortedDictionary<string, Block> _blocks = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Vote> _votes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedList<string, Vote>> _votesByBlock = new(StringComparer.Ordinal);

    public IReadOnlyCollection<Block> Blocks => _blocks.Values;

    public IReadOnlyCollection<Vote> Votes => _votes.Values;

    public bool HasBlock(string id) => _blocks.ContainsKey(id);

    public bool HasVote(string id) => _votes.ContainsKey(id);

    public Block? Block(string id) => _blocks.GetValueOrDefault(id);

    /// <summary>False when a block with this id is already held.</summary>
    public bool Add(Block block) => _blocks.TryAdd(block.Id, block);

    /// <summary>False when a vote with this id is already held.</summary>
    public bool Add(Vote vote)
    {
        if (!_votes.TryAdd(vote.Id!, vote))
            return false;
        if (!_votesByBlock.TryGetValue(vote.VotingForBlock, out var list))
            _votesByBlock[vote.VotingForBlock] = list = new SortedList<string, Vote>(StringComparer.Ordinal);
        list.Add(vote.Id!, vote);
        return true;
    }

    /// <summary>The votes held for <paramref name="blockId"/>, in id order.</summary>
    public IReadOnlyList<Vote> VotesFor(string blockId) => _votesByBlock.TryGetValue(blockId, out var list) ? [.. list.Values] : [];
}
