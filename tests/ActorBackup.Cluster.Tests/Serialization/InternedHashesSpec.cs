using System.Text.Json.Nodes;
using ActorBackup.Cluster.Serialization.Documents;

namespace ActorBackup.Cluster.Tests.Serialization;

/// <summary>
/// Which hashes a node interns (those its new documents name in two replicas), and that a table of interned hashes as a
/// journal gives it back must follow the numbers given so far.
/// </summary>
public sealed class InternedHashesSpec
{
    private static readonly byte[] Vote = Samples.Vote("44000001-0716-4f8e-a580-9e09763434c0", 1490000000, 7).Json.ToArray();

    private static byte[] Hash(string member) => Convert.FromHexString((string)JsonNode.Parse(Vote)!["vote"]![member]!);

    private const int Votes17 = 17, Votes18 = 18;

    [Fact]
    public void A_hash_is_queued_once_packing_meets_it_in_new_documents_of_a_second_replica()
    {
        var hashes = new InternedHashes();
        var calls = 0;
        hashes.AttachInterner(() => calls++);

        JsonPacker.Pack(Vote, hashes.Prefix(), newIn: Votes17);
        // Again in the same replica: its merged events compress the repeat.
        JsonPacker.Pack(Vote, hashes.Prefix(), newIn: Votes17);
        // Merges write the same documents again: that is no meeting.
        JsonPacker.Pack(Vote, hashes.Prefix());
        Assert.Equal(0, calls);
        Assert.Empty(hashes.TakeQueued().Hashes);

        JsonPacker.Pack(Vote, hashes.Prefix(), newIn: Votes18);
        JsonPacker.Pack(Vote, hashes.Prefix(), newIn: Votes18);
        var (first, queued) = hashes.TakeQueued();

        Assert.Equal(1, calls);
        Assert.Equal(0, first);
        Assert.Equal([.. Hash("previous_block"), .. Hash("voting_for_block")], queued);
        Assert.Equal(JsonPacker.PackedTag, JsonPacker.Pack(Vote, hashes.Prefix())[0]);

        hashes.Add(first, queued);

        var packed = JsonPacker.Pack(Vote, hashes.Prefix());
        Assert.Equal(JsonPacker.InternedTag, packed[0]);
        Assert.Equal(Vote, JsonPacker.Unpack(packed, hashes.Prefix()));
    }

    [Fact]
    public void Without_an_interner_nothing_is_queued()
    {
        var hashes = new InternedHashes();

        for (var replica = 0; replica < 3; replica++) JsonPacker.Pack(Vote, hashes.Prefix(), newIn: replica);

        Assert.Empty(hashes.TakeQueued().Hashes);
        Assert.Equal(0, hashes.Count);
    }

    [Fact]
    public void Once_the_interner_stopped_nothing_is_queued_and_what_was_queued_is_forgotten()
    {
        var hashes = new InternedHashes();
        var calls = 0;
        hashes.AttachInterner(() => calls++);
        JsonPacker.Pack(Vote, hashes.Prefix(), newIn: Votes17);
        JsonPacker.Pack(Vote, hashes.Prefix(), newIn: Votes18);

        hashes.DetachInterner();
        var other = Samples.Vote("48000001-0716-4f8e-a580-9e09763434c0", 1490000000, 70).Json.ToArray();
        JsonPacker.Pack(other, hashes.Prefix(), newIn: Votes17);
        JsonPacker.Pack(other, hashes.Prefix(), newIn: Votes18);

        Assert.Equal(1, calls);
        Assert.Empty(hashes.TakeQueued().Hashes);
    }

    [Fact]
    public void Hashes_that_do_not_follow_the_numbers_given_so_far_are_refused_and_change_nothing()
    {
        var hashes = new InternedHashes();
        var one = Hash("previous_block");
        var other = Hash("voting_for_block");
        hashes.Add(0, one);

        Assert.Equal("interned hashes numbered from 2 follow 1 hashes", Assert.Throws<InvalidDataException>(() => hashes.Add(2, other)).Message);
        Assert.Equal($"hash {Convert.ToHexStringLower(one)} is interned twice", Assert.Throws<InvalidDataException>(() => hashes.Add(1, one)).Message);
        Assert.Equal("31 bytes of interned hashes are not whole hashes of 32", Assert.Throws<InvalidDataException>(() => hashes.Add(1, other[..31])).Message);
        Assert.Equal("0 bytes of interned hashes are not whole hashes of 32", Assert.Throws<InvalidDataException>(() => hashes.Add(1, [])).Message);
        Assert.Equal(1, hashes.Count);
        Assert.Equal(one, hashes.Prefix().HashAt(0));
        // The same batch under the same numbers, as a node store recovered again after a restart gives it.
        hashes.Add(0, one);
        Assert.Equal(1, hashes.Count);
    }

    [Fact]
    public void A_prefix_is_vouched_for_only_by_a_table_that_holds_the_same_hashes_under_the_same_numbers()
    {
        var (one, other, third) = (Hash("previous_block"), Hash("voting_for_block"), Convert.FromHexString(Samples.BlockId(99)));
        var written = new InternedHashes();
        written.Add(0, one);
        written.Add(1, other);
        var prefix = written.Prefix();
        // The same journal read back, then one that lost its last batch and numbered another hash in its place.
        var same = new InternedHashes();
        same.Add(0, one);
        same.Add(1, other);
        var renumbered = new InternedHashes();
        renumbered.Add(0, one);
        renumbered.Add(1, third);
        var shorter = new InternedHashes();
        shorter.Add(0, one);

        Assert.Equal(other, same.Vouched(prefix.Count, prefix.Chain).HashAt(1));
        Assert.Equal("the payload names the first 2 interned hashes of the node, and its journal does not hold them as they were when it was written",
            Assert.Throws<InvalidDataException>(() => renumbered.Vouched(prefix.Count, prefix.Chain)).Message);
        Assert.Equal("the payload names the first 2 interned hashes of the node, and its journal holds 1",
            Assert.Throws<InvalidDataException>(() => shorter.Vouched(prefix.Count, prefix.Chain)).Message);
        // A count within one batch is no count the journal was ever vouched at.
        var together = new InternedHashes();
        together.Add(0, [.. one, .. other, .. third]);
        Assert.Throws<InvalidDataException>(() => together.Vouched(prefix.Count, prefix.Chain));
    }
}
