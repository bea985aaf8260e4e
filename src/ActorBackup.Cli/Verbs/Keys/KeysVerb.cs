using ActorBackup.Cli.CommandLine;
using ActorBackup.Cluster.Encryption;
using ActorBackup.Cluster.Settings;

namespace ActorBackup.Cli.Verbs.Keys;

/// <summary>
/// `actorbackup keys new|rotate`: the key file of encryption at rest (<c>actorbackup.encryption.key-file</c>). new writes
/// a file with one key; rotate adds a key that encrypts new data from the node's next start, keeping the older keys so
/// data written with them stays readable.
/// </summary>
public sealed class KeysVerb : IVerb
{
    public string Name => "keys";

    public string Summary => "Encryption at rest: write a new key file (keys new) or add a key to one (keys rotate).";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("out", "FILE", "new: the key file to write (one key, 32 random bytes in base64, readable by its owner only)."),
        new("key-file", "FILE", "rotate: the key file to add a key to; its older keys are kept."),
        SharedOptions.Overwrite with { Help = "new: replace FILE if it exists (data encrypted with its keys can no longer be read)." },
    ];

    public IReadOnlyList<string> Examples { get; } =
    [
        "actorbackup keys new --out /etc/actorbackup/at-rest.key",
        "actorbackup keys rotate --key-file /etc/actorbackup/at-rest.key",
    ];

    public void Check(ParsedArgs args) => Settings(args);

    public Task<int> RunAsync(ParsedArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var (rotate, path, overwrite) = Settings(args);
        if (rotate && !File.Exists(path))
            throw new CliError($"{path} does not exist", ExitCodes.Usage, $"make a key file with `actorbackup keys new --out {path}`");
        if (!rotate && !Directory.Exists(Path.GetDirectoryName(path)))
            throw new CliError($"the folder of {path} does not exist", ExitCodes.Usage);
        if (!rotate && File.Exists(path) && !overwrite)
            throw new CliError($"{path} already exists", ExitCodes.Usage, "pass --overwrite to replace it (data encrypted with its keys can no longer be read)");
        try
        {
            if (rotate)
            {
                var id = KeyFile.Rotate(path);
                output.WriteLine($"Added key {KeyRing.Show(id)} to {path}: it encrypts new data once the nodes using the file restart; the older keys still read older data.");
            }
            else
            {
                var id = KeyFile.Create(path, overwrite);
                output.WriteLine($"Wrote key {KeyRing.Show(id)} to {path}; set actorbackup.encryption.key-file to it and keep a copy apart from the data.");
            }
        }
        catch (BackupSettingsException e)
        {
            throw new CliError(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliError(e.Message.TrimEnd('.'));
        }
        return Task.FromResult(ExitCodes.Ok);
    }

    private (bool Rotate, string Path, bool Overwrite) Settings(ParsedArgs args)
    {
        var rotate = args.Positional switch
        {
            ["new"] => false,
            ["rotate"] => true,
            [] => throw CliError.Usage("say what to do: keys new or keys rotate", Name),
            [var word] => throw CliError.Usage($"unknown keys command '{word}' (the commands are new and rotate)", Name),
            _ => throw CliError.Usage($"keys takes one command, not {string.Join(" ", args.Positional)}", Name),
        };
        if (rotate)
        {
            if (args.Has("out") || args.Has("overwrite"))
                throw CliError.Usage("keys rotate adds to the file named by --key-file; --out and --overwrite are for keys new", Name);
            return (true, Path.GetFullPath(args.GetString("key-file") ?? throw CliError.Usage("keys rotate needs --key-file FILE", Name)), false);
        }
        if (args.Has("key-file"))
            throw CliError.Usage("keys new writes the file named by --out; --key-file is for keys rotate", Name);
        var output = Path.GetFullPath(args.GetString("out") ?? throw CliError.Usage("keys new needs --out FILE", Name));
        if (Directory.Exists(output))
            throw CliError.Usage($"{output} is a directory; --out takes the key file's name", Name);
        return (false, output, args.GetFlag("overwrite"));
    }
}
