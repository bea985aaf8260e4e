using ActorBackup.Admin.Contract;

namespace ActorBackup.Cluster.Repair;

/// <summary>
/// What a replica knows when a comparison with a sibling has completed (every bucket equal, or listed and pulled),
/// and the watermark that allows it. The sibling's point says that it held every record up to it; its records are
/// now here, each verified here. The sibling's word is only taken as far as this node can check that the ledger got
/// there at all, and never past this node's own clock:
/// <code>allowed = min(sibling's point, max(newest verified record held, this node's own capture point), clock - margin)</code>
/// (docs/repair.md, "Watermarks from a sibling").
/// </summary>
/// <param name="SiblingPoint">
/// The point the sibling established by its own evidence: its own capture of the replica today, a reconciliation with
/// the source once there is one. Never a point it was itself given by repair, so no word travels further than one hop.
/// </param>
/// <param name="NewestHeld">
/// Newest timestamp of a verified record this replica holds after the copy, or -1 for none: a record signed by the
/// federation, checked here, shows that the ledger reached its time.
/// </param>
/// <param name="NodeCaptured">
/// The newest point any replica of this node established by its own capture: how far this node itself saw its sources
/// reach, less the catch-up margin (<see cref="Positions.OwnCapturePoints"/>).
/// </param>
/// <param name="Ceiling">This node's clock less the catch-up margin: the most its own capture could claim at this moment.</param>
public sealed record RepairEvidence(Watermark SiblingPoint, long NewestHeld, Watermark NodeCaptured, Watermark Ceiling)
{
    /// <summary>The highest watermark the evidence allows; <see cref="Watermark.None"/> when the sibling attests nothing or nothing shows the ledger got anywhere.</summary>
    public Watermark Allowed
    {
        get
        {
            var reached = Watermark.Max(NewestHeld >= 0 ? Watermark.At(NewestHeld) : Watermark.None, NodeCaptured);
            return Min(Min(SiblingPoint, reached), Ceiling);
        }
    }

    /// <summary>Which bound decided <see cref="Allowed"/>, for the log: one line.</summary>
    public string Bound
    {
        get
        {
            var allowed = Allowed;
            if (SiblingPoint.IsNone) return "the sibling attests no point of its own (its capture has not established one)";
            if (allowed == SiblingPoint) return $"the sibling's own point {SiblingPoint}";
            if (allowed == Ceiling) return $"this node's clock less the catch-up margin ({Ceiling}), before the sibling's point {SiblingPoint}";
            if (allowed.IsNone) return $"nothing here shows the ledger reached any point (no verified record held, no capture of this node live), so not the sibling's {SiblingPoint}";
            return $"the newest verified record held here or this node's own capture point ({allowed}), before the sibling's point {SiblingPoint}";
        }
    }

    private static Watermark Min(Watermark a, Watermark b) => a <= b ? a : b;
}
