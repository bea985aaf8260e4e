using ActorBackup.Certificates;
using ActorBackup.Cli.CommandLine;

namespace ActorBackup.Cli.Verbs.Certs;

/// <summary>
/// `actorbackup certs init|issue`: the cluster's own CA and one certificate per node, for mutual TLS between nodes.
/// `init` creates the CA (its key under DIR/ca/, kept off the nodes) and the named nodes' files; `issue` adds a node.
/// </summary>
public sealed class CertsVerb : IVerb
{
    private const string Init = "init";
    private const string Issue = "issue";

    public string Name => "certs";

    public string Summary => "Create the cluster's CA and node certificates for mutual TLS (init), or certify one more node (issue).";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("out", "DIR", "Directory of the CA: ca.crt, ca/ca.key (owner only; keep it off the nodes), and NAME.crt, NAME.key, NAME.conf per node.", Required: true),
        new("names", "NAME", "Node names to certify, repeated or comma-separated (issue: exactly one); each gets NAME.conf for its node file to include.", Required: true, Repeatable: true),
        new("hosts", "HOST", "Host names or addresses the nodes are reached by, written into each certificate (informational: peers are checked against the CA, not by name).", Repeatable: true),
        new("mount", "DIR", "Where the nodes see these files (a container's mount, e.g. /run/secrets/actorbackup); NAME.conf points there (default: --out)."),
        new("cluster", "NAME", "The cluster's name in the CA's subject.", "actorbackup"),
        new("days", "N", "Days the node certificates stay valid.", "825") { Kind = ValueKind.Integer, Min = 1, Max = 36500 },
    ];

    public IReadOnlyList<string> Examples { get; } =
    [
        "actorbackup certs init --out certs --names backup-eu,backup-us,backup-ap",
        "actorbackup certs issue --out certs --names backup-sa",
    ];

    public void Check(ParsedArgs args) => Settings(args);

    public Task<int> RunAsync(ParsedArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var (command, directory, names, hosts, mount, cluster, validity) = Settings(args);
        var nodes = names.Select(n => new NodeName(n, hosts.Count > 0 ? hosts : [n])).ToArray();
        try
        {
            if (command == Init)
                directory.Init(cluster, nodes, validity, mount);
            else
                directory.Issue(nodes[0], validity, mount);
        }
        catch (CertificateException e)
        {
            throw new CliError(e.Message);
        }
        if (command == Init)
            output.WriteLine($"certs: CA {directory.CaCertificate}, its key {directory.CaKey} (keep it off the nodes)");
        foreach (var name in names)
            output.WriteLine($"certs: {name}: {directory.CertificateOf(name)}, {directory.KeyOf(name)}; include {directory.ConfOf(name)} in its node file");
        return Task.FromResult(ExitCodes.Ok);
    }

    private (string Command, CertificateDirectory Directory, IReadOnlyList<string> Names, IReadOnlyList<string> Hosts, string? Mount, string Cluster, TimeSpan Validity)
        Settings(ParsedArgs args)
    {
        if (args.Positional is not [var command] || command is not (Init or Issue))
            throw CliError.Usage($"say what to do: `certs {Init}` or `certs {Issue}`{(args.Positional.Count > 0 ? $" (got '{string.Join(' ', args.Positional)}')" : "")}", Name);
        var names = args.GetAll("names").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries)).ToList();
        if (names.FirstOrDefault(n => !CertificateDirectory.IsValidName(n)) is { } bad)
            throw CliError.Usage($"--names must be node names of letters, digits, '.', '-' and '_', starting with a letter or digit (got '{bad}')", Name);
        if (names.Distinct().Count() != names.Count)
            throw CliError.Usage($"--names gives {names.GroupBy(n => n).First(g => g.Count() > 1).Key} twice", Name);
        if (command == Issue && names.Count != 1)
            throw CliError.Usage($"`certs {Issue}` certifies one node at a time (got {names.Count} names)", Name);
        var hosts = args.GetAll("hosts").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        return (command, new CertificateDirectory(args.GetRequiredString("out")), names, hosts, args.GetString("mount"), args.GetRequiredString("cluster"),
            TimeSpan.FromDays(args.GetInt("days", 1, 36500)));
    }
}
