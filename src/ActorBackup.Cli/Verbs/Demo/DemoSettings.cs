using ActorBackup.Cli.CommandLine;

namespace ActorBackup.Cli.Verbs.Demo;

/// <summary>One `demo` invocation's options, checked. <see cref="WorkDir"/> is null for a fresh temporary directory.</summary>
internal sealed record DemoSettings(double Rate, TimeSpan Warmup, int Shards, TimeSpan Limit, string? WorkDir, bool KeepRunning, bool Json)
{
    public const int Replicas = 2;

    public static DemoSettings From(ParsedArgs args, string verb)
    {
        var workDir = args.GetString("work-dir");
        if (workDir is { Length: 0 })
            throw CliError.Usage("--work-dir needs a directory", verb);
        if (workDir is not null && Directory.Exists(workDir) && Directory.EnumerateFileSystemEntries(workDir).Any())
            throw CliError.Usage($"--work-dir {workDir} is not empty: the demo writes journals there", verb);
        return new DemoSettings(
            args.GetDouble("rate", 0.1, 100),
            TimeSpan.FromSeconds(args.GetInt("warmup", 0, 3600)),
            args.GetInt("shards", 1, 64),
            args.GetSeconds("timeout"),
            workDir,
            args.GetFlag("keep-running"),
            args.GetFlag("json"));
    }
}
