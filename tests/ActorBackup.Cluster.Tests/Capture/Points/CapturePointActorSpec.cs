using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Capture.Points;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Tests.Replica;
using Akka.Actor;

namespace ActorBackup.Cluster.Tests.Capture.Points;

public sealed class CapturePointActorSpec : DilatedTestKit, IDisposable
{
    private static readonly ReplicaId Votes17 = new("votes", 17);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ReplicaEnvironment _env;

    public CapturePointActorSpec() : this(new ReplicaEnvironment()) { }

    private CapturePointActorSpec(ReplicaEnvironment env) : base(env.Config) => _env = env;

    [Fact]
    public void A_replica_at_rest_keeps_a_few_rows_of_capture_points_and_recovers_the_highest_one()
    {
        var point = Sys.ActorOf(Props.Create(() => new CapturePointActor(Votes17)));
        const int confirmed = 5 * CapturePointActor.DeleteEvery + 3;
        for (var i = 1; i <= confirmed; i++)
        {
            point.Tell(new ConfirmCapturePoint(Watermark.At(1_700_000_000 + i)), TestActor);
            Assert.Equal(new CapturePointPersisted(Watermark.At(1_700_000_000 + i)), ExpectMsg<CapturePointPersisted>(Timeout));
        }
        // A lower point than the one held moves nothing; the answer is the point held.
        point.Tell(new ConfirmCapturePoint(Watermark.At(1_600_000_000)), TestActor);
        Assert.Equal(new CapturePointPersisted(Watermark.At(1_700_000_000 + confirmed)), ExpectMsg<CapturePointPersisted>(Timeout));
        point.Tell(GetCapturePoint.Instance, TestActor);
        Assert.Equal(new CapturePoint(Watermark.At(1_700_000_000 + confirmed)), ExpectMsg<CapturePoint>(Timeout));

        AwaitAssert(() => Assert.InRange(Rows(), 1, CapturePointActor.DeleteEvery), Timeout);
        Watch(point);
        Sys.Stop(point);
        ExpectTerminated(point, Timeout);

        var recovered = Sys.ActorOf(Props.Create(() => new CapturePointActor(Votes17)));
        recovered.Tell(GetCapturePoint.Instance, TestActor);
        Assert.Equal(new CapturePoint(Watermark.At(1_700_000_000 + confirmed)), ExpectMsg<CapturePoint>(Timeout));
    }

    private long Rows() => _env.JournalRows("SELECT count(*) FROM journal WHERE manifest = 'CP'", reader => reader.GetInt64(0)).Single();

    public new void Dispose()
    {
        base.Dispose();
        _env.Dispose();
    }
}
