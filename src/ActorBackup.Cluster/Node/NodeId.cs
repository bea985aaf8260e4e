using System.Security.Cryptography;
using System.Text;
using ActorBackup.Cluster.Settings;

namespace ActorBackup.Cluster.Node;

/// <summary>
/// A random id a node's data directory is given the first time the node needs one, and keeps: it tells this node
/// apart from any other where their records could meet, as in a PostgreSQL database several nodes share
/// (<see cref="Journal.PostgreSqlNamespaceClaim"/>). Unlike <see cref="DataDirectoryIdentity"/>, which every node of a
/// cluster shares, no two data directories have the same id; a data directory moved to another machine keeps it.
/// </summary>
public static class NodeId
{
    /// <summary>The file in the data directory that holds the id.</summary>
    public const string FileName = "node-id";

    /// <summary>Hexadecimal digits of an id (128 random bits).</summary>
    private const int Digits = 32;

    /// <summary>The id recorded in <paramref name="dataDirectory"/>, recorded first when it has none.</summary>
    /// <exception cref="BackupSettingsException">The file holds something other than an id, or cannot be read or written (one line).</exception>
    public static string Of(string dataDirectory)
    {
        var file = Path.Combine(dataDirectory, FileName);
        try
        {
            if (File.Exists(file))
                return Read(file);
            Directory.CreateDirectory(dataDirectory);
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(Digits / 2));
            Write(file, id);
            return id;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupSettingsException($"actorbackup.data-dir: {file} cannot be read or written as this node's id ({e.Message.ReplaceLineEndings(" ").TrimEnd('.')}).");
        }
    }

    private static string Read(string file)
    {
        var id = File.ReadAllText(file).Trim();
        if (id.Length != Digits || !id.All(char.IsAsciiHexDigitLower))
            throw new BackupSettingsException(
                $"actorbackup.data-dir: {file} does not hold a node id ({Digits} lowercase hexadecimal digits); it names this node to others and is never rewritten");
        return id;
    }

    /// <summary>Written under another name and renamed, so that a crash leaves either no id or a whole one.</summary>
    private static void Write(string file, string id)
    {
        var temporary = file + ".new";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.ASCII.GetBytes(id + "\n"));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, file, overwrite: true);
    }
}
