namespace ActorBackup.Cluster.Settings;

/// <summary>
/// <c>actorbackup.tls</c>: the files of mutual TLS between nodes, as <c>actorbackup certs</c> writes them (full paths).
/// Every node presents <see cref="CertificateFile"/> and accepts only peers whose certificate chains to <see cref="CaFile"/>.
/// </summary>
public sealed record TlsSettings(string CaFile, string CertificateFile, string KeyFile)
{
    /// <summary>The TLS files, or null when none of the three keys is set (remoting in plain TCP).</summary>
    internal static TlsSettings? Read(SettingsReader r)
    {
        var ca = r.String("tls.ca", allowEmpty: true);
        var certificate = r.String("tls.certificate", allowEmpty: true);
        var key = r.String("tls.key", allowEmpty: true);
        var set = new[] { ("ca", ca), ("certificate", certificate), ("key", key) };
        if (set.All(s => s.Item2.Length == 0))
            return null;
        if (set.FirstOrDefault(s => s.Item2.Length == 0) is { Item1: { } missing })
            throw new BackupSettingsException($"{r.Key("tls." + missing)} is not set: mutual TLS needs tls.ca, tls.certificate and tls.key (include the NAME.conf that `actorbackup certs init` wrote).");
        return new TlsSettings(Path.GetFullPath(ca), Path.GetFullPath(certificate), Path.GetFullPath(key));
    }
}
