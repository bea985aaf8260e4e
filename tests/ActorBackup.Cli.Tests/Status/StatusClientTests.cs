using System.Net;
using System.Text;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Tests.Node;
using ActorBackup.Sandbox;
using Akka.Configuration;

namespace ActorBackup.Cli.Tests.Status;

/// <summary>The one reader of /status every client uses (status, drill, verify, restore, the sandbox).</summary>
public sealed class StatusClientTests : IDisposable
{
    private readonly TestNodeFiles _files = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose()
    {
        _http.Dispose();
        _files.Dispose();
    }

    [Fact]
    public async Task The_status_comes_from_the_first_endpoint_that_answers_with_one()
    {
        var port = FreePort.Next();
        await using var node = BackupNode.Start(NodeConfiguration.FromConfig(
            ConfigurationFactory.ParseString(_files.NodeHocon("solo", "eu-west", port, FreePort.Next(), port, TestNodeFiles.VotesInFourShards)), "solo"));
        var dead = new Uri($"http://127.0.0.1:{FreePort.Next()}/");

        var reading = await new StatusClient(_http, [dead, new Uri(node.AdminUrl)]).ReadAsync(CancellationToken.None);

        Assert.Equal(new Uri(node.AdminUrl + "status"), reading.Url);
        Assert.Equal(node.Address, reading.Status.Node);
        Assert.Equal(StatusJson.Read(reading.Json).Node, reading.Status.Node);
    }

    [Fact]
    public async Task Where_no_endpoint_answers_the_error_names_the_last_one_tried()
    {
        var (first, last) = (FreePort.Next(), FreePort.Next());

        var e = await Assert.ThrowsAsync<StatusUnavailableException>(() =>
            new StatusClient(_http, [new Uri($"http://127.0.0.1:{first}"), new Uri($"http://127.0.0.1:{last}")]).GetAsync(CancellationToken.None));

        Assert.Equal(StatusFailure.Unreachable, e.Failure);
        Assert.Equal($"cannot reach http://127.0.0.1:{last}/status: Connection refused (127.0.0.1:{last})", e.Message);
    }

    [Fact]
    public async Task A_server_that_answers_something_other_than_a_status_is_refused_in_one_line()
    {
        var port = FreePort.Next();
        using var listener = new HttpListener { Prefixes = { $"http://127.0.0.1:{port}/" } };
        listener.Start();
        var answering = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            var body = Encoding.UTF8.GetBytes("{\"status\":\"ok\"}");
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        });

        var e = await Assert.ThrowsAsync<StatusUnavailableException>(() =>
            new StatusClient(_http, new Uri($"http://127.0.0.1:{port}")).GetAsync(CancellationToken.None));
        await answering;

        Assert.Equal(StatusFailure.NotAStatus, e.Failure);
        Assert.StartsWith($"http://127.0.0.1:{port}/status did not return a cluster status: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
