using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;
using ActorBackup.Testing.Tls;

namespace ActorBackup.ReQL.Tests.Reqlite;

/// <summary>
/// TLS to a source, tested for real: reqlite has none, so a relay in this process terminates TLS in front of it with a
/// certificate signed by a CA made for the test, as a RethinkDB started with <c>--driver-tls-cert</c> would.
/// </summary>
public sealed class TlsTests(ReqliteFixture reqlite) : IClassFixture<ReqliteFixture>, IDisposable
{
    private const string ServerName = "rethinkdb.test";
    private readonly TestAuthority _authority = TestAuthority.Create("federation test CA");
    private readonly TestAuthority _stranger = TestAuthority.Create("some other CA");

    private ConnectionOptions Through(TlsRelay relay, TestAuthority trusted, string? serverName = ServerName) => reqlite.Options with
    {
        Host = relay.Host,
        Port = relay.Port,
        ConnectTimeout = TimeSpan.FromSeconds(15),
        Tls = new TlsOptions { Authorities = [trusted.Certificate], ServerName = serverName },
    };

    [Fact]
    public async Task A_server_whose_certificate_chains_to_the_configured_authority_and_names_the_server_is_queried_over_TLS()
    {
        await using var relay = new TlsRelay(_authority.Issue(ServerName), reqlite.Server.Host, reqlite.Server.Port);

        await using var connection = await Connection.ConnectAsync(Through(relay, _authority));

        Assert.Equal(42, (await R.Expr(41).Add(1).RunAtomAsync(connection)).GetInt32());
        Assert.True(relay.BytesToTarget > 0);
    }

    [Fact]
    public async Task A_server_certificate_from_another_authority_is_refused_with_one_line_before_the_login_is_sent()
    {
        await using var relay = new TlsRelay(_stranger.Issue(ServerName), reqlite.Server.Host, reqlite.Server.Port);

        var e = await Assert.ThrowsAsync<ReqlTlsError>(() => Connection.ConnectAsync(Through(relay, _authority)));

        Assert.Equal(
            $"TLS with {relay.Endpoint} refused: its certificate \"CN={ServerName}\" does not chain to a trusted certificate authority (PartialChain).",
            e.Message);
        Assert.False(e.IsTransient);
        Assert.Equal(0, relay.BytesToTarget);
    }

    [Fact]
    public async Task A_server_certificate_issued_for_another_name_is_refused_with_one_line()
    {
        await using var relay = new TlsRelay(_authority.Issue("elsewhere.test"), reqlite.Server.Host, reqlite.Server.Port);

        var e = await Assert.ThrowsAsync<ReqlTlsError>(() => Connection.ConnectAsync(Through(relay, _authority)));

        Assert.Equal($"TLS with {relay.Endpoint} refused: its certificate \"CN=elsewhere.test\" is not issued for the name \"{ServerName}\".", e.Message);
        Assert.Equal(0, relay.BytesToTarget);
    }

    [Fact]
    public async Task Without_a_server_name_the_certificate_must_be_issued_for_the_host_connected_to()
    {
        await using var relay = new TlsRelay(_authority.Issue(ServerName), reqlite.Server.Host, reqlite.Server.Port);

        var e = await Assert.ThrowsAsync<ReqlTlsError>(() => Connection.ConnectAsync(Through(relay, _authority, serverName: null)));

        Assert.Equal($"TLS with {relay.Endpoint} refused: its certificate \"CN={ServerName}\" is not issued for the name \"{relay.Host}\".", e.Message);
    }

    [Fact]
    public async Task TLS_to_a_server_that_speaks_plain_TCP_fails_with_one_line_naming_the_likely_cause()
    {
        var options = reqlite.Options with { Tls = new TlsOptions { Authorities = [_authority.Certificate], ServerName = ServerName } };

        var e = await Assert.ThrowsAsync<ReqlTlsError>(() => Connection.ConnectAsync(options));

        Assert.StartsWith($"TLS with {reqlite.Server.Endpoint} failed (does the server speak TLS on this port?): ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    public void Dispose()
    {
        _authority.Dispose();
        _stranger.Dispose();
    }
}
