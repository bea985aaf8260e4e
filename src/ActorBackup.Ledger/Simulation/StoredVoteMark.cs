namespace ActorBackup.Ledger.Simulation;

/// <summary>
/// A stored vote reduced to its chaining fields. <see cref="Timestamp"/> is the stored <c>vote.timestamp</c> string,
/// or null when it is not a string (a malformed vote), which RethinkDB orders below every string.
/// </summary>
public sealed record StoredVoteMark(string NodePubkey, string PreviousBlock, string VotingForBlock, string? Timestamp);
