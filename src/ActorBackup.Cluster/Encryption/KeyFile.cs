using System.Security.Cryptography;
using ActorBackup.Cluster.Settings;

namespace ActorBackup.Cluster.Encryption;

/// <summary>
/// The key file an operator holds: one key per line, 32 random bytes in base64; the last line is the key new data is
/// encrypted with, the lines before it keys of older data.
/// </summary>
public static class KeyFile
{
    /// <summary>A new key, as one line of a key file.</summary>
    public static string NewKeyLine() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyRing.KeyBytes));

    /// <exception cref="BackupSettingsException">The file is missing, unreadable or holds something other than keys (one line).</exception>
    public static KeyRing Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupSettingsException($"actorbackup.encryption.key-file: {path} cannot be read ({e.GetType().Name}: {e.Message.TrimEnd('.')}).");
        }
        var keys = new List<byte[]>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) continue;
            var key = new byte[KeyRing.KeyBytes + 1];
            if (!Convert.TryFromBase64String(line, key, out var written) || written != KeyRing.KeyBytes)
                throw new BackupSettingsException($"actorbackup.encryption.key-file: line {i + 1} of {path} is not a key (32 bytes in base64; make one with `actorbackup keys new`).");
            keys.Add(key[..KeyRing.KeyBytes]);
        }
        if (keys.Count == 0)
            throw new BackupSettingsException($"actorbackup.encryption.key-file: {path} holds no key (make one with `actorbackup keys new`).");
        return new KeyRing(keys);
    }
}
