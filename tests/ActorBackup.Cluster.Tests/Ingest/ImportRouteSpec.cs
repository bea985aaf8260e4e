using ActorBackup.Testing;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using ActorBackup.Admin.Contract;
using ActorBackup.Admin.Contract.Import;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Tests.Node;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Reqlite;
using Akka.Configuration;

namespace ActorBackup.Cluster.Tests.Ingest;

/// <summary>
/// <c>POST /import/{table}</c> on a real one-node cluster (R = 1, SQLite journal) whose source is a reqlite server
/// without the ledger's database: the import needs no ledger, but an import point is checked against the source's time.
/// </summary>
public sealed class ImportRouteSpec : IAsyncLifetime
{
    private readonly TestNodeFiles _files = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };
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
              restart-backoff { min = 1s, max = 5s }
            }
            akka.coordinated-shutdown.run-by-actor-system-terminate = off
            """;
        var hocon = _files.NodeHocon("node0", "eu-west", port, FreePort.Next(), port, extra);
        _node = BackupNode.Start(NodeConfiguration.FromConfig(ConfigurationFactory.ParseString(hocon), "node0"));
        // The replicas' capture attempts connect to the source, which measures its clock, although they find no ledger.
        await Eventually.Passes(() => Assert.NotNull(_node.Sources.SourceNowOrNull()), TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        await _source.DisposeAsync();
        _http.Dispose();
        _files.Dispose();
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string table, byte[] body)
    {
        using var response = await _http.PostAsync($"{_node.AdminUrl}import/{table}", new ByteArrayContent(body));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts once the node's replicas run (placement takes a moment after start), again while the node answers 503.</summary>
    private async Task<ImportSummary> ImportAsync(string table, byte[] body)
    {
        await StatusWhere(s =>
        {
            Assert.Equal(16, s.Shards.Count);
            Assert.All(s.Shards, x => Assert.Equal(1, x.ReplicaCount));
        });
        var (status, text) = await Eventually.Passes(async () =>
        {
            var reply = await PostAsync(table, body);
            Assert.True(reply.Status != HttpStatusCode.ServiceUnavailable, $"{(int)reply.Status}: {reply.Body}");
            return reply;
        }, TimeSpan.FromSeconds(60));
        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {text}");
        return ImportJson.ReadSummary(text);
    }

    /// <summary>The node's status once <paramref name="assertion"/> holds of it.</summary>
    private Task<ClusterStatus> StatusWhere(Action<ClusterStatus> assertion) => Eventually.Passes(async () =>
    {
        var status = StatusJson.Read(await _http.GetStringAsync(_node.AdminUrl + "status"));
        assertion(status);
        return status;
    }, TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Imported_records_are_verified_stored_once_and_forgeries_are_quarantined_with_their_reasons()
    {
        var ledger = ImportDocuments.Ledger(8);
        var blocks = ledger.Where(d => d.Table == "bigchain").Select(d => d.Json).ToList();
        var body = ImportDocuments.Ndjson([.. blocks, ImportDocuments.Forged(ledger), "{\"broken\": "u8.ToArray()]);

        var first = await ImportAsync("bigchain", body);
        var again = await ImportAsync("bigchain", body);

        Assert.Equal((blocks.Count + 2L, (long)blocks.Count, 0L, 2L), (first.Received, first.Stored, first.Duplicates, first.Quarantined));
        Assert.Equal(new Dictionary<string, long> { ["signature-mismatch"] = 1, ["unusable-id"] = 1 }, first.Reasons);
        Assert.Contains(first.Examples, e => e.Reason == "signature-mismatch" && e.Message.Length > 0);
        Assert.Equal((0L, (long)blocks.Count, 2L), (again.Stored, again.Duplicates, again.Quarantined));
        await StatusWhere(s =>
        {
            Assert.Equal(blocks.Count, s.Shards.Where(x => x.Table == "bigchain").Sum(x => x.Records));
            Assert.Equal(2, s.Quarantined);
        });
    }

    [Fact]
    public async Task Votes_land_in_the_shards_of_their_ids()
    {
        var votes = ImportDocuments.Ledger(5).Where(d => d.Table == "votes").ToList();

        var summary = await ImportAsync("votes", ImportDocuments.Ndjson(votes.Select(v => v.Json)));

        Assert.Equal(votes.Count, summary.Stored);
        var keys = new ActorBackup.Cluster.Sharding.KeySpace(8);
        var expected = votes.GroupBy(v => keys.ShardOf(v.Id)).ToDictionary(g => g.Key, g => (long)g.Count());
        var status = await StatusWhere(s => Assert.Equal(votes.Count, s.Shards.Where(x => x.Table == "votes").Sum(x => x.Records)));
        Assert.Equal(expected, status.Shards.Where(x => x.Table == "votes" && x.Records > 0).ToDictionary(x => x.Shard, x => x.Records));
    }

    private async Task<(HttpStatusCode Status, string Body)> PostPointAsync(string table, string query)
    {
        using var response = await _http.PostAsync($"{_node.AdminUrl}import/{table}/as-of?{query}", new ByteArrayContent([]));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_point_of_an_import_raises_every_replica_of_the_table_and_never_lowers_one()
    {
        var votes = ImportDocuments.Ledger(6).Where(d => d.Table == "votes").ToList();
        var newest = votes.Max(v => v.Timestamp);
        var summary = await ImportAsync("votes", ImportDocuments.Ndjson(votes.Select(v => v.Json)));

        var (status, body) = await PostPointAsync("votes", $"at={newest}&records={votes.Count}");
        var oldest = votes.Min(v => v.Timestamp);
        var (lowerStatus, lowerBody) = await PostPointAsync("votes", $"at={oldest}&records=0");

        Assert.True(oldest < newest);
        Assert.Equal(newest, summary.Newest);
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(new ImportPointSet("votes", Watermark.At(newest), 8, 8, Watermark.At(newest), votes.Count), ImportJson.ReadPoint(body));
        Assert.True(lowerStatus == HttpStatusCode.OK, lowerBody);
        Assert.Equal(Watermark.At(newest), ImportJson.ReadPoint(lowerBody).Lowest);
        var cluster = await StatusWhere(s =>
            Assert.All(s.Shards.Where(x => x.Table == "votes"), x => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(newest), x.BackedUpTo)));
        Assert.All(cluster.Shards.Where(x => x.Table == "bigchain"), x => Assert.Null(x.BackedUpTo));
    }

    [Fact]
    public async Task A_point_is_refused_when_the_replicas_hold_fewer_records_than_the_import_made_durable()
    {
        var votes = ImportDocuments.Ledger(2).Where(d => d.Table == "votes").ToList();
        await ImportAsync("votes", ImportDocuments.Ndjson(votes.Select(v => v.Json)));

        var (status, body) = await PostPointAsync("votes", $"at={votes.Max(v => v.Timestamp)}&records={votes.Count + 1}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.StartsWith($"the replicas of votes hold {votes.Count} verified records up to ", ImportJson.TryReadError(body)!.Message);
        var cluster = await StatusWhere(s => Assert.Equal(votes.Count, s.Shards.Sum(x => x.Records)));
        Assert.All(cluster.Shards, x => Assert.Null(x.BackedUpTo));
    }

    [Fact]
    public async Task A_point_up_to_which_the_replicas_hold_no_verified_record_is_refused_and_sets_no_watermark()
    {
        var votes = ImportDocuments.Ledger(2).Where(d => d.Table == "votes").ToList();
        await ImportAsync("votes", ImportDocuments.Ndjson(votes.Select(v => v.Json)));
        var before = votes.Min(v => v.Timestamp) - 1;

        var (status, body) = await PostPointAsync("votes", $"at={before}&records=0");
        var (emptyStatus, emptyBody) = await PostPointAsync("bigchain", $"at={DateTimeOffset.UtcNow.ToUnixTimeSeconds()}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal($"the replicas of votes hold no verified record up to {Watermark.At(before)}: nothing shows the ledger reached that point, so no watermark is set there",
            ImportJson.TryReadError(body)!.Message);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, emptyStatus);
        Assert.StartsWith("the replicas of bigchain hold no verified record up to ", ImportJson.TryReadError(emptyBody)!.Message);
        var cluster = await StatusWhere(s => Assert.Equal(votes.Count, s.Shards.Sum(x => x.Records)));
        Assert.All(cluster.Shards, x => Assert.Null(x.BackedUpTo));
    }

    [Theory]
    [InlineData("at=soon")]
    [InlineData("at=-5")]
    [InlineData("records=3")]
    public async Task A_point_without_whole_seconds_is_refused_with_one_line_of_json(string query)
    {
        var (status, body) = await PostPointAsync("votes", query);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("/import/{table}/as-of needs ?at=UNIX-SECONDS and may have &records=N, both whole numbers of zero or more", ImportJson.TryReadError(body)!.Message);
        Assert.Single(body.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task A_point_in_the_future_is_refused_because_it_would_claim_records_not_yet_written()
    {
        var (status, body) = await PostPointAsync("bigchain", $"at={DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds()}");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("is in the future of this node", ImportJson.TryReadError(body)!.Message);
    }

    [Fact]
    public async Task A_table_the_cluster_does_not_back_up_is_refused_with_one_line_of_json()
    {
        var (status, body) = await PostAsync("backlog", "{}\n"u8.ToArray());

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("table 'backlog' is not backed up by this cluster (it backs up bigchain, votes)", ImportJson.TryReadError(body)!.Message);
        Assert.Single(body.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task A_document_above_the_line_cap_is_refused_with_its_line_number()
    {
        var big = new byte[2 * 1024 * 1024];
        Array.Fill(big, (byte)'x');

        var (status, body) = await PostAsync("votes", [.. "{}\n"u8, .. big, .. "\n{}\n"u8]);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        var error = ImportJson.TryReadError(body)!;
        Assert.Equal("line 2 is longer than 1048576 bytes, the most one document may have", error.Message);
        Assert.Equal(0, error.Acknowledged);
    }

    [Fact]
    public async Task Only_post_is_answered_on_the_import_route()
    {
        using var response = await _http.GetAsync($"{_node.AdminUrl}import/votes");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("/import/{table} takes a POST of NDJSON documents", json.RootElement.GetProperty("error").GetString());
    }
}
