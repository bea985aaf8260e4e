using System.Globalization;
using System.Text.RegularExpressions;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Recovery.Scratch;

/// <summary>Where a scratch restore (a drill's, the demo's) proves the backup: a new database on a RethinkDB server, dropped once verified unless kept.</summary>
public sealed partial record ScratchTarget(ConnectionOptions Server, string Database, bool Keep)
{
    /// <summary>The server as HOST:PORT, as the report shows it.</summary>
    public string Endpoint => $"{Server.Host}:{Server.Port}";

    /// <summary>A name no earlier drill used: <c>actorbackup_drill_</c> and the UTC time to the second.</summary>
    public static string DefaultDatabase(DateTimeOffset now) =>
        "actorbackup_drill_" + now.UtcDateTime.ToString("yyyyMMdd'_'HHmmss", CultureInfo.InvariantCulture);

    /// <summary>RethinkDB accepts letters, digits and underscores in a database name.</summary>
    public static bool IsValidName(string name) => DatabaseName().IsMatch(name);

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex DatabaseName();
}
