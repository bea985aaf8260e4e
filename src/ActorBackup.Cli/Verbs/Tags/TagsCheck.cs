using ActorBackup.Cli.CommandLine;
using ActorBackup.Tags.Checking;
using ActorBackup.Tags.SystemTables;

namespace ActorBackup.Cli.Verbs.Tags;

/// <summary>`actorbackup tags check`: exit 0 only when every shard is as asked, else 3 naming each shard that falls short.</summary>
internal static class TagsCheck
{
    public static async Task<int> RunAsync(TagsSettings settings, TextWriter output, CancellationToken ct)
    {
        SystemTablesSnapshot tables;
        try
        {
            tables = await TagsSource.ReadAsync(settings, ct);
        }
        catch (CliError) when (settings.Prometheus is { } path)
        {
            CheckMetrics.Write(path, CheckMetrics.Failed(DateTimeOffset.UtcNow));
            throw;
        }
        var report = TagChecker.Check(tables, settings.CheckRequest);
        if (settings.Prometheus is { } file)
            CheckMetrics.Write(file, CheckMetrics.Text(report, DateTimeOffset.UtcNow));
        if (settings.Json)
            CheckReport.WriteJson(output, report, settings.Origin);
        else
            CheckReport.WriteText(output, report, settings.Origin);
        return report.Ok ? ExitCodes.Ok : ExitCodes.VerificationFailed;
    }
}
