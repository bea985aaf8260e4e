using ActorBackup.Cli.CommandLine;
using ActorBackup.Recovery.Archive;
using ActorBackup.ReQL.Net;
using ActorBackup.Tags;
using ActorBackup.Tags.Planning;

namespace ActorBackup.Cli.Verbs.Tags;

/// <summary>
/// `actorbackup tags plan|apply|check|snapshot`: BigchainDB's server-tag backup layout, where the federation's RethinkDB
/// servers (tag original) keep the primaries and servers tagged backup hold extra replicas of every shard.
/// </summary>
public sealed class TagsVerb : IVerb
{
    private static readonly Dictionary<string, TagsCommand> Commands = new(StringComparer.Ordinal)
    {
        ["plan"] = TagsCommand.Plan,
        ["apply"] = TagsCommand.Apply,
        ["check"] = TagsCommand.Check,
        ["snapshot"] = TagsCommand.Snapshot,
    };

    /// <summary>The commands each option belongs to; the connection options belong to every command that reads a live source.</summary>
    private static readonly Dictionary<string, TagsCommand[]> OptionCommands = new(StringComparer.Ordinal)
    {
        ["from-file"] = [TagsCommand.Plan, TagsCommand.Check],
        ["db"] = [TagsCommand.Plan, TagsCommand.Apply, TagsCommand.Check],
        ["tables"] = [TagsCommand.Plan, TagsCommand.Apply, TagsCommand.Check],
        ["original"] = [TagsCommand.Plan, TagsCommand.Apply, TagsCommand.Check],
        ["backup"] = [TagsCommand.Plan, TagsCommand.Apply, TagsCommand.Check],
        ["backup-replicas"] = [TagsCommand.Plan, TagsCommand.Apply, TagsCommand.Check],
        ["original-replicas"] = [TagsCommand.Plan, TagsCommand.Apply],
        ["timeout"] = [TagsCommand.Apply],
        ["json"] = [TagsCommand.Plan, TagsCommand.Check],
        ["prometheus"] = [TagsCommand.Check],
        ["out"] = [TagsCommand.Snapshot],
        ["overwrite"] = [TagsCommand.Snapshot],
    };

    public string Name => "tags";

    public string Summary => "BigchainDB's server-tag backup layout on RethinkDB: tags plan, apply, check or snapshot.";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        SharedOptions.Server("source", "The RethinkDB server (driver port) to read, and for apply to reconfigure; an admin account is needed."),
        new("from-file", "FILE", "plan, check: the system tables `tags snapshot` saved, instead of a live --source."),
        SharedOptions.User,
        SharedOptions.Password,
        new("db", "NAME", "The database of the tables.", Default: "bigchain"),
        SharedOptions.Tables("The tables, repeated or comma-separated (backlog may be added).", "bigchain,votes"),
        new("original", "TAG", "The tag of the federation's own servers, which keep every primary.", Default: "original"),
        new("backup", "TAG", "The tag of the backup servers.", Default: "backup"),
        new("backup-replicas", "N", "Replicas of each shard on backup servers; check requires that many ready.", Default: "1"),
        new("original-replicas", "N|keep|minus-one",
            "plan, apply: replicas of each shard on original servers: as many as now, one fewer (a rerun keeps it), or N.", Default: "keep"),
        SharedOptions.Timeout("apply: longest wait for each reconfigured table to have every replica ready.", 600, 1, 86_400),
        SharedOptions.Json("plan, check: print one JSON object (the plan holds each reconfigure's exact optargs)."),
        new("prometheus", "FILE", "check: also write the result as Prometheus gauges to FILE (a node_exporter textfile), replaced atomically."),
        new("out", "FILE", "snapshot: the file to write the three system tables to."),
        SharedOptions.Overwrite with { Help = "snapshot: replace FILE if it exists." },
    ];

    public IReadOnlyList<string> Examples { get; } =
    [
        "actorbackup tags plan --source 127.0.0.1:28015",
        "actorbackup tags plan --from-file cluster-tables.json --original-replicas minus-one --json",
        "actorbackup tags apply --source 10.0.0.5:28015 --tables bigchain,votes,backlog --timeout 1800",
        "actorbackup tags check --source 127.0.0.1:28015 --prometheus /var/lib/node_exporter/actorbackup_tags.prom",
        "actorbackup tags check --from-file cluster-tables.json --backup-replicas 2 --json",
        "actorbackup tags snapshot --source 127.0.0.1:28015 --out cluster-tables.json",
    ];

    public void Check(ParsedArgs args) => Settings(args);

    public Task<int> RunAsync(ParsedArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var settings = Settings(args);
        return settings.Command switch
        {
            TagsCommand.Plan => TagsPlan.RunAsync(settings, output, cancellationToken),
            TagsCommand.Apply => TagsApply.RunAsync(settings, output, cancellationToken),
            TagsCommand.Check => TagsCheck.RunAsync(settings, output, cancellationToken),
            _ => TagsSnapshot.RunAsync(settings, output, cancellationToken),
        };
    }

    private TagsSettings Settings(ParsedArgs args)
    {
        var command = Command(args);
        var word = $"tags {command.ToString().ToLowerInvariant()}";
        foreach (var (option, commands) in OptionCommands)
        {
            if (args.Has(option) && !commands.Contains(command))
                throw Usage($"--{option} is not an option of {word} (it is for {string.Join(", ", commands.Select(c => $"tags {c.ToString().ToLowerInvariant()}"))})");
        }

        var source = Source(args, command, word);
        var tags = new TagNames(Tag(args, "original"), Tag(args, "backup"));
        if (tags.Original == tags.Backup)
            throw Usage($"--original and --backup must be different tags (both are '{tags.Original}')");
        var originalText = args.GetRequiredString("original-replicas");
        var original = OriginalReplicas.Parse(originalText)
            ?? throw Usage($"--original-replicas must be keep, minus-one or a number from 1 to 64 (got '{originalText}')");
        var db = args.GetRequiredString("db");
        if (!DumpArchiveWriter.IsValidName(db) || db == "rethinkdb")
            throw Usage($"--db must be a database name of letters, digits, _ and - other than rethinkdb (got '{db}')");
        var tables = args.GetAll("tables");

        string? output = null;
        if (command == TagsCommand.Snapshot)
            output = Path.GetFullPath(args.GetString("out") ?? throw Usage("tags snapshot needs --out FILE"));
        return new TagsSettings(
            command, source.Connection, source.File, tags, args.GetInt("backup-replicas", 1, 64), original,
            tables.Distinct().Select(t => new TableRef(db, t)).ToList(), args.GetFlag("json"), (int)args.GetSeconds("timeout").TotalSeconds,
            args.GetString("prometheus") is { } prometheus ? Path.GetFullPath(prometheus) : null, output, args.GetFlag("overwrite"));
    }

    private TagsCommand Command(ParsedArgs args) => args.Positional switch
    {
        [] => throw Usage("say what to do: tags plan, tags apply, tags check or tags snapshot"),
        [var word] when Commands.TryGetValue(word, out var command) => command,
        [var word] => throw Usage($"unknown tags command '{word}' (the commands are plan, apply, check and snapshot)"),
        _ => throw Usage($"tags takes one command, not {string.Join(" ", args.Positional)}"),
    };

    private (ConnectionOptions? Connection, string? File) Source(ParsedArgs args, TagsCommand command, string word)
    {
        var live = args.Has("source");
        var file = args.GetString("from-file");
        if (live && file is not null)
            throw Usage($"{word} reads either --source or --from-file, not both");
        if (file is not null)
        {
            if (args.Has("user") || args.Has("password"))
                throw Usage("--user and --password are for --source; --from-file reads no server");
            return (null, Path.GetFullPath(file));
        }
        if (!live)
        {
            throw Usage(command is TagsCommand.Plan or TagsCommand.Check
                ? $"{word} needs --source HOST:PORT or --from-file FILE"
                : $"{word} needs --source HOST:PORT{(command == TagsCommand.Apply ? " (it reconfigures a live cluster; --from-file only plans and checks)" : "")}");
        }
        var (host, port) = args.GetEndpoint("source");
        var connection = new ConnectionOptions
        {
            Host = host,
            Port = port,
            User = args.GetRequiredString("user"),
            Password = args.GetString("password") ?? "",
        };
        // A wait may take the whole --timeout before the server answers.
        return (command == TagsCommand.Apply ? connection with { ResponseTimeout = args.GetSeconds("timeout") + TimeSpan.FromSeconds(30) } : connection, null);
    }

    private string Tag(ParsedArgs args, string option)
    {
        var tag = args.GetRequiredString(option);
        return TagNames.IsValid(tag) ? tag : throw Usage($"--{option} must be a RethinkDB server tag of letters, digits, _ and - (got '{tag}')");
    }

    private CliError Usage(string message) => CliError.Usage(message, Name);
}
