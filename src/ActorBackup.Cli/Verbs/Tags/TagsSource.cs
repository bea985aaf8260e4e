using ActorBackup.Cli.CommandLine;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;
using ActorBackup.Tags;
using ActorBackup.Tags.SystemTables;

namespace ActorBackup.Cli.Verbs.Tags;

/// <summary>Where the system tables come from (a live source or a saved file), with every failure as one line and exit code 1.</summary>
internal static class TagsSource
{
    /// <summary>The tables from --from-file, or read once from --source.</summary>
    public static async Task<SystemTablesSnapshot> ReadAsync(TagsSettings settings, CancellationToken ct)
    {
        if (settings.FromFile is { } file)
            return ReadFile(file);
        await using var connection = await ConnectAsync(settings, ct);
        return await ReadAsync(connection, settings, ct);
    }

    public static async Task<SystemTablesSnapshot> ReadAsync(IConnection connection, TagsSettings settings, CancellationToken ct)
    {
        try
        {
            return await SystemTablesReader.ReadAsync(connection, settings.Origin, ct);
        }
        catch (Exception e) when (e is SystemTablesFormatException or MissingCapabilityException)
        {
            throw new CliError(e.Message);
        }
        catch (ReqlError e)
        {
            throw new CliError($"{settings.Origin} could not read its system tables: {e.Message}");
        }
    }

    public static async Task<Connection> ConnectAsync(TagsSettings settings, CancellationToken ct)
    {
        try
        {
            return await Connection.ConnectAsync(settings.Source!, ct);
        }
        catch (ReqlError e)
        {
            throw new CliError($"cannot connect to {settings.Origin}: {e.Message.Split('\n')[0]}");
        }
    }

    private static SystemTablesSnapshot ReadFile(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliError($"cannot read {path}: {e.Message}");
        }
        try
        {
            return SystemTablesSnapshot.Parse(json, path);
        }
        catch (SystemTablesFormatException e)
        {
            throw new CliError(e.Message);
        }
    }
}
