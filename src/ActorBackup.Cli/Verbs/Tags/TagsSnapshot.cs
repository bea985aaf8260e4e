using System.Text.Json;
using ActorBackup.Cli.CommandLine;

namespace ActorBackup.Cli.Verbs.Tags;

/// <summary>`actorbackup tags snapshot`: the three system tables of a live source saved as one JSON object, for `--from-file`.</summary>
internal static class TagsSnapshot
{
    public static async Task<int> RunAsync(TagsSettings settings, TextWriter output, CancellationToken ct)
    {
        var path = settings.Out!;
        if (File.Exists(path) && !settings.Overwrite)
            throw CliError.Usage($"{path} exists (--overwrite replaces it)", "tags");
        var tables = await TagsSource.ReadAsync(settings, ct);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            await using (var file = File.Create(temporary))
            await using (var writer = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true }))
                tables.WriteTo(writer);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new CliError($"cannot write {path}: {e.Message}");
        }
        output.WriteLine($"wrote {path}: {tables.Servers.Count} servers, {tables.Tables.Count} tables of {settings.Origin}");
        return ExitCodes.Ok;
    }
}
