using System.Text.Json.Nodes;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Tests.CommandLine;
using ActorBackup.Sandbox;
using ActorBackup.Testing;

namespace ActorBackup.Cli.Tests.Tags;

/// <summary>`tags snapshot` against a simulated RethinkDB 2.4 cluster (see <see cref="RethinkDbAdminSimulator"/>).</summary>
public sealed class TagsSnapshotTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("actorbackup-tags-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_snapshot_holds_the_rows_as_the_cluster_returned_them_and_plans_as_the_live_source_does()
    {
        await using var cluster = new RethinkDbAdminSimulator(RepoPaths.ServerTagLayout("five-original-two-backup"));
        var file = Path.Combine(_dir, "tables.json");

        var (code, output, error) = await CliRun.RunAsync("tags", "snapshot", "--source", cluster.Endpoint, "--out", file);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Empty(error);
        Assert.Equal($"wrote {file}: 7 servers, 3 tables of the source {cluster.Endpoint}\n", output.ReplaceLineEndings("\n"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(await File.ReadAllTextAsync(RepoPaths.ServerTagLayout("five-original-two-backup"))), JsonNode.Parse(await File.ReadAllTextAsync(file))));

        var live = await CliRun.RunAsync("tags", "plan", "--source", cluster.Endpoint, "--backup-replicas", "2");
        var saved = await CliRun.RunAsync("tags", "plan", "--from-file", file, "--backup-replicas", "2");
        Assert.Equal(ExitCodes.Ok, live.Code);
        Assert.Equal(live.Out.Replace($"the source {cluster.Endpoint}", file, StringComparison.Ordinal), saved.Out);
    }

    [Fact]
    public async Task A_snapshot_does_not_replace_a_file_unless_told_to()
    {
        await using var cluster = new RethinkDbAdminSimulator(RepoPaths.ServerTagLayout("three-original-two-backup"));
        var file = Path.Combine(_dir, "tables.json");
        await File.WriteAllTextAsync(file, "keep me");

        var refused = await CliRun.RunAsync("tags", "snapshot", "--source", cluster.Endpoint, "--out", file);
        Assert.Equal(ExitCodes.Usage, refused.Code);
        Assert.Equal($"actorbackup tags: error: {file} exists (--overwrite replaces it) (hint: see `actorbackup tags --help`)\n", refused.Err.ReplaceLineEndings("\n"));
        Assert.Equal("keep me", await File.ReadAllTextAsync(file));
        Assert.Empty(cluster.Log);

        var replaced = await CliRun.RunAsync("tags", "snapshot", "--source", cluster.Endpoint, "--out", file, "--overwrite");
        Assert.Equal(ExitCodes.Ok, replaced.Code);
        Assert.StartsWith("{", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task An_unreachable_source_is_one_line_and_exit_code_1()
    {
        var port = FreePort.Next();

        var (code, output, error) = await CliRun.RunAsync("tags", "check", "--source", $"127.0.0.1:{port}");

        Assert.Equal(ExitCodes.Failure, code);
        Assert.StartsWith($"actorbackup tags: error: cannot connect to the source 127.0.0.1:{port}: ", error);
        Assert.Single(error.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));
        Assert.Empty(output);
    }
}
