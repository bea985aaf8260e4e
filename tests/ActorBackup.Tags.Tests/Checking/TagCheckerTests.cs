using ActorBackup.Tags.Checking;
using ActorBackup.Tags.SystemTables;
using static ActorBackup.Tags.Tests.Layouts;

namespace ActorBackup.Tags.Tests.Checking;

public sealed class TagCheckerTests
{
    private static readonly TableRef[] Ledger = [Bigchain, Votes, Backlog];

    private static TagCheckReport Check(string layout, int backupReplicas = 1, params TableRef[] tables) =>
        TagChecker.Check(Load(layout), new TagCheckRequest(TagNames.Default, backupReplicas, tables.Length == 0 ? Ledger : tables));

    private static IReadOnlyList<string> Failures(TagCheckReport report) =>
        report.Tables.SelectMany(t => t.Problem is { } p ? [$"{t.Table}: {p}"] : t.Shards.Where(s => !s.Ok).Select(s => $"{t.Table} shard {s.Number}: {string.Join("; ", s.Problems)}"))
            .ToList();

    [Fact]
    public void A_layout_in_place_with_every_replica_ready_passes_every_shard()
    {
        var report = Check("three-original-one-backup-applied");

        Assert.True(report.Ok);
        Assert.Equal(0, report.Failing);
        Assert.Equal(4, report.Tables.Sum(t => t.Shards.Count));
        Assert.All(report.Tables.SelectMany(t => t.Shards), s =>
        {
            Assert.True(s.PrimaryOnOriginal);
            Assert.Equal(1, s.ReadyBackupReplicas);
            Assert.Equal([new ReplicaStatus("backup_1", "ready")], s.BackupReplicas);
        });
    }

    [Fact]
    public void A_backup_replica_still_backfilling_fails_its_shard_although_the_configuration_has_it()
    {
        var report = Check("table-mid-backfill", 1, Bigchain, Votes);

        Assert.False(report.Ok);
        Assert.Equal(["bigchain.votes shard 2: 0 ready replicas on servers tagged 'backup', 1 asked (backup_2 backfilling)"], Failures(report));
        Assert.Contains("backup_2", Load("table-mid-backfill").ConfigOf(Votes)!.Shards[1].Replicas);
    }

    [Fact]
    public void A_backup_server_that_is_down_fails_every_shard_it_held_and_is_named()
    {
        var report = Check("backup-server-down");

        Assert.Equal(
            [
                "bigchain.bigchain shard 1: 0 ready replicas on servers tagged 'backup', 1 asked (backup_2 disconnected, tags unknown)",
                "bigchain.votes shard 2: 0 ready replicas on servers tagged 'backup', 1 asked (backup_2 disconnected, tags unknown)",
            ],
            Failures(report));
        Assert.Equal(2, report.Failing);
    }

    [Fact]
    public void A_primary_on_a_backup_server_fails_its_shard()
    {
        var report = Check("primary-on-backup", 1, Bigchain, Votes);

        Assert.Equal(["bigchain.votes shard 2: primary on backup_1 (default, backup), not on a server tagged 'original'"], Failures(report));
        Assert.False(report.Tables[1].Shards[1].PrimaryOnOriginal);
        Assert.Equal(1, report.Tables[1].Shards[1].ReadyBackupReplicas);
    }

    [Fact]
    public void A_cluster_not_yet_laid_out_fails_every_shard_for_want_of_a_backup_replica()
    {
        var report = Check("three-original-two-backup");

        Assert.Equal(4, report.Failing);
        Assert.All(report.Tables.SelectMany(t => t.Shards), s =>
            Assert.Equal(["0 ready replicas on servers tagged 'backup', 1 asked: no replica on a server tagged 'backup'"], s.Problems));
    }

    [Fact]
    public void More_ready_backup_replicas_asked_than_there_are_fails_every_shard()
    {
        var report = Check("three-original-one-backup-applied", 2, Bigchain);

        Assert.Equal(["bigchain.bigchain shard 1: 1 ready replica on servers tagged 'backup', 2 asked"], Failures(report));
    }

    [Fact]
    public void A_table_the_cluster_does_not_have_fails_the_check()
    {
        var report = Check("primary-on-backup", 1, Bigchain, Backlog);

        Assert.Equal(["bigchain.backlog: no such table in rethinkdb.table_status"], Failures(report));
        Assert.Equal(1, report.Failing);
    }

    [Fact]
    public void A_shard_without_a_primary_and_a_table_without_status_fail()
    {
        var tables = SystemTablesSnapshot.Parse("""
            {"server_config": [{"cache_size_mb": "auto", "id": "5b0f7b4e-2b8e-4b43-9a57-7f0c2d8e1a11", "name": "rdb_1", "tags": ["original"]},
                               {"cache_size_mb": "auto", "id": "0c0b1f1e-7d0a-4f3e-8a66-1f6f9d2b3c44", "name": "backup_1", "tags": ["backup"]}],
             "table_config": [],
             "table_status": [
               {"db": "bigchain", "id": "9a1c2b3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d", "name": "bigchain", "raft_leader": "rdb_1",
                "shards": [{"primary_replicas": [], "replicas": [{"server": "rdb_1", "state": "waiting_for_primary"}, {"server": "backup_1", "state": "ready"}]}],
                "status": {"all_replicas_ready": false, "ready_for_outdated_reads": true, "ready_for_reads": false, "ready_for_writes": false}},
               {"db": "bigchain", "id": "1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d5e", "name": "votes", "raft_leader": "rdb_1", "shards": null,
                "status": {"all_replicas_ready": false, "ready_for_outdated_reads": false, "ready_for_reads": false, "ready_for_writes": false}}]}
            """, "inline.json");

        var report = TagChecker.Check(tables, new TagCheckRequest(TagNames.Default, 1, [Bigchain, Votes]));

        Assert.Equal(
            ["bigchain.bigchain shard 1: no primary", "bigchain.votes: its status is unavailable: RethinkDB cannot tell where its shards are"],
            Failures(report));
    }
}
