using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Sources;
using Akka;
using Akka.Streams.Dsl;

namespace ActorBackup.Cluster.Capture.Sources;

/// <summary>
/// The federation's RethinkDB servers (<see cref="BackupSettings.Sources"/>), read with our driver over the node's
/// shared connections (<see cref="SourceSessions"/>).
/// </summary>
public sealed class ReqlCaptureSource(BackupSettings settings, SourceSessions sources) : ICaptureSource
{
    public Source<CaptureElement, NotUsed> Open(CaptureRequest request) =>
        Source.UnfoldResourceAsync<CaptureElement, ReqlAttempt>(
            () => ReqlAttempt.StartAsync(settings, sources, request),
            attempt => attempt.NextAsync(),
            async attempt =>
            {
                await attempt.DisposeAsync();
                return Done.Instance;
            });
}
