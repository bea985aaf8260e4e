namespace ActorBackup.Testing;

/// <summary>Where the repository and the shared reference material sit, found from the test binaries.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The repository root: the first ancestor of the test binaries holding ActorBackup.sln.</summary>
    public static string Root => RootLazy.Value;

    /// <summary>The project's shared folder (DESIGN, references, fixtures), a sibling of the clone.</summary>
    public static string Shared
    {
        get
        {
            var shared = Path.GetFullPath(Path.Combine(Root, "..", "shared"));
            if (!Directory.Exists(shared))
                throw new InvalidOperationException($"The shared folder is missing: expected it at {shared}, beside the clone.");
            return shared;
        }
    }

    /// <summary>The BigchainDB fixtures folder under the shared folder.</summary>
    public static string BigchainDbFixtures => Path.Combine(Shared, "fixtures", "bigchaindb");

    /// <summary>The folder holding reqlite and the official JavaScript driver (package.json, package-lock.json).</summary>
    public static string ReqliteTools => Path.Combine(Root, "tools", "reqlite");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorBackup.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No ActorBackup.sln above {AppContext.BaseDirectory}: run the tests from a clone of the repository.");
    }
}
