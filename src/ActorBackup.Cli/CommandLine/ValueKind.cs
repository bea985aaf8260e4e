namespace ActorBackup.Cli.CommandLine;

/// <summary>How an option's value is written; every value given is checked by its kind while the command line is parsed.</summary>
public enum ValueKind
{
    /// <summary>Any text; the verb checks it.</summary>
    Text,

    /// <summary>An absolute http:// or https:// URL.</summary>
    Url,

    /// <summary>HOST:PORT with a port from 1 to 65535.</summary>
    Endpoint,

    /// <summary>A whole number within the option's <see cref="OptionSpec.Min"/> and <see cref="OptionSpec.Max"/>.</summary>
    Integer,

    /// <summary>Unix seconds or an ISO 8601 time.</summary>
    Time,

    /// <summary>A table name: letters, digits, _ and -.</summary>
    TableName,
}
