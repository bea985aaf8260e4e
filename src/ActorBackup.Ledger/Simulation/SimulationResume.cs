namespace ActorBackup.Ledger.Simulation;

/// <summary>
/// Where a federation stopped: how many blocks exist (genesis included), the last block's id, and for each
/// node (by public key) the block of its last vote, from which its next vote chains.
/// </summary>
public sealed record SimulationResume(long BlocksWritten, string LastBlockId, string GenesisBlockId, IReadOnlyDictionary<string, string> LastVotedBlock);
