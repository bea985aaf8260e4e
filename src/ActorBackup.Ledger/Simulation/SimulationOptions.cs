namespace ActorBackup.Ledger.Simulation;

/// <summary>
/// A simulated federation: <paramref name="Seed"/> fixes every key, transaction and fault;
/// <paramref name="Clock"/> gives Unix seconds for timestamps (wall time for real runs, a virtual clock in tests).
/// <paramref name="MalformedAsJson"/> keeps malformed documents parseable (a field removed or mistyped, never cut
/// short), since a database can only hold JSON.
/// </summary>
public sealed record SimulationOptions(
    string Seed,
    int Nodes = 4,
    int TransactionsPerBlock = 10,
    int Users = 8,
    FaultRates? Faults = null,
    Func<long>? Clock = null,
    bool MalformedAsJson = false)
{
    public FaultRates FaultRates => Faults ?? FaultRates.None;

    public Func<long> ClockOrWallTime => Clock ?? SimulationClocks.WallTime;
}
