using ActorBackup.Sandbox.Processes;
using ActorBackup.Testing;

namespace ActorBackup.Cli.Tests.Readme;

/// <summary>
/// The commands docker-compose.yml gives the actorbackup image parse with the CLI, and every file they name inside
/// the image is one the Dockerfile copies from the repository: a renamed option or config file fails here, not at
/// `docker-compose up` on an operator's machine.
/// </summary>
public sealed class ComposeCommandsTests
{
    /// <summary>Where the Dockerfile copies hocon/ to in the image.</summary>
    private const string ImageHocon = "/etc/actorbackup/";

    [Fact]
    public async Task Every_command_the_compose_file_gives_the_actorbackup_image_parses_and_names_shipped_files()
    {
        var services = ComposeServices.Parse(await ResolvedComposeAsync());
        var ours = services.Where(s => s.Image == "actorbackup:latest").ToList();

        Assert.Equal(["backup-ap", "backup-eu", "backup-us", "simulator"], ours.Select(s => s.Name).Order());
        var failures = new List<string>();
        foreach (var service in ours)
        {
            if (service.Command is null)
            {
                failures.Add($"{service.Name}: no command");
                continue;
            }
            var args = service.Command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (ReadmeCommandChecker.Cli(args) is { } problem)
                failures.Add($"{service.Name}: {service.Command}\n    {problem}");
            foreach (var file in args.Where(a => a.StartsWith(ImageHocon, StringComparison.Ordinal)))
            {
                if (!File.Exists(Path.Combine(RepoPaths.Root, "hocon", file[ImageHocon.Length..])))
                    failures.Add($"{service.Name}: {file} is not in the image (no hocon/{file[ImageHocon.Length..]} in the repository)");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task The_source_is_tagged_original_and_two_backup_tagged_RethinkDB_servers_join_it()
    {
        var services = ComposeServices.Parse(await ResolvedComposeAsync()).ToDictionary(s => s.Name);

        Assert.EndsWith("--server-tag original", services["rethinkdb"].Command);
        foreach (var (name, server) in new[] { ("rethinkdb-backup-1", "backup_1"), ("rethinkdb-backup-2", "backup_2") })
        {
            Assert.Equal("rethinkdb:2.4.4", services[name].Image);
            Assert.Equal($"rethinkdb --bind all --directory /data --server-name {server} --server-tag backup --join rethinkdb:29015", services[name].Command);
        }
    }

    [Fact]
    public void Resolved_services_are_read_with_their_image_and_folded_command()
    {
        const string resolved = """
            services:
              simulator:
                command: 'simulate --source rethinkdb:28015 --db bigchain --nodes 4 --txs-per-block
                  10 --keys-out /var/lib/federation/it''s.json'
                image: actorbackup:latest
              rethinkdb:
                command: rethinkdb --bind all
                image: rethinkdb:2.4.4
              postgres:
                image: postgres:16
            volumes:
              data: {}
            """;

        var services = ComposeServices.Parse(resolved);

        Assert.Equal(
            [
                new ComposeService("simulator", "actorbackup:latest",
                    "simulate --source rethinkdb:28015 --db bigchain --nodes 4 --txs-per-block 10 --keys-out /var/lib/federation/it's.json"),
                new ComposeService("rethinkdb", "rethinkdb:2.4.4", "rethinkdb --bind all"),
                new ComposeService("postgres", "postgres:16", null),
            ],
            services);
    }

    private static async Task<string> ResolvedComposeAsync()
    {
        var (code, output) = await ProcessRunner.RunAsync("docker-compose", ["-f", Path.Combine(RepoPaths.Root, "docker-compose.yml"), "config"],
            RepoPaths.Root, TimeSpan.FromSeconds(60));
        Assert.True(code == 0, $"docker-compose config failed (exit {code}): {output}");
        return output;
    }
}
