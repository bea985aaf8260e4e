using ActorBackup.ReQL.Net;
using ActorBackup.Tags;
using ActorBackup.Tags.Checking;
using ActorBackup.Tags.Planning;

namespace ActorBackup.Cli.Verbs.Tags;

/// <summary>Everything one `actorbackup tags` run needs, validated.</summary>
/// <param name="Source">The live source, or null when <paramref name="FromFile"/> is read instead.</param>
/// <param name="FromFile">Saved system tables (plan and check only), or null.</param>
/// <param name="WaitSeconds">apply: longest wait for each reconfigured table to be ready.</param>
/// <param name="Prometheus">check: the textfile to write gauges to, or null.</param>
/// <param name="Out">snapshot: the file to write, or null.</param>
internal sealed record TagsSettings(
    TagsCommand Command,
    ConnectionOptions? Source,
    string? FromFile,
    TagNames Tags,
    int BackupReplicas,
    OriginalReplicas OriginalReplicas,
    IReadOnlyList<TableRef> Tables,
    bool Json,
    int WaitSeconds,
    string? Prometheus,
    string? Out,
    bool Overwrite)
{
    /// <summary>How messages name where the system tables come from.</summary>
    public string Origin => Source is { } s ? $"the source {s.Host}:{s.Port}" : FromFile!;

    public TagLayoutRequest LayoutRequest => new(Tags, BackupReplicas, OriginalReplicas, Tables);

    public TagCheckRequest CheckRequest => new(Tags, BackupReplicas, Tables);
}
