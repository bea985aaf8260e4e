using System.Text;
using ActorBackup.ReQL.Ast;

namespace ActorBackup.Cluster.Reconcile;

/// <summary>
/// How many ids a set holds, and a checksum of them: the sum of each id's <see cref="ValueOf(string)"/>, its last
/// <see cref="Characters"/> characters read as a number in base <see cref="Base"/> (hex digits 0 to 15, any other character
/// 16). The source computes the same tally of a range in one query (<see cref="OfSelection"/>), so that reconciliation
/// takes two sets as equal only when their counts and their checksums agree: equal counts alone would take a source
/// that lost a record held here and gained another for one that holds what is held here.
/// </summary>
/// <remarks>
/// The checksum is not cryptographic. Ledger ids are hashes or random UUIDs in lower-case hex, whose last characters are
/// evenly spread, so a set that differs from another by as many records lost as gained has about one chance in 2^32 of
/// the same sum. It is blind where ids are not like that: ids that share their last 8 characters, ids whose ends are not
/// lower-case hex (every other character counts 16), and sets whose values happen to sum alike (lost 1 and 3, gained
/// 2 and 2) agree. It cannot vouch for a set an adversary chose; a source that chooses ids is trusted with the ledger
/// anyway, and every record is verified by its signatures before it is stored. Ids outside ASCII may be read in characters differently by
/// a server than here: their range then disagrees and is listed id by id, as when counts differ.
/// </remarks>
/// <param name="Records">How many ids.</param>
/// <param name="Checksum">The sum of their <see cref="ValueOf(string)"/>.</param>
public readonly record struct IdTally(long Records, long Checksum)
{
    /// <summary>Characters of the end of an id that its value reads.</summary>
    public const int Characters = 8;

    /// <summary>The base the characters are read in: 16 hex digits and one value for every other character.</summary>
    public const int Base = 17;

    /// <summary>
    /// Most ids whose checksum a source sums exactly: a value is below 17^8 &lt; 2^33, and RethinkDB's numbers are doubles,
    /// exact up to 2^53. A larger set never agrees, so its range is split and its slices tallied.
    /// </summary>
    public const long MaxRecords = 1L << 20;

    private static readonly string Pattern = $@"[\s\S]{{0,{Characters}}}$";

    private static readonly Dictionary<string, int> Digits =
        Enumerable.Range(0, 16).ToDictionary(d => d.ToString("x"), d => d);

    /// <summary>The tally of <paramref name="ids"/>, which are taken as distinct.</summary>
    public static IdTally Of(IEnumerable<string> ids) => ids.Aggregate(new IdTally(0, 0), (tally, id) => tally.Add(id));

    /// <summary>This tally with one more id.</summary>
    public IdTally Add(string id) => new(Records + 1, Checksum + ValueOf(id));

    /// <summary>
    /// True when both tallies are of the same set as far as a tally tells: the same count, at most <see cref="MaxRecords"/>,
    /// and the same checksum.
    /// </summary>
    public bool Agrees(IdTally other) => Records == other.Records && Records <= MaxRecords && Checksum == other.Checksum;

    /// <summary>The id's last <see cref="Characters"/> characters (Unicode scalar values), read in base <see cref="Base"/>.</summary>
    /// <remarks>Read for every stored id of a range at every round: the last characters are kept in a ring, nothing is allocated.</remarks>
    public static long ValueOf(string id)
    {
        Span<int> last = stackalloc int[Characters];
        var seen = 0;
        foreach (var rune in id.EnumerateRunes())
            last[seen++ % Characters] = DigitOf(rune);
        long value = 0;
        for (var i = Math.Max(0, seen - Characters); i < seen; i++)
            value = value * Base + last[i % Characters];
        return value;
    }

    /// <summary>
    /// The ReQL of the tally of a selection, as the array <c>[count, checksum]</c>. The server reads the selection twice,
    /// once to count and once to sum, and sends two numbers. A primary key that is not a string is tallied by its string
    /// form; such a document has no record here, so its range never agrees.
    /// </summary>
    public static Term OfSelection(ReqlExpr selection) =>
        R.Array(selection.Count(), selection.Map(document => ValueOf(document["id"].CoerceTo("string"))).Sum());

    /// <summary>The ReQL of <see cref="ValueOf(string)"/> of a string.</summary>
    private static Term ValueOf(ReqlExpr id) =>
        id.Match(Pattern)["str"].Split("").Fold(0, (value, character) => value.Mul(Base).Add(R.Expr(Digits).Bracket(character).Default(Base - 1)));

    private static int DigitOf(Rune rune) =>
        rune.Value is >= '0' and <= '9' ? rune.Value - '0'
        : rune.Value is >= 'a' and <= 'f' ? rune.Value - 'a' + 10
        : Base - 1;
}
