using System.Collections.Concurrent;
using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Membership;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Capture;
using ActorBackup.Cluster.Capture.Queries;
using ActorBackup.Cluster.Capture.Replies;
using ActorBackup.Cluster.Tests.Node;
using ActorBackup.Sandbox;
using Akka.Actor;
using Akka.Configuration;

namespace ActorBackup.Cluster.Tests.Membership;

/// <summary>Placement on two in-process nodes with R = 1, replicas replaced by recorders of what they were asked.</summary>
public sealed class PlacementActorSpec() : DilatedTestKit(), IAsyncLifetime
{
    private readonly TestNodeFiles _files = new();
    private readonly ConcurrentQueue<(string Node, string Event, ReplicaId Id)> _events = new();
    private readonly List<BackupNode> _nodes = [];
    private int _seedPort;

    public Task InitializeAsync()
    {
        _seedPort = FreePort.Next();
        _nodes.Add(StartNode("a", _seedPort));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
        _files.Dispose();
    }

    private BackupNode StartNode(string name, int port)
    {
        var hocon = _files.NodeHocon(name, "eu-west", port, FreePort.Next(), _seedPort, "actorbackup { replicas = 1, tables = [votes] }");
        return BackupNode.Start(
            NodeConfiguration.FromConfig(ConfigurationFactory.ParseString(hocon), name),
            (_, _) => id => Props.Create(() => new RecordingReplica(name, id, _events)));
    }

    private static async Task<IReadOnlyCollection<ReplicaId>> Owned(BackupNode node) =>
        (await node.System.ActorSelection(NodeActorPaths.PlacementOf(Address.Parse(node.Address))).Ask<OwnedReplicas>(GetOwnedReplicas.Instance, TimeSpan.FromSeconds(5))).Replicas.Keys.ToArray();

    [Fact]
    public async Task A_joining_node_takes_its_share_and_the_other_drains_each_replica_it_gives_up_before_stopping_it()
    {
        var all = Enumerable.Range(0, 8).Select(s => new ReplicaId("votes", s)).ToHashSet();
        await AwaitAssertAsync(async () => Assert.Equal(all, (await Owned(_nodes[0])).ToHashSet()),
            Dilated(TimeSpan.FromSeconds(30)), TimeSpan.FromMilliseconds(200));

        _nodes.Add(StartNode("b", FreePort.Next()));

        await AwaitAssertAsync(async () =>
        {
            var a = await Owned(_nodes[0]);
            var b = await Owned(_nodes[1]);
            Assert.NotEmpty(b);
            Assert.Equal(all, a.Concat(b).ToHashSet());
            Assert.Equal(8, a.Count + b.Count);
            Assert.Equal(b.Select(id => id.Shard).Order(), _events.Where(e => e is { Node: "a", Event: "stopped" }).Select(e => e.Id.Shard).Order());
        }, Dilated(TimeSpan.FromSeconds(30)), TimeSpan.FromMilliseconds(200));
        foreach (var stopped in _events.Where(e => e is { Node: "a", Event: "stopped" }))
        {
            var history = _events.Where(e => e.Node == "a" && e.Id == stopped.Id).Select(e => e.Event).ToArray();
            Assert.Equal("asked", history[^2]);
        }
    }

    [Fact]
    public async Task A_leaving_node_releases_every_replica_and_answers_once_all_have_stopped()
    {
        var node = _nodes[0];
        await AwaitAssertAsync(async () => Assert.Equal(8, (await Owned(node)).Count),
            Dilated(TimeSpan.FromSeconds(30)), TimeSpan.FromMilliseconds(200));

        await node.System.ActorSelection(NodeActorPaths.PlacementOf(Address.Parse(node.Address))).Ask<Akka.Done>(ReleaseAllReplicas.Instance, Dilated(TimeSpan.FromSeconds(10)));

        Assert.Empty(await Owned(node));
        var stopped = _events.Where(e => e is { Node: "a", Event: "stopped" }).Select(e => e.Id.Shard).Order();
        Assert.Equal(Enumerable.Range(0, 8), stopped);
    }

    private sealed class RecordingReplica : ReceiveActor
    {
        private readonly string _node;
        private readonly ReplicaId _id;
        private readonly ConcurrentQueue<(string, string, ReplicaId)> _events;

        public RecordingReplica(string node, ReplicaId id, ConcurrentQueue<(string, string, ReplicaId)> events)
        {
            _node = node;
            _id = id;
            _events = events;
            Receive<GetCaptureStatus>(_ =>
            {
                _events.Enqueue((_node, "asked", _id));
                Sender.Tell(new CaptureStatus(_id, CapturePhase.Live, null, null, 0, 0, 0, 0, 0, 0, Watermark.None, Watermark.None, null, 0, 0,
                    ShardDigest.Empty));
            });
        }

        protected override void PostStop() => _events.Enqueue((_node, "stopped", _id));
    }
}
