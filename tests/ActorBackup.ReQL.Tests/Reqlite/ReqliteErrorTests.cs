using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;
using static ActorBackup.ReQL.Tests.Reqlite.Queries;

namespace ActorBackup.ReQL.Tests.Reqlite;

/// <summary>How reqlite's errors come out of the driver (reqlite never sends the `e` error type).</summary>
public class ReqliteErrorTests(ReqliteFixture reqlite) : IClassFixture<ReqliteFixture>
{
    private readonly Connection _conn = reqlite.Connection;

    [Fact]
    public async Task An_unknown_optarg_is_a_compile_error()
    {
        var error = await Assert.ThrowsAsync<ReqlCompileError>(() => new RawTerm($$"""[60,[{{Db("rethinkdb")}},"t"],{"bogus":1}]""").RunAtomAsync(_conn));

        Assert.Equal("Unrecognized optional argument `bogus`.", error.Message);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task R_error_is_a_runtime_error_with_its_message()
    {
        var error = await Assert.ThrowsAsync<ReqlRuntimeError>(() => new RawTerm("""[12,["boom"]]""").RunAtomAsync(_conn));

        Assert.Equal("boom", error.Message);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task An_unimplemented_term_answered_without_t_is_a_runtime_error()
    {
        var error = await Assert.ThrowsAsync<ReqlRuntimeError>(() => new RawTerm("""[155,["abc"]]""").RunAtomAsync(_conn));

        Assert.Equal("Ereor is not defined", error.Message);
    }

    [Fact]
    public async Task A_missing_table_is_a_runtime_error_naming_it()
    {
        await DbCreate("errs").RunAtomAsync(_conn);

        var error = await Assert.ThrowsAsync<ReqlRuntimeError>(() => ReadAll("errs", "nope").RunCursorAsync(_conn));

        Assert.Equal("Table `errs.nope` does not exist", error.Message);
        Assert.Equal(0, _conn.PendingCount);
    }

    [Fact]
    public async Task A_single_value_query_reading_a_stream_is_refused_and_the_stream_stopped()
    {
        var error = await Assert.ThrowsAsync<ReqlDriverError>(() => InfiniteRange.RunAtomAsync(_conn));

        Assert.Equal("The query returned a stream, not a single value: run it with RunCursorAsync.", error.Message);
        Assert.Equal(ConnectionState.Open, _conn.State);
    }

    [Fact]
    public async Task A_cursor_over_a_single_value_is_refused()
    {
        var error = await Assert.ThrowsAsync<ReqlDriverError>(() => new RawTerm("42").RunCursorAsync(_conn));

        Assert.StartsWith("Expected a sequence but the server returned SuccessAtom: [42]", error.Message);
    }

    [Fact]
    public async Task A_wrong_password_fails_the_handshake_with_an_auth_error()
    {
        var error = await Assert.ThrowsAsync<ReqlAuthError>(() => Connection.ConnectAsync(reqlite.Options with { Password = "secret" }));

        Assert.Equal("Invalid server signature: the server does not know this user's password.", error.Message);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task The_connection_keeps_working_after_errors()
    {
        await Assert.ThrowsAsync<ReqlRuntimeError>(() => new RawTerm("""[12,["x"]]""").RunAtomAsync(_conn));

        Assert.Equal(3, (await new RawTerm("[24,[1,2]]").RunAtomAsync(_conn)).GetInt32());
    }
}
