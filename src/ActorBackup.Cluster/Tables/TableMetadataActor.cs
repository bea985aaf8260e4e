using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Sources;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;
using Akka.Actor;
using Akka.Event;

namespace ActorBackup.Cluster.Tables;

/// <summary>
/// Reads each backed-up table's <c>info()</c> and <c>index_status()</c> from the sources (over the node's shared
/// connection, see <see cref="SourceSessions"/>) at start and
/// then every <c>interval</c> (<c>actorbackup.node.table-metadata-interval</c>), and keeps the latest in the <see cref="TableMetadataStore"/>, so that an
/// export made from the backup carries the table's real primary key and index definitions. Apart from
/// the capture pipelines: metadata changes rarely and a failed poll only leaves the previous file.
/// </summary>
public sealed class TableMetadataActor : ReceiveActor, IWithTimers
{
    private readonly BackupSettings _settings;
    private readonly SourceSessions _sources;
    private readonly TimeSpan _interval;
    private readonly TableMetadataStore _store;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private bool _polling;

    public TableMetadataActor(BackupSettings settings, SourceSessions sources, TimeSpan interval)
    {
        _settings = settings;
        _sources = sources;
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

    public static Props Props(BackupSettings settings, SourceSessions sources, TimeSpan interval) =>
        Akka.Actor.Props.Create(() => new TableMetadataActor(settings, sources, interval));

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

    /// <summary>Reads every table over the node's shared connection to the first source that answers, in failover order.</summary>
    private async Task<Polled> PollAsync()
    {
        SourceLease lease;
        try
        {
            lease = await _sources.AcquireAsync(0, CancellationToken.None);
        }
        catch (ReqlError e)
        {
            return new Polled(e.Message);
        }
        await using (lease)
        {
            try
            {
                foreach (var table in _settings.Tables)
                {
                    var term = R.Db(_settings.Database).Table(table);
                    var info = await term.Info().RunAtomAsync(lease.Connection);
                    var indexes = await term.IndexStatus().RunAtomAsync(lease.Connection);
                    _store.Save(table, TableMetadataStore.ToInfo(info, indexes));
                }
                return new Polled(null);
            }
            catch (Exception e) when (e is ReqlError or FormatException or IOException or UnauthorizedAccessException)
            {
                return new Polled($"{lease.Endpoint}: {e.Message}");
            }
        }
    }

    private sealed record Poll
    {
        public static Poll Instance { get; } = new();
    }

    private sealed record Polled(string? Problem);
}
