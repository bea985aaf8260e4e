using ActorBackup.ReQL.Errors;

namespace ActorBackup.Tags;

/// <summary>
/// The source cannot run a command the layout needs (reqlite implements neither <c>reconfigure</c>, <c>wait</c>
/// nor the system tables). One line naming the command and what the source answered.
/// </summary>
public sealed class MissingCapabilityException(string source, string capability, string answer)
    : Exception($"{source} cannot run {capability} (it answered: {FirstLine(answer)}): the server-tag layout needs RethinkDB 2.1 or later")
{
    public string Capability { get; } = capability;

    /// <summary>
    /// Whether an error means the server lacks the command rather than refusing this use of it. RethinkDB 2.x sends
    /// the error type (`e`) with every runtime error; an error without one, or a compile error for a command the
    /// official drivers send, comes from a server that only imitates RethinkDB.
    /// </summary>
    public static bool IsMissing(ReqlError error) =>
        error is ReqlCompileError || error.GetType() == typeof(ReqlRuntimeError);

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
