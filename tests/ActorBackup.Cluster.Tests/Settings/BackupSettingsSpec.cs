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
        Assert.Equal(TimeSpan.FromHours(1), s.CatchUpVoteDelay);
        Assert.Equal(new SourceProbeSettings(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10)), s.SourceProbe);
        Assert.Equal(new SourceConnectionSettings(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5),
            512L * 1024 * 1024, 2, 256), s.Source);
        Assert.Equal(1000, s.SnapshotEvery);
        Assert.Equal(new RecordIndexSettings(TimeSpan.FromSeconds(1), 25_000, 4L * 1024 * 1024), s.RecordIndex);
        Assert.Equal(TimeSpan.FromMinutes(5), s.AntiEntropyInterval);
        Assert.Equal(new RepairSettings(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), 0.5, 1000, 64 * 1024, TimeSpan.FromMilliseconds(100)), s.Repair);
        Assert.Equal(new HostPort("127.0.0.1", 8558), s.Admin.Endpoint);
        Assert.Equal((null, null, 64L * 1024 * 1024, TimeSpan.FromMinutes(5), 32),
            (s.Admin.TokenFile, s.Admin.ReadTokenFile, s.Admin.MaxBodyBytes, s.Admin.RequestTimeout, s.Admin.MaxConcurrentRequests));
        Assert.Empty(s.Admin.AllowedOrigins);
        Assert.Null(s.Tls);
        Assert.Equal(new BatchSettings(500, 512 * 1024, TimeSpan.FromMilliseconds(200)), s.Batch);
        Assert.Equal(new BackoffSettings(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2), s.RestartBackoff);
        Assert.Equal(new CaptureSettings(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), 20_000, Environment.ProcessorCount, 2,
            TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1)), s.Capture);
        Assert.Equal(new ImportSettings(500, 64 * 1024, TimeSpan.FromSeconds(15), 1024 * 1024, 2, 32), s.Import);
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
    public void Operator_values_override_the_tuning_defaults()
    {
        var s = Read("""
            actorbackup {
              source { connect-timeout = 5s, response-timeout = 2m, keep-alive-idle = 30s, host-backoff = 0s, max-frame-size = 64MiB, cursor-prefetch = 4, replicas-per-connection = 32 }
              record-index { flush-interval = 250ms, flush-records = 1000, id-filter-size = 64MiB }
              repair { ask-timeout = 1m, not-placed-retry = 1s, far-behind = 0.25, ids-per-page = 200, message-bytes = 1MiB, write-latency = 50ms }
              capture { checkpoint-interval = 1s, journal-timeout = 30s, recent-window = 5000, parallelism = 3, journal-writes-in-flight = 4, journal-status-timeout = 1s, journal-poll-interval = 500ms, catch-up-join-window = 2s, catch-up-stall-timeout = 5s, point-rest-step = 0s }
              import { message-records = 100, message-bytes = 256KiB, owner-timeout = 1m, max-document-size = 4MiB, batches-in-flight = 4, batches-queued = 8 }
            }
            """);

        Assert.Equal(new SourceConnectionSettings(TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(30), TimeSpan.Zero,
            64L * 1024 * 1024, 4, 32), s.Source);
        Assert.Equal(new RecordIndexSettings(TimeSpan.FromMilliseconds(250), 1000, 64L * 1024 * 1024), s.RecordIndex);
        Assert.Equal(new RepairSettings(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(1), 0.25, 200, 1024 * 1024, TimeSpan.FromMilliseconds(50)), s.Repair);
        Assert.Equal(new CaptureSettings(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 5000, 3, 4, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.Zero),
            s.Capture);
        Assert.Equal(new ImportSettings(100, 256 * 1024, TimeSpan.FromMinutes(1), 4 * 1024 * 1024, 4, 8), s.Import);
    }

    [Fact]
    public void The_source_settings_become_the_drivers_connection_options()
    {
        var s = Read("""
            actorbackup {
              source-user = backup
              source-password = secret
              source { connect-timeout = 5s, response-timeout = 2m, keep-alive-idle = 30s, host-backoff = 1s, max-frame-size = 64MiB, cursor-prefetch = 4 }
            }
            """);

        var options = s.Source.Options(s.Credentials, s.SourceTls);

        Assert.Equal(("backup", "secret"), (options.User, options.Password));
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), 64L * 1024 * 1024, 4),
            (options.ConnectTimeout, options.ResponseTimeout, options.KeepAliveIdle, options.HostBackoff, options.MaxFrameBytes, options.CursorPrefetchBatches));
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
    [InlineData("actorbackup.tables = []", "actorbackup.tables must list at least one of bigchain, votes.")]
    [InlineData("actorbackup.tables = [blocks]", "actorbackup.tables: \"blocks\" is not one of bigchain, votes.")]
    [InlineData("actorbackup.tables = [bigchain, votes, backlog]",
        "actorbackup.tables: \"backlog\" cannot be backed up: its rows change (reassigned) and vanish (put into a block), so no watermark or "
        + "point-in-time restore can cover it, and its transactions are kept in the blocks once decided; list only bigchain and votes.")]
    [InlineData("actorbackup.repair.ask-timout = 5s",
        "actorbackup.repair.ask-timout is not a known key; did you mean actorbackup.repair.ask-timeout? (reference.conf lists every key)")]
    [InlineData("actorbackup { capture { checkpoint-intervall = 1s } }",
        "actorbackup.capture.checkpoint-intervall is not a known key; did you mean actorbackup.capture.checkpoint-interval? (reference.conf lists every key)")]
    [InlineData("actorbackup.shard = 16", "actorbackup.shard is not a known key; did you mean actorbackup.shards? (reference.conf lists every key)")]
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
    [InlineData("actorbackup.source.connect-timeout = 0s", "actorbackup.source.connect-timeout must be at least 1s (got 0s).")]
    [InlineData("actorbackup.source.response-timeout = 2h", "actorbackup.source.response-timeout must be at most 1h (got 2h).")]
    [InlineData("actorbackup.source.keep-alive-idle = 500ms", "actorbackup.source.keep-alive-idle must be at least 1s (got 500ms).")]
    [InlineData("actorbackup.source.host-backoff = later", "actorbackup.source.host-backoff must be a duration such as 30s or 5m (got \"later\").")]
    [InlineData("actorbackup.source.max-frame-size = 2GiB", "actorbackup.source.max-frame-size must be from 65536 to 1073741824 bytes (got 2GiB).")]
    [InlineData("actorbackup.source.cursor-prefetch = 0", "actorbackup.source.cursor-prefetch must be at least 1 (got 0).")]
    [InlineData("actorbackup.record-index.flush-interval = 5ms", "actorbackup.record-index.flush-interval must be at least 10ms (got 5ms).")]
    [InlineData("actorbackup.record-index.flush-records = 0", "actorbackup.record-index.flush-records must be at least 1 (got 0).")]
    [InlineData("actorbackup.record-index.id-filter-size = 1KiB", "actorbackup.record-index.id-filter-size must be from 65536 to 1073741824 bytes (got 1KiB).")]
    [InlineData("actorbackup.repair.ask-timeout = 500ms", "actorbackup.repair.ask-timeout must be at least 1s (got 500ms).")]
    [InlineData("actorbackup.repair.not-placed-retry = 2h", "actorbackup.repair.not-placed-retry must be at most 1h (got 2h).")]
    [InlineData("actorbackup.repair.far-behind = 2", "actorbackup.repair.far-behind must be from 0 to 1 (got 2).")]
    [InlineData("actorbackup.repair.ids-per-page = 0", "actorbackup.repair.ids-per-page must be at least 1 (got 0).")]
    [InlineData("actorbackup.repair.message-bytes = 8MiB", "actorbackup.repair.message-bytes must be from 1024 to 4194304 bytes (got 8MiB).")]
    [InlineData("actorbackup.repair.write-latency = 2m", "actorbackup.repair.write-latency must be at most 1m (got 2m).")]
    [InlineData("actorbackup.capture.checkpoint-interval = 10ms", "actorbackup.capture.checkpoint-interval must be at least 100ms (got 10ms).")]
    [InlineData("actorbackup.capture.journal-timeout = 11m", "actorbackup.capture.journal-timeout must be at most 10m (got 11m).")]
    [InlineData("actorbackup.capture.recent-window = 0", "actorbackup.capture.recent-window must be at least 1 (got 0).")]
    [InlineData("actorbackup.capture.parallelism = -1", "actorbackup.capture.parallelism must be at least 0 (got -1).")]
    [InlineData("actorbackup.capture.journal-writes-in-flight = 17", "actorbackup.capture.journal-writes-in-flight must be at most 16 (got 17).")]
    [InlineData("actorbackup.capture.journal-status-timeout = 10m", "actorbackup.capture.journal-status-timeout must be at most 5m (got 10m).")]
    [InlineData("actorbackup.capture.journal-poll-interval = 1ms", "actorbackup.capture.journal-poll-interval must be at least 100ms (got 1ms).")]
    [InlineData("actorbackup.capture.catch-up-stall-timeout = 0s", "actorbackup.capture.catch-up-stall-timeout must be at least 1s (got 0s).")]
    [InlineData("actorbackup.capture.point-rest-step = 2h", "actorbackup.capture.point-rest-step must be at most 1h (got 2h).")]
    [InlineData("actorbackup.reconcile.queries-in-flight = 0", "actorbackup.reconcile.queries-in-flight must be at least 1 (got 0).")]
    [InlineData("actorbackup.reconcile.capture-wait = 2m", "actorbackup.reconcile.capture-wait must be at most 1m (got 2m).")]
    [InlineData("actorbackup.reconcile.capture-wait-max = 2h", "actorbackup.reconcile.capture-wait-max must be at most 1h (got 2h).")]
    [InlineData("actorbackup.storage.merge-compression-level = 20", "actorbackup.storage.merge-compression-level must be at most 19 (got 20).")]
    [InlineData("actorbackup.storage.intern-interval = 10ms", "actorbackup.storage.intern-interval must be at least 100ms (got 10ms).")]
    [InlineData("actorbackup.import.message-records = 20000", "actorbackup.import.message-records must be at most 10000 (got 20000).")]
    [InlineData("actorbackup.import.message-bytes = 100b", "actorbackup.import.message-bytes must be from 1024 to 4194304 bytes (got 100b).")]
    [InlineData("actorbackup.import.owner-timeout = 0s", "actorbackup.import.owner-timeout must be at least 1s (got 0s).")]
    [InlineData("actorbackup.import.max-document-size = 32MiB", "actorbackup.import.max-document-size must be from 1024 to 16777216 bytes (got 32MiB).")]
    [InlineData("actorbackup.import.batches-in-flight = 0", "actorbackup.import.batches-in-flight must be at least 1 (got 0).")]
    [InlineData("actorbackup.import.batches-queued = 0", "actorbackup.import.batches-queued must be at least 1 (got 0).")]
    [InlineData("actorbackup.journal = mysql", "actorbackup.journal must be \"sqlite\" or \"postgresql\" (got \"mysql\").")]
    [InlineData("actorbackup.journal = postgresql", "actorbackup.postgresql.connection-string must be set when actorbackup.journal = \"postgresql\".")]
    public void A_bad_value_fails_with_a_one_line_message_naming_the_key(string hocon, string expected)
    {
        var message = FailureOf(hocon);

        Assert.Equal(expected, message);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void Every_key_of_reference_conf_may_be_set_by_an_operator()
    {
        var everyKey = string.Join("\n", KnownKeys.All.Order(StringComparer.Ordinal).Select(key => $"{key} = {AsHocon(BackupConfig.Reference.GetValue(key))}"));

        var s = BackupSettings.Create(ConfigurationFactory.ParseString(everyKey));

        var defaults = ReferenceSettings.Defaults;
        Assert.Equal((defaults.Region, defaults.Database, defaults.Shards, defaults.Repair, defaults.Capture, defaults.Import, defaults.Source),
            (s.Region, s.Database, s.Shards, s.Repair, s.Capture, s.Import, s.Source));
        Assert.Equal(defaults.Tables, s.Tables);
        Assert.Contains("actorbackup.repair.ask-timeout", KnownKeys.All);
        Assert.Contains("actorbackup.node.status-timeout", KnownKeys.All);
        Assert.DoesNotContain(KnownKeys.All, key => !key.StartsWith("actorbackup.", StringComparison.Ordinal));
    }

    // HOCON parses `[]` into an array element and an empty literal, so the value as a whole says it is no array.
    private static string AsHocon(Akka.Configuration.Hocon.HoconValue value) =>
        value.Values.OfType<Akka.Configuration.Hocon.HoconArray>().FirstOrDefault() is { } array
            ? System.Text.Json.JsonSerializer.Serialize(array.GetArray().Select(v => v.GetString()))
            : System.Text.Json.JsonSerializer.Serialize(value.GetString());

    [Fact]
    public void A_key_under_a_known_group_that_the_group_does_not_have_is_refused_even_among_valid_ones()
    {
        var message = FailureOf("""
            actorbackup {
              region = eu-west
              repair { ask-timeout = 1m, far-behnid = 0.25 }
            }
            """);

        Assert.Equal("actorbackup.repair.far-behnid is not a known key; did you mean actorbackup.repair.far-behind? (reference.conf lists every key)", message);
    }

    [Fact]
    public void Keys_outside_actorbackup_are_left_to_their_own_readers()
    {
        var s = Read("""
            akka.remote.dot-netty.tcp.port = 4053
            something-else.entirely = 1
            """);

        Assert.Equal("default", s.Region);
    }
}
