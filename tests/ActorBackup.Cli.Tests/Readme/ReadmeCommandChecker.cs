namespace ActorBackup.Cli.Tests.Readme;

/// <summary>
/// Decides whether one README command still holds, without running it: CLI command lines parse with the real option
/// framework, files and projects exist, compose services exist, curl names a route the admin endpoint serves.
/// A command of any other kind is a problem, so that nothing in a shell block escapes checking.
/// </summary>
/// <param name="repoRoot">The clone the README's relative paths are resolved in.</param>
/// <param name="composeServices">What `docker-compose config --services` lists.</param>
/// <param name="composeProfiles">The profiles the compose file's services name (`--profile NAME` may select them).</param>
/// <param name="imageCli">The CLI dll the image's ENTRYPOINT runs (from the Dockerfile).</param>
/// <param name="adminRoute">Null when a node's admin endpoint serves the path and query, else why not.</param>
public sealed class ReadmeCommandChecker(
    string repoRoot, IReadOnlySet<string> composeServices, IReadOnlySet<string> composeProfiles, string imageCli, Func<string, Task<string?>> adminRoute)
{
    private const string CliProject = "src/ActorBackup.Cli/ActorBackup.Cli.csproj";
    private static readonly Dictionary<string, string[]> ComposeFlags = new()
    {
        ["up"] = ["-d", "--detach", "--build"],
        ["down"] = ["-v", "--volumes"],
        ["logs"] = ["-f", "--follow"],
        ["exec"] = ["-T"],
        ["ps"] = [],
        ["stop"] = [],
        ["start"] = [],
        ["restart"] = [],
    };

    private static readonly string[] CurlFlags = ["-s", "-S", "-f", "-sS", "-fsS", "-sf", "--silent", "--show-error", "--fail"];

    /// <summary>Null when the command holds, else what is wrong with it.</summary>
    public async Task<string?> ProblemAsync(ShellLine line)
    {
        if (line.Problem is { } problem)
            return problem;
        return line.Words switch
        {
            ["actorbackup", .. var args] => Cli(args),
            ["dotnet", "run", .. var rest] => DotnetRun(rest),
            ["dotnet", "test", .. var rest] => DotnetTest(rest),
            ["./test.sh", .. var rest] => TestScript(rest),
            ["cp", .. var rest] => Copy(rest),
            ["docker-compose", .. var rest] => Compose(rest),
            ["curl", .. var rest] => await CurlAsync(rest),
            _ => "not a command the README check knows how to verify (actorbackup, dotnet run/test, ./test.sh, cp, docker-compose, curl): "
                 + "teach ReadmeCommandChecker to check it",
        };
    }

    /// <summary>Parses and checks a command line with the CLI's own framework, as `actorbackup` would before running it.</summary>
    public static string? Cli(string[] args)
    {
        if (args.Length == 0)
            return "actorbackup without a verb";
        var error = new StringWriter();
        var code = Program.Check(args, error);
        return code == 0 ? null : $"the CLI refuses it (exit {code}): {error.ToString().Trim()}";
    }

    private string? DotnetRun(string[] rest)
    {
        string? project = null;
        var i = 0;
        for (; i < rest.Length && rest[i] != "--"; i++)
        {
            switch (rest[i])
            {
                case "--project" when i + 1 < rest.Length:
                    project = rest[++i];
                    break;
                case "-c" or "--configuration" when i + 1 < rest.Length && rest[i + 1] is "Debug" or "Release":
                    i++;
                    break;
                default:
                    return $"dotnet run option '{rest[i]}' is not checked";
            }
        }
        if (project is null)
            return "dotnet run without --project";
        var file = ProjectFile(project);
        if (file is null)
            return $"no project at {project}";
        var args = i < rest.Length ? rest[(i + 1)..] : [];
        if (file == CliProject)
            return Cli(args);
        return args.Length == 0 ? null : $"the arguments of {file} are not checked";
    }

    private string? DotnetTest(string[] rest) => rest switch
    {
        [] => Directory.EnumerateFiles(repoRoot, "*.sln").Any() ? null : "no solution at the repository root",
        [var target] when target.EndsWith(".sln", StringComparison.Ordinal) =>
            File.Exists(InRepo(target)) ? null : $"no solution {target}",
        [var target] when !target.StartsWith('-') => ProjectFile(target) is null ? $"no project at {target}" : null,
        _ => $"dotnet test {string.Join(' ', rest)}: only a solution or project path is checked",
    };

    /// <summary>The test entry point: an executable script at the root that ends by running the solution's tests.</summary>
    private string? TestScript(string[] rest)
    {
        if (rest.Length > 0)
            return $"./test.sh {string.Join(' ', rest)}: only the plain command is checked";
        var script = InRepo("test.sh");
        if (!File.Exists(script))
            return "no test.sh at the repository root";
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(script) & UnixFileMode.UserExecute) == 0)
            return "test.sh is not executable";
        var last = File.ReadLines(script).Select(l => l.Trim()).LastOrDefault(l => l.Length > 0 && !l.StartsWith('#'));
        return last is not null && last.Contains("dotnet test ActorBackup.sln", StringComparison.Ordinal)
            ? null
            : $"test.sh does not end by running `dotnet test ActorBackup.sln` (its last command: {last})";
    }

    private string? Copy(string[] rest) => rest switch
    {
        [var from, var to] when !from.StartsWith('-') && !to.StartsWith('-') =>
            File.Exists(InRepo(from)) ? null : $"{from} does not exist in the repository",
        _ => "cp takes exactly a source file of the repository and a destination",
    };

    private string? Compose(string[] rest)
    {
        while (rest is ["--profile", var profile, ..])
        {
            if (!composeProfiles.Contains(profile))
                return $"docker-compose.yml has no profile '{profile}' (it has {string.Join(", ", composeProfiles.Order(StringComparer.Ordinal))})";
            rest = rest[2..];
        }
        if (rest.Length == 0)
            return "docker-compose without a command";
        var (command, words) = (rest[0], rest[1..]);
        if (!ComposeFlags.TryGetValue(command, out var flags))
            return $"docker-compose {command} is not checked";
        var i = 0;
        for (; i < words.Length && words[i].StartsWith('-'); i++)
        {
            if (!flags.Contains(words[i]))
                return $"docker-compose {command} option '{words[i]}' is not checked";
        }
        var operands = words[i..];
        if (command != "exec")
            return operands.FirstOrDefault(s => !composeServices.Contains(s)) is { } unknown ? UnknownService(unknown) : null;
        if (operands.Length == 0)
            return "docker-compose exec without a service";
        if (!composeServices.Contains(operands[0]))
            return UnknownService(operands[0]);
        return operands[1..] switch
        {
            ["dotnet", var dll, .. var args] when dll == imageCli => Cli(args),
            _ => $"only `dotnet {imageCli} ...` (the image's CLI) is checked inside a container",
        };
    }

    private async Task<string?> CurlAsync(string[] rest)
    {
        var urls = rest.Where(w => !w.StartsWith('-')).ToList();
        if (rest.FirstOrDefault(w => w.StartsWith('-') && !CurlFlags.Contains(w)) is { } flag)
            return $"curl option '{flag}' is not checked";
        if (urls is not [var text])
            return "curl must name exactly one URL";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            return $"'{text}' is not an http:// URL";
        return await adminRoute(url.PathAndQuery);
    }

    private string UnknownService(string name) =>
        $"docker-compose.yml has no service '{name}' (it has {string.Join(", ", composeServices.Order(StringComparer.Ordinal))})";

    /// <summary>The project file, relative to the root with forward slashes, of a project folder or file; null if none.</summary>
    private string? ProjectFile(string path)
    {
        var full = InRepo(path);
        var file = full.EndsWith(".csproj", StringComparison.Ordinal)
            ? File.Exists(full) ? full : null
            : Directory.Exists(full) ? Directory.EnumerateFiles(full, "*.csproj").SingleOrDefault() : null;
        return file is null ? null : Path.GetRelativePath(repoRoot, file).Replace('\\', '/');
    }

    private string InRepo(string path) => Path.GetFullPath(Path.Combine(repoRoot, path));
}
