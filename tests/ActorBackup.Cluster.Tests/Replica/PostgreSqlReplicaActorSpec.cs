using Npgsql;

namespace ActorBackup.Cluster.Tests.Replica;

public sealed class PostgreSqlReplicaActorSpec : ReplicaActorSpec, IClassFixture<PostgresFixture>
{
    private readonly string _connectionString;

    public PostgreSqlReplicaActorSpec(PostgresFixture postgres) : this(postgres.NewDatabase())
    {
    }

    private PostgreSqlReplicaActorSpec(string connectionString) : base(new ReplicaEnvironment(connectionString)) =>
        _connectionString = connectionString;

    protected override IReadOnlyList<(long Serializer, string Manifest)> StoredPayloadKinds()
    {
        using var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        using var cmd = new NpgsqlCommand("SELECT identifier, manifest FROM journal UNION ALL SELECT serializer_id, manifest FROM snapshot", connection);
        using var reader = cmd.ExecuteReader();
        var kinds = new List<(long, string)>();
        while (reader.Read()) kinds.Add((Convert.ToInt64(reader.GetValue(0)), reader.GetString(1)));
        return kinds;
    }

    [Fact]
    public void The_journal_setting_points_the_persistence_plugins_at_postgresql()
    {
        Assert.Equal("PostgreSQL", Sys.Settings.Config.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Equal("PostgreSQL", Sys.Settings.Config.GetString("akka.persistence.snapshot-store.sql.provider-name"));
        Assert.Equal(_connectionString, Sys.Settings.Config.GetString("akka.persistence.journal.sql.connection-string"));
    }
}
