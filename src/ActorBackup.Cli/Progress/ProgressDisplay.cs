using Spectre.Console;

namespace ActorBackup.Cli.Progress;

/// <summary>
/// Shows the progress of parallel tasks: live bars when the verb writes to an interactive terminal, otherwise
/// plain lines (one every tenth of a task's expected total, and one when it finishes) that logs and tests can read.
/// </summary>
public abstract class ProgressDisplay
{
    /// <summary>Adds a task; <paramref name="expectedTotal"/> is an estimate or null when unknown.</summary>
    public abstract IProgressTask Add(string name, long? expectedTotal);

    /// <summary>Runs <paramref name="work"/> with a display suited to <paramref name="output"/>.</summary>
    public static async Task<T> RunAsync<T>(TextWriter output, Func<ProgressDisplay, Task<T>> work)
    {
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        if (!terminal)
            return await work(new Lines(output));
        return await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(context => work(new Bars(context)));
    }

    private sealed class Bars(ProgressContext context) : ProgressDisplay
    {
        public override IProgressTask Add(string name, long? expectedTotal)
        {
            var task = context.AddTask(Markup.Escape(name), maxValue: Math.Max(1, expectedTotal ?? 1));
            task.IsIndeterminate = expectedTotal is null or 0;
            return new Bar(task, name);
        }

        private sealed class Bar(ProgressTask task, string name) : IProgressTask
        {
            public void Advance(long units) => task.Increment(units);

            public void Finish(string summary)
            {
                task.Description = Markup.Escape($"{name}: {summary}");
                task.IsIndeterminate = false;
                task.Value = task.MaxValue;
                task.StopTask();
            }
        }
    }

    private sealed class Lines(TextWriter output) : ProgressDisplay
    {
        public override IProgressTask Add(string name, long? expectedTotal) => new Line(output, name, expectedTotal);

        private sealed class Line(TextWriter output, string name, long? expectedTotal) : IProgressTask
        {
            private readonly long _step = Math.Max(10_000, (expectedTotal ?? 0) / 10);
            private long _done;
            private long _nextReport = Math.Max(10_000, (expectedTotal ?? 0) / 10);

            public void Advance(long units)
            {
                var done = Interlocked.Add(ref _done, units);
                var next = Interlocked.Read(ref _nextReport);
                if (done >= next && Interlocked.CompareExchange(ref _nextReport, next + _step, next) == next)
                    Write(expectedTotal is > 0 ? $"{name}: {done} of ~{expectedTotal}" : $"{name}: {done}");
            }

            public void Finish(string summary) => Write($"{name}: {summary}");

            private void Write(string line)
            {
                lock (output)
                    output.WriteLine(line);
            }
        }
    }
}
