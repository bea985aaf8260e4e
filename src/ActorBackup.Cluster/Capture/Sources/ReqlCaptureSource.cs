using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Settings;
using Akka;
using Akka.Streams.Dsl;

namespace ActorBackup.Cluster.Capture.Sources;

/// <summary>The federation's RethinkDB servers (<see cref="BackupSettings.Sources"/>), read with our driver.</summary>
public sealed class ReqlCaptureSource(BackupSettings settings) : ICaptureSource
{
    public Source<CaptureElement, NotUsed> Open(CaptureRequest request) =>
        Source.UnfoldResourceAsync<CaptureElement, ReqlAttempt>(
            () => ReqlAttempt.StartAsync(settings, request),
            attempt => attempt.NextAsync(),
            async attempt =>
            {
                await attempt.DisposeAsync();
                return Done.Instance;
            });
}
