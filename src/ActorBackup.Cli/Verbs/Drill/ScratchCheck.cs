using ActorBackup.Cli.CommandLine;
using ActorBackup.Recovery.Scratch;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cli.Verbs.Drill;

/// <summary>
/// Checks, before anything is killed, that the scratch server answers and has no database of that name: a drill that
/// could not prove its restore would have stopped processes for less.
/// </summary>
internal static class ScratchCheck
{
    /// <exception cref="CliError">The server cannot be used (exit code 1), in one line.</exception>
    public static async Task RequireUsableAsync(ScratchTarget target, CancellationToken ct)
    {
        try
        {
            await using var connection = await Connection.ConnectAsync(target.Server, ct);
            var databases = await R.DbList().RunAtomAsync(connection, ct);
            if (databases.EnumerateArray().Any(d => d.GetString() == target.Database))
            {
                throw new CliError($"the scratch database {target.Database} already exists on {target.Endpoint}: a drill restores into a new database",
                    hint: "choose another --scratch-db, or leave it out for a new name");
            }
        }
        catch (ReqlError e)
        {
            throw new CliError($"cannot use the scratch RethinkDB at {target.Endpoint}: {e.Message}", hint: "--scratch names a RethinkDB server the drill may create a database on");
        }
    }
}
