using ActorBackup.Cli.CommandLine;
using ActorBackup.Ledger.Crypto;
using ActorBackup.Recovery.Archive;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cli.Verbs.ClientBackup;

/// <summary>
/// `actorbackup client-backup`: a federation user keeps the signed blocks holding their transactions and every vote on
/// them, as a `rethinkdb dump` archive with a manifest, read from the federation or from a backup cluster.
/// </summary>
public sealed class ClientBackupVerb : IVerb
{
    public string Name => "client-backup";

    public string Summary => "Keep the signed blocks holding chosen transactions and every vote on them, as a verifiable bundle.";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("tx", "ID", "A transaction to keep (64 hex digits); repeat for several.", Repeatable: true),
        new("tx-file", "FILE", "More transaction ids, one a line (# starts a comment)."),
        new("public-key", "KEY", "Keep every transaction whose inputs or outputs name this base58 public key; repeat for several.", Repeatable: true),
        new("asset", "ID", "Keep an asset's whole history: its CREATE and every TRANSFER of it; repeat for several.", Repeatable: true),
        SharedOptions.Server("source", "Read from the federation's RethinkDB (driver port), with BigchainDB's secondary indexes where it has them."),
        new("db", "NAME", "The BigchainDB database on --source.", Default: "bigchain"),
        SharedOptions.User,
        SharedOptions.Password,
        SharedOptions.Admin("Read from a backup cluster instead, through any node's admin endpoint.", defaultUrl: null),
        SharedOptions.TokenFile,
        new("out", "FILE", "The bundle to write (.tar.gz); written under a temporary name and renamed when complete.", Required: true),
        new("since", "FILE", "An earlier bundle: keep all of it and its selection, and add only what is new."),
        SharedOptions.FederationKeys("The federation's key file to check every signature against (default: the voters the blocks list)."),
        OptionSpec.Flag("scan", "Read whole tables even where an index could answer (when the source's indexes are not to be trusted)."),
        SharedOptions.Overwrite,
    ];

    public IReadOnlyList<string> Examples { get; } =
    [
        "actorbackup client-backup --source rethinkdb-1:28015 --tx-file my-transactions.txt --out my-ledger.tar.gz",
        "actorbackup client-backup --source 10.0.0.5:28015 --public-key 4K9sWUMFwTgaDGPfdynrbxWqWS6sWmKbZoTjxLtVUibD --out mine.tar.gz --federation-keys federation-keys.json",
        "actorbackup client-backup --admin http://10.0.0.7:8558 --token-file reader.token --asset 04c00267af82c161b4bf2ad4a47d1ddbfeb47eef1a14b8d51f37d6ee00ea5cdd --out asset.tar.gz",
        "actorbackup client-backup --source rethinkdb-1:28015 --since my-ledger.tar.gz --out my-ledger-new.tar.gz",
    ];

    public void Check(ParsedArgs args) => Settings(args);

    public Task<int> RunAsync(ParsedArgs args, TextWriter output, CancellationToken cancellationToken) =>
        new ClientBackupRun(Settings(args), output).RunAsync(cancellationToken);

    private ClientBackupSettings Settings(ParsedArgs args)
    {
        if (args.Positional.Count > 0)
            throw CliError.Usage($"client-backup takes no positional arguments (got '{args.Positional[0]}')", Name);
        if (args.Has("source") == args.Has("admin"))
            throw CliError.Usage("give exactly one of --source HOST:PORT (the federation's RethinkDB) and --admin URL (a backup cluster)", Name);
        if (!args.Has("tx") && !args.Has("tx-file") && !args.Has("public-key") && !args.Has("asset") && !args.Has("since"))
            throw CliError.Usage("say what to keep: --tx, --tx-file, --public-key or --asset (or --since an earlier bundle)", Name);
        foreach (var tx in args.GetAll("tx").Where(t => !TransactionIdFile.IsId(t)))
            throw CliError.Usage($"--tx must be a transaction id of 64 hex digits (got '{tx}')", Name);
        var raw = new byte[Ed25519Crypto.PublicKeyLength];
        foreach (var key in args.GetAll("public-key").Where(k => !Base58.TryDecodeExact(k.AsSpan(), raw)))
            throw CliError.Usage($"--public-key must be a base58 Ed25519 public key of 32 bytes (got '{key}')", Name);
        if (args.GetAll("asset").FirstOrDefault(a => a.Length == 0 || a.Any(char.IsWhiteSpace)) is { } asset)
            throw CliError.Usage($"--asset must be an asset id without spaces (got '{asset}')", Name);
        if (args.Has("source") && args.Has("token-file"))
            throw CliError.Usage("--token-file goes with --admin: a RethinkDB source takes --user and --password", Name);
        if (args.Has("admin") && (args.Has("user") || args.Has("password") || args.Has("db")))
            throw CliError.Usage("--user, --password and --db go with --source: a backup cluster takes --token-file", Name);

        ConnectionOptions? source = null;
        var db = args.GetRequiredString("db");
        if (args.Has("source"))
        {
            var (host, port) = args.GetEndpoint("source");
            if (!DumpArchiveWriter.IsValidName(db) || db == "rethinkdb")
                throw CliError.Usage($"--db must be a database name of letters, digits, _ and - other than rethinkdb (got '{db}')", Name);
            source = new ConnectionOptions { Host = host, Port = port, User = args.GetRequiredString("user"), Password = args.GetString("password") ?? "" };
        }
        var admin = args.Has("admin") ? args.GetUrl("admin") : null;

        var output = Path.GetFullPath(args.GetRequiredString("out"));
        if (Directory.Exists(output))
            throw CliError.Usage($"{output} is a directory; --out takes the bundle's file name", Name);
        if (File.Exists(output) && !args.GetFlag("overwrite"))
            throw new CliError($"{output} already exists", ExitCodes.Usage, "pass --overwrite to replace it");
        var since = args.GetString("since") is { } s ? Path.GetFullPath(s) : null;
        if (since == output)
            throw CliError.Usage("--since and --out name the same file: write the extended bundle beside the old one", Name);
        return new ClientBackupSettings(args.GetAll("tx").Select(t => t.ToLowerInvariant()).Distinct().ToList(), args.GetString("tx-file"),
            args.GetAll("public-key").Distinct().ToList(), args.GetAll("asset").Distinct().ToList(), source, db, admin,
            args.GetString("token-file"), output, since, args.GetString("federation-keys"), args.GetFlag("scan"), args.GetFlag("overwrite"));
    }
}
