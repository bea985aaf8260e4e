using ActorBackup.Cli.CommandLine;

namespace ActorBackup.Cli.Verbs.Import;

/// <summary>`actorbackup import`: seeds the backup cluster from a `rethinkdb dump` archive, every record verified.</summary>
public sealed class ImportVerb : IVerb
{
    public string Name => "import";

    public string Summary => "Seed the cluster from a rethinkdb-dump archive: each block and vote verified, stored on R replicas.";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("admin", "URL", "Admin endpoint of any node of the cluster.", Default: "http://127.0.0.1:8558"),
        new("tables", "TABLE", "A table of the archive to import; repeat for several (default: bigchain and votes).", Repeatable: true),
        new("chunk", "N", "Most documents per request to the node.", Default: "2000"),
        new("attempts", "N", "Tries per request when the cluster fails it transiently (an owner down, a slow journal).", Default: "5"),
        new("timeout", "SECONDS", "Longest one request may take.", Default: "300"),
    ];

    public IReadOnlyList<string> Examples { get; } =
    [
        "actorbackup import --admin http://127.0.0.1:8558 rethinkdb_dump_2017-07-14T12:00:00.tar.gz",
        "actorbackup import --admin http://10.0.0.5:8558 bigchain.tar.gz --tables votes",
    ];

    public void Check(ParsedArgs args) => Settings(args);

    public Task<int> RunAsync(ParsedArgs args, TextWriter output, CancellationToken cancellationToken) =>
        new ArchiveImport(Settings(args), output).RunAsync(cancellationToken);

    private ImportSettings Settings(ParsedArgs args)
    {
        if (args.Positional.Count != 1)
            throw CliError.Usage(args.Positional.Count == 0 ? "name the archive to import (FILE.tar.gz)" : $"import takes one archive, not {args.Positional.Count}", Name);
        return new ImportSettings(
            Path.GetFullPath(args.Positional[0]), args.GetUrl("admin"), args.GetAll("tables").Distinct().ToList(),
            args.GetInt("chunk", 1, 100_000), 4 * 1024 * 1024, args.GetInt("attempts", 1, 100),
            TimeSpan.FromSeconds(args.GetInt("timeout", 1, 86_400)));
    }
}
