using ActorBackup.Cluster.Settings;
using ActorBackup.Testing.Tls;
using Akka.Configuration;

namespace ActorBackup.Cluster.Tests.Settings;

public sealed class SourceTlsSettingsSpec : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("actorbackup-tls-settings-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static BackupSettings Read(string hocon) => BackupSettings.Create(ConfigurationFactory.ParseString(hocon));

    private static string FailureOf(string hocon) => Assert.Throws<BackupSettingsException>(() => Read(hocon)).Message;

    private string CaFile()
    {
        using var authority = TestAuthority.Create("Test Source CA");
        return authority.WritePem(Path.Combine(_dir.FullName, "ca.pem"));
    }

    [Fact]
    public void Tls_is_off_by_default_and_the_driver_gets_no_tls_options()
    {
        var s = BackupSettings.Create(ConfigurationFactory.Empty);

        Assert.False(s.SourceTls.Enabled);
        Assert.Null(s.Source.Options(s.Credentials, s.SourceTls).Tls);
    }

    [Fact]
    public void The_ca_file_is_read_at_start_and_handed_to_the_driver_with_the_server_name()
    {
        var ca = CaFile();

        var s = Read($"actorbackup.source-tls {{ enabled = on, ca-file = \"{ca}\", server-name = rethinkdb.example }}");

        var tls = s.Source.Options(s.Credentials, s.SourceTls).Tls!;
        Assert.Equal("CN=Test Source CA", Assert.Single(tls.Authorities).Subject);
        Assert.Equal("rethinkdb.example", tls.ServerName);
    }

    [Fact]
    public void A_missing_ca_file_is_one_line_naming_the_key_and_the_path()
    {
        var missing = Path.Combine(_dir.FullName, "no-ca.pem");

        Assert.Equal($"actorbackup.source-tls.ca-file: {missing} does not exist.",
            FailureOf($"actorbackup.source-tls {{ enabled = on, ca-file = \"{missing}\" }}"));
    }

    [Fact]
    public void A_ca_file_without_a_certificate_is_one_line()
    {
        var empty = Path.Combine(_dir.FullName, "empty.pem");
        File.WriteAllText(empty, "not a certificate\n");

        Assert.Equal($"actorbackup.source-tls.ca-file: {empty} holds no PEM certificate (\"-----BEGIN CERTIFICATE-----\").",
            FailureOf($"actorbackup.source-tls {{ enabled = on, ca-file = \"{empty}\" }}"));
    }

    [Fact]
    public void A_ca_file_with_tls_off_is_refused_rather_than_silently_ignored()
    {
        Assert.Equal("actorbackup.source-tls names a CA file or server name but actorbackup.source-tls.enabled is off: turn it on or remove them.",
            FailureOf($"actorbackup.source-tls.ca-file = \"{CaFile()}\""));
    }

    [Fact]
    public void Enabled_must_be_on_or_off()
    {
        Assert.Equal("actorbackup.source-tls.enabled must be on or off (got \"maybe\").", FailureOf("actorbackup.source-tls.enabled = maybe"));
    }
}
