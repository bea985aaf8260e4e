using ActorBackup.Ledger.Simulation;

namespace ActorBackup.Cli.Verbs.Simulate;

/// <summary>Running counts of what a run wrote and which faults it injected.</summary>
internal sealed class SimulationTally
{
    public long Blocks { get; private set; }

    public long Votes { get; private set; }

    public long FirstBlock { get; private set; } = -1;

    public long LastBlock { get; private set; } = -1;

    public long InvalidVotes { get; private set; }

    public long MissingVotes { get; private set; }

    public long ForgedSignatures { get; private set; }

    public long Malformed { get; private set; }

    public void Add(SimulatedRound round)
    {
        if (FirstBlock < 0)
            FirstBlock = round.Number;
        LastBlock = round.Number;
        Blocks++;
        Votes += round.Votes.Count;
        MissingVotes += round.LostVoters.Count;
        foreach (var document in round.Votes.Prepend(round.Block))
        {
            switch (document.Fault)
            {
                case SimulatedFault.InvalidVote: InvalidVotes++; break;
                case SimulatedFault.ForgedSignature: ForgedSignatures++; break;
                case SimulatedFault.Malformed: Malformed++; break;
            }
        }
    }
}
