namespace ActorBackup.Ledger.Election;

public enum BlockStatus
{
    Undecided,
    Valid,
    Invalid,
}
