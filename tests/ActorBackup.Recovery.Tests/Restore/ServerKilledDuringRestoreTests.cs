using ActorBackup.Testing;
using ActorBackup.Cli;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;
using ActorBackup.Sandbox.Reqlite;

namespace ActorBackup.Recovery.Tests.Restore;

/// <summary>A target server that dies in the middle of a restore: the restore ends with one clear line, it does not hang.</summary>
public class ServerKilledDuringRestoreTests
{
    [Fact]
    public async Task The_server_killed_mid_restore_ends_it_with_a_one_line_error_and_exit_code_1()
    {
        using var dir = new TempDir();
        var archive = await LedgerArchive.WriteAsync(dir.File("big.tar.gz"), blocks: 20, backlog: 30_000, dir.Path);
        await using var server = await ReqliteServer.StartAsync();
        var output = new StringWriter();
        var error = new StringWriter();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var restore = Program.RunAsync(["restore", "--from-archive", archive.Path, "--to", server.Endpoint, "--db", "killed"], output, error, deadline.Token);

        await KillOnceDocumentsArriveAsync(server, restore);
        var code = await restore;

        Assert.Equal(1, code);
        var line = error.ToString().TrimEnd();
        Assert.StartsWith($"actorbackup restore: error: writing to killed.", line);
        Assert.Contains($"on {server.Endpoint} failed 5 times: ", line);
        Assert.DoesNotContain('\n', line);
    }

    /// <summary>Polls the target until the backlog table holds documents, then kills the server.</summary>
    private static async Task KillOnceDocumentsArriveAsync(ReqliteServer server, Task restore)
    {
        await using var connection = await Connection.ConnectAsync(new ConnectionOptions { Host = server.Host, Port = server.Port });
        // Until the restore creates the table, counting it fails with a ReqlRuntimeError, which is retried too.
        await Eventually.Passes(async () =>
        {
            Assert.False(restore.IsCompleted, "the restore finished before any document was seen");
            Assert.True((await R.Db("killed").Table("backlog").Count().RunAtomAsync(connection)).GetInt64() > 0, "no document in killed.backlog yet");
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(10));
        server.Kill();
    }
}
