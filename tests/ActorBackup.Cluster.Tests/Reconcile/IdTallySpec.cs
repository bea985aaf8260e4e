using System.Text.Json;
using ActorBackup.Cluster.Capture.Sources;
using ActorBackup.Cluster.Reconcile;
using ActorBackup.Cluster.Tests.Capture;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cluster.Tests.Reconcile;

/// <summary>
/// The tally of a range (<see cref="IdTally"/>): the source computes it in ReQL as the node computes it from its index, so
/// that agreeing tallies say the same ids, and sets that differ with equal counts disagree.
/// </summary>
public sealed class IdTallySpec
{
    private static readonly string[] Ids =
    [
        "3f1c9a0d5b7e2f4a6c8e0b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a", // a block id
        "0b6d2e52-6a3c-4d1f-9e8b-7c5a3f1e2d4b", // a vote id of RethinkDB
        "8f",
        "ffffffff",
        "ABCDEF0123456789", // upper case: not hex digits to the tally
        "zz-??-ZZ",
        "tab\tnew\nline",
    ];

    [Fact]
    public async Task The_source_tallies_a_range_as_the_node_tallies_the_same_ids()
    {
        await using var source = await LedgerSource.StartAsync();
        await using var connection = await source.ConnectAsync();
        using var documents = JsonDocument.Parse("[" + string.Join(",", Ids.Select(id => $"{{\"id\":{JsonSerializer.Serialize(id)}}}")) + "]");
        await R.Db(LedgerSource.Database).Table("votes").Insert(documents.RootElement).RunWriteAsync(connection);

        var whole = await IdTally.OfSelection(ScanQuery.Range(LedgerSource.Database, "votes", null, null)).RunAtomAsync(connection);
        var part = await IdTally.OfSelection(ScanQuery.Range(LedgerSource.Database, "votes", "3f", "9")).RunAtomAsync(connection);
        var empty = await IdTally.OfSelection(ScanQuery.Range(LedgerSource.Database, "votes", "9", "A")).RunAtomAsync(connection);

        Assert.Equal(IdTally.Of(Ids), TallyOf(whole));
        Assert.Equal(IdTally.Of(Ids.Where(id => string.CompareOrdinal(id, "3f") >= 0 && string.CompareOrdinal(id, "9") < 0)), TallyOf(part));
        Assert.Equal(2, TallyOf(part).Records);
        Assert.Equal(new IdTally(0, 0), TallyOf(empty));
    }

    [Fact]
    public void An_id_is_worth_its_last_eight_characters_in_base_17()
    {
        Assert.Equal(0x8f / 16 * 17 + 0xf, IdTally.ValueOf("8f"));
        Assert.Equal(16 * 17 + 16, IdTally.ValueOf("zZ"));
        Assert.Equal(IdTally.ValueOf("00000001"), IdTally.ValueOf("ffff00000001"));
        Assert.Equal((long)Math.Pow(17, 8) - 1, IdTally.ValueOf("-".PadLeft(20, '-')));
    }

    [Fact]
    public void A_set_that_lost_one_id_and_gained_another_has_the_same_count_and_another_checksum()
    {
        var held = IdTally.Of(Ids);
        var source = IdTally.Of([.. Ids.Skip(1), "5d1e0b2a9c8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d"]);

        Assert.Equal(held.Records, source.Records);
        Assert.False(held.Agrees(source));
        Assert.True(held.Agrees(IdTally.Of(Ids.Reverse())));
    }

    [Fact]
    public void Tallies_of_more_ids_than_a_double_sums_exactly_never_agree()
    {
        var large = new IdTally(IdTally.MaxRecords + 1, 12345);

        Assert.False(large.Agrees(large));
        Assert.True(new IdTally(IdTally.MaxRecords, 12345).Agrees(new IdTally(IdTally.MaxRecords, 12345)));
    }

    private static IdTally TallyOf(JsonElement answer) => new(answer[0].GetInt64(), answer[1].GetInt64());
}
