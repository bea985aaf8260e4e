using ActorBackup.Cli.CommandLine;
using ActorBackup.Recovery.Archive;
using ActorBackup.Recovery.Restore;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cli.Verbs.Restore;

/// <summary>`actorbackup restore`: the ledger back into a RethinkDB database, then proven by counts and digests.</summary>
public sealed class RestoreVerb : IVerb
{
    public string Name => "restore";

    public string Summary => "Restore the ledger into RethinkDB (from the backup cluster or a dump archive), as of a point in time, and verify it.";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        SharedOptions.Admin("Admin endpoint of any backup node: restore from the backup cluster.", defaultUrl: null),
        SharedOptions.TokenFile,
        new("from-archive", "FILE", "A rethinkdb-dump-compatible .tar.gz (from `rethinkdb dump` or `actorbackup dump`)."),
        SharedOptions.Server("to", "The RethinkDB server (driver port) to restore into.", required: true),
        new("db", "NAME", "The target database (the archive's tables are restored into it).", Default: "bigchain"),
        SharedOptions.User,
        SharedOptions.Password,
        SharedOptions.Tables("A table to restore; repeat for several (default: every table)."),
        SharedOptions.At("Keep only blocks and votes with a timestamp at or before TIME (Unix seconds or ISO 8601); other tables whole. With --admin the default is the restorable point."),
        SharedOptions.ForceUnsafeAt,
        SharedOptions.FederationKeys(ClusterSelection.KeysHelp + " With --admin only."),
        new("writers", "N", "Connections inserting in parallel.", Default: "4"),
        OptionSpec.Flag("force", "Restore into a database that already holds documents, replacing rows with the same primary key."),
        OptionSpec.Flag("dry-run", "Check the target and count what would be restored; write nothing."),
        OptionSpec.Flag("hard-durability", "Insert with durability \"hard\" (default \"soft\", as rethinkdb restore)."),
        OptionSpec.Flag("no-secondary-indexes", "Do not recreate the secondary indexes."),
    ];

    public IReadOnlyList<string> Examples { get; } =
    [
        "actorbackup restore --admin http://127.0.0.1:8558 --to localhost:28015 --db bigchain_restored",
        "actorbackup restore --admin http://127.0.0.1:8558 --at 2017-07-14T12:00:00Z --to localhost:28015 --db bigchain_at_noon",
        "actorbackup restore --admin http://127.0.0.1:8558 --to localhost:28015 --db bigchain_restored --federation-keys federation-keys.json",
        "actorbackup restore --from-archive bigchain.tar.gz --to localhost:28015 --db bigchain",
        "actorbackup restore --from-archive bigchain.tar.gz --to 10.0.0.7:28015 --db bigchain_at_noon --at 2017-07-14T12:00:00Z",
        "actorbackup restore --from-archive bigchain.tar.gz --to localhost:28015 --tables votes --dry-run",
    ];

    public void Check(ParsedArgs args) => Settings(args);

    public Task<int> RunAsync(ParsedArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var settings = Settings(args);
        if (args.Has("from-archive"))
            return new ArchiveRestore(settings, output).RunAsync(cancellationToken);
        var selection = new ClusterSelection(args.GetRequiredString("admin"), args.GetString("token-file"), settings.Tables, settings.At, args.GetFlag("force-unsafe-at"),
            args.GetString("federation-keys"));
        return new ClusterRestore(selection, settings.Target, settings.Db, settings.Options, output).RunAsync(cancellationToken);
    }

    private ArchiveRestoreSettings Settings(ParsedArgs args)
    {
        if (args.Has("admin") == args.Has("from-archive"))
            throw CliError.Usage("give exactly one of --admin (the backup cluster) and --from-archive (a dump archive)", Name);
        if (args.Has("from-archive") && args.GetFlag("force-unsafe-at"))
            throw CliError.Usage("--force-unsafe-at goes with --admin only", Name);
        if (args.Has("from-archive") && args.Has("federation-keys"))
            throw CliError.Usage("--federation-keys goes with --admin only (an archive's records are verified by import, verify-bundle or assemble)", Name);
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
        return new ArchiveRestoreSettings(args.Has("from-archive") ? Path.GetFullPath(args.GetRequiredString("from-archive")) : "", connection, db,
            args.GetAll("tables").Distinct().ToList(), args.Has("at") ? args.GetTime("at") : null, options);
    }
}
