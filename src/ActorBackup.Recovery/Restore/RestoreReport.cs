namespace ActorBackup.Recovery.Restore;

/// <summary>The outcome of a restore that ran to the end (verification may still have failed).</summary>
/// <param name="Database">The target database.</param>
/// <param name="DryRun">Nothing was written.</param>
/// <param name="CreatedDatabase">The database did not exist before (or, on a dry run, would be created).</param>
/// <param name="Tables">One report per table, in the order given.</param>
/// <param name="Warnings">Things not done that did not stop the restore (an index that could not be created).</param>
public sealed record RestoreReport(string Database, bool DryRun, bool CreatedDatabase, IReadOnlyList<TableReport> Tables,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Every table's verification passed (vacuously true on a dry run).</summary>
    public bool Verified => Tables.All(t => t.Verification?.IsMatch ?? true);

    /// <summary>The first verification problem, or null.</summary>
    public string? FirstProblem => Tables.Select(t => t.Verification?.Problem).FirstOrDefault(p => p is not null);
}
