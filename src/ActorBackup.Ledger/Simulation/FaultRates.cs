namespace ActorBackup.Ledger.Simulation;

/// <summary>
/// Fractions (0 to 1) of simulated documents given each fault. <paramref name="InvalidVotes"/>: correctly signed
/// votes saying is_block_valid false. <paramref name="MissingVotes"/>: votes cast (the node's chain advances) but
/// never written. <paramref name="ForgedSignatures"/>: blocks and votes signed with another node's key.
/// <paramref name="MalformedDocuments"/>: blocks and votes broken (truncated, a field missing or mistyped).
/// </summary>
public sealed record FaultRates(double InvalidVotes = 0, double MissingVotes = 0, double ForgedSignatures = 0, double MalformedDocuments = 0)
{
    public static FaultRates None { get; } = new();
}
