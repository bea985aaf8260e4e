using ActorBackup.Tags.Planning;
using static ActorBackup.Tags.Tests.Layouts;

namespace ActorBackup.Tags.Tests.Planning;

public sealed class TagPlannerTests
{
    private static TagLayoutRequest Request(
        int backupReplicas = 1, OriginalReplicas? original = null, TagNames? tags = null, params TableRef[] tables) =>
        new(tags ?? TagNames.Default, backupReplicas, original ?? OriginalReplicas.Keep, tables.Length == 0 ? [Bigchain, Votes] : tables);

    private static TagPlan Planned(string layout, TagLayoutRequest request) =>
        Assert.IsType<TagPlan>(TagPlanner.Plan(Load(layout), request));

    private static PlanRefusal Refused(string layout, TagLayoutRequest request) =>
        Assert.IsType<PlanRefusal>(TagPlanner.Plan(Load(layout), request));

    [Fact]
    public void Three_original_and_two_backup_servers_give_each_table_three_original_replicas_one_backup_replica_and_original_primaries()
    {
        var plan = Planned("three-original-two-backup", Request());

        Assert.Equal([Bigchain, Votes], plan.Tables.Select(t => t.Table));
        Assert.Equal(["rdb_1", "rdb_2", "rdb_3"], plan.Servers.Original);
        Assert.Equal(["backup_1", "backup_2"], plan.Servers.Backup);
        foreach (var table in plan.Tables)
        {
            Assert.False(table.AlreadyApplied);
            Assert.Equal("{original: 3, backup: 1}", table.Reconfigure.ReplicasText);
            Assert.Equal("original", table.Reconfigure.PrimaryReplicaTag);
            Assert.Empty(table.Notes);
        }
        Assert.Equal([1, 2], plan.Tables.Select(t => t.Reconfigure.Shards));
        Assert.All(plan.Tables.SelectMany(t => t.Current), c => Assert.Equal(new ReplicaCounts(3, 0, 0, 0), c));
    }

    [Fact]
    public void The_reconfigure_is_shown_as_the_Data_Explorer_call_it_stands_for()
    {
        var votes = Planned("three-original-two-backup", Request()).Tables[1];

        Assert.Equal(
            """r.db("bigchain").table("votes").reconfigure({shards: 2, replicas: {original: 3, backup: 1}, primary_replica_tag: "original"})""",
            votes.Reconfigure.ToCall(votes.Table));
    }

    [Fact]
    public void Five_original_and_two_backup_servers_with_several_shards_can_trade_an_original_replica_for_a_second_backup_one()
    {
        var plan = Planned("five-original-two-backup", Request(backupReplicas: 2, original: OriginalReplicas.MinusOne));

        Assert.Equal([4, 4], plan.Tables.Select(t => t.Reconfigure.Shards));
        Assert.All(plan.Tables, t => Assert.Equal("{original: 2, backup: 2}", t.Reconfigure.ReplicasText));
        Assert.Equal(5, plan.Servers.Original.Count);
    }

    [Fact]
    public void A_layout_already_in_place_is_planned_again_unchanged_so_apply_leaves_it_alone()
    {
        var keep = Planned("three-original-one-backup-applied", Request(tables: [Bigchain, Votes, Backlog]));
        // minus-one takes its replica only from a shard with none on a backup server yet: a rerun must not take another.
        var minusOne = Planned("three-original-one-backup-applied", Request(original: OriginalReplicas.MinusOne, tables: [Bigchain, Votes, Backlog]));

        Assert.All(keep.Tables.Concat(minusOne.Tables), t => Assert.True(t.AlreadyApplied, t.Table.ToString()));
        Assert.All(keep.Tables, t => Assert.Equal("{original: 3, backup: 1}", t.Reconfigure.ReplicasText));
        Assert.Empty(keep.ToChange);
        Assert.Empty(keep.Notes);
    }

    [Fact]
    public void A_shard_whose_primary_sits_on_a_backup_server_is_not_in_the_layout_even_with_the_right_replica_counts()
    {
        var plan = Planned("primary-on-backup", Request());

        Assert.True(plan.Tables[0].AlreadyApplied);
        Assert.False(plan.Tables[1].AlreadyApplied);
        Assert.Equal(
            ["shard 2: primary backup_1 (default, backup), not on a server tagged 'original'"],
            LayoutDifferences.Between(plan.Tables[1].Config, plan.Tables[1].Reconfigure, plan.Servers));
    }

    [Fact]
    public void A_table_already_in_the_layout_but_still_backfilling_is_left_alone_with_a_note()
    {
        var plan = Planned("table-mid-backfill", Request());

        Assert.All(plan.Tables, t => Assert.True(t.AlreadyApplied));
        Assert.Equal(["not every replica is ready (shard 2: backup_2 backfilling); `tags check` follows it"], plan.Tables[1].Notes);
    }

    [Fact]
    public void Settings_a_reconfigure_resets_are_named_for_the_table_that_had_others()
    {
        var plan = Planned("five-original-two-backup", Request(tables: [Backlog]));

        Assert.Equal("{original: 1, backup: 1}", plan.Tables[0].Reconfigure.ReplicasText);
        Assert.Equal(
            ["the reconfigure resets write_acks to majority (now single)", "the reconfigure resets durability to hard (now soft)"],
            plan.Tables[0].Notes);
    }

    [Fact]
    public void Backup_servers_that_kept_the_default_tag_are_named_and_a_backup_server_without_it_is_not()
    {
        var withDefault = Planned("three-original-two-backup", Request());
        var without = Planned("three-original-one-backup-applied", Request());

        Assert.Equal(
            ["backup_1, backup_2 also have the tag 'default': a reconfigure by a replica count (as bigchaindb set-replicas sends) would put replicas "
             + "and primaries there; remove 'default' from their tags in rethinkdb.server_config"],
            withDefault.Notes);
        Assert.Empty(without.Notes);
    }

    [Theory]
    [InlineData("three-original-no-backup", "backup", "no server has the backup tag 'backup' (--backup): start the backup servers with --server-tag backup "
        + "or add the tag in rethinkdb.server_config; the tags in this cluster are: default, original")]
    [InlineData("three-original-two-backup", "offsite", "no server has the backup tag 'offsite' (--backup): start the backup servers with --server-tag offsite "
        + "or add the tag in rethinkdb.server_config; the tags in this cluster are: backup, default, original")]
    public void A_backup_tag_no_server_has_is_refused(string layout, string backupTag, string reason)
    {
        var refusal = Refused(layout, Request(tags: new TagNames("original", backupTag)));

        Assert.Equal(new PlanRefusal(RefusalKind.Layout, reason), refusal);
    }

    [Fact]
    public void An_original_tag_no_server_has_is_refused()
    {
        var refusal = Refused("three-original-two-backup", Request(tags: new TagNames("orig", "backup")));

        Assert.Equal(new PlanRefusal(RefusalKind.Layout, "no server has the tag 'orig' (--original); the tags in this cluster are: backup, default, original"), refusal);
    }

    [Fact]
    public void More_backup_replicas_than_backup_servers_are_refused()
    {
        var refusal = Refused("three-original-one-backup-applied", Request(backupReplicas: 2));

        Assert.Equal(new PlanRefusal(RefusalKind.Layout, "--backup-replicas 2 needs 2 servers tagged 'backup' but only 1 server has that tag (backup_1)"), refusal);
    }

    [Fact]
    public void More_original_replicas_than_original_servers_are_refused()
    {
        var refusal = Refused("three-original-two-backup", Request(original: OriginalReplicas.Exactly(4)));

        Assert.Equal(new PlanRefusal(RefusalKind.Layout,
            "bigchain.bigchain needs 4 replicas per shard on servers tagged 'original' (--original-replicas 4) but only 3 servers have that tag (rdb_1, rdb_2, rdb_3)"),
            refusal);
    }

    [Fact]
    public void One_fewer_original_replica_than_a_single_one_is_refused()
    {
        var refusal = Refused("five-original-two-backup", Request(original: OriginalReplicas.MinusOne, tables: [Backlog]));

        Assert.Equal(new PlanRefusal(RefusalKind.Layout,
            "--original-replicas minus-one leaves bigchain.backlog no replica on 'original' servers (it has 1 per shard outside 'backup' servers now), "
            + "and its primaries must stay there"),
            refusal);
    }

    [Fact]
    public void A_server_with_both_tags_is_refused()
    {
        var refusal = Refused("server-with-both-tags", Request());

        Assert.Equal(new PlanRefusal(RefusalKind.Layout,
            "server rdb_4 has both tags 'original' and 'backup': RethinkDB cannot place replicas by two tags that share a server; "
            + "remove one of them from its tags in rethinkdb.server_config"),
            refusal);
    }

    [Fact]
    public void A_table_the_cluster_does_not_have_is_refused_with_the_tables_it_has()
    {
        var refusal = Refused("three-original-two-backup", Request(tables: [Bigchain, new TableRef("bigchain", "assets")]));

        Assert.Equal(new PlanRefusal(RefusalKind.Layout, "no table bigchain.assets in rethinkdb.table_config (tables of bigchain: backlog, bigchain, votes)"), refusal);
    }

    [Fact]
    public void A_table_to_change_while_a_backfill_runs_is_refused_as_not_ready()
    {
        var refusal = Refused("table-mid-backfill", Request(backupReplicas: 2));

        Assert.Equal(new PlanRefusal(RefusalKind.NotReady,
            "not every replica is ready in bigchain.votes (shard 2: backup_2 backfilling): a reconfigure now could leave the table unavailable; "
            + "wait until `tags check` or the web UI shows every replica ready"),
            refusal);
    }

    [Fact]
    public void Tables_whose_backup_server_is_down_are_refused_as_not_ready_and_the_disconnected_replica_does_not_count_as_a_backup_one()
    {
        var tables = Load("backup-server-down");
        var request = Request(tables: [Bigchain, Votes, Backlog]);

        var refusal = Assert.IsType<PlanRefusal>(TagPlanner.Plan(tables, request));

        Assert.Equal(new PlanRefusal(RefusalKind.NotReady,
            "not every replica is ready in bigchain.bigchain (shard 1: backup_2 disconnected); bigchain.votes (shard 2: backup_2 disconnected): "
            + "a reconfigure now could leave the table unavailable; wait until `tags check` or the web UI shows every replica ready"),
            refusal);
        var roles = new ServerRoles(tables.Servers, TagNames.Default);
        Assert.Equal(new ReplicaCounts(3, 0, 0, 1), roles.Count(tables.ConfigOf(Bigchain)!.Shards[0].Replicas));
    }

    [Theory]
    [InlineData("keep", "keep")]
    [InlineData("minus-one", "minus-one")]
    [InlineData("3", "3")]
    [InlineData("0", null)]
    [InlineData("65", null)]
    [InlineData("-1", null)]
    [InlineData("all", null)]
    public void Original_replicas_are_keep_minus_one_or_a_number_from_1_to_64(string text, string? parsed) =>
        Assert.Equal(parsed, OriginalReplicas.Parse(text)?.ToString());
}
