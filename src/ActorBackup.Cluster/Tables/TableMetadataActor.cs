using ActorBackup.Cluster.Settings;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;
using Akka.Actor;
using Akka.Event;

namespace ActorBackup.Cluster.Tables;

/// <summary>
/// Reads each backed-up table's <c>info()</c> and <c>index_status()</c> from the sources at start and
/// then every <c>interval</c> (<c>actorbackup.node.table-metadata-interval</c>), and keeps the latest in the <see cref="TableMetadataStore"/>, so that an
/// export made from the backup carries the table's real primary key and index definitions. Apart from
/// the capture pipelines: metadata changes rarely and a failed poll only leaves the previous file.
/// </summary>
public sealed class TableMetadataActor : ReceiveActor, IWithTimers
{
    private readonly BackupSettings _settings;
    private readonly TimeSpan _interval;
    private readonly TableMetadataStore _store;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _polling;

    public TableMetadataActor(BackupSettings settings, TimeSpan interval)
    {
        _settings = settings;
        _interval = interval;
        _store = new TableMetadataStore(settings.DataDirectory);
        Receive<Poll>(_ => Start());
        Receive<Polled>(p =>
        {
            _polling = false;
            if (p.Problem is not null)
                _log.Warning("Table metadata not refreshed: {0}", p.Problem);
        });
        Receive<Akka.Actor.Status.Failure>(f =>
        {
            _polling = false;
            _log.Warning("Table metadata not refreshed: {0}", f.Cause.Message);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(BackupSettings settings, TimeSpan interval) =>
        Akka.Actor.Props.Create(() => new TableMetadataActor(settings, interval));

    protected override void PreStart()
    {
        Self.Tell(Poll.Instance);
        Timers.StartPeriodicTimer("poll", Poll.Instance, _interval);
    }

    private void Start()
    {
        if (_polling) return;
        _polling = true;
        PollAsync().PipeTo(Self);
    }

    private async Task<Polled> PollAsync()
    {
        string? problem = null;
        foreach (var source in _settings.Sources)
        {
            try
            {
                await using var connection = await Connection.ConnectAsync(
                    _settings.Source.Options(_settings.Credentials) with { Host = source.Host, Port = source.Port });
                foreach (var table in _settings.Tables)
                {
                    var term = R.Db(_settings.Database).Table(table);
                    var info = await term.Info().RunAtomAsync(connection);
                    var indexes = await term.IndexStatus().RunAtomAsync(connection);
                    _store.Save(table, TableMetadataStore.ToInfo(info, indexes));
                }
                return new Polled(null);
            }
            catch (Exception e) when (e is ReqlError or FormatException or IOException or UnauthorizedAccessException)
            {
                problem = $"{source.Host}:{source.Port}: {e.Message}";
            }
        }
        return new Polled(problem ?? "no source is configured");
    }

    private sealed record Poll
    {
        public static Poll Instance { get; } = new();
    }

    private sealed record Polled(string? Problem);
}
