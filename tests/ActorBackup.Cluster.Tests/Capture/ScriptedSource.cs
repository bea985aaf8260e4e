using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Capture.Sources;
using Akka;
using Akka.Streams.Dsl;

namespace ActorBackup.Cluster.Tests.Capture;

/// <summary>An in-process source whose successive attempts follow a script; the last entry serves every later attempt.</summary>
public sealed class ScriptedSource(params Func<CaptureRequest, Source<CaptureElement, NotUsed>>[] attempts) : ICaptureSource
{
    private int _opened;

    public Source<CaptureElement, NotUsed> Open(CaptureRequest request)
    {
        var n = Interlocked.Increment(ref _opened) - 1;
        return attempts[Math.Min(n, attempts.Length - 1)](request);
    }
}
