using System.Text.Json;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Tests.Node;
using ActorBackup.Sandbox;
using ActorBackup.Testing;

namespace ActorBackup.Cli.Tests.Members;

/// <summary>
/// `actorbackup members` against three in-process nodes over two regions with an admin token, R = 2, one table in four
/// shards: a node that stopped without leaving stays listed as unreachable until `members down` removes it, which
/// nothing without the admin token can do.
/// </summary>
public sealed class MembersVerbTests : IAsyncLifetime
{
    private const string AdminToken = "members-admin-token";

    private readonly TestNodeFiles _files = new();
    private readonly List<BackupNode> _nodes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private string _tokenFile = "";

    public Task InitializeAsync()
    {
        _tokenFile = _files.Write("admin.token", AdminToken + "\n");
        _nodes.AddRange(_files.StartCluster(["eu-west", "eu-west", "us-east"], _ => $$"""
            {{TestNodeFiles.VotesInFourShards}}
            actorbackup.admin.token-file = "{{_tokenFile}}"
            akka.coordinated-shutdown.run-by-actor-system-terminate = off
            """));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
        _http.Dispose();
        _files.Dispose();
    }

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Program.RunAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private async Task<ClusterStatus> StatusOf(BackupNode node)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, node.AdminUrl + "status");
        request.Headers.Authorization = new("Bearer", AdminToken);
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return StatusJson.Read(await response.Content.ReadAsStringAsync());
    }

    private async Task FormedAsync()
    {
        await Eventually.Passes(async () =>
        {
            var status = await StatusOf(_nodes[0]);
            Assert.Equal(3, status.Members.Count(m => m is { Status: "up", Reachable: true }));
            Assert.All(status.Shards, s => Assert.Equal(2, s.ReplicaCount));
        }, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_stopped_node_is_downed_only_with_the_admin_token_and_the_survivors_hold_every_shard_at_R()
    {
        await FormedAsync();
        var (seed, crashed, survivor) = (_nodes[0], _nodes[1], _nodes[2]);
        var gone = crashed.Address;
        await crashed.System.Terminate();
        await Eventually.Passes(async () =>
            Assert.Contains((await StatusOf(seed)).Members, m => m.Address == gone && !m.Reachable), TimeSpan.FromSeconds(60));

        var (listCode, listed, _) = await Run("members", "list", "--admin", seed.AdminUrl, "--token-file", _tokenFile);
        Assert.Equal(ExitCodes.Ok, listCode);
        Assert.Contains(listed.Split('\n'), line => line.Contains(gone) && line.Contains(" UNREACHABLE"));

        var (anonymousCode, anonymousOut, anonymousErr) = await Run("members", "down", gone, "--admin", seed.AdminUrl);
        Assert.Equal((ExitCodes.Failure, ""), (anonymousCode, anonymousOut));
        Assert.StartsWith($"actorbackup members: error: {AdminClientBase(seed)} answered 401: This route needs the admin token", anonymousErr);
        Assert.Single(anonymousErr.TrimEnd('\n').Split('\n'));

        var stranger = gone.Replace(gone[(gone.LastIndexOf(':') + 1)..], FreePort.Next().ToString());
        var (strangerCode, _, strangerErr) = await Run("members", "down", stranger, "--admin", seed.AdminUrl, "--token-file", _tokenFile);
        Assert.Equal(ExitCodes.Failure, strangerCode);
        Assert.StartsWith($"actorbackup members: error: {AdminClientBase(seed)} answered 404: {stranger} is not a member of the cluster", strangerErr);
        Assert.Single(strangerErr.TrimEnd('\n').Split('\n'));

        // Neither refused request changed anything: the stopped node is still a member, unreachable.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.All(await Task.WhenAll(StatusOf(seed), StatusOf(survivor)),
            s => Assert.Contains(s.Members, m => m.Address == gone && !m.Reachable));

        var (downCode, downOut, downErr) = await Run("members", "down", gone, "--admin", seed.AdminUrl, "--token-file", _tokenFile);

        Assert.Equal((ExitCodes.Ok, ""), (downCode, downErr));
        Assert.StartsWith($"{gone} is down", downOut);
        string[] survivors = [seed.Address, survivor.Address];
        foreach (var node in new[] { seed, survivor })
        {
            await Eventually.Passes(async () =>
            {
                var status = await StatusOf(node);
                Assert.Equal(survivors.Order(), status.Members.Select(m => m.Address).Order());
                Assert.All(status.Members, m => Assert.Equal(("up", true), (m.Status, m.Reachable)));
                Assert.Equal(4, status.Shards.Count);
                Assert.All(status.Shards, s =>
                {
                    Assert.Equal(2, s.ReplicaCount);
                    Assert.Equal(survivors.Order(), s.Replicas.Select(r => r.Node).Order());
                });
            }, TimeSpan.FromSeconds(60));
        }
        var (_, after, _) = await Run("members", "list", "--admin", survivor.AdminUrl, "--token-file", _tokenFile);
        Assert.Contains("Members (2):", after);
        Assert.DoesNotContain(gone, after);
        var (jsonCode, json, _) = await Run("members", "list", "--json", "--admin", survivor.AdminUrl, "--token-file", _tokenFile);
        Assert.Equal(ExitCodes.Ok, jsonCode);
        Assert.Equal(survivors.Order(), JsonSerializer.Deserialize<MemberEntry[]>(json, StatusJson.Options)!.Select(m => m.Address).Order());
    }

    private static string AdminClientBase(BackupNode node) => node.AdminUrl.TrimEnd('/') + "/";
}
