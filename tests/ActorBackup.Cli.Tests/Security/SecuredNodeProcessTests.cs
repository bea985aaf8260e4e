using System.Net;
using System.Net.Http.Headers;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Tests.CommandLine;
using ActorBackup.Cli.Verbs.Drill;
using ActorBackup.Testing;

namespace ActorBackup.Cli.Tests.Security;

/// <summary>
/// A real node process with an admin token: callers without it, or with another one, are refused with 401 and change
/// nothing; the read-only token reads and changes nothing; the CLI's --token-file is what lets a verb through.
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class SecuredNodeProcessTests(SecuredNode node) : IClassFixture<SecuredNode>
{
    private const string Unfinished =
        "; 0 documents of bigchain were durable on R replicas before it (tables before it are complete); running the import again is safe: records already stored are not stored twice";

    private async Task<HttpStatusCode> PostAsOf(string? token, long at, string table)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{node.AdminUrl}import/{table}/as-of?at={at}&records=0");
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task An_as_of_request_without_the_admin_token_gets_401_or_403_and_the_restorable_point_does_not_move_until_the_admin_token_comes()
    {
        var before = await node.PointsAsync();
        var status = await node.StatusAsync();
        var later = status.RestorablePoint!.Value.ToUnixTimeSeconds() + 100;

        var refused = new List<HttpStatusCode>();
        foreach (var table in new[] { "bigchain", "votes" })
        {
            refused.Add(await PostAsOf(null, later, table));
            refused.Add(await PostAsOf("not-the-token", later, table));
            refused.Add(await PostAsOf(node.AdminToken + "x", later, table));
            refused.Add(await PostAsOf(node.ReadToken, later, table));
        }
        var afterRefusals = await node.PointsAsync();
        var accepted = new[] { await PostAsOf(node.AdminToken, later, "bigchain"), await PostAsOf(node.AdminToken, later, "votes") };

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden,
            HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden], refused);
        Assert.Equal(before, afterRefusals);
        // The same request with the admin token does move it: the refusals above were what kept it in place.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], accepted);
        await Eventually.Passes(async () => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(later), (await node.StatusAsync()).RestorablePoint),
            TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Import_without_a_token_or_with_the_read_token_fails_in_one_line_and_moves_nothing()
    {
        var before = await node.PointsAsync();
        var point = (await node.StatusAsync()).RestorablePoint!.Value.ToUnixTimeSeconds();

        var none = await CliRun.RunAsync("import", node.Archive, "--admin", node.AdminUrl, "--as-of", point.ToString(), "--attempts", "1");
        var read = await CliRun.RunAsync("import", node.Archive, "--admin", node.AdminUrl, "--as-of", point.ToString(), "--attempts", "1", "--token-file", node.ReadTokenFile);

        Assert.Equal(ExitCodes.Failure, none.Code);
        Assert.Equal("actorbackup import: error: the cluster refused a chunk of bigchain: 401 Unauthorized: This route needs the admin token: send Authorization: Bearer TOKEN (actorbackup --token-file)."
            + Unfinished,
            none.Err.TrimEnd());
        Assert.Equal(ExitCodes.Failure, read.Code);
        Assert.Equal("actorbackup import: error: the cluster refused a chunk of bigchain: 403 Forbidden: The read-only token allows GET requests only; this one needs the admin token." + Unfinished,
            read.Err.TrimEnd());
        Assert.Equal(before, await node.PointsAsync());
    }

    [Fact]
    public async Task Status_verify_and_export_read_with_the_read_only_token_and_are_refused_without_one()
    {
        var export = Path.Combine(node.Root, $"export-{Guid.NewGuid():N}.tar.gz");

        var status = await CliRun.RunAsync("status", "--admin", node.AdminUrl, "--token-file", node.ReadTokenFile, "--json");
        var verify = await CliRun.RunAsync("verify", "--admin", node.AdminUrl, "--token-file", node.ReadTokenFile);
        var exported = await CliRun.RunAsync("export", "--admin", node.AdminUrl, "--token-file", node.ReadTokenFile, "--out", export);
        var anonymous = await CliRun.RunAsync("status", "--admin", node.AdminUrl);

        Assert.True(status.Code == ExitCodes.Ok, status.Err);
        Assert.True(verify.Code == ExitCodes.Ok, verify.Err + verify.Out);
        Assert.True(exported.Code == ExitCodes.Ok, exported.Err + exported.Out);
        Assert.True(new FileInfo(export).Length > 0);
        Assert.Equal(ExitCodes.Failure, anonymous.Code);
        Assert.EndsWith("answered 401 Unauthorized: This route needs the admin token: send Authorization: Bearer TOKEN (actorbackup --token-file).", anonymous.Err.TrimEnd());
    }

    [Fact]
    public void The_drill_recognises_the_node_process_by_its_command_line_and_configuration_and_not_at_another_address()
    {
        var (address, pid) = node.Process;
        var elsewhere = address[..address.LastIndexOf(':')] + ":1";

        Assert.Null(NodeProcessCheck.WhyNot(pid, address));
        Assert.EndsWith($", which listens on port {new Uri(address).Port}, not {elsewhere}", NodeProcessCheck.WhyNot(pid, elsewhere));
    }

    [Fact]
    public void The_drill_refuses_a_local_pid_named_for_the_same_port_on_another_machine()
    {
        var (address, pid) = node.Process;
        var remote = $"akka.tcp://actorbackup@203.0.113.7:{new Uri(address).Port}";

        Assert.Equal($"203.0.113.7 is not an address of this machine, so pid {pid} here cannot be the node at {remote}", NodeProcessCheck.WhyNot(pid, remote));
    }
}
