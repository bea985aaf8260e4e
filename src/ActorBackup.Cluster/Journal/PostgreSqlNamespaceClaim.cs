using System.Globalization;
using ActorBackup.Cluster.Settings;
using Npgsql;

namespace ActorBackup.Cluster.Journal;

/// <summary>
/// Makes a node the only one writing under its persistence ids in a PostgreSQL database, before it journals there.
/// The ids a node writes are qualified by <c>actorbackup.postgresql.node-name</c> ("n1/replica-votes-017"), or left
/// unqualified when it is empty, as earlier versions wrote them; two nodes with the same name (or both without one)
/// would append to the same replicas' events and each read the other's records as its own. So each namespace (the
/// node name, "" for the unqualified ids) is claimed once, by a node's <see cref="Node.NodeId"/>, in
/// <see cref="Table"/>; a node whose namespace another node holds does not start.
/// </summary>
/// <remarks>
/// A database an earlier version journaled in has unqualified ids and no claims: the first node to start on it claims
/// them, and reads its records as before. The claim is made in one transaction under an advisory lock, so of two nodes
/// starting at once exactly one wins; a node refused changes nothing in the database.
/// A claim names a node id, which a copy of the data directory (a cloned volume, a restored snapshot) shares; so a running
/// node also holds its namespace with a session advisory lock for as long as it runs (<see cref="HoldWhileRunning"/>), and
/// a second process with the same node id is refused while the first runs.
/// </remarks>
public static class PostgreSqlNamespaceClaim
{
    /// <summary>The table of claims, beside the journal's own tables.</summary>
    public const string Table = "actorbackup_node_claims";

    /// <summary>The journal's table, as Akka.Persistence.Sql names it by default and <see cref="JournalConfig"/> leaves it.</summary>
    private const string JournalTable = "journal";

    /// <summary>Serializes the claims of nodes starting at once, creating the table included (an arbitrary constant).</summary>
    private const long AdvisoryLock = 0x4143_5442_4B50_4E53;

    /// <summary>
    /// Claims <paramref name="nodeName"/>'s namespace for <paramref name="claimant"/>, or checks that it already holds
    /// it. <paramref name="claimed"/> gets one line when the claim is new; <paramref name="warn"/> gets one when a node
    /// named for the first time finds unqualified records no node holds (an earlier version's, which it does not read).
    /// </summary>
    /// <param name="nodeName">actorbackup.postgresql.node-name; null or empty for the unqualified ids.</param>
    /// <exception cref="BackupSettingsException">Another node holds the namespace, or the database cannot be asked (one line).</exception>
    public static void Claim(string connectionString, string? nodeName, NamespaceClaimant claimant, Action<string> claimed, Action<string> warn)
    {
        var space = nodeName ?? "";
        Holder holder;
        try
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            using var transaction = connection.BeginTransaction();
            Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({AdvisoryLock})");
            Execute(connection, transaction, $"""
                CREATE TABLE IF NOT EXISTS {Table} (
                  namespace TEXT PRIMARY KEY,
                  node_id TEXT NOT NULL,
                  host TEXT NOT NULL,
                  data_dir TEXT NOT NULL,
                  claimed_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """);
            using (var insert = new NpgsqlCommand(
                       $"INSERT INTO {Table} (namespace, node_id, host, data_dir) VALUES (@namespace, @node_id, @host, @data_dir) ON CONFLICT (namespace) DO NOTHING",
                       connection, transaction))
            {
                insert.Parameters.AddWithValue("namespace", space);
                insert.Parameters.AddWithValue("node_id", claimant.NodeId);
                insert.Parameters.AddWithValue("host", claimant.Host);
                insert.Parameters.AddWithValue("data_dir", claimant.DataDirectory);
                if (insert.ExecuteNonQuery() == 1)
                {
                    var unheld = space.Length > 0 && HoldsUnclaimedUnqualifiedRecords(connection, transaction);
                    transaction.Commit();
                    claimed($"The PostgreSQL journal's {Describe(space)} are now this node's (node-id {claimant.NodeId}, recorded in {Table})");
                    if (unheld)
                        warn($"The PostgreSQL journal also holds unqualified persistence ids that no node holds, written without actorbackup.postgresql.node-name "
                             + $"(by an earlier version): this node, named \"{space}\", does not read them (the node that wrote them does when started with an empty node-name)");
                    return;
                }
            }
            holder = Read(connection, transaction, space);
            transaction.Commit();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or ArgumentException)
        {
            throw new BackupSettingsException($"actorbackup.postgresql.connection-string: cannot claim this node's persistence ids in the database: {e.Message.ReplaceLineEndings(" ")}");
        }
        if (holder.NodeId != claimant.NodeId)
            throw new BackupSettingsException(Refusal(space, holder));
    }

    /// <summary>
    /// Holds <paramref name="nodeName"/>'s namespace until the returned lease is disposed: a session advisory lock on a
    /// connection of its own (not pooled, so closing it releases the lock; so does the server when the process dies).
    /// </summary>
    /// <exception cref="BackupSettingsException">Another running process holds the namespace, or the database cannot be asked (one line).</exception>
    public static IDisposable HoldWhileRunning(string connectionString, string? nodeName)
    {
        var space = nodeName ?? "";
        NpgsqlConnection? connection = null;
        try
        {
            connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            connection.Open();
            using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended('actorbackup namespace ' || @namespace, 0))", connection);
            command.Parameters.AddWithValue("namespace", space);
            if (command.ExecuteScalar() is true)
                return connection;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or ArgumentException)
        {
            connection?.Dispose();
            throw new BackupSettingsException($"actorbackup.postgresql.connection-string: cannot hold this node's persistence ids in the database: {e.Message.ReplaceLineEndings(" ")}");
        }
        connection.Dispose();
        throw new BackupSettingsException(
            $"actorbackup.postgresql.node-name: another running node writes the database's {Describe(space)} under this node's node-id: "
            + "it runs on a copy of this data directory; give each node a data directory (and so a node-id) of its own");
    }

    /// <summary>One line telling the operator which node holds <paramref name="space"/> and what to change.</summary>
    private static string Refusal(string space, Holder holder)
    {
        var other = $"node-id {holder.NodeId}, data directory {holder.DataDirectory} on {holder.Host}, since "
                    + holder.ClaimedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
        var replaced = $"if that node is gone for good and this one takes over its records, delete its row from {Table}";
        return space.Length == 0
            ? $"actorbackup.postgresql.node-name is empty, but the database's unqualified persistence ids are another node's ({other}): "
              + $"set actorbackup.postgresql.node-name to a name of this node's own, so that the two keep separate records; {replaced}"
            : $"actorbackup.postgresql.node-name: \"{space}\" already names another node in this database ({other}): "
              + $"two nodes use the same node-name; give each a name of its own; {replaced}";
    }

    private static string Describe(string space) => space.Length == 0 ? "unqualified persistence ids" : $"persistence ids named \"{space}\"";

    private static Holder Read(NpgsqlConnection connection, NpgsqlTransaction transaction, string space)
    {
        using var select = new NpgsqlCommand($"SELECT node_id, host, data_dir, claimed_at FROM {Table} WHERE namespace = @namespace", connection, transaction);
        select.Parameters.AddWithValue("namespace", space);
        using var reader = select.ExecuteReader();
        if (!reader.Read())
            throw new InvalidOperationException($"the claim of {Describe(space)} vanished from {Table} within its transaction");
        return new Holder(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTime>(3));
    }

    /// <summary>Whether the journal has rows under unqualified ids while no node holds those ids.</summary>
    private static bool HoldsUnclaimedUnqualifiedRecords(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        using var exists = new NpgsqlCommand($"SELECT to_regclass('{JournalTable}') IS NOT NULL", connection, transaction);
        if (exists.ExecuteScalar() is not true)
            return false;
        using var unheld = new NpgsqlCommand(
            $"SELECT NOT EXISTS (SELECT 1 FROM {Table} WHERE namespace = '') AND EXISTS (SELECT 1 FROM {JournalTable} WHERE persistence_id NOT LIKE '%/%')",
            connection, transaction);
        return unheld.ExecuteScalar() is true;
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }

    /// <summary>The node that holds a namespace, as <see cref="Table"/> records it.</summary>
    private sealed record Holder(string NodeId, string Host, string DataDirectory, DateTime ClaimedAt);
}
