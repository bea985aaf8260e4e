using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorBackup.Cluster.Settings;

// How the node reaches its sources: the login, TLS and the clock. Files named here are read now, so that a missing one
// is one line at start, and the password never appears in a message.
public sealed partial record BackupSettings
{
    private static SourceCredentials ReadCredentials(SettingsReader r)
    {
        var user = r.String("source-user");
        var password = r.String("source-password", allowEmpty: true);
        var file = r.String("source-password-file", allowEmpty: true);
        if (file.Length == 0)
            return new SourceCredentials(user, password);
        if (password.Length > 0)
            throw new BackupSettingsException($"{r.Key("source-password")} and {r.Key("source-password-file")} are both set: keep one.");
        var path = Path.GetFullPath(file);
        // Only the line ends a file usually closes with are dropped: anything else is part of the password.
        return new SourceCredentials(user, ReadFile(r, "source-password-file", path, File.ReadAllText).TrimEnd('\r', '\n'));
    }

    private static SourceTlsSettings ReadTls(SettingsReader r)
    {
        var enabled = r.Bool("source-tls.enabled");
        var caFile = r.String("source-tls.ca-file", allowEmpty: true);
        var serverName = r.String("source-tls.server-name", allowEmpty: true);
        if (!enabled)
        {
            if (caFile.Length > 0 || serverName.Length > 0)
                throw new BackupSettingsException($"{r.Key("source-tls")} names a CA file or server name but {r.Key("source-tls.enabled")} is off: turn it on or remove them.");
            return SourceTlsSettings.Off;
        }
        if (caFile.Length == 0)
            return new SourceTlsSettings(true, null, serverName.Length == 0 ? null : serverName, []);
        var path = Path.GetFullPath(caFile);
        var authorities = ReadFile(r, "source-tls.ca-file", path, p =>
        {
            var certificates = new X509Certificate2Collection();
            try
            {
                certificates.ImportFromPemFile(p);
            }
            catch (CryptographicException e)
            {
                throw new BackupSettingsException($"{r.Key("source-tls.ca-file")}: {p} is not a PEM certificate file: {e.Message}");
            }
            return certificates.Count > 0
                ? certificates
                : throw new BackupSettingsException($"{r.Key("source-tls.ca-file")}: {p} holds no PEM certificate (\"-----BEGIN CERTIFICATE-----\").");
        });
        return new SourceTlsSettings(true, path, serverName.Length == 0 ? null : serverName, authorities);
    }

    private static SourceClockSettings ReadClock(SettingsReader r) => new(
        r.Duration("source-clock.warn-offset", TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1)),
        r.Duration("source-clock.window", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)));

    private static T ReadFile<T>(SettingsReader r, string key, string path, Func<string, T> read)
    {
        if (!File.Exists(path))
            throw new BackupSettingsException($"{r.Key(key)}: {path} does not exist.");
        try
        {
            return read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupSettingsException($"{r.Key(key)}: {path} cannot be read: {e.Message}");
        }
    }
}
