namespace ActorBackup.Ledger.Simulation;

public enum SimulatedFault
{
    None,
    InvalidVote,
    ForgedSignature,
    Malformed,
}
