using ActorBackup.Admin.Contract.Access;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Tests.CommandLine;
using ActorBackup.Cli.Tests.Import;
using ActorBackup.Sandbox;

namespace ActorBackup.Cli.Tests.Security;

/// <summary>
/// Every verb that talks to --admin sends the admin token as <c>Authorization: Bearer</c>, taken from --token-file or
/// the environment, on every request: checked against a listener that records each request's header and refuses it as
/// a secured node refuses a caller without the token.
/// </summary>
public sealed class AdminCredentialsTests : IDisposable
{
    private const string Token = "s3cret-admin-token";
    private const string Refusal = "This route needs the admin token: send Authorization: Bearer TOKEN (actorbackup --token-file).";

    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("actorbackup-admin-token-");

    public void Dispose() => _temp.Delete(recursive: true);

    /// <summary>Each verb that takes --admin, with what else it needs to get as far as its first request; {0} is the admin URL, {1} a scratch folder.</summary>
    public static TheoryData<string, string> AdminVerbs => new()
    {
        { "status", "status --admin {0}" },
        { "members", "members list --admin {0}" },
        { "verify", "verify --admin {0}" },
        { "export", "export --admin {0} --out {1}/x.tar.gz" },
        { "restore", "restore --admin {0} --to 127.0.0.1:1" },
        { "import", "import {1}/a.tar.gz --admin {0} --attempts 1" },
        { "drill", "drill --admin {0} --scenario kill-node --scratch 127.0.0.1:1" },
        { "client-backup", "client-backup --admin {0} --tx " + new string('a', 64) + " --out {1}/b.tar.gz" },
    };

    [Fact]
    public void Every_verb_that_takes_admin_takes_the_token_file_and_is_covered_here()
    {
        var talking = Program.Verbs.Where(v => v.Options.Any(o => o.Name == "admin")).Select(v => v.Name).Order().ToArray();

        Assert.Equal(AdminVerbs.Select(row => (string)row[0]).Order().ToArray(), talking);
        Assert.All(Program.Verbs.Where(v => talking.Contains(v.Name)), v => Assert.Contains(v.Options, o => o.Name == "token-file"));
    }

    [Theory]
    [MemberData(nameof(AdminVerbs))]
    public async Task The_token_in_the_token_file_goes_out_as_a_bearer_token_on_every_request_of_the_verb(string verb, string commandLine)
    {
        await ImportArchives.WriteAsync(Path.Combine(_temp.FullName, "a.tar.gz"), 2);
        var tokenFile = Path.Combine(_temp.FullName, "admin.token");
        File.WriteAllText(tokenFile, Token + "\n");
        await using var node = FixedAnswerEndpoint.Start(401, Refusal + "\n");

        var (code, _, error) = await CliRun.RunAsync([.. Args(commandLine, node.Url), "--token-file", tokenFile]);

        var seen = node.Seen;
        Assert.True(seen.Count > 0, $"{verb} sent no request; it said: {error}");
        Assert.All(seen, header => Assert.Equal($"Bearer {Token}", header));
        Assert.NotEqual(ExitCodes.Ok, code);
        Assert.Contains("401", error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Without_a_token_file_the_verb_sends_no_authorization_and_the_refusal_is_one_line_naming_the_token()
    {
        await using var node = FixedAnswerEndpoint.Start(401, Refusal + "\n");

        var (code, _, error) = await CliRun.RunAsync("status", "--admin", node.Url);

        Assert.Equal([null], node.Seen);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.EndsWith($"answered 401 Unauthorized: {Refusal}", error.TrimEnd());
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task A_token_file_that_cannot_be_read_or_holds_no_token_is_one_line_and_nothing_is_sent()
    {
        await using var node = FixedAnswerEndpoint.Start(401, Refusal + "\n");
        var empty = Path.Combine(_temp.FullName, "empty.token");
        File.WriteAllText(empty, "\n");
        var twoWords = Path.Combine(_temp.FullName, "two.token");
        File.WriteAllText(twoWords, "one two\n");
        var missing = Path.Combine(_temp.FullName, "missing.token");

        var none = await CliRun.RunAsync("status", "--admin", node.Url, "--token-file", empty);
        var split = await CliRun.RunAsync("export", "--admin", node.Url, "--out", Path.Combine(_temp.FullName, "x.tar.gz"), "--token-file", twoWords);
        var gone = await CliRun.RunAsync("client-backup", "--admin", node.Url, "--token-file", missing, "--tx", new string('a', 64), "--out", Path.Combine(_temp.FullName, "b.tar.gz"));

        Assert.Equal($"actorbackup status: error: {empty} holds no token", none.Err.TrimEnd());
        Assert.Equal($"actorbackup export: error: {twoWords} holds more than one word: a token is one line without spaces", split.Err.TrimEnd());
        Assert.StartsWith($"actorbackup client-backup: error: cannot read the token file {missing}: ", gone.Err);
        Assert.All(new[] { none, split, gone }, r => Assert.Equal(ExitCodes.Failure, r.Code));
        Assert.Empty(node.Seen);
    }

    [Fact]
    public void Without_a_token_file_the_token_comes_from_the_environment_and_otherwise_none_is_sent()
    {
        Assert.Equal("from-env", AdminToken.Resolve(null, AdminToken.Variable, name => name == AdminToken.Variable ? " from-env\n" : null));
        Assert.Null(AdminToken.Resolve(null, AdminToken.Variable, _ => null));
        Assert.Null(AdminToken.Resolve(null, AdminToken.Variable, _ => ""));
        var e = Assert.Throws<AdminTokenException>(() => AdminToken.Resolve(null, AdminToken.Variable, _ => "two words"));
        Assert.Equal("$ACTORBACKUP_ADMIN_TOKEN holds more than one word: a token is one line without spaces", e.Message);
    }

    private string[] Args(string commandLine, string url) =>
        string.Format(commandLine, url, _temp.FullName).Split(' ');
}
