using System.Globalization;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Recovery.Archive;
using ActorBackup.Recovery.Restore;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cli.Verbs.Restore;

/// <summary>`actorbackup restore`: the ledger back into a RethinkDB database, then proven by counts and digests.</summary>
public sealed class RestoreVerb : IVerb
{
    public string Name => "restore";

    public string Summary => "Restore a database into RethinkDB (from a dump archive), optionally as of a point in time, and verify it.";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("from-archive", "FILE", "A rethinkdb-dump-compatible .tar.gz (from `rethinkdb dump` or `actorbackup dump`).", Required: true),
        new("to", "HOST:PORT", "The RethinkDB server (driver port) to restore into.", Required: true),
        new("db", "NAME", "The target database (the archive's tables are restored into it).", Default: "bigchain"),
        new("user", "NAME", "The RethinkDB user.", Default: "admin"),
        new("password", "TEXT", "The user's password (default: empty)."),
        new("tables", "TABLE", "A table of the archive to restore; repeat for several (default: every table).", Repeatable: true),
        new("at", "TIME", "Keep only blocks and votes with a timestamp at or before TIME (Unix seconds or ISO 8601); other tables whole."),
        new("writers", "N", "Connections inserting in parallel.", Default: "4"),
        OptionSpec.Flag("force", "Restore into a database that already holds documents, replacing rows with the same primary key."),
        OptionSpec.Flag("dry-run", "Check the target and count what would be restored; write nothing."),
        OptionSpec.Flag("hard-durability", "Insert with durability \"hard\" (default \"soft\", as rethinkdb restore)."),
        OptionSpec.Flag("no-secondary-indexes", "Do not recreate the secondary indexes."),
    ];

    public IReadOnlyList<string> Examples { get; } =
    [
        "actorbackup restore --from-archive bigchain.tar.gz --to localhost:28015 --db bigchain",
        "actorbackup restore --from-archive bigchain.tar.gz --to 10.0.0.7:28015 --db bigchain_at_noon --at 2017-07-14T12:00:00Z",
        "actorbackup restore --from-archive bigchain.tar.gz --to localhost:28015 --tables votes --dry-run",
    ];

    public Task<int> RunAsync(ParsedArgs args, TextWriter output, CancellationToken cancellationToken) =>
        new ArchiveRestore(Settings(args), output).RunAsync(cancellationToken);

    private ArchiveRestoreSettings Settings(ParsedArgs args)
    {
        var (host, port) = args.GetEndpoint("to");
        var db = args.GetRequiredString("db");
        if (!DumpArchiveWriter.IsValidName(db) || db == "rethinkdb")
            throw CliError.Usage($"--db must be a database name of letters, digits, _ and - other than rethinkdb (got '{db}')", Name);
        var connection = new ConnectionOptions
        {
            Host = host,
            Port = port,
            User = args.GetRequiredString("user"),
            Password = args.GetString("password") ?? "",
        };
        var options = new RestoreOptions
        {
            Force = args.GetFlag("force"),
            DryRun = args.GetFlag("dry-run"),
            Writers = args.GetInt("writers", 1, 64),
            HardDurability = args.GetFlag("hard-durability"),
            SecondaryIndexes = !args.GetFlag("no-secondary-indexes"),
        };
        return new ArchiveRestoreSettings(Path.GetFullPath(args.GetRequiredString("from-archive")), connection, db,
            args.GetAll("tables").Distinct().ToList(), args.Has("at") ? At(args.GetRequiredString("at")) : null, options);
    }

    private DateTimeOffset At(string raw)
    {
        if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
            && seconds >= DateTimeOffset.MinValue.ToUnixTimeSeconds() && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (raw.Contains('T') && DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            return time;
        throw CliError.Usage($"--at must be Unix seconds or an ISO 8601 time such as 2017-07-14T12:00:00Z (got '{raw}')", Name);
    }
}
