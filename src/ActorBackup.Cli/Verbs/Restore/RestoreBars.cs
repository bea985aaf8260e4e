using ActorBackup.Cli.Progress;
using ActorBackup.Recovery.Restore;

namespace ActorBackup.Cli.Verbs.Restore;

/// <summary>Turns the engine's cumulative, any-thread reports into per-table bars.</summary>
internal sealed class RestoreBars(ProgressDisplay display) : IProgress<RestoreProgress>
{
    private readonly Dictionary<string, (IProgressTask Task, long Shown)> _tables = new(StringComparer.Ordinal);

    public void Report(RestoreProgress value)
    {
        lock (_tables)
        {
            if (value.Phase == RestorePhase.Started)
            {
                _tables[value.Table] = (display.Add(value.Table, value.ExpectedDocuments), 0);
                return;
            }
            if (!_tables.TryGetValue(value.Table, out var bar))
                return;
            if (value.Documents > bar.Shown)
            {
                bar.Task.Advance(value.Documents - bar.Shown);
                _tables[value.Table] = bar = (bar.Task, value.Documents);
            }
            if (value.Phase == RestorePhase.Verified)
                bar.Task.Finish($"{value.Documents} documents ({value.Bytes / 1e6:0.0} MB) restored");
        }
    }
}
