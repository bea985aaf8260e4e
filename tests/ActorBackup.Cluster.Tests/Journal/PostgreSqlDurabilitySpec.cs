using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Tests.Node;
using ActorBackup.Cluster.Tests.Replica;
using ActorBackup.Sandbox;
using ActorBackup.Testing;
using Akka.Configuration;
using Npgsql;

namespace ActorBackup.Cluster.Tests.Journal;

/// <summary>The node asks a real PostgreSQL whether it keeps what it acknowledges before journaling on it.</summary>
public sealed class PostgreSqlDurabilitySpec(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    private const string Refusal =
        "actorbackup.postgresql: the server runs with synchronous_commit = off, so it may lose records it acknowledged; turn it on, or set "
        + "actorbackup.postgresql.allow-unsafe-durability = on to accept that.";

    private readonly TestNodeFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>A fresh database whose sessions run with synchronous_commit off, as a tuned-for-speed server's would.</summary>
    private string DatabaseWithoutSynchronousCommit()
    {
        var connectionString = postgres.NewDatabase();
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        Execute(connectionString, $"ALTER DATABASE {name} SET synchronous_commit = off");
        return connectionString;
    }

    private NodeConfiguration PostgreSqlNode(string connectionString, string extra = "") =>
        NodeConfiguration.FromConfig(ConfigurationFactory.ParseString(_files.NodeHocon("solo", "eu-west", FreePort.Next(), FreePort.Next(), 0,
            $"actorbackup.journal = postgresql\nactorbackup.postgresql.connection-string = \"{connectionString}\"\n{extra}")), "solo");

    [Fact]
    public void A_server_with_its_durable_defaults_passes_without_a_warning()
    {
        var warnings = new List<string>();

        PostgreSqlDurability.Check(postgres.NewDatabase(), allowUnsafe: false, warnings.Add);

        Assert.Empty(warnings);
    }

    [Fact]
    public void A_database_with_synchronous_commit_off_is_refused_with_one_line_naming_the_setting_and_the_knob()
    {
        var e = Assert.Throws<BackupSettingsException>(() => PostgreSqlDurability.Check(DatabaseWithoutSynchronousCommit(), allowUnsafe: false, _ => { }));

        Assert.Equal(Refusal, e.Message);
    }

    [Fact]
    public void Allowing_unsafe_durability_accepts_the_server_with_a_warning_instead()
    {
        var warnings = new List<string>();

        PostgreSqlDurability.Check(DatabaseWithoutSynchronousCommit(), allowUnsafe: true, warnings.Add);

        Assert.Equal(
            "The PostgreSQL journal runs with synchronous_commit = off: it may lose records it acknowledged (accepted by actorbackup.postgresql.allow-unsafe-durability).",
            Assert.Single(warnings));
    }

    [Fact]
    public async Task A_server_with_fsync_off_is_refused_naming_both_settings_when_both_are_off()
    {
        await using var server = await PostgresServer.StartAsync();
        Execute(server.ConnectionString(), "ALTER SYSTEM SET fsync = off");
        Execute(server.ConnectionString(), "SELECT pg_reload_conf()");
        Execute(server.ConnectionString(), "ALTER DATABASE postgres SET synchronous_commit = off");

        // pg_reload_conf only signals the server: the new fsync applies once the postmaster has reread its files.
        await Eventually.Passes(() =>
            Assert.Contains("fsync = off", Assert.Throws<BackupSettingsException>(() => PostgreSqlDurability.Check(server.ConnectionString(), false, _ => { })).Message),
            TimeSpan.FromSeconds(10));

        var e = Assert.Throws<BackupSettingsException>(() => PostgreSqlDurability.Check(server.ConnectionString(), allowUnsafe: false, _ => { }));

        Assert.StartsWith("actorbackup.postgresql: the server runs with fsync = off and synchronous_commit = off, so it may lose", e.Message);
    }

    [Fact]
    public void An_unreachable_server_is_one_line_naming_the_connection_string_key()
    {
        var e = Assert.Throws<BackupSettingsException>(() =>
            PostgreSqlDurability.Check($"Host=127.0.0.1;Port={FreePort.Next()};Username=postgres;Database=postgres;Timeout=2", allowUnsafe: false, _ => { }));

        Assert.StartsWith("actorbackup.postgresql.connection-string: cannot ask the server whether it keeps what it acknowledges: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_node_configured_on_a_server_that_may_lose_acknowledged_writes_does_not_start()
    {
        var configuration = PostgreSqlNode(DatabaseWithoutSynchronousCommit());

        var e = Assert.Throws<BackupSettingsException>(() => BackupNode.Start(configuration));

        Assert.Equal(Refusal, e.Message);
    }
}
