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

    /// <summary>Writes a key file holding one new key, readable by its owner only; returns the key's id.</summary>
    public static uint Create(string path, bool overwrite)
    {
        if (File.Exists(path) && !overwrite)
            throw new IOException($"{path} already exists");
        var line = NewKeyLine();
        Replace(path, [line]);
        return KeyRing.IdOf(Convert.FromBase64String(line));
    }

    /// <summary>
    /// Adds a new key as the file's last line, so it encrypts new data from the node's next start while the keys before
    /// it still read older data; returns the new key's id.
    /// </summary>
    /// <exception cref="BackupSettingsException">The file is not a key file (one line).</exception>
    public static uint Rotate(string path)
    {
        Read(path);
        var lines = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var line = NewKeyLine();
        Replace(path, [.. lines, line]);
        return KeyRing.IdOf(Convert.FromBase64String(line));
    }

    // Written beside the file and renamed over it, so a crash leaves either the old file or the new one.
    private static void Replace(string path, IReadOnlyList<string> lines)
    {
        var temporary = path + ".new";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(file.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            using var writer = new StreamWriter(file);
            foreach (var line in lines) writer.Write(line + "\n");
            writer.Flush();
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

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
