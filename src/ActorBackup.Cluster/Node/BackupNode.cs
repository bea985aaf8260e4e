using System.Diagnostics;
using System.Net;
using ActorBackup.Cluster.Admin;
using ActorBackup.Cluster.Ingest;
using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Membership;
using ActorBackup.Cluster.Reconcile;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Serialization;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Sources;
using ActorBackup.Cluster.Status;
using ActorBackup.Cluster.Tables;
using ActorBackup.Cluster.Verification;
using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Remote;
using AkkaCluster = Akka.Cluster.Cluster;

namespace ActorBackup.Cluster.Node;

/// <summary>
/// A running backup node: its ActorSystem in the cluster, the placement of its replicas, the status
/// it shares and the admin endpoint. Several can run in one process (each its own ActorSystem).
/// </summary>
public sealed class BackupNode : IAsyncDisposable
{
    private readonly AdminServer _admin;
    private readonly SourceSessions _sources;

    private BackupNode(ActorSystem system, NodeConfiguration configuration, AdminServer admin, ClusterStatusSource status, SourceSessions sources)
    {
        System = system;
        Configuration = configuration;
        _admin = admin;
        Status = status;
        _sources = sources;
    }

    public ActorSystem System { get; }

    public NodeConfiguration Configuration { get; }

    /// <summary>The node's cluster address, e.g. "akka.tcp://actorbackup@10.0.0.5:4053".</summary>
    public string Address => AkkaCluster.Get(System).SelfAddress.ToString();

    /// <summary>The admin endpoint's base URL.</summary>
    public string AdminUrl => _admin.Url;

    /// <summary>The journal, as the startup line shows it.</summary>
    public string Journal => JournalName(Configuration.Settings);

    /// <summary>This node's view of the cluster status.</summary>
    public ClusterStatusSource Status { get; }

    /// <summary>This node's connections to its sources, shared by every replica and the table metadata reads.</summary>
    public SourceSessions Sources => _sources;

    /// <summary>Completes when the ActorSystem has terminated, for whatever reason.</summary>
    public Task WhenTerminated => System.WhenTerminated;

    /// <summary>
    /// Starts the node and joins the seed nodes (or forms a cluster of its own when none are set).
    /// <paramref name="replicas"/> chooses each owned replica's actor over the node's source connections; by default
    /// <see cref="ReplicaFactory.For"/>. <paramref name="clock"/> is this node's clock (the wall clock unless a test skews
    /// it): the sources' clocks are measured against it.
    /// </summary>
    /// <exception cref="BackupSettingsException">The node cannot start with this configuration, its data directory was made for another, or another node holds its persistence ids in the PostgreSQL journal (one line).</exception>
    /// <exception cref="NodeStartException">The journal did not answer within <c>actorbackup.node.start-timeout</c> (one line).</exception>
    public static BackupNode Start(NodeConfiguration configuration, Func<BackupSettings, SourceSessions, Func<ReplicaId, Props>>? replicas = null,
        Func<DateTimeOffset>? clock = null)
    {
        var settings = configuration.Settings;
        string? claimed = null;
        DataDirectoryIdentity.Claim(settings.DataDirectory, DataDirectoryIdentity.Of(settings, settings.LoadFederationKeys()), line => claimed = line);
        string? unsafeJournal = null, claimedNamespace = null, unheldRecords = null;
        IDisposable? namespaceHeld = null;
        if (settings.Journal == JournalKind.PostgreSql)
        {
            PostgreSqlDurability.Check(settings.PostgreSqlConnectionString!, settings.Storage.AllowUnsafeDurability, line => unsafeJournal = line);
            PostgreSqlNamespaceClaim.Claim(settings.PostgreSqlConnectionString!, settings.Storage.NodeName,
                new NamespaceClaimant(NodeId.Of(settings.DataDirectory), Environment.MachineName, settings.DataDirectory), line => claimedNamespace = line, line => unheldRecords = line);
            namespaceHeld = PostgreSqlNamespaceClaim.HoldWhileRunning(settings.PostgreSqlConnectionString!, settings.Storage.NodeName);
        }
        AdminAccess access;
        AdminServer admin;
        ActorSystem system;
        try
        {
            access = AdminAccess.Load(settings.Admin, Environment.GetEnvironmentVariable);
            admin = AdminServer.Bind(settings.Admin.Endpoint);
            try
            {
                system = CreateSystem(AdminUrlRole.Add(ClusterConfig.For(configuration), admin.Url), settings.Tls);
            }
            catch
            {
                admin.DisposeAsync().AsTask().Wait();
                throw;
            }
        }
        catch
        {
            namespaceHeld?.Dispose();
            throw;
        }
        if (namespaceHeld is not null)
            system.RegisterOnTermination(namespaceHeld.Dispose);
        try
        {
            if (claimed is not null)
                system.Log.Warning(claimed);
            if (unsafeJournal is not null)
                system.Log.Warning(unsafeJournal);
            if (claimedNamespace is not null)
                system.Log.Info(claimedNamespace);
            if (unheldRecords is not null)
                system.Log.Warning(unheldRecords);
            if (settings.Tls is null && ListensBeyondLoopback(system.Settings.Config.GetString("akka.remote.dot-netty.tcp.hostname", "")) is { } host)
            {
                system.Log.Warning(
                    "Akka remoting listens on {0} without TLS (actorbackup.tls): any process that reaches that port can join the cluster and speak as a member, "
                    + "so only a network limited to the nodes keeps the backup's claims honest", host);
            }
            JournalStartup.Await(system, JournalName(settings), configuration.Node.StartTimeout);
            IndexJournal(system, settings, configuration.Node.StartTimeout);
            JournalStartup.StartNodeStore(system, configuration.Node.StartTimeout);
            PrepareIndex(system, settings);
            var sources = new SourceSessions(settings, clock ?? (() => DateTimeOffset.UtcNow), system.Log);
            // Every replica has released its lease by then; this closes what a metadata read may still hold.
            system.RegisterOnTermination(() => sources.DisposeAsync().AsTask().Wait(settings.SourceProbe.Timeout));
            system.ActorOf(WalCheckpoints.Props(SqliteFiles(settings), settings.Storage.WalCheckpointInterval), NodeActorPaths.WalCheckpoints);
            var cluster = AkkaCluster.Get(system);
            if (cluster.Settings.SeedNodes.Count == 0)
                cluster.Join(cluster.SelfAddress);
            var placement = system.ActorOf(
                PlacementActor.Props(PlacementOptions.From(settings, configuration.Node), (replicas ?? ReplicaFactory.For)(settings, sources)), NodeActorPaths.Placement);
            // Before the system stops, each replica finishes the batch it is writing.
            var drainTimeout = configuration.Node.StatusTimeout + TimeSpan.FromSeconds(1);
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseClusterExiting, "release-replicas",
                () => placement.Ask<Done>(ReleaseAllReplicas.Instance, drainTimeout));
            system.ActorOf(
                StatusPublisher.Props(placement, settings.Region, configuration.Node.StatusInterval, configuration.Node.StatusTimeout), NodeActorPaths.Status);
            var status = new ClusterStatusSource(system, settings, configuration.Node.StatusTimeout, sources);
            system.ActorOf(TableMetadataActor.Props(settings, sources, configuration.Node.TableMetadataInterval), NodeActorPaths.TableMetadata);
            var ingest = IngestOptions.From(settings);
            var replicaRoutes = new ReplicaRoutes(
                system, placement, settings.Tables, new TableMetadataStore(settings.DataDirectory), configuration.Node.StatusTimeout, ingest.Keys,
                ingest.Validator);
            system.ActorOf(ImportReceiver.Props(ingest), NodeActorPaths.ImportReceiver);
            var importRoute = new ImportRoute(system.ActorOf(IngestActor.Props(ingest, sources.SourceNowOrNull), NodeActorPaths.Ingest), ingest, system.Log);
            admin.Serve(status.CurrentAsync, system.Log, () => RejectedRecords.Get(system).Prometheus() + ReconciledRecords.Get(system).Prometheus(), access, settings.Admin, replicaRoutes, importRoute,
                new ReconcileRoute(placement, AkkaCluster.Get(system).SelfAddress.ToString(), configuration.Node.StatusTimeout, settings.Reconcile.RequestTimeout),
                new MembersRoute(cluster, status.CurrentAsync, system.Log));
            return new BackupNode(system, configuration, admin, status, sources);
        }
        catch
        {
            admin.DisposeAsync().AsTask().Wait();
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
            throw;
        }
    }

    /// <summary>What remoting bound to <paramref name="host"/> listens on when that is beyond loopback, else null.</summary>
    internal static string? ListensBeyondLoopback(string host)
    {
        var loopback = host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                       || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
        return loopback ? null : (host.Length == 0 ? "every interface" : host);
    }

    private static void IndexJournal(ActorSystem system, BackupSettings settings, TimeSpan wait)
    {
        var clock = Stopwatch.StartNew();
        var outcome = JournalLookupIndex.Ensure(settings, wait);
        if (outcome.Created)
            system.Log.Info("Journal {0}: rows indexed by persistence id ({1}) in {2:0.0} s", JournalName(settings), JournalLookupIndex.Name, clock.Elapsed.TotalSeconds);
        if (outcome.NotIndexed is { } why)
            system.Log.Warning("Journal {0} {1}", JournalName(settings), why);
    }

    private static void PrepareIndex(ActorSystem system, BackupSettings settings)
    {
        var file = JournalConfig.IndexFile(settings);
        var clock = Stopwatch.StartNew();
        var prepared = ReplicaIndex.Prepare(file, AtRest.Get(system).Keys);
        if (prepared.MovedRecords > 0)
            system.Log.Info("Record index {0}: {1} records moved to the current layout in {2:0.0} s", file, prepared.MovedRecords, clock.Elapsed.TotalSeconds);
        if (prepared.DroppedTimeIndex)
            system.Log.Info("Record index {0}: its index of rows by time, which the current layout does without, dropped in {1:0.0} s", file, clock.Elapsed.TotalSeconds);
        if (prepared.EmptiedForSealedIds)
            system.Log.Warning("Record index {0} held ids in clear and the node now encrypts its data: it is rebuilt from the journal with sealed ids "
                + "(records journaled before encryption was turned on stay in clear in the journal)", file);
    }

    private static IReadOnlyList<string> SqliteFiles(BackupSettings settings) => settings.Journal == JournalKind.Sqlite
        ? [JournalConfig.SqliteFile(settings), JournalConfig.IndexFile(settings)]
        : [JournalConfig.IndexFile(settings)];

    private static string JournalName(BackupSettings settings) =>
        settings.Journal == JournalKind.Sqlite ? $"sqlite {JournalConfig.SqliteFile(settings)}" : "postgresql";

    private static ActorSystem CreateSystem(Akka.Configuration.Config config, TlsSettings? tls)
    {
        var setup = Akka.Actor.Setup.ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config));
        if (tls is not null)
            setup = setup.And(NodeTls.For(tls));
        try
        {
            return ActorSystem.Create(ClusterConfig.SystemName, setup);
        }
        // Akka wraps the bind failure in several AggregateExceptions.
        catch (Exception e) when (Chain(e).Any(x => x is RemoteTransportException))
        {
            var endpoint = $"{config.GetString("akka.remote.dot-netty.tcp.hostname", "")}:{config.GetInt("akka.remote.dot-netty.tcp.port", 0)}";
            throw new BackupSettingsException($"akka.remote.dot-netty.tcp: cannot listen on {endpoint}: {Chain(e).Last().Message.TrimEnd('.')}.");
        }
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            yield return x;
    }

    /// <summary>Leaves the cluster gracefully (its replicas move to the others), then stops.</summary>
    public async Task StopAsync()
    {
        await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
        await _admin.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!System.WhenTerminated.IsCompleted)
            await StopAsync();
        else
            await _admin.DisposeAsync();
    }
}
