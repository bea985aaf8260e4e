using System.Text.Json;
using System.Text.RegularExpressions;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Tests.Node;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Processes;
using ActorBackup.Testing;
using Akka.Configuration;

namespace ActorBackup.Cli.Tests.Readme;

/// <summary>
/// What the README's commands are checked against: the clone, the services `docker-compose config --services` lists,
/// the CLI the Dockerfile's ENTRYPOINT runs, and a running backup node whose admin endpoint answers route probes.
/// </summary>
public sealed partial class ReadmeFixture : IAsyncLifetime
{
    private readonly TestNodeFiles _files = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private BackupNode? _node;

    public string Readme { get; private set; } = "";

    public ReadmeCommandChecker Checker { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Readme = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "README.md"));
        var services = await ComposeServicesAsync();
        var profiles = await ComposeProfilesAsync();
        var port = FreePort.Next();
        _node = BackupNode.Start(NodeConfiguration.FromConfig(
            ConfigurationFactory.ParseString(_files.NodeHocon("readme", "eu-west", port, FreePort.Next(), port, TestNodeFiles.VotesInFourShards)), "readme"));
        Checker = new ReadmeCommandChecker(RepoPaths.Root, services, profiles, await ImageCliAsync(), AdminRouteAsync);
    }

    /// <summary>
    /// Null when the node's admin endpoint routes the path: any answer but the endpoint's own reply for a path no
    /// route takes (a route may still answer 404 for a replica this node does not hold).
    /// </summary>
    public async Task<string?> AdminRouteAsync(string pathAndQuery)
    {
        using var response = await _http.GetAsync(new Uri(new Uri(_node!.AdminUrl), pathAndQuery));
        var body = await response.Content.ReadAsStringAsync();
        return (int)response.StatusCode == 404 && body.StartsWith("No such path", StringComparison.Ordinal)
            ? $"the admin endpoint serves no {pathAndQuery}: {body.Trim()}"
            : null;
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
            await _node.DisposeAsync();
        _http.Dispose();
        _files.Dispose();
    }

    private static async Task<IReadOnlySet<string>> ComposeServicesAsync()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        Assert.True(path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, "docker-compose"))),
            "docker-compose is not on PATH: install it to check the README's compose commands (Debian: apt-get install docker-compose)");
        var (code, output) = await ProcessRunner.RunAsync("docker-compose",
            ["-f", Path.Combine(RepoPaths.Root, "docker-compose.yml"), "config", "--services"], RepoPaths.Root, TimeSpan.FromSeconds(60));
        Assert.True(code == 0, $"docker-compose config --services failed (exit {code}): {output}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The profiles of the resolved compose file: the items of each service's `profiles:` list.</summary>
    private static async Task<IReadOnlySet<string>> ComposeProfilesAsync()
    {
        var (code, output) = await ProcessRunner.RunAsync("docker-compose",
            ["-f", Path.Combine(RepoPaths.Root, "docker-compose.yml"), "config"], RepoPaths.Root, TimeSpan.FromSeconds(60));
        Assert.True(code == 0, $"docker-compose config failed (exit {code}): {output}");
        var profiles = new HashSet<string>(StringComparer.Ordinal);
        var inProfiles = false;
        foreach (var line in output.Replace("\r", "").Split('\n'))
        {
            if (line == "    profiles:")
                inProfiles = true;
            else if (inProfiles && line.StartsWith("    - ", StringComparison.Ordinal))
                profiles.Add(line["    - ".Length..].Trim());
            else
                inProfiles = false;
        }
        return profiles;
    }

    /// <summary>The dll of the Dockerfile's exec-form ENTRYPOINT ["dotnet", "/app/actorbackup.dll"].</summary>
    private static async Task<string> ImageCliAsync()
    {
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "Dockerfile"));
        var entry = EntryPoint().Match(dockerfile);
        Assert.True(entry.Success, "the Dockerfile has no exec-form ENTRYPOINT [...]");
        var words = JsonSerializer.Deserialize<string[]>(entry.Groups[1].Value) ?? [];
        Assert.True(words is ["dotnet", _], $"the Dockerfile's ENTRYPOINT is not [\"dotnet\", DLL]: {entry.Value}");
        return words[1];
    }

    [GeneratedRegex(@"^ENTRYPOINT\s+(\[.*\])\s*$", RegexOptions.Multiline)]
    private static partial Regex EntryPoint();
}
