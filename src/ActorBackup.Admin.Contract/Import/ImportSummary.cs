namespace ActorBackup.Admin.Contract.Import;

/// <summary>
/// What one import request made durable: the answer of <c>POST /import/{table}</c>.
/// </summary>
/// <param name="Received">Documents in the request.</param>
/// <param name="Stored">Verified records new to the cluster.</param>
/// <param name="Duplicates">Verified records the cluster already held.</param>
/// <param name="Quarantined">Documents that failed verification, kept in quarantine.</param>
/// <param name="Reasons">How many quarantined documents per reason code.</param>
/// <param name="Examples">The first few quarantined documents, with their messages.</param>
/// <param name="Newest">Largest timestamp (Unix seconds) of the verified records, or -1 when none verified: the import's own point in time.</param>
public sealed record ImportSummary(
    string Table, long Received, long Stored, long Duplicates, long Quarantined,
    IReadOnlyDictionary<string, long> Reasons, IReadOnlyList<QuarantineNote> Examples, long Newest)
{
    /// <summary>Quarantined documents listed in full; the others are only counted.</summary>
    public const int MaxExamples = 20;

    public static ImportSummary Empty(string table) => new(table, 0, 0, 0, 0, new Dictionary<string, long>(), [], -1);

    /// <summary>Adds up the summaries of several requests of one table.</summary>
    public ImportSummary Plus(ImportSummary other)
    {
        var reasons = new SortedDictionary<string, long>(Reasons.ToDictionary(), StringComparer.Ordinal);
        foreach (var (code, count) in other.Reasons)
            reasons[code] = reasons.GetValueOrDefault(code) + count;
        return this with
        {
            Received = Received + other.Received,
            Stored = Stored + other.Stored,
            Duplicates = Duplicates + other.Duplicates,
            Quarantined = Quarantined + other.Quarantined,
            Reasons = reasons,
            Examples = Examples.Concat(other.Examples).Take(MaxExamples).ToArray(),
            Newest = Math.Max(Newest, other.Newest),
        };
    }
}
