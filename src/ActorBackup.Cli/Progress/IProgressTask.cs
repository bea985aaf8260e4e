namespace ActorBackup.Cli.Progress;

/// <summary>One unit of work on a <see cref="ProgressDisplay"/> (a table, a file); safe to use from any thread.</summary>
public interface IProgressTask
{
    /// <summary>Counts more units done.</summary>
    void Advance(long units);

    /// <summary>Marks the task done with a one-line summary.</summary>
    void Finish(string summary);
}
