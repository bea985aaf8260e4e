using ActorBackup.Cluster.Admin;
using ActorBackup.Cluster.Settings;
using Akka.Configuration;

namespace ActorBackup.Cluster.Tests.Settings;

/// <summary><c>actorbackup.admin</c> and <c>actorbackup.tls</c>: who may call a node and how nodes know each other.</summary>
public sealed class AccessSettingsSpec : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("actorbackup-access-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static BackupSettings Read(string hocon) => BackupSettings.Create(ConfigurationFactory.ParseString(hocon));

    private string Token(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Operator_values_override_the_admin_and_tls_defaults()
    {
        var s = Read("""
            actorbackup.admin {
              endpoint = "0.0.0.0:9000"
              token-file = "admin.token"
              read-token-file = "read.token"
              max-body-size = 1MiB
              request-timeout = 30s
              max-concurrent-requests = 3
              allowed-origins = ["https://ops.example.org", "http://127.0.0.1:3000"]
            }
            actorbackup.tls { ca = "certs/ca.crt", certificate = "certs/n1.crt", key = "certs/n1.key" }
            """);

        Assert.Equal(new HostPort("0.0.0.0", 9000), s.Admin.Endpoint);
        Assert.Equal((Path.GetFullPath("admin.token"), Path.GetFullPath("read.token")), (s.Admin.TokenFile, s.Admin.ReadTokenFile));
        Assert.Equal((1024L * 1024, TimeSpan.FromSeconds(30), 3), (s.Admin.MaxBodyBytes, s.Admin.RequestTimeout, s.Admin.MaxConcurrentRequests));
        Assert.Equal(["https://ops.example.org", "http://127.0.0.1:3000"], s.Admin.AllowedOrigins);
        Assert.Equal(new TlsSettings(Path.GetFullPath("certs/ca.crt"), Path.GetFullPath("certs/n1.crt"), Path.GetFullPath("certs/n1.key")), s.Tls);
    }

    [Theory]
    [InlineData("actorbackup.admin.max-body-size = 10b", "actorbackup.admin.max-body-size must be from 1024 to 1099511627776 bytes (got 10b).")]
    [InlineData("actorbackup.admin.request-timeout = 0s", "actorbackup.admin.request-timeout must be at least 1s (got 0s).")]
    [InlineData("actorbackup.admin.max-concurrent-requests = 0", "actorbackup.admin.max-concurrent-requests must be at least 1 (got 0).")]
    [InlineData("actorbackup.admin.allowed-origins = [\"ops.example.org\"]", "actorbackup.admin.allowed-origins: \"ops.example.org\" is not an origin such as \"https://ops.example.org\" (scheme, host and port, no path).")]
    [InlineData("actorbackup.admin.allowed-origins = [\"https://ops.example.org/ui\"]", "actorbackup.admin.allowed-origins: \"https://ops.example.org/ui\" is not an origin such as \"https://ops.example.org\" (scheme, host and port, no path).")]
    [InlineData("actorbackup.tls { ca = \"ca.crt\", certificate = \"n1.crt\" }", "actorbackup.tls.key is not set: mutual TLS needs tls.ca, tls.certificate and tls.key (include the NAME.conf that `actorbackup certs init` wrote).")]
    [InlineData("actorbackup.tls.certificate = \"n1.crt\"", "actorbackup.tls.ca is not set: mutual TLS needs tls.ca, tls.certificate and tls.key (include the NAME.conf that `actorbackup certs init` wrote).")]
    public void A_bad_admin_or_tls_value_fails_with_a_one_line_message_naming_the_key(string hocon, string expected)
    {
        Assert.Equal(expected, Assert.Throws<BackupSettingsException>(() => Read(hocon)).Message);
    }

    [Fact]
    public void An_endpoint_beyond_loopback_refuses_to_start_without_a_token()
    {
        var s = Read("actorbackup.admin.endpoint = \"0.0.0.0:8558\"");

        var error = Assert.Throws<BackupSettingsException>(() => AdminAccess.Load(s.Admin, Environment()));

        Assert.Equal("actorbackup.admin.endpoint 0.0.0.0:8558 is not a loopback address, so the admin API needs a token: set actorbackup.admin.token-file (or $ACTORBACKUP_ADMIN_TOKEN).", error.Message);
    }

    [Fact]
    public void A_loopback_endpoint_without_a_token_is_open_and_the_environment_can_give_the_tokens()
    {
        var open = AdminAccess.Load(Read("").Admin, Environment());
        var fromEnvironment = AdminAccess.Load(Read("actorbackup.admin.endpoint = \"0.0.0.0:8558\"").Admin,
            Environment(("ACTORBACKUP_ADMIN_TOKEN", "t0ken"), ("ACTORBACKUP_ADMIN_READ_TOKEN", "r3ad")));

        Assert.False(open.RequiresToken);
        Assert.Equal(AccessDecision.Allowed, open.Decide("POST", null));
        Assert.True(fromEnvironment.RequiresToken);
        Assert.Equal(AccessDecision.Allowed, fromEnvironment.Decide("POST", "Bearer t0ken"));
        Assert.Equal(AccessDecision.Allowed, fromEnvironment.Decide("GET", "Bearer r3ad"));
        Assert.Equal(AccessDecision.ReadOnly, fromEnvironment.Decide("POST", "Bearer r3ad"));
        Assert.Equal(AccessDecision.WrongToken, fromEnvironment.Decide("GET", "Bearer t0ke"));
        Assert.Equal(AccessDecision.WrongToken, fromEnvironment.Decide("GET", "Bearer t0kenX"));
        Assert.Equal(AccessDecision.NoToken, fromEnvironment.Decide("GET", "Basic dDBrZW4="));
        Assert.Equal(AccessDecision.NoToken, fromEnvironment.Decide("GET", null));
    }

    [Fact]
    public void Bad_token_files_are_refused_with_one_line()
    {
        string FailureOf(string hocon) =>
            Assert.Throws<BackupSettingsException>(() => AdminAccess.Load(Read(hocon).Admin, Environment())).Message;
        var empty = Token("empty.token", "\n");
        var words = Token("words.token", "two words");
        var admin = Token("admin.token", "same");
        var missing = Path.Combine(_dir, "missing.token");

        Assert.Equal($"actorbackup.admin: {empty} holds no token.", FailureOf($"actorbackup.admin.token-file = \"{empty}\""));
        Assert.Equal($"actorbackup.admin: {words} holds more than one word: a token is one line without spaces.", FailureOf($"actorbackup.admin.token-file = \"{words}\""));
        Assert.StartsWith($"actorbackup.admin: cannot read the token file {missing}: ", FailureOf($"actorbackup.admin.token-file = \"{missing}\""));
        Assert.Equal("actorbackup.admin.read-token-file is set without token-file: a read-only token needs an admin token beside it.",
            FailureOf($"actorbackup.admin.read-token-file = \"{admin}\""));
        Assert.Equal("actorbackup.admin: the read token is the admin token; give the read-only token its own value.",
            FailureOf($"actorbackup.admin {{ token-file = \"{admin}\", read-token-file = \"{admin}\" }}"));
    }
}
