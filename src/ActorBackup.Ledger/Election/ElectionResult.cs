
namespace ActorBackup.Ledger.Election;

/// <summary>
/// The outcome of a block election. <see cref="Voters"/> is n in the rules, <see cref="ValidVotes"/> and
/// <see cref="InvalidVotes"/> the counts compared against it. <see cref="DuplicateVoters"/> lists nodes that voted
/// twice: BigchainDB raises an error there (0.6+), so the status stays <see cref="BlockStatus.Undecided"/>.
/// </summary>
public sealed record ElectionResult(
    BlockStatus Status,
    int Voters,
    int ValidVotes,
    int InvalidVotes,
    string? PreviousBlock,
    IReadOnlyList<string> DuplicateVoters);
