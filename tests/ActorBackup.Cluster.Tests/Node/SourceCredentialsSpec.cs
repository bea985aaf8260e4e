using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Settings;
using ActorBackup.Testing;

namespace ActorBackup.Cluster.Tests.Node;

/// <summary>The source password kept out of the node file: from a file or from the environment, and never shown.</summary>
public sealed class SourceCredentialsSpec : IDisposable
{
    private const string Secret = "s3cr\"et-pa$$word";
    private readonly TestNodeFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string Node(string extra) => $$"""
        actorbackup.region = eu-west
        actorbackup.federation-keys = "{{_files.KeysFile}}"
        actorbackup.data-dir = "{{_files.DataDir("data")}}"
        {{extra}}
        """;

    private NodeConfiguration Load(string extra, IReadOnlyDictionary<string, string>? environment = null) =>
        NodeConfiguration.Load(_files.Write("node.conf", Node(extra)), name => environment?.GetValueOrDefault(name));

    private string FailureOf(string extra, IReadOnlyDictionary<string, string>? environment = null) =>
        Assert.Throws<BackupSettingsException>(() => Load(extra, environment)).Message;

    [Fact]
    public void The_password_comes_from_the_variable_named_in_an_optional_substitution()
    {
        var node = Load("actorbackup.source-password = ${?ACTORBACKUP_SOURCE_PASSWORD}", new Dictionary<string, string> { ["ACTORBACKUP_SOURCE_PASSWORD"] = Secret });

        Assert.Equal(Secret, node.Settings.Credentials.Password);
        Assert.DoesNotContain(Secret, node.Settings.ToString());
    }

    [Fact]
    public void An_unset_variable_in_an_optional_substitution_keeps_the_value_before_it()
    {
        var node = Load("""
            actorbackup.source-password = "from-the-file"
            actorbackup.source-password = ${?ACTORBACKUP_SOURCE_PASSWORD} # the environment wins when set
            """);

        Assert.Equal("from-the-file", node.Settings.Credentials.Password);
    }

    [Fact]
    public void A_substitution_inside_a_quoted_string_or_a_comment_is_left_as_written()
    {
        var node = Load("""
            # ${?ACTORBACKUP_SOURCE_PASSWORD} in a comment
            actorbackup.source-user = "${?ACTORBACKUP_SOURCE_PASSWORD}"
            """, new Dictionary<string, string> { ["ACTORBACKUP_SOURCE_PASSWORD"] = Secret });

        Assert.Equal("${?ACTORBACKUP_SOURCE_PASSWORD}", node.Settings.Credentials.User);
        Assert.Equal("", node.Settings.Credentials.Password);
    }

    [Fact]
    public void A_required_substitution_of_an_unset_variable_is_a_one_line_error()
    {
        var message = FailureOf("actorbackup.source-password = ${ACTORBACKUP_SOURCE_PASSWORD}");

        Assert.Contains("ACTORBACKUP_SOURCE_PASSWORD", message);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void The_password_comes_from_a_file_without_its_final_line_end()
    {
        var file = _files.Write("password", Secret + "\n");

        var node = Load($"actorbackup.source-password-file = \"{file}\"");

        Assert.Equal(Secret, node.Settings.Credentials.Password);
        Assert.DoesNotContain(Secret, node.Settings.ToString());
    }

    [Fact]
    public void A_missing_password_file_is_one_line_naming_the_key_and_the_path()
    {
        var missing = Path.Combine(_files.DataDir("nowhere"), "password");

        Assert.Equal($"actorbackup.source-password-file: {missing} does not exist.", FailureOf($"actorbackup.source-password-file = \"{missing}\""));
    }

    [Fact]
    public void A_password_and_a_password_file_together_are_refused_without_showing_either()
    {
        var file = _files.Write("password", Secret);

        var message = FailureOf($"""
            actorbackup.source-password = "other-password"
            actorbackup.source-password-file = "{file}"
            """);

        Assert.Equal("actorbackup.source-password and actorbackup.source-password-file are both set: keep one.", message);
    }

    [Fact]
    public void The_sample_node_file_takes_the_password_from_the_environment_when_its_line_is_uncommented()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "hocon", "node.conf"));

        Assert.Contains("#   source-password = ${?ACTORBACKUP_SOURCE_PASSWORD}", text);
    }
}
