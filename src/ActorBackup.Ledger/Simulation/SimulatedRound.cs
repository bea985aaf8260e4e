namespace ActorBackup.Ledger.Simulation;

/// <summary>
/// Block number <see cref="Number"/> (0 is genesis) and the votes on it that were written. <see cref="LostVoters"/>
/// are the nodes whose vote was cast but not written (the missing-votes fault).
/// </summary>
public sealed record SimulatedRound(long Number, SimulatedDocument Block, IReadOnlyList<SimulatedDocument> Votes, IReadOnlyList<string> LostVoters);
