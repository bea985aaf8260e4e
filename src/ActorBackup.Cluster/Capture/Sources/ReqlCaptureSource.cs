using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Sources;
using Akka;
using Akka.Streams.Dsl;

namespace ActorBackup.Cluster.Capture.Sources;

/// <summary>
/// The federation's RethinkDB servers (<see cref="BackupSettings.Sources"/>), read with our driver over the node's
/// shared connections (<see cref="SourceSessions"/>). <paramref name="voters"/> are the federation's nodes' public keys,
/// whose votes a catch-up of votes asks for.
/// </summary>
public sealed class ReqlCaptureSource(BackupSettings settings, SourceSessions sources, IReadOnlyCollection<string> voters) : ICaptureSource
{
    /// <summary>Shared by every replica of the node: their catch-ups through the indexes join one read per source and table.</summary>
    private readonly CatchUpReads _catchUps = new(settings, sources, voters);

    public Source<CaptureElement, NotUsed> Open(CaptureRequest request) =>
        Source.UnfoldResourceAsync<CaptureElement, ReqlAttempt>(
            () => ReqlAttempt.StartAsync(settings, sources, request, _catchUps),
            attempt => attempt.NextAsync(),
            async attempt =>
            {
                await attempt.DisposeAsync();
                return Done.Instance;
            });
}
