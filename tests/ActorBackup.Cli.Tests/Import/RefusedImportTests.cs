using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Tests.CommandLine;
using ActorBackup.Sandbox;

namespace ActorBackup.Cli.Tests.Import;

/// <summary>
/// Imports that must not store anything, against one node configured for R = 2 (so even a good archive can never
/// be acknowledged there): the record count stays 0 and each failure is one line.
/// </summary>
public sealed class RefusedImportTests(UnderReplicatedCluster cluster) : IClassFixture<UnderReplicatedCluster>
{
    private static Task<(int Code, string Out, string Err)> Run(string admin, params string[] args) =>
        CliRun.RunAsync(["import", "--admin", admin, .. args]);

    private async Task AssertNothingStored()
    {
        var status = await cluster.StatusAsync();
        Assert.Equal(0, status.Shards.Sum(s => s.Records));
        Assert.Equal(0, status.Quarantined);
    }

    private static string OneLine(string error)
    {
        var lines = error.TrimEnd('\n').Split('\n');
        Assert.Single(lines);
        return lines[0];
    }

    [Fact]
    public async Task A_truncated_archive_is_refused_before_anything_is_sent()
    {
        var good = await ImportArchives.WriteAsync(Path.Combine(cluster.Root, "whole.tar.gz"), rounds: 4);
        var cut = Path.Combine(cluster.Root, "truncated.tar.gz");
        var bytes = await File.ReadAllBytesAsync(good.Path);
        await File.WriteAllBytesAsync(cut, bytes[..(bytes.Length * 2 / 3)]);

        var (code, _, error) = await Run(cluster.AdminUrl, cut);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Matches(@"^actorbackup import: error: .*truncated.*; nothing was imported$", OneLine(error));
        await AssertNothingStored();
    }

    [Fact]
    public async Task A_file_that_is_not_an_archive_is_refused()
    {
        var foreign = Path.Combine(cluster.Root, "notes.tar.gz");
        await File.WriteAllTextAsync(foreign, "these are not the blocks you are looking for\n");

        var (code, _, error) = await Run(cluster.AdminUrl, foreign);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Matches(@$"^actorbackup import: error: {System.Text.RegularExpressions.Regex.Escape(foreign)}: .+; nothing was imported$", OneLine(error));
        await AssertNothingStored();
    }

    [Fact]
    public async Task An_archive_with_a_layout_no_dump_has_is_refused()
    {
        var odd = Path.Combine(cluster.Root, "layout.tar.gz");
        ImportArchives.WriteBadLayout(odd);

        var (code, _, error) = await Run(cluster.AdminUrl, odd);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Matches(@"^actorbackup import: error: .*(structure|three|no \.json).*; nothing was imported$", OneLine(error));
        await AssertNothingStored();
    }

    [Fact]
    public async Task An_unreachable_admin_endpoint_is_one_line_and_exit_1()
    {
        var archive = await ImportArchives.WriteAsync(Path.Combine(cluster.Root, "unreachable.tar.gz"), rounds: 2);
        var admin = $"http://127.0.0.1:{FreePort.Next()}";

        var (code, _, error) = await Run(admin, archive.Path);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.StartsWith($"actorbackup import: error: cannot reach the admin endpoint {admin}/health: ", OneLine(error));
        Assert.EndsWith("; nothing was imported", OneLine(error));
    }

    [Fact]
    public async Task A_cluster_that_cannot_make_records_durable_on_R_stops_the_import_with_how_far_it_got()
    {
        var archive = await ImportArchives.WriteAsync(Path.Combine(cluster.Root, "under.tar.gz"), rounds: 3);
        await cluster.FormedAsync();

        var (code, _, error) = await Run(cluster.AdminUrl, archive.Path, "--attempts", "2");

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Matches(
            @"^actorbackup import: error: the cluster refused a chunk of bigchain: shard bigchain/\d{3} has 1 of 2 replicas on reachable nodes; .* \(after 2 attempts\); "
            + @"0 documents of bigchain were durable on R replicas before it \(tables before it are complete\); running the import again is safe: records already stored are not stored twice$",
            OneLine(error));
        await AssertNothingStored();
    }

    [Theory]
    [InlineData("soon", "--as-of must be Unix seconds or an ISO 8601 time such as 2017-07-14T12:00:00Z (got 'soon')")]
    [InlineData("2017-07-14", "--as-of must be Unix seconds or an ISO 8601 time such as 2017-07-14T12:00:00Z (got '2017-07-14')")]
    [InlineData("-1", "--as-of must be at or after 1970-01-01T00:00:00Z (got '-1')")]
    [InlineData("99999999999", "--as-of must not be in the future: no archive holds records not yet written (got '99999999999')")]
    public async Task An_unusable_as_of_is_one_line_and_imports_nothing(string asOf, string message)
    {
        var archive = await ImportArchives.WriteAsync(Path.Combine(cluster.Root, $"as-of-{Guid.NewGuid():N}.tar.gz"), rounds: 2);

        var (code, output, error) = await Run(cluster.AdminUrl, archive.Path, "--as-of", asOf);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"actorbackup import: error: {message} (hint: see `actorbackup import --help`)", OneLine(error));
        Assert.Equal("", output);
        await AssertNothingStored();
    }

    [Fact]
    public async Task An_archive_without_a_name_is_a_usage_error()
    {
        var (code, _, error) = await Run(cluster.AdminUrl);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("actorbackup import: error: name the archive to import (FILE.tar.gz) (hint: see `actorbackup import --help`)", OneLine(error));
    }
}
