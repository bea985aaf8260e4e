namespace ActorBackup.Ledger.Election;

/// <summary>Which BigchainDB version's election arithmetic to apply (reference §6).</summary>
public enum ElectionRules
{
    /// <summary>0.5: counts over all listed voters; any counted vote that is not yes counts as invalid.</summary>
    V05,
    /// <summary>0.6 to 0.9: as 0.5, and the yes votes must agree on previous_block; duplicates are an error.</summary>
    V06ToV09,
    /// <summary>0.10: only federation voters with good signatures count; yes votes grouped by previous_block.</summary>
    V010,
}
