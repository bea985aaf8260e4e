using ActorBackup.Admin.Contract;
using ActorBackup.Cli.CommandLine;

namespace ActorBackup.Cli.Verbs.Import;

/// <summary>`actorbackup import`: seeds the backup cluster from a `rethinkdb dump` archive, every record verified.</summary>
public sealed class ImportVerb : IVerb
{
    public string Name => "import";

    public string Summary => "Seed the cluster from a rethinkdb-dump archive: each block and vote verified, stored on R replicas.";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        SharedOptions.Admin("Admin endpoint of any node of the cluster."),
        SharedOptions.TokenFile,
        SharedOptions.Tables("A table of the archive to import; repeat for several (default: bigchain and votes)."),
        new("chunk", "N", "Most documents per request to the node.", Default: "2000"),
        new("attempts", "N", "Tries per request when the cluster fails it transiently (an owner down, a slow journal).", Default: "5"),
        SharedOptions.Timeout("Longest one request may take.", 300, 1, 86_400),
        new("as-of", "TIME",
            "The archive holds every block and vote up to TIME (Unix seconds or ISO 8601): once imported, the cluster is restorable as of TIME. "
            + "Default: the point the archive records (an export writes one), else its newest verified block or vote; a later TIME is refused. "
            + "A replica already backed up past TIME keeps its later point.")
        {
            Kind = ValueKind.Time,
        },
    ];

    public IReadOnlyList<string> Examples { get; } =
    [
        "actorbackup import --admin http://127.0.0.1:8558 rethinkdb_dump_2017-07-14T12:00:00.tar.gz",
        "actorbackup import --admin http://10.0.0.5:8558 bigchain.tar.gz --tables votes",
        "actorbackup import --admin http://127.0.0.1:8558 rethinkdb_dump_2017-07-14T12:00:00.tar.gz --as-of 2017-07-14T12:00:00Z",
        "actorbackup import --admin http://127.0.0.1:8558 bigchain.tar.gz --as-of 1500000000",
    ];

    public void Check(ParsedArgs args) => Settings(args);

    public Task<int> RunAsync(ParsedArgs args, TextWriter output, CancellationToken cancellationToken) =>
        new ArchiveImport(Settings(args), output).RunAsync(cancellationToken);

    private ImportSettings Settings(ParsedArgs args)
    {
        if (args.Positional.Count != 1)
            throw CliError.Usage(args.Positional.Count == 0 ? "name the archive to import (FILE.tar.gz)" : $"import takes one archive, not {args.Positional.Count}", Name);
        var asOf = args.Has("as-of") ? AsOf(args) : (Watermark?)null;
        return new ImportSettings(
            Path.GetFullPath(args.Positional[0]), args.GetUrl("admin"), args.GetString("token-file"), args.GetAll("tables").Distinct().ToList(),
            args.GetInt("chunk", 1, 100_000), 4 * 1024 * 1024, args.GetInt("attempts", 1, 100),
            args.GetSeconds("timeout"), asOf);
    }

    private Watermark AsOf(ParsedArgs args)
    {
        var raw = args.GetRequiredString("as-of");
        var time = args.GetTime("as-of");
        if (time < DateTimeOffset.UnixEpoch)
            throw CliError.Usage($"--as-of must be at or after 1970-01-01T00:00:00Z (got '{raw}')", Name);
        // A watermark claims that every record up to it is held: one past now would cover records not yet written.
        if (time > DateTimeOffset.UtcNow)
            throw CliError.Usage($"--as-of must not be in the future: no archive holds records not yet written (got '{raw}')", Name);
        return Watermark.At(time.ToUnixTimeSeconds());
    }
}
