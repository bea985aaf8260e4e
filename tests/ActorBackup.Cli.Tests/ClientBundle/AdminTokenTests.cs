using System.Net;
using System.Text;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Tests.CommandLine;
using ActorBackup.Cli.Verbs.ClientBackup;
using ActorBackup.Sandbox;
using ActorBackup.Testing;

namespace ActorBackup.Cli.Tests.ClientBundle;

/// <summary>client-backup --admin sends the admin token as a bearer token, taken from --token-file or the environment.</summary>
public sealed class AdminTokenTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("actorbackup-admin-token-");

    public void Dispose() => _temp.Delete(recursive: true);

    [Fact]
    public async Task The_token_in_the_token_file_goes_out_as_a_bearer_token_on_every_request()
    {
        var port = FreePort.Next();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var seen = new List<string?>();
        var answering = Task.Run(async () =>
        {
            // A node backing up nothing: the client reads the status and finds no bigchain table to read.
            var context = await listener.GetContextAsync();
            seen.Add(context.Request.Headers["Authorization"]);
            var body = Encoding.UTF8.GetBytes("""{"node":"akka.tcp://actorbackup@127.0.0.1:1","at":"2026-01-01T00:00:00Z","replicas":2,"members":[],"shards":[],"restorablePoint":null,"rpoSeconds":null,"quarantined":0}""");
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        });
        var token = Path.Combine(_temp.FullName, "reader.token");
        File.WriteAllText(token, "s3cret-read-only\n");

        var (code, _, error) = await CliRun.RunAsync("client-backup", "--admin", $"http://127.0.0.1:{port}", "--token-file", token,
            "--tx", new string('a', 64), "--out", Path.Combine(_temp.FullName, "b.tar.gz"));
        await answering.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["Bearer s3cret-read-only"], seen);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal($"actorbackup client-backup: error: backup cluster http://127.0.0.1:{port}/: the cluster backs up no bigchain table (it holds none yet)", error.TrimEnd());
    }

    [Fact]
    public async Task A_token_file_that_cannot_be_read_or_holds_no_token_is_one_line()
    {
        var empty = Path.Combine(_temp.FullName, "empty.token");
        File.WriteAllText(empty, "\n");
        var missing = Path.Combine(_temp.FullName, "missing.token");

        var none = await CliRun.RunAsync("client-backup", "--admin", "http://127.0.0.1:1", "--token-file", empty, "--tx", new string('a', 64), "--out", Path.Combine(_temp.FullName, "b.tar.gz"));
        var gone = await CliRun.RunAsync("client-backup", "--admin", "http://127.0.0.1:1", "--token-file", missing, "--tx", new string('a', 64), "--out", Path.Combine(_temp.FullName, "b.tar.gz"));

        Assert.Equal($"actorbackup client-backup: error: {empty} holds no token", none.Err.TrimEnd());
        Assert.StartsWith($"actorbackup client-backup: error: cannot read the token file {missing}: ", gone.Err);
        Assert.All(new[] { none, gone }, r => Assert.Equal(ExitCodes.Failure, r.Code));
    }

    [Fact]
    public void Without_a_token_file_the_token_comes_from_the_environment_and_otherwise_none_is_sent()
    {
        Assert.Equal("from-env", AdminToken.Resolve(null, name => name == AdminToken.Variable ? " from-env\n" : null));
        Assert.Null(AdminToken.Resolve(null, _ => null));
        Assert.Null(AdminToken.Resolve(null, _ => ""));
        var e = Assert.Throws<CliError>(() => AdminToken.Resolve(null, _ => "two words"));
        Assert.Equal("$ACTORBACKUP_ADMIN_TOKEN holds more than one word: a token is one line without spaces", e.Message);
    }
}
