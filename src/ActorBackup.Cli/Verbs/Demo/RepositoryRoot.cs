namespace ActorBackup.Cli.Verbs.Demo;

/// <summary>The clone the executable was built in: the first folder above it holding ActorBackup.sln.</summary>
internal static class RepositoryRoot
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
}
