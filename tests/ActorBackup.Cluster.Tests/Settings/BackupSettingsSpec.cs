using ActorBackup.Cluster.Settings;
using Akka.Configuration;

namespace ActorBackup.Cluster.Tests.Settings;

public sealed class BackupSettingsSpec
{
    private static BackupSettings Read(string hocon) => BackupSettings.Create(ConfigurationFactory.ParseString(hocon));

    private static string FailureOf(string hocon) => Assert.Throws<BackupSettingsException>(() => Read(hocon)).Message;

    [Fact]
    public void Every_default_from_reference_conf_is_read_into_the_settings()
    {
        var s = BackupSettings.Create(ConfigurationFactory.Empty);

        Assert.Equal("default", s.Region);
        Assert.Equal([new HostPort("127.0.0.1", 28015)], s.Sources);
        Assert.Equal(new SourceCredentials("admin", ""), s.Credentials);
        Assert.Equal("bigchain", s.Database);
        Assert.Equal(["bigchain", "votes"], s.Tables);
        Assert.Null(s.FederationKeysPath);
        Assert.Equal(64, s.Shards);
        Assert.Equal(2, s.Replicas);
        Assert.Equal(Path.GetFullPath("data"), s.DataDirectory);
        Assert.Equal(TimeSpan.FromSeconds(30), s.CatchUpMargin);
        Assert.Equal(new SourceProbeSettings(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)), s.SourceProbe);
        Assert.Equal(1000, s.SnapshotEvery);
        Assert.Equal(TimeSpan.FromMinutes(5), s.AntiEntropyInterval);
        Assert.Equal(new HostPort("127.0.0.1", 8558), s.AdminEndpoint);
        Assert.Equal(new BatchSettings(500, 512 * 1024, TimeSpan.FromMilliseconds(200)), s.Batch);
        Assert.Equal(new BackoffSettings(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2), s.RestartBackoff);
        Assert.Equal(JournalKind.Sqlite, s.Journal);
        Assert.Null(s.PostgreSqlConnectionString);
    }

    [Fact]
    public void Operator_values_override_the_defaults()
    {
        var s = Read("""
            actorbackup {
              region = eu-west
              sources = ["db1:28015", "[::1]:28016"]
              source-user = backup
              source-password = secret
              tables = [votes]
              federation-keys = "keys.json"
              shards = 16
              replicas = 3
              journal = postgresql
              postgresql.connection-string = "Host=db;Database=ab"
              batch.max-bytes = 1MiB
            }
            """);

        Assert.Equal("eu-west", s.Region);
        Assert.Equal([new HostPort("db1", 28015), new HostPort("::1", 28016)], s.Sources);
        Assert.Equal(["votes"], s.Tables);
        Assert.Equal(Path.GetFullPath("keys.json"), s.FederationKeysPath);
        Assert.Equal((16, 3), (s.Shards, s.Replicas));
        Assert.Equal(JournalKind.PostgreSql, s.Journal);
        Assert.Equal("Host=db;Database=ab", s.PostgreSqlConnectionString);
        Assert.Equal(1024 * 1024, s.Batch.MaxBytes);
    }

    [Fact]
    public void The_text_form_of_the_credentials_never_shows_the_password()
    {
        var s = Read("actorbackup.source-password = hunter2");

        Assert.DoesNotContain("hunter2", s.ToString());
        Assert.Contains("admin (password set)", s.ToString());
    }

    [Theory]
    [InlineData("actorbackup.replicas = 0", "actorbackup.replicas must be at least 1 (got 0).")]
    [InlineData("actorbackup.replicas = 17", "actorbackup.replicas must be at most 16 (got 17).")]
    [InlineData("actorbackup.shards = 0", "actorbackup.shards must be at least 1 (got 0).")]
    [InlineData("actorbackup.shards = 5000", "actorbackup.shards must be at most 4096 (got 5000).")]
    [InlineData("actorbackup.shards = many", "actorbackup.shards must be an integer from 1 to 4096 (got \"many\").")]
    [InlineData("actorbackup.region = \"\"", "actorbackup.region must not be empty.")]
    [InlineData("actorbackup.region = \"eu west\"", "actorbackup.region may contain only letters, digits, '-', '_' and '.' (got \"eu west\").")]
    [InlineData("actorbackup.sources = []", "actorbackup.sources must list at least one RethinkDB server as \"host:port\".")]
    [InlineData("actorbackup.sources = [\"db1\"]", "actorbackup.sources: \"db1\" is not a valid \"host:port\" (expected \"host:port\").")]
    [InlineData("actorbackup.sources = [\"db1:99999\"]", "actorbackup.sources: \"db1:99999\" is not a valid \"host:port\" (the port must be a number from 1 to 65535).")]
    [InlineData("actorbackup.sources = \"db1:28015\"", "actorbackup.sources must be a list of strings such as [\"a\", \"b\"] (got \"db1:28015\").")]
    [InlineData("actorbackup.source-user = \"\"", "actorbackup.source-user must not be empty.")]
    [InlineData("actorbackup.database = \"\"", "actorbackup.database must not be empty.")]
    [InlineData("actorbackup.tables = []", "actorbackup.tables must list at least one of bigchain, votes, backlog.")]
    [InlineData("actorbackup.tables = [blocks]", "actorbackup.tables: \"blocks\" is not one of bigchain, votes, backlog.")]
    [InlineData("actorbackup.tables = [votes, votes]", "actorbackup.tables lists \"votes\" more than once.")]
    [InlineData("actorbackup.data-dir = \"\"", "actorbackup.data-dir must not be empty.")]
    [InlineData("actorbackup.catch-up-margin = 2d", "actorbackup.catch-up-margin must be at most 1d (got 2d).")]
    [InlineData("actorbackup.catch-up-margin = soon", "actorbackup.catch-up-margin must be a duration such as 30s or 5m (got \"soon\").")]
    [InlineData("actorbackup.source-probe.interval = 10ms", "actorbackup.source-probe.interval must be at least 100ms (got 10ms).")]
    [InlineData("actorbackup.source-probe.timeout = 1h", "actorbackup.source-probe.timeout must be at most 10m (got 1h).")]
    [InlineData("actorbackup.snapshot-every = 0", "actorbackup.snapshot-every must be at least 1 (got 0).")]
    [InlineData("actorbackup.anti-entropy-interval = 10ms", "actorbackup.anti-entropy-interval must be at least 1s (got 10ms).")]
    [InlineData("actorbackup.admin.endpoint = \"localhost\"", "actorbackup.admin.endpoint: \"localhost\" is not a valid \"host:port\" (expected \"host:port\").")]
    [InlineData("actorbackup.batch.max-records = 0", "actorbackup.batch.max-records must be at least 1 (got 0).")]
    [InlineData("actorbackup.batch.max-bytes = 100b", "actorbackup.batch.max-bytes must be from 1024 to 16777216 bytes (got 100b).")]
    [InlineData("actorbackup.batch.max-latency = 2m", "actorbackup.batch.max-latency must be at most 1m (got 2m).")]
    [InlineData("actorbackup.restart-backoff.min = 0s", "actorbackup.restart-backoff.min must be at least 10ms (got 0s).")]
    [InlineData("actorbackup.restart-backoff { min = 10s, max = 5s }", "actorbackup.restart-backoff.max must be at least 10s (got 5s).")]
    [InlineData("actorbackup.restart-backoff.random-factor = 1.5", "actorbackup.restart-backoff.random-factor must be from 0 to 1 (got 1.5).")]
    [InlineData("actorbackup.journal = mysql", "actorbackup.journal must be \"sqlite\" or \"postgresql\" (got \"mysql\").")]
    [InlineData("actorbackup.journal = postgresql", "actorbackup.postgresql.connection-string must be set when actorbackup.journal = \"postgresql\".")]
    public void A_bad_value_fails_with_a_one_line_message_naming_the_key(string hocon, string expected)
    {
        var message = FailureOf(hocon);

        Assert.Equal(expected, message);
        Assert.DoesNotContain('\n', message);
    }
}
