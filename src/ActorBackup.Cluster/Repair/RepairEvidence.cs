using ActorBackup.Admin.Contract;

namespace ActorBackup.Cluster.Repair;

/// <summary>
/// What a replica knows when a comparison with a sibling has completed (every bucket equal, or listed and pulled),
/// and the watermark that allows it. The sibling's point says that it held every record up to it; its records are
/// now here, each verified here. But a sibling may attest any point and hold nothing, and a record held here says
/// nothing of the records before it that are missing, so the sibling's word is taken only as far as this replica's
/// own capture saw every record itself, and never past the source's time as this node measured it:
/// <code>allowed = min(sibling's point, this replica's own capture point, source time - margin)</code>
/// (docs/repair.md, "Watermarks from a sibling").
/// </summary>
/// <param name="SiblingPoint">
/// The point the sibling established by its own evidence: its own capture of the replica today, a reconciliation with
/// the source once there is one. Never a point it was itself given by repair, so no word travels further than one hop.
/// </param>
/// <param name="OwnPoint">
/// The point this replica's own capture confirmed: a checkpoint of a live feed of this very replica whose batch its
/// journal flushed. Not another replica's, not a watermark repair or import raised.
/// </param>
/// <param name="Ceiling">
/// The source's time as this node measured it less the catch-up margin, <see cref="Watermark.None"/> while no source has
/// been measured: the most its own capture could claim at this moment.
/// </param>
public sealed record RepairEvidence(Watermark SiblingPoint, Watermark OwnPoint, Watermark Ceiling)
{
    /// <summary>The highest watermark the evidence allows; <see cref="Watermark.None"/> when any of the three is none.</summary>
    public Watermark Allowed => Min(Min(SiblingPoint, OwnPoint), Ceiling);

    /// <summary>Which bound decided <see cref="Allowed"/>, for the log: one line.</summary>
    public string Bound
    {
        get
        {
            var allowed = Allowed;
            if (SiblingPoint.IsNone) return "the sibling attests no point of its own (its capture has not established one)";
            if (Ceiling.IsNone) return $"no source has been measured here, so nothing is known of the source's time, not the sibling's {SiblingPoint}";
            if (OwnPoint.IsNone) return $"this replica's own capture has confirmed no point, so nothing here shows it holds every record, not the sibling's {SiblingPoint}";
            if (allowed == SiblingPoint) return $"the sibling's own point {SiblingPoint}";
            if (allowed == Ceiling) return $"the source's time less the catch-up margin ({Ceiling}), before the sibling's point {SiblingPoint}";
            return $"this replica's own capture point ({allowed}), before the sibling's point {SiblingPoint}";
        }
    }

    private static Watermark Min(Watermark a, Watermark b) => a <= b ? a : b;
}
