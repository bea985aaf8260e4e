using System.Runtime.Serialization;
using ActorBackup.Cluster.Replica.Events;
using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Settings;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorBackup.Cluster.Tests.Serialization;

/// <summary>
/// Two ActorSystems over remoting on 127.0.0.1 with reference.conf's serialization, and a third with Akka's defaults
/// (Newtonsoft JSON bound to System.Object) playing a hostile peer: only our messages and Akka's own cross; a type
/// without a binding is neither written by a node nor read from a peer, while a stream ref (repair's transfer) still crosses. Each sends a string after the refused message:
/// remoting keeps one sender's order, so the string arriving first proves the message before it never did.
/// </summary>
public sealed class UnboundTypesSpec() : DilatedTestKit(Remote(BackupConfig.Reference)), IAsyncLifetime
{
    private readonly List<ActorSystem> _senders = [];

    private sealed record Smuggled(string Command);

    private static Config Remote(Config serialization) => ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          actor.provider = remote
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
          coordinated-shutdown.run-by-clr-shutdown-hook = off
        }
        """).WithFallback(serialization).WithFallback(ActorMaterializer.DefaultConfig());

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var sender in _senders)
            await sender.Terminate();
    }

    private ActorSystem Sender(Config serialization)
    {
        var system = ActorSystem.Create("sender", Remote(serialization));
        _senders.Add(system);
        return system;
    }

    /// <summary>The test actor, resolved from <paramref name="sender"/> over remoting.</summary>
    private async Task<IActorRef> InboxFrom(ActorSystem sender)
    {
        var address = ((ExtendedActorSystem)Sys).Provider.DefaultAddress;
        var path = new RootActorPath(address) / TestActor.Path.Elements;
        var identity = await sender.ActorSelection(path).Ask<ActorIdentity>(new Identify(1), Dilated(TimeSpan.FromSeconds(10)));
        return identity.Subject ?? throw new InvalidOperationException($"{path} was not found over remoting.");
    }

    [Fact]
    public async Task Our_messages_cross_between_nodes()
    {
        var inbox = await InboxFrom(Sender(BackupConfig.Reference));
        var message = new WatermarkAdvanced(Watermark.At(1490000000));

        inbox.Tell(message);

        Assert.Equal(message, ExpectMsg<WatermarkAdvanced>(Dilated(TimeSpan.FromSeconds(10))));
    }

    [Fact]
    public async Task A_stream_ref_crosses_between_nodes_and_streams_our_messages_as_repair_sends_records()
    {
        var sender = Sender(BackupConfig.Reference);
        var inbox = await InboxFrom(sender);
        var messages = Enumerable.Range(0, 3).Select(i => new WatermarkAdvanced(Watermark.At(1490000000 + i))).ToArray();
        var offered = await Source.From(messages).RunWith(StreamRefs.SourceRef<WatermarkAdvanced>(), sender.Materializer());

        inbox.Tell(offered);

        var received = ExpectMsg<ISourceRef<WatermarkAdvanced>>(Dilated(TimeSpan.FromSeconds(10)));
        var streamed = await received.Source.RunWith(Sink.Seq<WatermarkAdvanced>(), Sys.Materializer()).WaitAsync(Dilated(TimeSpan.FromSeconds(10)));
        Assert.Equal(messages, streamed);
    }

    [Fact]
    public async Task A_node_does_not_serialize_a_type_without_a_binding_and_sends_nothing_for_it()
    {
        var sender = Sender(BackupConfig.Reference);
        var inbox = await InboxFrom(sender);
        var dictionary = new Dictionary<string, string> { ["command"] = "drop" };

        Assert.ThrowsAny<SerializationException>(() => sender.Serialization.FindSerializerFor(dictionary).ToBinary(dictionary));
        Assert.ThrowsAny<SerializationException>(() => sender.Serialization.FindSerializerFor(new Smuggled("drop")).ToBinary(new Smuggled("drop")));
        inbox.Tell(dictionary);
        inbox.Tell(new Smuggled("drop"));
        inbox.Tell("after");

        Assert.Equal("after", ExpectMsg<object>(Dilated(TimeSpan.FromSeconds(10))));
    }

    [Fact]
    public async Task A_peer_serializing_with_Newtonsoft_gets_nothing_read_while_its_strings_still_arrive()
    {
        var hostile = Sender(ConfigurationFactory.Empty);
        var inbox = await InboxFrom(hostile);
        Assert.Equal(1, hostile.Serialization.FindSerializerFor(new Smuggled("drop")).Identifier);

        inbox.Tell(new Smuggled("drop"));
        inbox.Tell(new Dictionary<string, string> { ["command"] = "drop" });
        inbox.Tell("after");

        Assert.Equal("after", ExpectMsg<object>(Dilated(TimeSpan.FromSeconds(10))));
        ExpectNoMsg(Dilated(TimeSpan.FromMilliseconds(500)));
    }
}
