using System.Globalization;
using Spectre.Console;

namespace ActorBackup.Cli.Verbs.Demo;

/// <summary>
/// Shows the demo as it runs: a live table on an interactive terminal, otherwise plain lines (events as they
/// happen, a status line every few seconds) that logs and tests can read.
/// </summary>
internal abstract class DemoDisplay
{
    public abstract void Event(string text);

    public abstract void Show(DemoSnapshot snapshot);

    /// <summary>Runs <paramref name="work"/> with a display suited to <paramref name="output"/>.</summary>
    public static async Task<T> RunAsync<T>(TextWriter output, bool quiet, Func<DemoDisplay, Task<T>> work)
    {
        if (quiet)
            return await work(new Silent());
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        if (!terminal)
            return await work(new Lines(output));
        var table = new Table().Border(TableBorder.Rounded).Title("actorbackup demo").AddColumn("").AddColumn("").HideHeaders();
        T result = default!;
        await AnsiConsole.Live(table).StartAsync(async context => result = await work(new Live(table, context)));
        return result;
    }

    private sealed class Silent : DemoDisplay
    {
        public override void Event(string text)
        {
        }

        public override void Show(DemoSnapshot snapshot)
        {
        }
    }

    private sealed class Lines(TextWriter output) : DemoDisplay
    {
        private static readonly TimeSpan Every = TimeSpan.FromSeconds(3);
        private TimeSpan _next = TimeSpan.Zero;

        public override void Event(string text) => output.WriteLine($"actorbackup demo: {text}");

        public override void Show(DemoSnapshot snapshot)
        {
            if (snapshot.Elapsed < _next) return;
            _next = snapshot.Elapsed + Every;
            output.WriteLine($"actorbackup demo: {snapshot.Line}");
        }
    }

    private sealed class Live(Table table, LiveDisplayContext context) : DemoDisplay
    {
        private readonly Queue<string> _events = new();
        private DemoSnapshot? _last;

        public override void Event(string text)
        {
            _events.Enqueue(text);
            while (_events.Count > 8) _events.Dequeue();
            Render();
        }

        public override void Show(DemoSnapshot snapshot)
        {
            _last = snapshot;
            Render();
        }

        private void Render()
        {
            table.Rows.Clear();
            if (_last is { } s)
            {
                Row("phase", $"{s.Phase} ({s.Elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s)");
                Row("federation wrote", $"{s.BlocksWritten} blocks, {s.VotesWritten} votes");
                foreach (var (region, records) in s.RecordsByRegion)
                    Row($"captured in {region}", records.ToString("N0", CultureInfo.InvariantCulture) + " records");
                Row("nodes up", s.MembersUp.ToString(CultureInfo.InvariantCulture));
                Row($"shards at R={s.Replicas}", $"{s.ShardsAtR} of {s.Shards}");
                Row("RPO", s.RpoSeconds is { } rpo ? $"{rpo} s" : "-");
            }
            foreach (var e in _events)
                Row("", e);
            context.Refresh();
        }

        private void Row(string name, string value) => table.AddRow(Markup.Escape(name), Markup.Escape(value));
    }
}
