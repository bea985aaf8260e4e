namespace ActorBackup.Cluster.Reading;

/// <summary>One page of the ids stored in a bucket, in id order.</summary>
/// <param name="Next">Where the next page starts (exclusive), or null when this page was the last.</param>
public sealed record IdPage(IReadOnlyList<string> Ids, string? Next);
