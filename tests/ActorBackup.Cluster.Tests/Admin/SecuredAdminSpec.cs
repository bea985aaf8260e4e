using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using ActorBackup.Admin.Contract.Access;
using ActorBackup.Admin.Contract.Import;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Tests.Capture;
using ActorBackup.Cluster.Tests.Ingest;
using ActorBackup.Cluster.Tests.Node;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Reqlite;
using ActorBackup.Testing;
using Akka.Configuration;

namespace ActorBackup.Cluster.Tests.Admin;

/// <summary>
/// The admin API of a real one-node cluster (R = 1, SQLite, a source nobody listens on) with an admin token and a
/// read-only token: who may call what, what a request may cost, and that a refused request changes nothing.
/// </summary>
public sealed class SecuredAdminSpec : IAsyncLifetime
{
    private const string AdminToken = "admin-7f3c9b1e";
    private const string ReadToken = "read-41d2aa07";
    private const int MaxBody = 256 * 1024;
    private readonly TestNodeFiles _files = new();
    private readonly HttpClient _admin = AdminHttp.Create(TimeSpan.FromSeconds(60), AdminToken);
    private readonly HttpClient _reader = AdminHttp.Create(TimeSpan.FromSeconds(60), ReadToken);
    private readonly HttpClient _anonymous = AdminHttp.Create(TimeSpan.FromSeconds(60), null);
    private readonly HttpClient _impostor = AdminHttp.Create(TimeSpan.FromSeconds(60), "admin-7f3c9b1f");
    private BackupNode _node = null!;
    private ReqliteServer _source = null!;

    public async Task InitializeAsync()
    {
        _source = await ReqliteServer.StartAsync();
        var port = FreePort.Next();
        var extra = $$"""
            actorbackup {
              sources = ["{{_source.Endpoint}}"]
              replicas = 1
              admin {
                token-file = "{{_files.Write("admin.token", AdminToken + "\n")}}"
                read-token-file = "{{_files.Write("read.token", ReadToken)}}"
                max-body-size = {{MaxBody}}
                request-timeout = 10s
                max-concurrent-requests = 4
                allowed-origins = ["https://ops.example.org"]
              }
            }
            akka.coordinated-shutdown.run-by-actor-system-terminate = off
            """;
        var hocon = _files.NodeHocon("node0", "eu-west", port, FreePort.Next(), port, extra);
        _node = BackupNode.Start(NodeConfiguration.FromConfig(ConfigurationFactory.ParseString(hocon), "node0"));
        // An import point is checked against the source's time: the node measures it once a capture attempt connects.
        await Eventually.Passes(() => Assert.NotNull(_node.Sources.SourceNowOrNull()), TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _source.DisposeAsync();
        foreach (var http in new[] { _admin, _reader, _anonymous, _impostor })
            http.Dispose();
        _files.Dispose();
    }

    private string Url(string path) => _node.AdminUrl + path.TrimStart('/');

    private Task<ClusterStatus> StatusWhere(Action<ClusterStatus> assertion) => Eventually.Passes(async () =>
    {
        var status = StatusJson.Read(await _admin.GetStringAsync(Url("status")));
        assertion(status);
        return status;
    }, TimeSpan.FromSeconds(60));

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient http, string url, byte[] body, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        if (origin is not null)
            request.Headers.Add("Origin", origin);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Imports both tables with the admin token and gives them their point in time: the cluster is restorable as of the ledger's newest record.</summary>
    private async Task<(ClusterStatus Status, IReadOnlyList<LedgerDocument> Ledger)> RestorableAsync()
    {
        await StatusWhere(s => Assert.All(s.Shards, x => Assert.Equal(1, x.ReplicaCount)));
        var ledger = ImportDocuments.Ledger(4);
        foreach (var table in new[] { "bigchain", "votes" })
        {
            var documents = ledger.Where(d => d.Table == table).ToList();
            await Eventually.Passes(async () =>
            {
                var (status, body) = await PostAsync(_admin, Url($"import/{table}"), ImportDocuments.Ndjson(documents.Select(d => d.Json)));
                Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {body}");
            }, TimeSpan.FromSeconds(60));
            var (pointStatus, pointBody) = await PostAsync(_admin, Url($"import/{table}/as-of?at={ledger.Max(d => d.Timestamp)}&records={documents.Count}"), []);
            Assert.True(pointStatus == HttpStatusCode.OK, pointBody);
        }
        var restorable = await StatusWhere(s => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(ledger.Max(d => d.Timestamp)), s.RestorablePoint));
        return (restorable, ledger);
    }

    [Fact]
    public async Task Without_the_admin_token_no_mutating_route_changes_the_records_or_moves_the_restorable_point()
    {
        var (before, ledger) = await RestorableAsync();
        using var later = new SimulatedLedger(TestNodeFiles.FederationSeed, ledger.Max(d => d.Timestamp) + 10);
        var newVotes = ImportDocuments.Ndjson(later.Next(3).Where(d => d.Table == "votes").Select(d => d.Json));
        var newer = ledger.Max(d => d.Timestamp) + 60;
        string[] mutating = ["import/votes", $"import/votes/as-of?at={newer}&records=0", $"import/bigchain/as-of?at={newer}"];

        foreach (var route in mutating)
        {
            var body = route.Contains("as-of") ? [] : newVotes;
            var anonymous = await PostAsync(_anonymous, Url(route), body);
            var impostor = await PostAsync(_impostor, Url(route), body);
            var reader = await PostAsync(_reader, Url(route), body);

            Assert.Equal((HttpStatusCode.Unauthorized, "This route needs the admin token: send Authorization: Bearer TOKEN (actorbackup --token-file).\n"), anonymous);
            Assert.Equal((HttpStatusCode.Unauthorized, "The token is not this cluster's admin or read token.\n"), impostor);
            Assert.Equal((HttpStatusCode.Forbidden, "The read-only token allows GET requests only; this one needs the admin token.\n"), reader);
        }

        var after = StatusJson.Read(await _admin.GetStringAsync(Url("status")));
        Assert.Equal(before.RestorablePoint, after.RestorablePoint);
        Assert.Equal(before.Shards.Select(s => (s.Id, s.Records, s.BackedUpTo)), after.Shards.Select(s => (s.Id, s.Records, s.BackedUpTo)));
    }

    [Fact]
    public async Task The_read_token_reads_status_records_and_metadata_and_health_and_metrics_need_no_token()
    {
        await RestorableAsync();

        using var status = await _reader.GetAsync(Url("status"));
        using var records = await _reader.GetAsync(Url("replicas/votes/0/records"));
        using var anonymousStatus = await _anonymous.GetAsync(Url("status"));
        using var anonymousRecords = await _anonymous.GetAsync(Url("replicas/votes/0/records"));
        using var health = await _anonymous.GetAsync(Url("health"));
        using var metrics = await _anonymous.GetAsync(Url("metrics"));

        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal(HttpStatusCode.OK, records.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousStatus.StatusCode);
        Assert.Equal("Bearer", anonymousStatus.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousRecords.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("# TYPE actorbackup_restorable_point_seconds gauge", await metrics.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("tables/..%2F..%2Fsecret/info")]
    [InlineData("tables/..%2Fsecret/info")]
    [InlineData("tables/%2Ftmp%2Fsecret/info")]
    [InlineData("replicas/..%2F..%2Fsecret/0/records")]
    [InlineData("replicas/backlog/0/quarantine")]
    public async Task A_table_name_that_is_not_a_backed_up_table_is_404_and_no_file_is_read(string path)
    {
        // Where a path built from the name would land: the data directory's parent and the temporary folder.
        _files.Write("secret.json", "{\"secret\":\"do-not-serve\"}");
        File.WriteAllText(Path.Combine(_files.DataDir("node0"), "secret.json"), "{\"secret\":\"do-not-serve\"}");

        using var response = await _admin.GetAsync(Url(path));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("do-not-serve", body);
        Assert.Contains("is backed up by this cluster (it backs up bigchain, votes)", body);
    }

    [Fact]
    public async Task A_body_declared_longer_than_the_bound_is_refused_before_it_is_read()
    {
        var (before, _) = await RestorableAsync();

        var (status, body) = await PostAsync(_admin, Url("import/votes"), new byte[MaxBody + 1]);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal($"The request body is {MaxBody + 1} bytes, more than the {MaxBody} this endpoint takes (actorbackup.admin.max-body-size).\n", body);
        var after = StatusJson.Read(await _admin.GetStringAsync(Url("status")));
        Assert.Equal((before.RestorablePoint, before.Shards.Sum(s => s.Records), before.Quarantined), (after.RestorablePoint, after.Shards.Sum(s => s.Records), after.Quarantined));
    }

    [Fact]
    public async Task An_endless_body_is_cut_off_at_the_bound_and_the_node_goes_on_answering()
    {
        await StatusWhere(s => Assert.All(s.Shards, x => Assert.Equal(1, x.ReplicaCount)));
        using var endless = new HttpRequestMessage(HttpMethod.Post, Url("import/votes")) { Content = new StreamContent(new EndlessStream()) };
        endless.Headers.TransferEncodingChunked = true;

        HttpStatusCode? status = null;
        try
        {
            using var response = await _admin.SendAsync(endless);
            status = response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // The node closed the connection while the client was still sending, which also cuts the body off.
        }

        Assert.True(status is null or HttpStatusCode.RequestEntityTooLarge, $"answered {status}");
        var after = StatusJson.Read(await _admin.GetStringAsync(Url("status")));
        Assert.Equal((0L, 0L), (after.Shards.Sum(s => s.Records), after.Quarantined));
    }

    [Fact]
    public async Task A_client_that_stops_sending_its_body_is_disconnected_after_the_request_timeout()
    {
        using var client = new TcpClient();
        var uri = new Uri(_node.AdminUrl);
        await client.ConnectAsync(uri.Host, uri.Port);
        var stream = client.GetStream();
        var head = $"POST /import/votes HTTP/1.1\r\nHost: {uri.Authority}\r\nAuthorization: Bearer {AdminToken}\r\nContent-Length: 1000\r\n\r\n{{\"id\":";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var buffer = new byte[4096];
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        int read;
        try
        {
            while ((read = await stream.ReadAsync(buffer, limit.Token)) > 0)
            {
            }
        }
        catch (IOException)
        {
            // A reset is a disconnection too.
        }

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(50));
        using var health = await _anonymous.GetAsync(Url("health"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task A_request_from_a_foreign_origin_is_refused_even_with_the_admin_token()
    {
        var (before, ledger) = await RestorableAsync();

        var foreign = await PostAsync(_admin, Url($"import/votes/as-of?at={ledger.Max(d => d.Timestamp) + 60}"), [], origin: "http://evil.example");
        var allowed = await PostAsync(_admin, Url($"import/votes/as-of?at={ledger.Max(d => d.Timestamp)}"), [], origin: "https://ops.example.org");

        Assert.Equal((HttpStatusCode.Forbidden, "Requests from the origin http://evil.example are refused (actorbackup.admin.allowed-origins).\n"), foreign);
        Assert.Equal(HttpStatusCode.OK, allowed.Status);
        var after = StatusJson.Read(await _admin.GetStringAsync(Url("status")));
        Assert.Equal(before.RestorablePoint, after.RestorablePoint);
    }

    [Fact]
    public async Task Requests_beyond_the_concurrency_bound_are_answered_503_at_once()
    {
        var uri = new Uri(_node.AdminUrl);
        var stalled = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var client = new TcpClient();
                await client.ConnectAsync(uri.Host, uri.Port);
                await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(
                    $"POST /import/votes HTTP/1.1\r\nHost: {uri.Authority}\r\nAuthorization: Bearer {AdminToken}\r\nContent-Length: 1000\r\n\r\n"));
                stalled.Add(client);
            }

            var body = await Eventually.Passes(async () =>
            {
                using var response = await _anonymous.GetAsync(Url("health"));
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                return await response.Content.ReadAsStringAsync();
            }, TimeSpan.FromSeconds(8));

            Assert.Equal("The admin endpoint is answering 4 requests already (actorbackup.admin.max-concurrent-requests); try again.\n", body);
        }
        finally
        {
            foreach (var client in stalled)
                client.Dispose();
        }
    }

    /// <summary>A body that never ends: the same line-less bytes for ever.</summary>
    private sealed class EndlessStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Array.Fill(buffer, (byte)' ', offset, count);
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
