using Microsoft.Data.Sqlite;

namespace ActorBackup.Cluster.Tests.Replica;

public sealed class SqliteReplicaActorSpec() : ReplicaActorSpec(new ReplicaEnvironment())
{
    protected override IReadOnlyList<(long Serializer, string Manifest)> StoredPayloadKinds()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Env.DataDirectory, "journal.sqlite")};Mode=ReadOnly");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT identifier, manifest FROM journal UNION ALL SELECT serializer_id, manifest FROM snapshot";
        using var reader = cmd.ExecuteReader();
        var kinds = new List<(long, string)>();
        while (reader.Read()) kinds.Add((reader.GetInt64(0), reader.GetString(1)));
        return kinds;
    }

    [Fact]
    public void The_journal_file_is_in_wal_mode_and_commits_with_a_full_fsync()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Env.DataDirectory, "journal.sqlite")}");
        connection.Open();
        using var cmd = connection.CreateCommand();

        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", cmd.ExecuteScalar());
        // 2 = FULL: the bundled SQLite's default, which the plugin's own connections get too.
        cmd.CommandText = "PRAGMA synchronous";
        Assert.Equal(2L, cmd.ExecuteScalar());
    }
}
