using ActorBackup.Sandbox;

namespace ActorBackup.Testing;

/// <summary>Where the repository and its test fixtures sit, found from the test binaries.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(RepositoryRoot.OfThisProgram);

    /// <summary>The repository root: the first ancestor of the test binaries holding ActorBackup.sln.</summary>
    public static string Root => RootLazy.Value;

    /// <summary>The test fixtures kept in the repository (tests/fixtures).</summary>
    public static string Fixtures => Path.Combine(Root, "tests", "fixtures");

    /// <summary>The BigchainDB documents and test vectors (tests/fixtures/bigchaindb).</summary>
    public static string BigchainDbFixtures => Path.Combine(Fixtures, "bigchaindb");

    /// <summary>System tables of RethinkDB clusters laid out with server tags (tests/fixtures/server-tags).</summary>
    public static string ServerTagLayouts => Path.Combine(Fixtures, "server-tags");

    /// <summary>One saved layout of <see cref="ServerTagLayouts"/>, by its file name without .json.</summary>
    public static string ServerTagLayout(string name) => Path.Combine(ServerTagLayouts, name + ".json");

    /// <summary>RethinkDB's protocol enums as ql2.proto states them (tests/fixtures/reql/reql-enums.json).</summary>
    public static string ReqlEnums => Path.Combine(Fixtures, "reql", "reql-enums.json");
}
