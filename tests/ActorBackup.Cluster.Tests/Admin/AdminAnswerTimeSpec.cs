using System.Text;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cluster.Admin;
using ActorBackup.Cluster.Settings;
using ActorBackup.Sandbox;
using Akka.Event;

namespace ActorBackup.Cluster.Tests.Admin;

/// <summary>
/// admin.request-timeout bounds how long a client may take to send its request, never how long the node takes to
/// answer: a restore reads a large replica's records in one answer that outlasts any such bound.
/// </summary>
public sealed class AdminAnswerTimeSpec : IAsyncLifetime
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan AnswerTime = RequestTimeout * 3;

    private AdminServer _server = null!;

    public Task InitializeAsync()
    {
        _server = AdminServer.Bind(new HostPort("127.0.0.1", FreePort.Next()));
        var limits = new AdminSettings(new HostPort("127.0.0.1", 0), null, null, 1024 * 1024, RequestTimeout, 4, []);
        _server.Serve(_ => Task.FromException<ClusterStatus>(new InvalidOperationException("no status here")), NoLogger.Instance, () => "",
            AdminAccess.Open, limits, new SlowAnswers());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_answer_that_streams_for_longer_than_the_request_timeout_arrives_whole()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };

        var body = await http.GetStringAsync(_server.Url + "slow");

        Assert.Equal("first\nlast\n", body);
    }

    [Fact]
    public async Task A_body_sent_in_time_gets_its_slow_answer_whole()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };

        using var response = await http.PostAsync(_server.Url + "slow", new StringContent("payload"));

        Assert.Equal("got 7 bytes\nlast\n", await response.Content.ReadAsStringAsync());
    }

    /// <summary>Answers /slow with a first line at once and the last one <see cref="AnswerTime"/> later.</summary>
    private sealed class SlowAnswers : IAdminRoutes
    {
        public async Task<bool> TryHandleAsync(AdminRequest request, CancellationToken cancellationToken)
        {
            if (request.Path != "/slow")
                return false;
            var read = 0L;
            if (request.Http.HttpMethod == "POST")
                read = await Drain(request.Body, cancellationToken);
            var response = request.Response;
            response.SendChunked = true;
            var output = response.OutputStream;
            await output.WriteAsync(Encoding.UTF8.GetBytes(request.Http.HttpMethod == "POST" ? $"got {read} bytes\n" : "first\n"), cancellationToken);
            await output.FlushAsync(cancellationToken);
            await Task.Delay(AnswerTime, cancellationToken);
            await output.WriteAsync("last\n"u8.ToArray(), cancellationToken);
            response.Close();
            return true;
        }

        private static async Task<long> Drain(Stream body, CancellationToken cancellationToken)
        {
            var buffer = new byte[4096];
            long total = 0;
            int n;
            while ((n = await body.ReadAsync(buffer, cancellationToken)) > 0)
                total += n;
            return total;
        }
    }
}
