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

        JsonPacker.Pack(Vote, hashes, newIn: Votes17);
        // Again in the same replica: its merged events compress the repeat.
        JsonPacker.Pack(Vote, hashes, newIn: Votes17);
        // Merges write the same documents again: that is no meeting.
        JsonPacker.Pack(Vote, hashes);
        Assert.Equal(0, calls);
        Assert.Empty(hashes.TakeQueued().Hashes);

        JsonPacker.Pack(Vote, hashes, newIn: Votes18);
        JsonPacker.Pack(Vote, hashes, newIn: Votes18);
        var (first, queued) = hashes.TakeQueued();

        Assert.Equal(1, calls);
        Assert.Equal(0, first);
        Assert.Equal([.. Hash("previous_block"), .. Hash("voting_for_block")], queued);
        Assert.Equal(JsonPacker.PackedTag, JsonPacker.Pack(Vote, hashes)[0]);

        hashes.Add(first, queued);

        var packed = JsonPacker.Pack(Vote, hashes);
        Assert.Equal(JsonPacker.InternedTag, packed[0]);
        Assert.Equal(Vote, JsonPacker.Unpack(packed, hashes));
    }

    [Fact]
    public void Without_an_interner_nothing_is_queued()
    {
        var hashes = new InternedHashes();

        for (var replica = 0; replica < 3; replica++) JsonPacker.Pack(Vote, hashes, newIn: replica);

        Assert.Empty(hashes.TakeQueued().Hashes);
        Assert.Equal(0, hashes.Count);
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
        Assert.Equal(1, hashes.Count);
        Assert.Equal(one, hashes.HashAt(0));
    }
}
