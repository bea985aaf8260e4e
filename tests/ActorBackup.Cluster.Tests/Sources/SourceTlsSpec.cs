using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Sources;
using ActorBackup.ReQL.Errors;
using ActorBackup.Sandbox.Reqlite;
using ActorBackup.Testing.Tls;
using Akka.Configuration;
using Akka.Event;

namespace ActorBackup.Cluster.Tests.Sources;

/// <summary>
/// <c>actorbackup.source-tls</c> as an operator writes it, against a TLS relay in front of reqlite (which has no TLS)
/// with certificates of a CA made for the test: the node's connections are TLS, checked against the CA file and name.
/// </summary>
public sealed class SourceTlsSpec : IAsyncLifetime
{
    private const string ServerName = "rethinkdb.test";
    private readonly TestAuthority _authority = TestAuthority.Create("federation test CA");
    private readonly TestAuthority _stranger = TestAuthority.Create("some other CA");
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("actorbackup-source-tls-");
    private ReqliteServer _server = null!;

    public async Task InitializeAsync() => _server = await ReqliteServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _authority.Dispose();
        _stranger.Dispose();
        _dir.Delete(recursive: true);
    }

    private SourceSessions Sessions(TlsRelay relay, TestAuthority trusted, string serverName = ServerName) =>
        new(BackupSettings.Create(ConfigurationFactory.ParseString($$"""
            actorbackup {
              sources = ["{{relay.Endpoint}}"]
              source-tls { enabled = on, ca-file = "{{trusted.WritePem(Path.Combine(_dir.FullName, "ca.pem"))}}", server-name = "{{serverName}}" }
              source.connect-timeout = 15s
            }
            """)), () => DateTimeOffset.UtcNow, NoLogger.Instance);

    [Fact]
    public async Task With_the_federations_ca_file_and_server_name_the_node_reads_its_source_over_TLS()
    {
        await using var relay = new TlsRelay(_authority.Issue(ServerName), _server.Host, _server.Port);
        await using var sessions = Sessions(relay, _authority);

        await using var lease = await sessions.AcquireAsync(0, CancellationToken.None);
        var answer = await lease.NextAnswerAsync(prompt: true);

        Assert.InRange(answer.SourceTime, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.True(relay.BytesToTarget > 0);
    }

    [Fact]
    public async Task A_source_certificate_from_another_ca_is_refused_in_one_line_which_status_shows()
    {
        await using var relay = new TlsRelay(_stranger.Issue(ServerName), _server.Host, _server.Port);
        await using var sessions = Sessions(relay, _authority);

        var e = await Assert.ThrowsAsync<ReqlTlsError>(() => sessions.AcquireAsync(0, CancellationToken.None));

        Assert.Equal(
            $"TLS with {relay.Endpoint} refused: its certificate \"CN={ServerName}\" does not chain to a trusted certificate authority (PartialChain).",
            e.Message);
        Assert.Equal(e.Message, sessions.Report()[0].LastError);
        Assert.Equal(0, relay.BytesToTarget);
    }

    [Fact]
    public async Task A_source_certificate_for_another_name_than_server_name_is_refused_in_one_line()
    {
        await using var relay = new TlsRelay(_authority.Issue("elsewhere.test"), _server.Host, _server.Port);
        await using var sessions = Sessions(relay, _authority);

        var e = await Assert.ThrowsAsync<ReqlTlsError>(() => sessions.AcquireAsync(0, CancellationToken.None));

        Assert.Equal($"TLS with {relay.Endpoint} refused: its certificate \"CN=elsewhere.test\" is not issued for the name \"{ServerName}\".", e.Message);
        Assert.Equal(0, relay.BytesToTarget);
    }
}
