namespace ActorBackup.Cli.Verbs.Verify;

/// <summary>What `verify` found over the whole backup; <see cref="Problems"/> empty means all is well.</summary>
internal sealed record VerifyFindings(
    string AdminUrl,
    DateTimeOffset? RestorablePoint,
    int Shards,
    long BlocksAudited,
    long VotesAudited,
    IReadOnlyDictionary<string, long> QuarantineByReason,
    IReadOnlyList<string> Problems)
{
    public bool IsHealthy => Problems.Count == 0;
}
