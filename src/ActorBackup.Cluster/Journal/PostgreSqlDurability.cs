using ActorBackup.Cluster.Settings;
using Npgsql;

namespace ActorBackup.Cluster.Journal;

/// <summary>
/// Checks, before a node trusts a PostgreSQL journal, that the server keeps what it acknowledges. With <c>fsync</c> off a
/// crash of the server's host can lose or corrupt committed rows; with <c>synchronous_commit</c> off a commit is
/// acknowledged before it is on disk. A replica's watermark says its records are durable, so the node asks the server
/// itself rather than assuming its defaults.
/// </summary>
public static class PostgreSqlDurability
{
    /// <summary>
    /// Reads the settings the server applies to this connection's database and user; refuses an unsafe one with one
    /// line unless <paramref name="allowUnsafe"/>, in which case <paramref name="warn"/> gets that line instead.
    /// </summary>
    /// <exception cref="BackupSettingsException">The server would lose acknowledged writes, or cannot be asked (one line).</exception>
    public static void Check(string connectionString, bool allowUnsafe, Action<string> warn)
    {
        string fsync, synchronousCommit;
        try
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            fsync = Show(connection, "fsync");
            synchronousCommit = Show(connection, "synchronous_commit");
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or ArgumentException)
        {
            throw new BackupSettingsException($"actorbackup.postgresql.connection-string: cannot ask the server whether it keeps what it acknowledges: {OneLine(e.Message)}");
        }
        var unsafeSettings = new List<string>();
        if (fsync == "off") unsafeSettings.Add("fsync = off");
        if (synchronousCommit == "off") unsafeSettings.Add("synchronous_commit = off");
        if (unsafeSettings.Count == 0)
            return;
        var found = string.Join(" and ", unsafeSettings);
        if (allowUnsafe)
            warn($"The PostgreSQL journal runs with {found}: it may lose records it acknowledged (accepted by actorbackup.postgresql.allow-unsafe-durability).");
        else
            throw new BackupSettingsException(
                $"actorbackup.postgresql: the server runs with {found}, so it may lose records it acknowledged; turn it on, or set actorbackup.postgresql.allow-unsafe-durability = on to accept that.");
    }

    private static string Show(NpgsqlConnection connection, string setting)
    {
        using var command = new NpgsqlCommand($"SHOW {setting}", connection);
        return Convert.ToString(command.ExecuteScalar())?.Trim().ToLowerInvariant() ?? "";
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
