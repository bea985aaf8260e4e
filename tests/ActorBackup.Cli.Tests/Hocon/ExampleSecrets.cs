using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Tests.CommandLine;
using ActorBackup.Ledger.Simulation;

namespace ActorBackup.Cli.Tests.Hocon;

/// <summary>
/// The secrets the shipped node files expect, written by the commands docker-compose.yml and the examples' comments give
/// an operator (`actorbackup certs init --mount`, a token file, `actorbackup keys new`), and per node a directory standing
/// for where it sees them (the compose containers' /run/secrets, the examples' /etc/actorbackup/secrets): the files
/// under the names the node files use, the included TLS file pointing into that directory instead of the mount.
/// </summary>
public sealed class ExampleSecrets : IAsyncLifetime
{
    /// <summary>Where docker-compose.yml mounts a node's secrets.</summary>
    public const string ComposeMount = "/run/secrets";

    /// <summary>Where the three-region examples keep a node's secrets.</summary>
    public const string ExamplesMount = "/etc/actorbackup/secrets";

    /// <summary>The backup nodes of both deployments, by their certificate names.</summary>
    public static readonly string[] Nodes = ["backup-eu", "backup-us", "backup-ap"];

    public string Root { get; } = Directory.CreateTempSubdirectory("actorbackup-example-secrets-").FullName;

    /// <summary>The federation key file the shipped files' key paths are pointed at.</summary>
    public string FederationKeys => Path.Combine(Root, "federation-keys.json");

    /// <summary>What docker-compose.yml's comment has the operator write under the repository's secrets/, here under this folder.</summary>
    public string ComposeSecretsDirectory => Path.Combine(Root, "compose", "secrets");

    /// <summary>
    /// What a compose node sees in /run/secrets, by file name, each a path under <see cref="ComposeSecretsDirectory"/>: the
    /// token, the CA, its certificate, key and TLS file (named as `certs init --mount /run/secrets` wrote them into that
    /// file), and its own key for encryption at rest.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ComposeMounts(string node) => new Dictionary<string, string>
    {
        ["admin-token"] = "admin-token",
        ["ca.crt"] = "certs/ca.crt",
        [node + ".crt"] = $"certs/{node}.crt",
        [node + ".key"] = $"certs/{node}.key",
        [node + ".conf"] = $"certs/{node}.conf",
        ["at-rest.key"] = $"keys/{node}.key",
    };

    public async Task InitializeAsync()
    {
        using (var simulator = new FederationSimulator(new SimulationOptions("hocon-tests", Nodes: 2)))
            await File.WriteAllTextAsync(FederationKeys, simulator.KeyFile());

        // docker-compose.yml's comment.
        Directory.CreateDirectory(Path.Combine(ComposeSecretsDirectory, "keys"));
        await File.WriteAllTextAsync(Path.Combine(ComposeSecretsDirectory, "admin-token"), Admin.Contract.Access.AdminToken.New() + "\n");
        await Cli("certs", "init", "--out", Path.Combine(ComposeSecretsDirectory, "certs"), "--names", string.Join(',', Nodes), "--mount", ComposeMount);
        foreach (var node in Nodes)
        {
            await Cli("keys", "new", "--out", Path.Combine(ComposeSecretsDirectory, "keys", node + ".key"));
            var view = ViewOf(ComposeMount, node);
            foreach (var (name, file) in ComposeMounts(node))
                Copy(Path.Combine(ComposeSecretsDirectory, file), Path.Combine(view, name), ComposeMount, view);
        }

        // The examples' comment: the CA once, then on each node its files, a token and a key of its own.
        var certs = Path.Combine(Root, "examples", "certs");
        await Cli("certs", "init", "--out", certs, "--names", string.Join(',', Nodes), "--mount", ExamplesMount);
        foreach (var node in Nodes)
        {
            var view = ViewOf(ExamplesMount, node);
            foreach (var name in new[] { "ca.crt", node + ".crt", node + ".key", node + ".conf" })
                Copy(Path.Combine(certs, name), Path.Combine(view, name), ExamplesMount, view);
            await File.WriteAllTextAsync(Path.Combine(view, "admin.token"), Admin.Contract.Access.AdminToken.New() + "\n");
            await Cli("keys", "new", "--out", Path.Combine(view, "at-rest.key"));
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The directory standing for <paramref name="mount"/> on <paramref name="node"/>.</summary>
    public string ViewOf(string mount, string node) => Directory.CreateDirectory(Path.Combine(Root, "views", mount.Trim('/').Replace('/', '_'), node)).FullName;

    /// <summary>
    /// A shipped node file as a node on its deployment would load it: its secrets mount and key file paths pointed at this
    /// fixture's files (the node is the one whose TLS file it includes; a file that includes none needs no secrets).
    /// </summary>
    public Cluster.Node.NodeConfiguration Load(string shippedFile, IEnumerable<string> deployedKeyPaths)
    {
        var text = deployedKeyPaths.Aggregate(File.ReadAllText(shippedFile), (t, p) => t.Replace(p, FederationKeys, StringComparison.Ordinal));
        foreach (var mount in new[] { ComposeMount, ExamplesMount })
        {
            var include = Nodes.FirstOrDefault(n => text.Contains($"include \"{mount}/{n}.conf\"", StringComparison.Ordinal));
            if (include is not null)
                text = text.Replace(mount + "/", ViewOf(mount, include) + "/", StringComparison.Ordinal);
        }
        var path = Path.Combine(Root, $"{Guid.NewGuid():N}.conf");
        File.WriteAllText(path, text);
        return Cluster.Node.NodeConfiguration.Load(path);
    }

    private static void Copy(string from, string to, string mount, string view)
    {
        if (to.EndsWith(".conf", StringComparison.Ordinal))
            File.WriteAllText(to, File.ReadAllText(from).Replace(mount + "/", view + "/", StringComparison.Ordinal));
        else
            File.Copy(from, to);
    }

    private static async Task Cli(params string[] args)
    {
        var (code, output, error) = await CliRun.RunAsync(args);
        Assert.True(code == ExitCodes.Ok, $"actorbackup {string.Join(' ', args)} exited {code}: {error}{output}");
    }
}
