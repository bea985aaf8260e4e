using ActorBackup.Tags.SystemTables;
using ActorBackup.Testing;

namespace ActorBackup.Tags.Tests;

/// <summary>The saved system tables of tests/fixtures/server-tags, by file name without .json.</summary>
public static class Layouts
{
    public static SystemTablesSnapshot Load(string name) => SystemTablesSnapshot.Parse(File.ReadAllText(RepoPaths.ServerTagLayout(name)), name + ".json");

    public static TableRef Bigchain => new("bigchain", "bigchain");

    public static TableRef Votes => new("bigchain", "votes");

    public static TableRef Backlog => new("bigchain", "backlog");
}
