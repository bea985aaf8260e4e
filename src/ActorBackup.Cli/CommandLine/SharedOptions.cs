namespace ActorBackup.Cli.CommandLine;

/// <summary>
/// The options several verbs take, each declared once here: its name, how its value is written and checked, and its
/// default. A verb says only what the option means to it (the help line) and, where it has one, its own default or range.
/// </summary>
public static class SharedOptions
{
    /// <summary>Where a node's admin endpoint listens unless its node file says otherwise.</summary>
    public const string LocalAdmin = "http://127.0.0.1:8558";

    /// <summary>--admin URL: a backup node's admin endpoint.</summary>
    public static OptionSpec Admin(string help, bool required = false, string? defaultUrl = LocalAdmin) =>
        new("admin", "URL", help, required ? null : defaultUrl, required) { Kind = ValueKind.Url };

    /// <summary>--token-file FILE: the admin API token, sent with every request to --admin.</summary>
    public static OptionSpec TokenFile { get; } =
        new("token-file", "FILE", $"File holding the admin API token, sent as Authorization: Bearer (default: ${ActorBackup.Admin.Contract.Access.AdminToken.Variable}, if set).");

    /// <summary>--json: the verb's report as JSON instead of text.</summary>
    public static OptionSpec Json(string help) => OptionSpec.Flag("json", help);

    /// <summary>--timeout SECONDS, from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static OptionSpec Timeout(string help, int defaultSeconds, int min, int max) =>
        new("timeout", "SECONDS", help, defaultSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)) { Kind = ValueKind.Integer, Min = min, Max = max };

    /// <summary>--tables TABLE, repeatable or comma-separated: the tables to work on (default: every table, or <paramref name="defaultTables"/>).</summary>
    public static OptionSpec Tables(string help, string? defaultTables = null) =>
        new("tables", "TABLE", help, defaultTables, Repeatable: true) { Kind = ValueKind.TableName };

    /// <summary>--at TIME: the point in time of the ledger to take.</summary>
    public static OptionSpec At(string help) => new("at", "TIME", help) { Kind = ValueKind.Time };

    /// <summary>A RethinkDB server as HOST:PORT, e.g. --source or --to.</summary>
    public static OptionSpec Server(string name, string help, string? defaultEndpoint = null, bool required = false) =>
        new(name, "HOST:PORT", help, defaultEndpoint, required) { Kind = ValueKind.Endpoint };

    /// <summary>--user NAME: the RethinkDB user.</summary>
    public static OptionSpec User { get; } = new("user", "NAME", "The RethinkDB user.", "admin");

    /// <summary>--password TEXT: the RethinkDB user's password.</summary>
    public static OptionSpec Password { get; } = new("password", "TEXT", "The user's password (default: empty).");

    /// <summary>--overwrite: replace the output file.</summary>
    public static OptionSpec Overwrite { get; } = OptionSpec.Flag("overwrite", "Replace FILE if it exists.");

    /// <summary>--federation-keys FILE: the federation's key file, which the verb checks ids and signatures against.</summary>
    public static OptionSpec FederationKeys(string help) => new("federation-keys", "FILE", help);

    /// <summary>--force-unsafe-at: take a --at after the restorable point.</summary>
    public static OptionSpec ForceUnsafeAt { get; } =
        OptionSpec.Flag("force-unsafe-at", "With the backup cluster, accept a TIME after the restorable point (some shard may miss records up to it).");
}
