namespace ActorBackup.Sandbox;

/// <summary>The clone a program was built in: the first folder above it holding ActorBackup.sln.</summary>
public static class RepositoryRoot
{
    public static string? Find(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ActorBackup.sln")))
                return dir.FullName;
        }
        return null;
    }

    /// <summary>The clone the running program was built in.</summary>
    /// <exception cref="SandboxException">It was not built in a clone.</exception>
    public static string OfThisProgram() =>
        Find(AppContext.BaseDirectory)
        ?? throw new SandboxException($"no ActorBackup.sln above {AppContext.BaseDirectory}: run it from a build in a clone of the repository (it needs tools/reqlite)");
}
