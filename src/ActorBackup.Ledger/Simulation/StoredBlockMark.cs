namespace ActorBackup.Ledger.Simulation;

/// <summary>
/// A stored block reduced to what resuming needs: its id and the number the simulator recorded in it
/// (<see cref="FederationSimulator.BlockNumberKey"/>; 0 for genesis).
/// </summary>
public sealed record StoredBlockMark(string Id, long Number);
