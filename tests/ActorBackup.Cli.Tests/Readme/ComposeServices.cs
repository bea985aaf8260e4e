namespace ActorBackup.Cli.Tests.Readme;

public sealed record ComposeService(string Name, string? Image, string? Command);

/// <summary>
/// Reads services, images and commands from `docker-compose config` output: the resolved form, where anchors and
/// merges are expanded, services sit two spaces in, their keys four, and a long scalar wraps onto deeper lines.
/// </summary>
public static class ComposeServices
{
    public static IReadOnlyList<ComposeService> Parse(string resolved)
    {
        var services = new List<ComposeService>();
        string? name = null, image = null, command = null;
        var inServices = false;
        string? scalarKey = null;
        var lines = resolved.Replace("\r", "").Split('\n');

        void Flush()
        {
            if (name is not null)
                services.Add(new ComposeService(name, image, command));
            name = image = command = null;
        }

        foreach (var line in lines)
        {
            var indent = line.Length - line.TrimStart(' ').Length;
            var text = line.Trim();
            if (text.Length == 0)
                continue;
            if (indent == 0)
            {
                Flush();
                inServices = text == "services:";
                continue;
            }
            if (!inServices)
                continue;
            if (indent == 2)
            {
                Flush();
                name = text.TrimEnd(':');
                scalarKey = null;
            }
            else if (indent == 4)
            {
                scalarKey = null;
                if (text.StartsWith("image: ", StringComparison.Ordinal))
                    image = text["image: ".Length..];
                else if (text.StartsWith("command: ", StringComparison.Ordinal))
                    (command, scalarKey) = (text["command: ".Length..], "command");
            }
            else if (scalarKey == "command")
            {
                command += " " + text;
            }
        }
        Flush();
        return services.Select(s => s with { Command = s.Command is null ? null : Unquote(s.Command) }).ToList();
    }

    private static string Unquote(string scalar) =>
        scalar.Length >= 2 && scalar[0] == '\'' && scalar[^1] == '\''
            ? scalar[1..^1].Replace("''", "'")
            : scalar.Length >= 2 && scalar[0] == '"' && scalar[^1] == '"' ? scalar[1..^1] : scalar;
}
