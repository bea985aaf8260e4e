using ActorBackup.Cli.CommandLine;
using ActorBackup.Recovery.Archive;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cli.Verbs.Dump;

/// <summary>`actorbackup dump`: a `rethinkdb dump`-compatible archive of one database, read from a live source.</summary>
public sealed class DumpVerb : IVerb
{
    public string Name => "dump";

    public string Summary => "Write a rethinkdb-dump-compatible .tar.gz of a database from a RethinkDB source.";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        SharedOptions.Server("source", "The RethinkDB server (driver port) to read from.", required: true),
        new("db", "NAME", "The database to dump.", Default: "bigchain"),
        new("out", "FILE", "The archive to write (.tar.gz); written under a temporary name and renamed when complete.", Required: true),
        SharedOptions.User,
        SharedOptions.Password,
        SharedOptions.Tables("A table to dump; repeat for several (default: every table of the database)."),
        new("clients", "N", "Tables read in parallel.", Default: "3"),
        SharedOptions.Overwrite,
    ];

    public IReadOnlyList<string> Examples { get; } =
    [
        "actorbackup dump --source rethinkdb-1:28015 --db bigchain --out bigchain.tar.gz",
        "actorbackup dump --source 10.0.0.5:28015 --tables bigchain --tables votes --out /backups/ledger.tar.gz --overwrite",
    ];

    public void Check(ParsedArgs args) => Settings(args);

    public Task<int> RunAsync(ParsedArgs args, TextWriter output, CancellationToken cancellationToken) =>
        new DumpOrchestrator(Settings(args), output).RunAsync(cancellationToken);

    private DumpSettings Settings(ParsedArgs args)
    {
        var (host, port) = args.GetEndpoint("source");
        var db = args.GetRequiredString("db");
        if (!DumpArchiveWriter.IsValidName(db) || db == "rethinkdb")
            throw CliError.Usage($"--db must be a database name of letters, digits, _ and - other than rethinkdb (got '{db}')", Name);
        var tables = args.GetAll("tables");
        var connection = new ConnectionOptions
        {
            Host = host,
            Port = port,
            User = args.GetRequiredString("user"),
            Password = args.GetString("password") ?? "",
        };
        return new DumpSettings(connection, db, Path.GetFullPath(args.GetRequiredString("out")), tables.Distinct().ToList(),
            args.GetInt("clients", 1, 64), args.GetFlag("overwrite"));
    }
}
